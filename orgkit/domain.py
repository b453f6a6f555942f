"""The vocabulary of OrgKit and the errors its rules raise.

Pure Python, standard library only: every other layer (storage, ui, pages) speaks these names.
Each vocabulary is an ordered mapping from the stored value (a stable key, the same in every
language) to the label a person reads: a marked message id (`N_`), which the screen translates
when it draws it (`_(LEVELS[level])`).
"""
from __future__ import annotations

import datetime as dt
import enum
import os
import time
from dataclasses import dataclass

from .i18n import N_, Message, msg, render

# The clock seam for what happens after the seminar: the map store's clock (its history, its
# reviews, the commitments' times), the day coverage, the lead's screen and a map's next steps
# are read on, and the demo's load all go through now(), so a test can move them, in its own
# process and in a server it started, by naming a file that holds epoch seconds in
# ORGKIT_CLOCK_FILE and rewriting it (tests/e2e/test_eight_weeks_browser.py does). Unset, as in
# every real deployment, it is the system's clock. (The room's live clocks, boards and step
# timers, keep time.time: nothing there spans days.)
CLOCK_FILE_ENV = "ORGKIT_CLOCK_FILE"


def now() -> float:
    """Epoch seconds: the system's clock, or the test clock's file when one is named."""
    path = os.environ.get(CLOCK_FILE_ENV)
    if path:
        with open(path, encoding="ascii") as held:
            return float(held.read())
    return time.time()


def today() -> dt.date:
    """The day it is now, in the server's time zone (as the map's dates are read)."""
    return dt.date.fromtimestamp(now())


LEVELS = {
    "impacted": N_("Directly impacted people"),
    "leader": N_("Community leaders and connectors"),
    "organization": N_("Organizations and institutions"),
    "decision_maker": N_("Decision-makers"),
}
# The levels in a word or two, where a row of them must fit a phone's width or a chart's axis.
SHORT_LEVELS = {"impacted": N_("Impacted"), "leader": N_("Leaders"),
                "organization": N_("Organizations"), "decision_maker": N_("Decision-makers")}

STAGES = {
    "identified": N_("Identified"),
    "contacted": N_("Contacted"),
    "one_on_one": N_("One-on-one held"),
    "engaged": N_("Engaged"),
    "committed": N_("Committed"),
}

STRENGTHS = {"none": N_("None"), "weak": N_("Weak"), "working": N_("Working"),
             "strong": N_("Strong")}

LINK_KINDS = {
    "knows": N_("knows / connects to"),
    "inner_circle": N_("is in the inner circle of"),
    "funds": N_("funds"),
    "answers_to": N_("answers to"),
    "member_of": N_("is a member of"),
}

ACTION_KINDS = {
    "one_on_one": N_("One-on-one"),
    "official_meeting": N_("Meeting with an official"),
    "site_visit": N_("Site visit"),
    "public_question": N_("Question at a public meeting or forum"),
    "turnout": N_("Community meeting turnout"),
    "capitol_trip": N_("Capitol trip"),
    "voter_registration": N_("Voter-registration drive"),
    "spokesperson_story": N_("Spokesperson story"),
    "leadership_training": N_("Leadership training"),
}

ACTION_STATUSES = {"planned": N_("Planned"), "done": N_("Done"), "cancelled": N_("Cancelled")}

PHASES = {"collect": N_("Collect"), "group": N_("Group"), "vote": N_("Vote"),
          "discuss": N_("Discuss")}

MODERATION = {"open": N_("Open (items show at once)"), "approval": N_("Pre-approval")}

# Join codes avoid characters that are misread when projected or typed: 0/O, 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
# A team map's short code opens the map and its contact details, so it is longer than a join
# code (31^8: guessing one is out of reach) and shown in two groups of four to be typed.
MAP_CODE_LENGTH = 8
CODE_TYPED_MAX = 40  # a join or map code as typed, with spaces and dashes ("K7P-X3M")

# Limits more than one capability (or the UI) uses; a capability's own limits live in its model.
TITLE_MAX = 120  # a workshop's title, a team map's name
PIN_MIN = 6
PIN_MAX = 64
DISPLAY_NAME_MAX = 60  # a participant's optional display name on the board
ID_MAX = 2**63 - 1  # the largest BIGINT: a bigger id from a URL would overflow the driver
# PIN guessing: each source (a browser or client address) has a few free tries, then waits a
# delay that doubles with every further wrong PIN; the workshop as a whole allows at most
# WORKSHOP_UNLOCK_CHECKS checks, then pauses UNLOCK_LOCKOUT_SECONDS for everyone (the ceiling
# against many sources at once). A right PIN clears its source and the workshop's count.
UNLOCK_FREE_TRIES = 3
UNLOCK_DELAY_START_S = 5
UNLOCK_DELAY_MAX_S = 15 * 60
WORKSHOP_UNLOCK_CHECKS = 20
UNLOCK_LOCKOUT_SECONDS = 60
# A facilitator unlock is remembered by that browser for a working day (every tab, reloads).
UNLOCK_REMEMBER_SECONDS = 12 * 3600


class Role(enum.Enum):
    """Who is looking at a page; rules in the core check this, not the UI."""

    VISITOR = "visitor"
    PARTICIPANT = "participant"
    TEAM_MEMBER = "team_member"
    FACILITATOR = "facilitator"


@dataclass(frozen=True)
class Actor:
    """The person a core function acts for: a role within one workshop."""

    role: Role
    workshop_id: int | None = None
    participant_id: int | None = None
    map_id: int | None = None

    @property
    def is_facilitator(self) -> bool:
        return self.role is Role.FACILITATOR

    def can_edit_map(self, map_id: int) -> bool:
        """A map is edited by its own team (private link) or the facilitator."""
        return self.is_facilitator or (self.role is Role.TEAM_MEMBER and self.map_id == map_id)


class OrgKitError(Exception):
    """Base of the errors a person may see: a message id and its values (orgkit.i18n), which the
    screen renders in the reader's language; `str()` is the English, for logs and tests."""

    def __init__(self, message: Message | str):
        self.message = message if isinstance(message, Message) else Message(message)
        super().__init__(render(self.message))


class ValidationError(OrgKitError):
    """Bad input: names the field (a marked id) and the limit (a message)."""

    def __init__(self, field: str, problem: Message | str):
        self.field = field
        self.problem = problem if isinstance(problem, Message) else Message(problem)
        super().__init__(Message("{field}: {problem}", {"field": Message(field),
                                                        "problem": self.problem}))


class PermissionDenied(OrgKitError):
    """The actor's role does not allow this."""


def require_facilitator(actor: Actor, refusal: Message | None = None) -> int:
    """The workshop of an unlocked facilitator; anyone else is refused, in `refusal`'s words
    (what they tried) or the general ones."""
    if not actor.is_facilitator or actor.workshop_id is None:
        raise PermissionDenied(refusal or msg("Only the facilitator can do that. Unlock with the "
                                              "workshop PIN."))
    return actor.workshop_id


class NotFound(OrgKitError):
    """The thing asked for does not exist (or is not visible to this actor)."""


class Locked(OrgKitError):
    """Too many wrong PINs: unlocking is paused for a while."""


class Unavailable(OrgKitError):
    """The database could not be reached or dropped the connection: the person may try again."""


class Conflict(OrgKitError):
    """Someone else changed this first: reload before saving."""
