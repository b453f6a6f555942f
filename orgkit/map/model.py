"""The relationship map's model: an entry's fields and their limits, the validation every write
path shares (the form, the table editor, imports), links, actions, next steps and the seminar's
checklist, and the MapView a page run reads.

Nothing here touches the store or streamlit; orgkit.map.service applies these rules to the store.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from ..domain import (ACTION_KINDS, ACTION_STATUSES, LEVELS, STAGES, STRENGTHS, Conflict,
                      ValidationError)
from ..domain import today as current_day
from ..i18n import DEFAULT_LANGUAGE, Message, N_, msg, render
from ..validation import clean_choice, clean_date, clean_int, clean_text
from .power import power_links, sources_of, unknowns

# An entry's name: typed, imported or promoted from a board item. Peer tools' labels run long
# (139 characters in Kumu's own backup example): a name must arrive whole.
ENTRY_NAME_MAX = 200


SHORT_MAX = 200
ISSUE_MAX = 2 * SHORT_MAX  # a team map's issue, a sentence or two


LONG_MAX = 2000


# Long text an import brings (a Kumu Description of pages of Markdown, a long custom field): it
# arrives whole. The bound against abuse is the upload's size and cell count
# (orgkit.spreadsheet), not this field.
DESCRIPTION_MAX = 20_000


TYPE_MAX = SHORT_MAX  # the Type a peer tool gave an entry, kept as it came


TAG_MAX = 60


TAGS_MAX = 20


TARGET_MAX = 1000


TURNOUT_MAX = 100_000


DECISION_MAKER = "decision_maker"


# Details about one person that never leave our tool: the Kumu workbook goes without them.
PRIVATE_FIELDS = ("contact", "notes")


TAG_SEPARATOR = "; "


# Free-text fields of an entry: stored name -> (label a person reads, limit, multiline).
TEXT_FIELDS = {
    "role": (N_("Role in the community"), SHORT_MAX, False),
    "contact": (N_("How to contact"), SHORT_MAX, True),
    "how_help": (N_("How they can help"), LONG_MAX, True),
    "gatekeeper_why": (N_("Why a gatekeeper"), SHORT_MAX, True),
    "point_person": (N_("Point person"), ENTRY_NAME_MAX, False),
    "next_step": (N_("Next step"), SHORT_MAX, False),
    "notes": (N_("Notes"), LONG_MAX, True),
    # Not private: exported again as Kumu's Description.
    "description": (N_("Description"), DESCRIPTION_MAX, True),
}


DECISION_MAKER_TEXT = {
    "office": (N_("Office"), SHORT_MAX, False),
    "jurisdiction": (N_("District or jurisdiction"), SHORT_MAX, False),
    "agenda": (N_("Their agenda"), LONG_MAX, True),
    "issues": (N_("Issues they care about"), LONG_MAX, True),
}


# Whom a decision-maker answers to and who funds them are links ("answers to", "funds"), not
# text: one source of truth for the entry panel, the worksheet, the checklist and the gaps.
ENTRY_TEXT = TEXT_FIELDS | DECISION_MAKER_TEXT  # every free-text field but the name


FLAGS = {"is_gatekeeper": N_("Gatekeeper"), "willing_to_speak": N_("Willing to speak"),
         "trained": N_("Trained")}


POWER_LEVELS = ("leader", "organization", DECISION_MAKER)  # who may carry stance and influence


STANCE_RANGE = (-2, 2)


STANCE_WORDS = {-2: N_("opposed"), -1: N_("leaning against"), 0: N_("neutral"),
                1: N_("leaning for"), 2: N_("champion")}


def stance_label(stance: int | None, language: str = DEFAULT_LANGUAGE) -> str:
    """A stance as a person reads it: "+2 champion", "0 neutral" (never "+0"), "unknown".
    Rendered text, not a Message: screens use it as a choice's label, which must be a str."""
    if stance is None:
        return render(msg("unknown"), language)
    return render(msg("{stance} {word}", stance=f"{stance:+d}" if stance else "0",
                      word=Message(STANCE_WORDS[stance])), language)


INFLUENCE_RANGE = (1, 5)


ENTRY_FIELDS = ("name", "level", *TEXT_FIELDS, "constituencies", "strength", "stage",
                "next_step_on", *DECISION_MAKER_TEXT, "stance", "influence", *FLAGS)


LABELS = {"name": N_("Name"), "level": N_("Level"), "constituencies": N_("Constituencies"),
          "strength": N_("Relationship strength"), "stage": N_("Stage"),
          "next_step_on": N_("Next step date"), "stance": N_("Stance"),
          "influence": N_("Influence"),
          **{k: v[0] for k, v in ENTRY_TEXT.items()}, **FLAGS}


def blank(value: object) -> bool:
    return value is None or value != value or (isinstance(value, str) and not value.strip())


def clean_flag(value: object, field: str) -> int:
    """A yes/no cell: booleans, 0/1, yes/no, true/false, x or blank."""
    if blank(value):
        return 0
    if isinstance(value, (bool, int, float)) and value in (0, 1):
        return int(value)
    text = str(value).strip().lower()
    if text in ("1", "yes", "y", "true", "x"):
        return 1
    if text in ("0", "no", "n", "false"):
        return 0
    raise ValidationError(field, msg("'{text}' is not yes or no.", text=text[:20]))


def clean_tags(value: object, field: str = N_("Constituencies"), *, limit: int = TAGS_MAX,
               noun: str = N_("tags")) -> str:
    """Free tags from a list or text split on ; , or |, each <= TAG_MAX characters, at most
    `limit` (the message counts them as `noun`), repeats (ignoring case) dropped; "; "-joined."""
    if isinstance(value, (list, tuple)):
        parts = [str(p) for p in value]
    else:
        text = "" if blank(value) else str(value)
        if len(text) > limit * (TAG_MAX + 2):  # bounded work: refused before any split
            raise ValidationError(field, msg("is {n} characters; the limit is {limit} {noun} of "
                                             "{each} characters each.", n=len(text), limit=limit,
                                             noun=Message(noun), each=TAG_MAX))
        for sep in (",", "|"):
            text = text.replace(sep, ";")
        parts = text.split(";")
    kept: dict[str, str] = {}  # casefolded -> the first spelling: linear in the tags
    for part in parts:
        tag = clean_text(part, field, max_len=TAG_MAX)
        if tag:
            kept.setdefault(tag.casefold(), tag)
    if len(kept) > limit:
        raise ValidationError(field, msg("has {n} {noun}; the limit is {limit}.", n=len(kept),
                                         noun=Message(noun), limit=limit))
    return TAG_SEPARATOR.join(kept.values())


def split_tags(text: str | None) -> list[str]:
    """Stored "; "-joined tags as a list (lenient about spaces around the separator)."""
    return [tag.strip() for tag in (text or "").split(";") if tag.strip()]


def tags(entry: dict) -> list[str]:
    """An entry's constituencies as a list."""
    return split_tags(entry.get("constituencies"))


def clean_entry(raw: dict) -> dict:
    """Validate every field of an entry; returns the stored fields: all of ENTRY_FIELDS and only
    them, whatever else `raw` holds (storage writes the names it is given)."""
    level = clean_choice(raw.get("level"), N_("Level"), LEVELS)
    fields = {
        "name": clean_text(raw.get("name"), N_("Name"), max_len=ENTRY_NAME_MAX, required=True),
        "level": level,
        "constituencies": clean_tags(raw.get("constituencies")),
        "strength": clean_choice(raw.get("strength") or "none", LABELS["strength"], STRENGTHS),
        "stage": clean_choice(raw.get("stage") or "identified", LABELS["stage"], STAGES),
        "next_step_on": clean_date(raw.get("next_step_on"), LABELS["next_step_on"]),
    }
    for name, (label, limit, multiline) in TEXT_FIELDS.items():
        fields[name] = clean_text(_none_blank(raw.get(name)), label, max_len=limit,
                                  multiline=multiline)
    for name, label in FLAGS.items():
        fields[name] = clean_flag(raw.get(name), label)
    if level == DECISION_MAKER:
        for name, (label, limit, multiline) in DECISION_MAKER_TEXT.items():
            fields[name] = clean_text(_none_blank(raw.get(name)), label, max_len=limit,
                                      multiline=multiline)
    else:
        fields.update({name: "" for name in DECISION_MAKER_TEXT})
    if level in POWER_LEVELS:  # the power grid places everyone with power, not only officials
        fields["stance"] = _optional_int(raw.get("stance"), LABELS["stance"], STANCE_RANGE)
        fields["influence"] = _optional_int(raw.get("influence"), LABELS["influence"],
                                            INFLUENCE_RANGE)
    else:
        for name in ("stance", "influence"):
            if not blank(raw.get(name)):
                raise ValidationError(LABELS[name], msg("is only for leaders, organizations and "
                                                        "decision-makers; clear it or change the "
                                                        "level."))
        fields.update(stance=None, influence=None)
    return fields


def _none_blank(value: object) -> object:
    return "" if blank(value) else value


def _optional_int(value: object, field: str, bounds: tuple[int, int]) -> int | None:
    if blank(value):
        return None
    return clean_int(value, field, low=bounds[0], high=bounds[1])


# Each level's target as a form field names it, to say which target a refusal is about.
TARGET_FIELDS = {"impacted": N_("Target for directly impacted people"),
                 "leader": N_("Target for community leaders and connectors"),
                 "organization": N_("Target for organizations and institutions"),
                 "decision_maker": N_("Target for decision-makers")}


def clean_targets(raw: dict | None) -> dict[str, int]:
    """Per-level targets (how many entries the team aims for), 0..1000 each."""
    return {level: clean_int((raw or {}).get(level), TARGET_FIELDS[level], low=0,
                             high=TARGET_MAX, default=0)
            for level in LEVELS}


def targets(map_row: dict) -> dict[str, int]:
    """A map's per-level targets by level."""
    return {level: int(map_row.get(f"target_{level}") or 0) for level in LEVELS}


@dataclass(frozen=True)
class MapView:
    """A map as one page run reads it (load_map): the row, the revision it was read at, the
    entries, the links and the actions (each with `entry_ids`)."""

    map: dict
    revision: int
    entries: list[dict]
    links: list[dict]
    actions: list[dict]

    def level(self, level: str) -> list[dict]:
        """The entries of one level, in the map's order."""
        return [e for e in self.entries if e["level"] == level]


def merge_changes(current: dict, changes: dict) -> dict:
    merged = {name: current.get(name) for name in ENTRY_FIELDS} | changes
    if merged.get("level") != DECISION_MAKER and current.get("level") == DECISION_MAKER:
        # Moving a decision-maker to another level drops the fields only they carry.
        for name in DECISION_MAKER_TEXT:
            if name not in changes:
                merged[name] = None
    if merged.get("level") not in POWER_LEVELS:
        for name in ("stance", "influence"):
            if name not in changes:
                merged[name] = None
    return merged


@dataclass(frozen=True)
class TableResult:
    """What one table save did."""

    added: int
    updated: int
    deleted: int


def loaded_row(loaded: list[dict], position: int) -> dict:
    if not 0 <= position < len(loaded):
        raise Conflict(msg("The table changed while you were editing — reload the map."))
    return loaded[position]


@contextmanager
def row_errors(position: int):
    """Prefix a validation message with the table row (1-based) it came from."""
    try:
        yield
    except ValidationError as exc:
        # The field is a plain str in ValidationError: the row is rendered into it here.
        raise ValidationError(render(msg("Row {n} · {field}", n=position + 1,
                                         field=Message(exc.field))), exc.problem) from None


LinkKey = tuple[object, object, str]  # (source, target, kind): unique on a map


def taken_links(links: list[dict]) -> dict[LinkKey, Message]:
    """The map's links as check_link's `taken`: each key with why a repeat of it is refused."""
    return {(l["source_id"], l["target_id"], l["kind"]): msg("that link is already on the map.")
            for l in links}


def check_link(taken: dict[LinkKey, Message], source: object, target: object, kind: str, *,
               fields: tuple[str, str] = (N_("Link"), N_("Link"))) -> LinkKey:
    """The one rule for a new link, for the form and imports alike: no self links and none that
    is already `taken` (the map's links, see taken_links, plus those an import adds before it).
    Raises ValidationError naming fields[0] for a self link, fields[1] for a repeat; returns the
    link's key for the caller to add to `taken` once it keeps the link."""
    if source == target:
        raise ValidationError(fields[0], msg("an entry cannot be linked to itself."))
    key = (source, target, kind)
    if key in taken:
        raise ValidationError(fields[1], taken[key])
    return key


def clean_action(raw: dict) -> dict:
    """Validate an action's fields (kind, title, date, status, outcome, turnout)."""
    return {
        "kind": clean_choice(raw.get("kind"), N_("Action"), ACTION_KINDS),
        "title": clean_text(_none_blank(raw.get("title")), N_("Title"), max_len=SHORT_MAX),
        "due_on": clean_date(raw.get("due_on"), N_("Date")),
        "status": clean_choice(raw.get("status") or "planned", N_("Status"), ACTION_STATUSES),
        "outcome": clean_text(_none_blank(raw.get("outcome")), N_("Outcome"), max_len=LONG_MAX,
                              multiline=True),
        "turnout": clean_int(raw.get("turnout"), N_("Turnout"), low=0, high=TURNOUT_MAX,
                             default=0),
    }


def require_subject(fields: dict, entry_ids) -> None:
    """An action must say what it is: a title, or at least one entry involved.

    A kind and a date alone ("a site visit, some day") leave a row nobody can act on; the title
    or the people involved are what organizers recognise an action by."""
    if not fields["title"] and not entry_ids:
        raise ValidationError(N_("Title"), msg("write one, or choose at least one entry involved: "
                                               "an action needs a title or someone it involves."))


NO_STEP = N_("(no step written)")


@dataclass(frozen=True)
class NextStep:
    """A dated step: an entry's next step or a planned action."""

    on: str
    what: str
    who: str
    entry_id: int | None = None  # an entry's own next step (not a planned action): plan it



def add_next(counts: dict[str, int], goals: dict[str, int]) -> str | None:
    """The level to add to next: the one furthest below its target (the smallest share of it
    reached; the worksheet's order breaks ties), or None when every target is met or none set."""
    short = [level for level in LEVELS if goals.get(level, 0) > counts.get(level, 0)]
    return min(short, key=lambda level: counts.get(level, 0) / goals[level], default=None)


def next_steps(entries: list[dict], actions: list[dict],
               today: dt.date | None = None) -> tuple[list[NextStep], list[NextStep]]:
    """(upcoming, overdue): dated next steps and planned actions, soonest first."""
    today_iso = (today or current_day()).isoformat()
    names = {e["id"]: e["name"] for e in entries}
    steps = [NextStep(e["next_step_on"], e["next_step"] or NO_STEP, e["name"], e["id"])
             for e in entries if e.get("next_step_on")]
    steps += [NextStep(a["due_on"], a["title"] or ACTION_KINDS[a["kind"]],
                       ", ".join(names[i] for i in a.get("entry_ids", []) if i in names))
              for a in actions if a["status"] == "planned" and a.get("due_on")]
    steps.sort(key=lambda s: (s.on, s.who))
    return ([s for s in steps if s.on >= today_iso],
            [s for s in steps if s.on < today_iso])


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the seminar's checklist, ticked from the map's data: what it asks for (a
    marked id) and the count that shows how far the map is (a Message)."""

    label: str
    done: bool
    detail: Message


def checklist(entries: list[dict], links: list[dict], actions: list[dict]) -> list[ChecklistItem]:
    """The seminar's checklist for one map, each item ticked when the data shows it done."""
    officials = [e for e in entries if e["level"] == DECISION_MAKER]
    ours = {e["id"] for e in entries if e["level"] != DECISION_MAKER}

    def count(items) -> Message:
        return msg("{done} of {n} decision-makers", done=sum(items), n=len(officials))

    drawn = power_links(links)
    known_power = [not {"funded_by", "answers_to"} & set(unknowns(e, drawn)) for e in officials]
    circles = sources_of(links, "inner_circle")
    inner = [any(i in ours for i in circles.get(e["id"], [])) for e in officials]
    meetings = [a for a in actions if a["kind"] in ("one_on_one", "official_meeting")
                and a["status"] != "cancelled"]
    speakers = [e for e in entries if e["willing_to_speak"]]
    trained = [e for e in entries if e["trained"]]
    registration = [a for a in actions if a["kind"] == "voter_registration"
                    and a["status"] != "cancelled"]
    held = msg("{n} planned or held", n=len(meetings))
    return [
        ChecklistItem(N_("Decision-makers identified"), bool(officials),
                      msg("{n} on the map", n=len(officials))),
        ChecklistItem(N_("Their funders and whom they answer to known"),
                      bool(officials) and all(known_power), count(known_power)),
        ChecklistItem(N_("Someone of ours in their inner circle"), bool(officials) and all(inner),
                      count(inner)),
        ChecklistItem(N_("A one-on-one or meeting planned"), bool(meetings), held),
        ChecklistItem(N_("A spokesperson willing to speak"), bool(speakers),
                      msg("{n} willing", n=len(speakers))),
        ChecklistItem(N_("Leadership or self-advocacy training"), bool(trained),
                      msg("{n} trained", n=len(trained))),
        ChecklistItem(N_("A voter-registration drive"), bool(registration),
                      msg("{n} planned or held", n=len(registration))),
    ]



# A shared screen (the workshop's coverage view) shows groups, never people: an organization's
# name is public, a person's or an official's is not.
NAMED_ON_SHARED_SCREENS = frozenset({"organization"})


def shared_row(row: dict) -> dict:
    """An entry as a shared screen may show it: its name only when its level is named there.
    The one place that decides it: the store fetches every name (MapRepo.shared_rows), and
    the map service applies this before the rows leave it (workshop_rows)."""
    return {**row, "name": row["name"] if row["level"] in NAMED_ON_SHARED_SCREENS else ""}
