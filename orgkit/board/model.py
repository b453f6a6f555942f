"""The board's model: the board, its items and snapshot as views see them, the limits, the phases,
and the pure rules (suggested groups, reference-point matches, the level an idea names).

Nothing here touches the store or streamlit: orgkit.board.service reads and writes through the
store and builds these; the views (orgkit.board.view, orgkit.board.export) draw them.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace

from ..domain import Actor, Conflict
from ..i18n import (BOTH_SEPARATOR, DEFAULT_LANGUAGE, N_, Message, in_each, languages_of,
                    load_texts, msg, nmsg, pick_text)
from ..map.model import ENTRY_NAME_MAX
from ..validation import text_lines
from . import matching

# The board's limits: the core refuses past them and the facilitator's form offers exactly them.
PROMPT_MAX = 300
NOTES_MAX = 4000
ITEM_LIMIT_MIN = 10  # the shortest item length limit a facilitator may set
ITEM_LIMIT_DEFAULT = 280
ITEM_LIMIT_MAX = 1000
VOTES_DEFAULT = 3  # votes per participant unless the facilitator sets another number
VOTES_MAX = 20
VOTES_HIDDEN_DEFAULT = True  # a new board hides its vote counts until the vote closes
TIMER_MIN_MINUTES = 1
TIMER_DEFAULT_MINUTES = 5  # what the timer field offers first
TIMER_MAX_MINUTES = 120
EDIT_WINDOW_MINUTES = 2  # a participant may change or withdraw an own item this long
EDIT_WINDOW_S = EDIT_WINDOW_MINUTES * 60
TIME_UP_S = 60  # the projector says "time is up" this long, then drops the timer line
THEME_MAX = 80


ITEM_PHASES = {"collect", "group"}


VOTE_PHASES = {"collect", "group", "vote"}


# Statuses: shown on the board, waiting for approval, hidden by the facilitator, withdrawn by its
# author, merged into another item.
SHOWN = "visible"


PENDING = "pending"


HIDDEN = "hidden"


WITHDRAWN = "withdrawn"


MERGED = "merged"


LOCKED_MESSAGE = msg("The facilitator has locked this board.")
# A phase's name inside a sentence ("New items are closed in the vote phase."): lower case in
# English, and a word of its own for a translator, not the label lower-cased.
PHASE_IN_SENTENCE = {"collect": N_("collect"), "group": N_("group"), "vote": N_("vote"),
                     "discuss": N_("discuss")}


@dataclass(frozen=True)
class Board:
    """A board's prompt, settings and state, as every role may see them."""

    id: int
    workshop_id: int
    prompt: str
    reference_points: tuple[str, ...]
    anonymous: bool
    votes_per_participant: int
    moderation: str
    item_limit: int
    phase: str
    timer_ends_at: float | None
    locked: bool
    revealed: bool
    revision: int
    hide_counts: bool = False  # the facilitator's choice: vote counts hidden until the vote closes
    # The prompt and the reference notes in each language they were written in ((language, text)
    # pairs: a Board is hashable); empty when written in one field only. `prompt` and
    # `reference_points` are the first field's, which the reveal's matching and numbering use.
    prompt_texts: tuple[tuple[str, str], ...] = ()
    notes_texts: tuple[tuple[str, str], ...] = ()

    @property
    def votes_hidden(self) -> bool:
        """Whether the room sees no vote counts now: chosen, and the vote is not closed yet (a
        count seen while voting draws more votes to it)."""
        return self.hide_counts and self.phase in VOTE_PHASES

    def prompt_in(self, language: str) -> str:
        """The prompt a reader of `language` sees (each language's for a combined one)."""
        return in_each(dict(self.prompt_texts) or {DEFAULT_LANGUAGE: self.prompt}, language)

    def points_in(self, language: str) -> tuple[str, ...]:
        """The reference points a reader of `language` sees. The notes in each language hold the
        same points line by line (the service checks it); a language without notes reads the
        first field's."""
        texts = dict(self.notes_texts)
        if not texts:
            return self.reference_points
        each = [points if len(points := note_points(pick_text(texts, one))) ==
                len(self.reference_points) else self.reference_points
                for one in languages_of(language)]
        return tuple(BOTH_SEPARATOR.join(dict.fromkeys(said)) for said in zip(*each))

    @classmethod
    def from_row(cls, row: dict) -> "Board":
        points = note_points(row["reference_notes"])
        return cls(id=row["id"], workshop_id=row["workshop_id"], prompt=row["prompt"],
                   reference_points=points, anonymous=bool(row["anonymous"]),
                   votes_per_participant=row["votes_per_participant"],
                   moderation=row["moderation"], item_limit=row["item_limit"], phase=row["phase"],
                   timer_ends_at=row["timer_ends_at"], locked=bool(row["locked"]),
                   revealed=bool(row["revealed"]), revision=row["revision"],
                   hide_counts=bool(row["votes_hidden"]),
                   prompt_texts=tuple(sorted(load_texts(row.get("prompt_texts")).items())),
                   notes_texts=tuple(sorted(load_texts(row.get("notes_texts")).items())))

    def seconds_left(self, now: float | None = None) -> int | None:
        """Whole seconds left on the timer, or None when no timer runs."""
        if self.timer_ends_at is None:
            return None
        return max(0, int(self.timer_ends_at - (time.time() if now is None else now) + 0.999))

    def timer_text(self, now: float | None = None, *, labelled: bool = True) -> Message | None:
        """The timer line ("Timer: 4:59"; the projector's big clock leaves out the label); "time
        is up" for a minute after the end, then nothing."""
        left = self.seconds_left(now)
        if left is None or (time.time() if now is None else now) - self.timer_ends_at > TIME_UP_S:
            return None
        clock = f"{left // 60}:{left % 60:02d}"
        if labelled:
            return (msg("Timer: {clock}", clock=clock) if left
                    else msg("Timer: {clock} (time is up)", clock=clock))
        return msg("{clock}", clock=clock) if left else msg("{clock} (time is up)", clock=clock)

    def closed_note(self) -> Message | None:
        """Why a phone cannot add items now (None while it can), in a participant's words."""
        if self.locked:
            return LOCKED_MESSAGE
        if self.phase in ITEM_PHASES:
            return None
        if self.phase in VOTE_PHASES:
            return msg("The facilitator has closed new ideas for now; you can still vote.")
        return msg("The facilitator has closed new ideas and votes for the discussion.")


# How an item typed by the facilitator for someone without a phone is marked on the facilitator's
# list and in the board's summary.
FROM_FLOOR = N_("from the floor")


@dataclass(frozen=True)
class Item:
    """One item as a view may show it: no participant id; the author as stored (none on an
    anonymous board)."""

    id: int
    text: str
    author: str | None
    status: str
    theme_id: int | None
    pinned: bool
    votes: int
    created_at: float
    mine: bool
    merged_into: int | None
    from_floor: bool = False  # typed by the facilitator for someone without a phone


@dataclass(frozen=True)
class RevealPoint:
    """One reference point: raised by the group or not, by which item, and who decided."""

    number: int
    text: str
    item_id: int | None
    raised: bool
    confirmed: bool


@dataclass(frozen=True)
class Snapshot:
    """Everything a view of one board needs at one revision."""

    board: Board
    items: tuple[Item, ...]
    themes: tuple[tuple[int, str], ...]
    reveal: tuple[RevealPoint, ...]
    taking_part: int = 0  # participants who posted or voted on this board

    def shown(self) -> list[Item]:
        """Items on the shared board: visible ones, pinned first, then oldest first."""
        visible = [item for item in self.items if item.status == SHOWN]
        return sorted(visible, key=lambda item: (not item.pinned, item.created_at, item.id))

    def with_status(self, status: str) -> list[Item]:
        return [item for item in self.items if item.status == status]

    def in_language(self, language: str) -> "Snapshot":
        """The snapshot as a reader of `language` sees it: the facilitator's prompt and reference
        points in their language (the same snapshot when they were written in one language)."""
        board = self.board
        if not board.prompt_texts and not board.notes_texts:
            return self
        points = board.points_in(language)
        return replace(self, board=replace(board, prompt=board.prompt_in(language),
                                           reference_points=points),
                       reveal=tuple(replace(point, text=points[point.number])
                                    for point in self.reveal))


def note_points(notes: str) -> tuple[str, ...]:
    """Reference notes as points: one a line, blank lines left out."""
    return tuple(text_lines(notes))


def vote_count(n: int) -> Message:
    """"1 vote", "2 votes": how every label and export counts votes."""
    return nmsg("{n} vote", "{n} votes", n)


@dataclass(frozen=True)
class Own:
    """One participant's part of a board: their items (any status but withdrawn) and votes."""

    items: tuple[Item, ...]
    votes: frozenset[int]

    def votes_left(self, board: Board) -> int:
        """Votes this participant may still cast on the board."""
        return max(0, board.votes_per_participant - len(self.votes))


DELETE_WORD = "DELETE"


def require_open(board: Board, phases: set[str], closed: str) -> None:
    """Refuse unless the board is open and in one of `phases`; `closed` is the marked id that
    says what is closed, with a `{phase}` placeholder."""
    if board.locked:
        raise Conflict(LOCKED_MESSAGE)
    if board.phase not in phases:
        raise Conflict(Message(closed, {"phase": Message(PHASE_IN_SENTENCE[board.phase])}))


def votes_back(merged: list[dict], allowance: int) -> list[dict]:
    """The votes an unmerged item gets back, of those its merge recorded (`merged`: rows with
    `moved`, `on_target` and `held`, one per person). A vote the merge carried to the target
    comes back from it while the person still votes for the target (moving it keeps their count);
    taken back since, it may be spent elsewhere, so it stays gone. A vote the person also had on
    the target comes back only while their allowance has room, so an undo never hands anyone
    more votes than the board allows."""
    return [vote for vote in merged
            if (vote["on_target"] if vote["moved"] else vote["held"] < allowance)]


def stored_author(anonymous: bool, display_name: str) -> str:
    """The author name an item is stored with: the participant's name on a named board, none on
    an anonymous one. This is the anonymity rule, kept where an item is written (the service, the
    demo loader): a board's `anonymous` is set when it is created and never changes, so no view or
    export of its items, and no item row of a backup, can hold a name that was never stored."""
    return "" if anonymous else display_name


def to_item(row: dict, viewer: Actor | None) -> Item:
    """The view of a stored item: its stored author (see stored_author), `mine` for the viewer."""
    me = viewer.participant_id if viewer is not None else None
    return Item(id=row["id"], text=row["text"], author=row["author_name"] or None,
                status=row["status"], theme_id=row["theme_id"], pinned=bool(row["pinned"]),
                votes=int(row["votes"]), created_at=row["created_at"],
                mine=me is not None and row["participant_id"] == me,
                merged_into=row["merged_into"], from_floor=bool(row.get("from_floor")))


GROUP_MAX = 500  # items filed in one go: more than any room's board


@dataclass(frozen=True)
class SuggestedGroup:
    """Items that share a word, offered as a theme the facilitator accepts or edits."""

    name: str
    item_ids: tuple[int, ...]


SUGGESTIONS_MAX = 6


def suggest_groups(snap: Snapshot) -> list[SuggestedGroup]:
    """Groups of the board's ungrouped items that share a concept, a phrase or a telling word,
    biggest first (orgkit.board.matching.groups); a feature that names an existing theme offers
    that theme (accepting files the items there), even for one item. It saves the clicks; the
    facilitator still decides."""
    loose = [(item.id, item.text) for item in snap.shown() if item.theme_id is None]
    return [SuggestedGroup(name, ids) for name, ids in
            matching.groups(loose, [name for _, name in snap.themes], SUGGESTIONS_MAX)]


def suggest_matches(points: tuple[str, ...] | list[str], items: list[Item]) -> list[int | None]:
    """For each reference point, the item that shares most with it (None if none shares enough):
    orgkit.board.matching.best_match."""
    texts = [(item.id, item.text) for item in items]
    return [matching.best_match(point, texts) for point in points]


def reveal_points(board: Board, shown: list[Item],
                  decided: dict[int, dict]) -> tuple[RevealPoint, ...]:
    suggestions = suggest_matches(board.reference_points, shown)
    points = []
    for number, (text, suggested) in enumerate(zip(board.reference_points, suggestions)):
        decision = decided.get(number)
        if decision is None:
            points.append(RevealPoint(number, text, suggested, suggested is not None, False))
        else:
            points.append(RevealPoint(number, text, decision["item_id"],
                                      bool(decision["raised"]), True))
    return tuple(points)


# Words that say which level an item names (singular, lower case). Checked in this order on a
# tie: "Pastor Ruiz of St. Mark's church" is a leader, "tenant union" an organization.
LEVEL_WORDS = {
    "decision_maker": set("""council councilmember councilor commissioner mayor senator
        representative legislator lawmaker governor alderman alderperson supervisor judge
        official superintendent trustee assemblymember congressman congresswoman""".split()),
    "leader": set("""pastor priest rabbi imam reverend leader coach teacher principal organizer
        captain elder connector volunteer chairperson president""".split()),
    "organization": set("""church congregation union association organization nonprofit agency
        clinic school library center coalition society foundation mosque temple synagogue
        network alliance cooperative coop""".split()),
    "impacted": set("""tenant resident family parent youth worker neighbor student senior
        immigrant renter patient caregiver""".split()),
}


_WORD = re.compile(r"[a-z0-9]+")


def suggest_level(text: str) -> str | None:
    """The level an item's words point to, or None when they point nowhere (then the
    facilitator picks: no guess is better than an idea filed as a decision-maker)."""
    words = [_singular(w) for w in _WORD.findall(text.lower())]
    hits = {level: sum(w in vocab for w in words) for level, vocab in LEVEL_WORDS.items()}
    best = max(hits.values())
    return None if best == 0 else next(level for level, n in hits.items() if n == best)


_ALL_LEVEL_WORDS = frozenset().union(*LEVEL_WORDS.values())


def _singular(word: str) -> str:
    """"families" -> "family", "tenants" -> "tenant", when the singular is a level word."""
    for candidate in (word[:-3] + "y" if word.endswith("ies") else None,
                      word[:-1] if word.endswith("s") else None):
        if candidate in _ALL_LEVEL_WORDS:
            return candidate
    return word


def entry_name_for(text: str) -> str:
    """The name a promoted item's entry gets unless the facilitator writes another."""
    return _shorten(text, ENTRY_NAME_MAX)


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut, so a long item still reads as a name."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" ,;:.-") + "…"
