"""A commitment: what one person says they will do next, with whom, by when.

What: an action kind from the seminar (domain.ACTION_KINDS) or "other" with a short text. With
whom: an entry of their team's map when their phone joined one by its handout (the entry's name
is kept beside it, so the follow-up still reads it if the entry goes), else free text. By when: a
date from today to DUE_DAYS_MAX days ahead. A name, which the person may choose to show; shared
screens show a name only then (and never the "with whom" or the "other" text, which may name
people).

Pure: the rules and the projector's summary, no storage.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..domain import ACTION_KINDS, DISPLAY_NAME_MAX, ID_MAX, ValidationError
from ..i18n import N_, msg
from ..validation import clean_choice, clean_date, clean_int, clean_text

OTHER = "other"
KINDS = {**ACTION_KINDS, OTHER: N_("Something else")}
OTHER_TEXT_MAX = 80  # "other": what, in a few words
WITH_WHOM_MAX = 120  # free text when the phone is at no table
NAME_MAX = DISPLAY_NAME_MAX
PER_PERSON_MAX = 20  # one person's commitments in a workshop
DUE_DAYS_MAX = 366  # by when: from today to a year ahead
NEXT_SHOWN = 5  # the next dates the projector lists

KIND = N_("What you will do")
OTHER_TEXT = N_("What, in a few words")
WITH_WHOM = N_("With whom")
DUE_ON = N_("By when")
NAME = N_("Your name")


def clean_commitment(raw: dict, *, today: dt.date, entries: list[dict] | None) -> dict:
    """The stored fields of a commitment from a form's values, or ValidationError naming the
    field and the limit. `entries` are the entries (id, name) of the person's team map, or None
    when their phone is at no table (then "with whom" is free text)."""
    kind = clean_choice(raw.get("kind"), KIND, KINDS)
    other = clean_text(raw.get("other_text"), OTHER_TEXT, max_len=OTHER_TEXT_MAX,
                       required=kind == OTHER) if kind == OTHER else ""
    entry_id, with_whom = None, clean_text(raw.get("with_whom"), WITH_WHOM,
                                           max_len=WITH_WHOM_MAX)
    if raw.get("entry_id") not in (None, ""):
        if entries is None:
            raise ValidationError(WITH_WHOM, msg("can name an entry of your team's map only "
                                                 "once your phone joined your table."))
        entry_id = clean_int(raw["entry_id"], WITH_WHOM, low=1, high=ID_MAX)
        entry = next((e for e in entries if e["id"] == entry_id), None)
        if entry is None:
            raise ValidationError(WITH_WHOM, msg("must be an entry of your team's map."))
        with_whom = entry["name"][:WITH_WHOM_MAX]
    due_on = check_due(raw.get("due_on"), today)
    name = clean_text(raw.get("name"), NAME, max_len=NAME_MAX)
    show_name = bool(raw.get("show_name"))
    if show_name and not name:
        raise ValidationError(NAME, msg("is required to show it on the screen."))
    return {"kind": kind, "other_text": other, "entry_id": entry_id, "with_whom": with_whom,
            "due_on": due_on, "name": name, "show_name": int(show_name)}


def check_due(value: object, today: dt.date) -> str:
    """By when: a date from today to DUE_DAYS_MAX days ahead (ISO text)."""
    due_on = clean_date(value, DUE_ON, required=True)
    last = today + dt.timedelta(days=DUE_DAYS_MAX)
    if not today.isoformat() <= due_on <= last.isoformat():
        raise ValidationError(DUE_ON, msg("must be from {first} to {last}.",
                                          first=today.isoformat(), last=last.isoformat()))
    return due_on


def check_stored(row: dict) -> None:
    """A commitment row as a backup file brings it: a kind we know, a date, texts within their
    limits (a restored row is never edited through the form, so it is checked here)."""
    clean_choice(row.get("kind"), KIND, KINDS)
    clean_date(row.get("due_on"), DUE_ON, required=True)
    for column, field, limit in (("other_text", OTHER_TEXT, OTHER_TEXT_MAX),
                                 ("with_whom", WITH_WHOM, WITH_WHOM_MAX),
                                 ("name", NAME, NAME_MAX)):
        clean_text(row.get(column) or "", field, max_len=limit)


def shown_name(row: dict) -> str:
    """The name a shared screen (or another team) may show: only if the person chose to."""
    return row["name"] if row.get("show_name") and row.get("name") else ""


@dataclass(frozen=True)
class NextDate:
    due_on: str
    kind: str  # a key of KINDS
    name: str  # "" unless the person chose to show it


@dataclass(frozen=True)
class RoomView:
    """What the projector shows of the room's commitments: no "with whom", no typed text."""

    total: int
    by_kind: list[tuple[str, int]]  # (kind key, count), most first
    next: list[NextDate]


def room_view(rows: list[dict], today: dt.date) -> RoomView:
    """Counts by kind and the next NEXT_SHOWN dates from today on."""
    counts = Counter(row["kind"] for row in rows)
    order = list(KINDS)
    by_kind = sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0])
                                                     if kv[0] in order else len(order)))
    upcoming = [NextDate(row["due_on"], row["kind"], shown_name(row))
                for row in sorted(rows, key=lambda r: (r["due_on"], r["id"]))
                if row["due_on"] >= today.isoformat()][:NEXT_SHOWN]
    return RoomView(total=len(rows), by_kind=by_kind, next=upcoming)
