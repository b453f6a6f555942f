"""Nudge lists and calendar files: what each person has due, to hand to them.

Two kinds of person: whoever made commitments in the seminar (one list per person, by who made
them, named as the reader may see them) and each map's point person (one list per name, over the
next steps and planned actions they are the point person of). A nudge lists what is overdue
(or missed) and due this week, as followup.model.due_now sorts it; a person's calendar file holds
every date they have open (kept commitments are left out), and a team's every open date of its
map. Items nobody is named for (a point person not set, a name not shown) are in no one's list:
the reader could not hand it to anyone.

Everything is written in the reader's language: a copyable text block per person, one CSV of
every list (formula-looking cells neutralised), and .ics files built by the one event builder,
orgkit.commitments.ics. Pure: due items in, text and bytes out.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from ..commitments import ics
from ..i18n import N_, Message, format_date, msg, render
from ..spreadsheet import neutralise
from .model import MISSED, DueItem, describe, due_now, status

COMMITMENTS, POINT_PERSON = "commitments", "point_person"
AS = {COMMITMENTS: N_("Made commitments"), POINT_PERSON: N_("Point person")}
# The CSV's columns, in order.
COLUMNS = (N_("Person"), N_("As"), N_("Due"), N_("Status"), N_("What"), N_("Entry"), N_("Map"))
OVERDUE, THIS_WEEK = N_("Overdue"), N_("Due this week")


@dataclass(frozen=True)
class Nudge:
    """One person's list: `key` tells people apart (a participant, or a point person's name in
    any capitals), `kind` is COMMITMENTS or POINT_PERSON, `items` overdue first, then this week."""

    key: tuple
    name: str
    kind: str
    items: tuple[DueItem, ...]


def person_of(item: DueItem) -> tuple | None:
    """Whom an item is for: (kind, identity), or None when the reader can name no one."""
    if not item.point_person:
        return None
    if item.source == "commitment":
        return COMMITMENTS, item.participant_id
    return POINT_PERSON, item.point_person.casefold()


def nudges(items: list[DueItem], today: dt.date) -> list[Nudge]:
    """Each person's overdue and this week's items, people by name (commitments first when
    one name is both)."""
    overdue, soon = due_now(items, today)
    groups: dict[tuple, list[DueItem]] = {}
    for item in overdue + soon:
        if (key := person_of(item)) is not None:
            groups.setdefault(key, []).append(item)
    found = [Nudge(key, group[0].point_person, key[0], tuple(group))
             for key, group in groups.items()]
    return sorted(found, key=lambda n: (n.name.casefold(), n.kind != COMMITMENTS))


def open_items(items: list[DueItem], key: tuple | None = None) -> list[DueItem]:
    """Every date still open (not kept), soonest first; only one person's with `key`."""
    return sorted((i for i in items if i.done_at is None
                   and (key is None or person_of(i) == key)),
                  key=lambda i: (i.due, i.title.casefold()))


def _said(text: Message | str, language: str) -> str:
    """Our text rendered; a person's own text as typed (never looked up as a message id)."""
    return render(text, language) if isinstance(text, Message) else text


def _status(item: DueItem, today: dt.date) -> str:
    if item.due >= today:
        return THIS_WEEK
    return N_("Missed") if status(item, today) == MISSED and item.source == "commitment" \
        else OVERDUE


def _line(item: DueItem, today: dt.date, language: str) -> str:
    parts = [format_date(item.due, language), _said(describe(item), language)]
    if item.source != "commitment" and item.entry_name:
        parts.append(item.entry_name)
    if item.due < today:
        parts.append(render(_status(item, today), language).lower())
    return " · ".join(parts)


def nudge_text(nudge: Nudge, today: dt.date, language: str) -> str:
    """One person's list as plain text to paste into a message."""
    head = render(msg("{name}, what is due for you (as of {day}):", name=nudge.name,
                      day=format_date(today, language)), language)
    return "\n".join([head, *(f"- {_line(item, today, language)}" for item in nudge.items)])


def nudges_csv(found: list[Nudge], today: dt.date, language: str,
               map_names: dict[int, str]) -> str:
    """Every person's list as one CSV, a row per item."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([render(heading, language) for heading in COLUMNS])
    for nudge in found:
        for item in nudge.items:
            writer.writerow([neutralise(cell) for cell in (
                nudge.name, render(AS[nudge.kind], language), item.due.isoformat(),
                render(_status(item, today), language), _said(describe(item), language),
                item.entry_name if item.source != "commitment" else "",
                map_names.get(item.map_id, ""))])
    return out.getvalue()


def _uid(item: DueItem) -> str:
    """Stable across files and edits: a commitment's is the one in the person's own file."""
    if item.source == "commitment":
        return ics.commitment_uid(item.ref)
    if item.source == "action":
        return f"action-{item.ref}"
    return f"next-step-{item.entry_id}"


def calendar(items: list[DueItem], language: str, host: str = "orgkit") -> bytes:
    """Open dates as one .ics: each an all-day event titled with what is due (and the entry),
    its description naming who is on it."""
    events = []
    for item in open_items(items):
        summary = _said(describe(item), language)
        if item.source != "commitment" and item.entry_name:
            summary = f"{summary} · {item.entry_name}"
        who = (msg("made by {name}", name=item.point_person) if item.source == "commitment"
               else msg("point person: {name}", name=item.point_person)) \
            if item.point_person else None
        events.append(ics.Event(_uid(item), item.due, summary, render(who, language)))
    return ics.events_calendar(events, host)
