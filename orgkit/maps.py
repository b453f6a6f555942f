"""The relationship map's rules: entries, links, actions, next steps and the seminar's checklist.

Every path that writes a map (the one-entry form, the table editor, imports) comes through here, so
the limits, the role checks and the conflict guard hold whatever the page does:

- An entry carries a `version`. An update names the version the editor loaded; when it moved, the
  save is refused with Conflict instead of overwriting someone else's change.
- A table edit from `st.data_editor` (rows by position) is mapped to stable entry ids and applied
  in one transaction: one bad row and nothing is saved, with the row number in the message.
- A map is read and written only by its own team (its private link) and the facilitator of its
  workshop: get_map refuses everyone else. Shared screens and the guide get counts only
  (map_checklist, the coverage module), never entries. `visible` still strips contact details and
  notes for any caller that is not allowed them, as a second line of defence.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass

from . import security
from .power import power_links, sources_of, unknowns
from .domain import (ACTION_KINDS, ACTION_STATUSES, LEVELS, LINK_KINDS, STAGES, STRENGTHS,
                     TITLE_MAX, Actor, Conflict, NotFound, PermissionDenied, ValidationError)
from .storage import Store
from .validation import clean_choice, clean_date, clean_int, clean_key, clean_text

NAME_MAX = 120
SHORT_MAX = 200
LONG_MAX = 2000
TAG_MAX = 60
TAGS_MAX = 20
TARGET_MAX = 1000
TURNOUT_MAX = 100_000
DECISION_MAKER = "decision_maker"
PRIVATE_FIELDS = ("contact", "notes")
TAG_SEPARATOR = "; "

# Free-text fields of an entry: stored name -> (label a person reads, limit, multiline).
TEXT_FIELDS = {
    "role": ("Role in the community", SHORT_MAX, False),
    "contact": ("How to contact", SHORT_MAX, True),
    "how_help": ("How they can help", LONG_MAX, True),
    "gatekeeper_why": ("Why a gatekeeper", SHORT_MAX, True),
    "point_person": ("Point person", NAME_MAX, False),
    "next_step": ("Next step", SHORT_MAX, False),
    "notes": ("Notes", LONG_MAX, True),
}
DECISION_MAKER_TEXT = {
    "office": ("Office", SHORT_MAX, False),
    "jurisdiction": ("District or jurisdiction", SHORT_MAX, False),
    "agenda": ("Their agenda", LONG_MAX, True),
    "issues": ("Issues they care about", LONG_MAX, True),
}
# Whom a decision-maker answers to and who funds them are links ("answers to", "funds"), not
# text: one source of truth for the entry panel, the worksheet, the checklist and the gaps.
ENTRY_TEXT = TEXT_FIELDS | DECISION_MAKER_TEXT  # every free-text field but the name
FLAGS = {"is_gatekeeper": "Gatekeeper", "willing_to_speak": "Willing to speak",
         "trained": "Trained"}
POWER_LEVELS = ("leader", "organization", DECISION_MAKER)  # who may carry stance and influence
STANCE_RANGE = (-2, 2)
STANCE_WORDS = {-2: "opposed", -1: "leaning against", 0: "neutral", 1: "leaning for",
                2: "champion"}


def stance_label(stance: int | None) -> str:
    """A stance as a person reads it: "+2 champion", "0 neutral" (never "+0"), "unknown"."""
    if stance is None:
        return "unknown"
    return f"{stance:+d} {STANCE_WORDS[stance]}" if stance else f"0 {STANCE_WORDS[0]}"

INFLUENCE_RANGE = (1, 5)
ENTRY_FIELDS = ("name", "level", *TEXT_FIELDS, "constituencies", "strength", "stage",
                "next_step_on", *DECISION_MAKER_TEXT, "stance", "influence", *FLAGS)
LABELS = {"name": "Name", "level": "Level", "constituencies": "Constituencies",
          "strength": "Relationship strength", "stage": "Stage", "next_step_on": "Next step date",
          "stance": "Stance", "influence": "Influence",
          **{k: v[0] for k, v in ENTRY_TEXT.items()}, **FLAGS}


# -- validation ------------------------------------------------------------------------------

def _blank(value: object) -> bool:
    return value is None or value != value or (isinstance(value, str) and not value.strip())


def clean_flag(value: object, field: str) -> int:
    """A yes/no cell: booleans, 0/1, yes/no, true/false, x or blank."""
    if _blank(value):
        return 0
    if isinstance(value, (bool, int, float)) and value in (0, 1):
        return int(value)
    text = str(value).strip().lower()
    if text in ("1", "yes", "y", "true", "x"):
        return 1
    if text in ("0", "no", "n", "false"):
        return 0
    raise ValidationError(field, f"'{text[:20]}' is not yes or no.")


def clean_tags(value: object, field: str = "Constituencies", *, limit: int = TAGS_MAX,
               noun: str = "tags") -> str:
    """Free tags from a list or text split on ; , or |, each <= TAG_MAX characters, at most
    `limit` (the message counts them as `noun`), repeats (ignoring case) dropped; "; "-joined."""
    if isinstance(value, (list, tuple)):
        parts = [str(p) for p in value]
    else:
        text = "" if _blank(value) else str(value)
        if len(text) > limit * (TAG_MAX + 2):  # bounded work: refused before any split
            raise ValidationError(field, f"is {len(text)} characters; the limit is {limit} "
                                         f"{noun} of {TAG_MAX} characters each.")
        for sep in (",", "|"):
            text = text.replace(sep, ";")
        parts = text.split(";")
    kept: dict[str, str] = {}  # casefolded -> the first spelling: linear in the tags
    for part in parts:
        tag = clean_text(part, field, max_len=TAG_MAX)
        if tag:
            kept.setdefault(tag.casefold(), tag)
    if len(kept) > limit:
        raise ValidationError(field, f"has {len(kept)} {noun}; the limit is {limit}.")
    return TAG_SEPARATOR.join(kept.values())


def split_tags(text: str | None) -> list[str]:
    """Stored "; "-joined tags as a list (lenient about spaces around the separator)."""
    return [tag.strip() for tag in (text or "").split(";") if tag.strip()]


def tags(entry: dict) -> list[str]:
    """An entry's constituencies as a list."""
    return split_tags(entry.get("constituencies"))


def clean_entry(raw: dict) -> dict:
    """Validate every field of an entry; returns the stored fields (all of ENTRY_FIELDS)."""
    level = clean_choice(raw.get("level"), "Level", LEVELS)
    fields = {
        "name": clean_text(raw.get("name"), "Name", max_len=NAME_MAX, required=True),
        "level": level,
        "constituencies": clean_tags(raw.get("constituencies")),
        "strength": clean_choice(raw.get("strength") or "none", "Relationship strength",
                                 STRENGTHS),
        "stage": clean_choice(raw.get("stage") or "identified", "Stage", STAGES),
        "next_step_on": clean_date(raw.get("next_step_on"), "Next step date"),
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
        fields["stance"] = _optional_int(raw.get("stance"), "Stance", STANCE_RANGE)
        fields["influence"] = _optional_int(raw.get("influence"), "Influence", INFLUENCE_RANGE)
    else:
        for name in ("stance", "influence"):
            if not _blank(raw.get(name)):
                raise ValidationError(LABELS[name], "is only for leaders, organizations and "
                                      "decision-makers; clear it or change the level.")
        fields.update(stance=None, influence=None)
    return fields


def _none_blank(value: object) -> object:
    return "" if _blank(value) else value


def _optional_int(value: object, field: str, bounds: tuple[int, int]) -> int | None:
    if _blank(value):
        return None
    return clean_int(value, field, low=bounds[0], high=bounds[1])


# -- maps ------------------------------------------------------------------------------------

def clean_targets(raw: dict | None) -> dict[str, int]:
    """Per-level targets (how many entries the team aims for), 0..1000 each."""
    return {level: clean_int((raw or {}).get(level), f"Target for {label.lower()}", low=0,
                             high=TARGET_MAX, default=0)
            for level, label in LEVELS.items()}


def create_map(store: Store, actor: Actor, name: object, issue: object = "",
               targets: dict | None = None, idempotency_key: object = None) -> dict:
    """The facilitator creates a team map with a fresh private link token and short code; the
    same idempotency key again (a double click on Create) returns the first map."""
    if not actor.is_facilitator or actor.workshop_id is None:
        raise PermissionDenied("Only the facilitator can create team maps.")
    name = clean_text(name, "Team name", max_len=TITLE_MAX, required=True)
    issue = clean_text(issue, "Issue", max_len=SHORT_MAX * 2, multiline=True)
    map_id = store.maps.create(actor.workshop_id, name, security.new_token(), issue=issue,
                               targets=clean_targets(targets), short_code=_free_code(store),
                               idempotency_key=clean_key(idempotency_key))
    return store.maps.get(map_id)


def _free_code(store: Store) -> str:
    for _ in range(20):  # 31^8 codes: one collision is rare, twenty in a row impossible
        code = security.new_map_code()
        if not store.maps.short_code_taken(code):
            return code
    raise Conflict("Could not find a free map code; try again.")


def handout(store: Store, actor: Actor, map_id: int) -> dict:
    """What the facilitator hands a team at its table: the map row with its short code (a map
    made before short codes existed gets one now)."""
    if not actor.is_facilitator:
        raise PermissionDenied("Only the facilitator hands out team maps.")
    row = get_map(store, actor, map_id)
    if row["short_code"] is None:
        store.maps.set_short_code(map_id, _free_code(store))
        row = store.maps.get(map_id)
    return row


def set_targets(store: Store, actor: Actor, map_id: int, targets: dict) -> None:
    """Change a map's per-level targets (its team or the facilitator)."""
    get_map(store, actor, map_id)
    store.maps.set_targets(map_id, clean_targets(targets))


def targets(map_row: dict) -> dict[str, int]:
    """A map's per-level targets by level."""
    return {level: int(map_row.get(f"target_{level}") or 0) for level in LEVELS}


def _in_workshop(store: Store, actor: Actor, map_id: int) -> dict:
    row = store.maps.get(map_id)
    if row is None or actor.workshop_id is None or row["workshop_id"] != actor.workshop_id:
        raise NotFound("That map does not exist in this workshop.")
    return row


def get_map(store: Store, actor: Actor, map_id: int) -> dict:
    """A map this actor may open: its own team (by the link) or the facilitator of its workshop.

    Reads are as private as writes: a map names individuals, their roles and how they can help."""
    row = _in_workshop(store, actor, map_id)
    if not actor.can_edit_map(map_id):
        raise PermissionDenied("Only this map's team (by its link) or the facilitator can open it.")
    return row


@dataclass(frozen=True)
class MapView:
    """A map as one page run reads it (load_map): the row, the revision it was read at, the
    entries as the actor may see them, the links and the actions (each with `entry_ids`)."""

    map: dict
    revision: int
    entries: list[dict]
    links: list[dict]
    actions: list[dict]

    def level(self, level: str) -> list[dict]:
        """The entries of one level, in the map's order."""
        return [e for e in self.entries if e["level"] == level]


def load_map(store: Store, actor: Actor, map_id: int) -> MapView:
    """Everything the map page shows, read once with one access check (get_map). The revision
    comes with the map row, before the entries: any write after it makes the view stale."""
    row = get_map(store, actor, map_id)
    return MapView(map=row, revision=int(row["revision"]),
                   entries=[visible(actor, map_id, e) for e in store.maps.entries(map_id)],
                   links=store.maps.links(map_id), actions=_actions(store, map_id))


# -- entries ---------------------------------------------------------------------------------

def visible(actor: Actor, map_id: int, entry: dict) -> dict:
    """The entry as this actor may see it: contact and notes blanked unless allowed."""
    if actor.can_see_contacts(map_id):
        return entry
    return {**entry, **{name: "" for name in PRIVATE_FIELDS}}


def list_entries(store: Store, actor: Actor, map_id: int, level: str | None = None) -> list[dict]:
    """The map's entries (optionally one level), private fields stripped for outsiders."""
    get_map(store, actor, map_id)
    rows = store.maps.entries(map_id)
    return [visible(actor, map_id, row) for row in rows if level is None or row["level"] == level]


def create_entry(store: Store, actor: Actor, map_id: int, raw: dict) -> int:
    """Validate and add one entry; returns its id."""
    get_map(store, actor, map_id)
    return store.maps.insert_entry(map_id, clean_entry(raw))


def _merge(current: dict, changes: dict) -> dict:
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


def _changed_elsewhere(name: str) -> Conflict:
    return Conflict(f"'{name}' was changed by someone else since you loaded it — reload to see "
                    "their change, then edit again.")


def _update(store: Store, map_id: int, entry_id: int, version: object, changes: dict) -> int:
    current = store.maps.entry(entry_id)
    if current is None or current["map_id"] != map_id:
        raise Conflict("That entry was deleted by someone else — reload the map.")
    fields = clean_entry(_merge(current, changes))
    if store.maps.update_entry(map_id, entry_id, int(version), fields) == 0:
        raise _changed_elsewhere(current["name"])
    return int(version) + 1


def update_entry(store: Store, actor: Actor, map_id: int, entry_id: int, version: object,
                 changes: dict) -> int:
    """Apply changes to an entry loaded at `version`; returns the new version (Conflict if moved)."""
    get_map(store, actor, map_id)
    with store.atomic():
        return _update(store, map_id, entry_id, version, changes)


def _delete(store: Store, map_id: int, entry_id: int, version: object) -> None:
    current = store.maps.entry(entry_id)
    if current is None or current["map_id"] != map_id:
        return  # already gone: the wish is fulfilled
    if store.maps.delete_entry(map_id, entry_id, int(version)) == 0:
        raise _changed_elsewhere(current["name"])


def delete_entry(store: Store, actor: Actor, map_id: int, entry_id: int, version: object) -> None:
    """Delete an entry (and its links) unless someone changed it since it was loaded."""
    get_map(store, actor, map_id)
    with store.atomic():
        _delete(store, map_id, entry_id, version)


@dataclass(frozen=True)
class TableResult:
    """What one table save did."""

    added: int
    updated: int
    deleted: int


def apply_table_edit(store: Store, actor: Actor, map_id: int, level: str, loaded: list[dict],
                     delta: dict) -> TableResult:
    """Apply st.data_editor's delta (edited_rows, added_rows, deleted_rows by position) to the
    rows it was loaded with (each with id and version), all in one transaction."""
    get_map(store, actor, map_id)
    level = clean_choice(level, "Level", LEVELS)
    edited = delta.get("edited_rows") or {}
    added = delta.get("added_rows") or []
    deleted = delta.get("deleted_rows") or []
    updated = 0
    with store.atomic():
        for position, changes in sorted((int(k), v) for k, v in edited.items()):
            if position in deleted or not changes:
                continue
            row = _loaded_row(loaded, position)
            with _row_errors(position):
                _update(store, map_id, row["id"], row["version"], _table_changes(actor, map_id,
                                                                                 changes))
            updated += 1
        for position in deleted:
            row = _loaded_row(loaded, position)
            _delete(store, map_id, row["id"], row["version"])
        new_rows = []
        for offset, raw in enumerate(added):
            if all(_blank(v) or v is False for v in raw.values()):
                continue  # an empty row the editor added and the person never filled
            with _row_errors(len(loaded) + offset):
                new_rows.append(clean_entry({**_table_changes(actor, map_id, raw),
                                             "level": raw.get("level") or level}))
        store.maps.insert_entries(map_id, new_rows)
    return TableResult(added=len(new_rows), updated=updated, deleted=len(deleted))


def _loaded_row(loaded: list[dict], position: int) -> dict:
    if not 0 <= position < len(loaded):
        raise Conflict("The table changed while you were editing — reload the map.")
    return loaded[position]


def _table_changes(actor: Actor, map_id: int, changes: dict) -> dict:
    """Only known fields; private ones only from those allowed to see them (hidden columns)."""
    allowed = set(ENTRY_FIELDS) - (set() if actor.can_see_contacts(map_id) else set(PRIVATE_FIELDS))
    return {k: v for k, v in changes.items() if k in allowed}


@contextmanager
def _row_errors(position: int):
    """Prefix a validation message with the table row (1-based) it came from."""
    try:
        yield
    except ValidationError as exc:
        raise ValidationError(f"Row {position + 1} · {exc.field}",
                              str(exc).split(": ", 1)[-1]) from None


# -- links -----------------------------------------------------------------------------------

LinkKey = tuple[object, object, str]  # (source, target, kind): unique on a map


def taken_links(links: list[dict]) -> dict[LinkKey, str]:
    """The map's links as check_link's `taken`: each key with why a repeat of it is refused."""
    return {(l["source_id"], l["target_id"], l["kind"]): "that link is already on the map."
            for l in links}


def check_link(taken: dict[LinkKey, str], source: object, target: object, kind: str, *,
               fields: tuple[str, str] = ("Link", "Link")) -> LinkKey:
    """The one rule for a new link, for the form and imports alike: no self links and none that
    is already `taken` (the map's links, see taken_links, plus those an import adds before it).
    Raises ValidationError naming fields[0] for a self link, fields[1] for a repeat; returns the
    link's key for the caller to add to `taken` once it keeps the link."""
    if source == target:
        raise ValidationError(fields[0], "an entry cannot be linked to itself.")
    key = (source, target, kind)
    if key in taken:
        raise ValidationError(fields[1], taken[key])
    return key


def add_link(store: Store, actor: Actor, map_id: int, source_id: object, target_id: object,
             kind: object) -> int:
    """Link two entries of the same map ('source kind target'); no self links, no duplicates."""
    get_map(store, actor, map_id)
    kind = clean_choice(kind, "Link type", LINK_KINDS)
    ids = {e["id"] for e in store.maps.entries(map_id)}
    source = clean_int(source_id, "From", low=1, high=2**62)
    target = clean_int(target_id, "To", low=1, high=2**62)
    if source not in ids or target not in ids:
        raise ValidationError("Link", "both ends must be entries of this map.")
    check_link(taken_links(store.maps.links(map_id)), source, target, kind)
    return store.maps.insert_link(map_id, source, target, kind)


def delete_link(store: Store, actor: Actor, map_id: int, link_id: int) -> None:
    """Remove a link from the map."""
    get_map(store, actor, map_id)
    store.maps.delete_link(map_id, link_id)


def list_links(store: Store, actor: Actor, map_id: int) -> list[dict]:
    """The map's links (no private data in them)."""
    get_map(store, actor, map_id)
    return store.maps.links(map_id)


# -- actions ---------------------------------------------------------------------------------

def clean_action(raw: dict) -> dict:
    """Validate an action's fields (kind, title, date, status, outcome, turnout)."""
    return {
        "kind": clean_choice(raw.get("kind"), "Action", ACTION_KINDS),
        "title": clean_text(_none_blank(raw.get("title")), "Title", max_len=SHORT_MAX),
        "due_on": clean_date(raw.get("due_on"), "Date"),
        "status": clean_choice(raw.get("status") or "planned", "Status", ACTION_STATUSES),
        "outcome": clean_text(_none_blank(raw.get("outcome")), "Outcome", max_len=LONG_MAX,
                              multiline=True),
        "turnout": clean_int(raw.get("turnout"), "Turnout", low=0, high=TURNOUT_MAX, default=0),
    }


def require_subject(fields: dict, entry_ids) -> None:
    """An action must say what it is: a title, or at least one entry involved.

    A kind and a date alone ("a site visit, some day") leave a row nobody can act on; the title
    or the people involved are what organizers recognise an action by."""
    if not fields["title"] and not entry_ids:
        raise ValidationError("Title", "write one, or choose at least one entry involved: an "
                              "action needs a title or someone it involves.")


def create_action(store: Store, actor: Actor, map_id: int, raw: dict,
                  entry_ids: list[int] = ()) -> int:
    """Add an engagement action involving some of the map's entries."""
    get_map(store, actor, map_id)
    fields = clean_action(raw)
    require_subject(fields, entry_ids)
    known = {e["id"] for e in store.maps.entries(map_id)}
    if any(int(i) not in known for i in entry_ids):
        raise ValidationError("Entries involved", "must be entries of this map.")
    return store.maps.insert_action(map_id, fields, sorted({int(i) for i in entry_ids}))


def update_action(store: Store, actor: Actor, map_id: int, action_id: int, raw: dict) -> None:
    """Change an action's fields (status, outcome, turnout ...)."""
    get_map(store, actor, map_id)
    current = store.maps.action(action_id)
    if current is None or current["map_id"] != map_id:
        raise NotFound("That action is no longer on the map.")
    fields = clean_action({**current, **raw})
    if "title" in raw:  # a status update leaves an action as it was; clearing its title may not
        require_subject(fields, store.maps.action_entries(map_id).get(action_id, []))
    store.maps.update_action(map_id, action_id, fields)


def delete_action(store: Store, actor: Actor, map_id: int, action_id: int) -> None:
    """Remove an action."""
    get_map(store, actor, map_id)
    store.maps.delete_action(map_id, action_id)


def list_actions(store: Store, actor: Actor, map_id: int) -> list[dict]:
    """The map's actions, each with `entry_ids`."""
    get_map(store, actor, map_id)
    return _actions(store, map_id)


def _actions(store: Store, map_id: int) -> list[dict]:
    involved = store.maps.action_entries(map_id)
    return [{**a, "entry_ids": involved.get(a["id"], [])} for a in store.maps.actions(map_id)]


# -- next steps and the seminar's checklist --------------------------------------------------

@dataclass(frozen=True)
class NextStep:
    """A dated step: an entry's next step or a planned action."""

    on: str
    what: str
    who: str


def next_steps(entries: list[dict], actions: list[dict],
               today: dt.date | None = None) -> tuple[list[NextStep], list[NextStep]]:
    """(upcoming, overdue): dated next steps and planned actions, soonest first."""
    today_iso = (today or dt.date.today()).isoformat()
    names = {e["id"]: e["name"] for e in entries}
    steps = [NextStep(e["next_step_on"], e["next_step"] or "(no step written)", e["name"])
             for e in entries if e.get("next_step_on")]
    steps += [NextStep(a["due_on"], a["title"] or ACTION_KINDS[a["kind"]],
                       ", ".join(names[i] for i in a.get("entry_ids", []) if i in names))
              for a in actions if a["status"] == "planned" and a.get("due_on")]
    steps.sort(key=lambda s: (s.on, s.who))
    return ([s for s in steps if s.on >= today_iso],
            [s for s in steps if s.on < today_iso])


@dataclass(frozen=True)
class Step:
    """One of the seminar's steps, ticked from the map's data."""

    label: str
    done: bool
    detail: str


def checklist(entries: list[dict], links: list[dict], actions: list[dict]) -> list[Step]:
    """The seminar's steps for one map, each ticked when the data shows it done."""
    officials = [e for e in entries if e["level"] == DECISION_MAKER]
    ours = {e["id"] for e in entries if e["level"] != DECISION_MAKER}

    def count(items) -> str:
        return f"{sum(items)} of {len(officials)} decision-makers"

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
    return [
        Step("Decision-makers identified", bool(officials),
             f"{len(officials)} on the map"),
        Step("Their funders and whom they answer to known", bool(officials) and all(known_power),
             count(known_power)),
        Step("Someone of ours in their inner circle", bool(officials) and all(inner), count(inner)),
        Step("A one-on-one or meeting planned", bool(meetings), f"{len(meetings)} planned or held"),
        Step("A spokesperson willing to speak", bool(speakers), f"{len(speakers)} willing"),
        Step("Leadership or self-advocacy training", bool(trained), f"{len(trained)} trained"),
        Step("A voter-registration drive", bool(registration), f"{len(registration)} planned or held"),
    ]


def map_checklist(store: Store, actor: Actor, map_id: int) -> list[Step]:
    """The seminar's steps for one map of the actor's workshop, for anyone in it (the guide):
    ticks and counts only, never a name or a field of an entry."""
    _in_workshop(store, actor, map_id)
    return checklist(store.maps.entries(map_id), store.maps.links(map_id), _actions(store, map_id))


# -- the candidate-forum question bank -------------------------------------------------------

QUESTION_MAX = 400
QUESTIONS_MAX = 50


def save_forum_questions(store: Store, actor: Actor, text: object) -> list[str]:
    """The facilitator replaces the workshop's question bank (one question per line)."""
    if not actor.is_facilitator or actor.workshop_id is None:
        raise PermissionDenied("Only the facilitator can edit the question bank.")
    lines = clean_text(text, "Questions", max_len=QUESTION_MAX * QUESTIONS_MAX,
                       multiline=True).split("\n")
    questions = [clean_text(line, f"Question {n}", max_len=QUESTION_MAX)
                 for n, line in enumerate(lines, start=1)]
    questions = [q for q in questions if q]
    if len(questions) > QUESTIONS_MAX:
        raise ValidationError("Questions", f"there are {len(questions)}; the limit is "
                              f"{QUESTIONS_MAX}.")
    store.workshops.replace_forum_questions(actor.workshop_id, questions)
    return questions
