"""A person's commitments as an iCalendar file (RFC 5545) their phone's calendar opens.

Each commitment is an all-day event on its date, titled in the reader's language ("One-on-one
with Ana Ruiz"); its UID is stable (the commitment's id and the server's name), so adding the
file again after an edit updates the event instead of doubling it. Pure: rows in, bytes out.
"""
from __future__ import annotations

import datetime as dt

import icalendar

from ..i18n import msg, render
from .model import KINDS, OTHER

PRODUCT = "-//OrgKit//Commitments//EN"


def title(row: dict, language: str) -> str:
    """"One-on-one with Ana Ruiz", "Something else: clean the park", in the reader's words."""
    what = row["other_text"] if row["kind"] == OTHER and row["other_text"] else \
        render(KINDS.get(row["kind"], row["kind"]), language)
    if row["with_whom"]:
        return render(msg("{what} with {whom}", what=what, whom=row["with_whom"]), language)
    return what


def calendar(rows: list[dict], language: str, workshop_title: str, host: str) -> bytes:
    """The commitments as one calendar file, each an all-day event on its date."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    stamp = dt.datetime.now(dt.UTC)
    for row in rows:
        day = dt.date.fromisoformat(row["due_on"])
        event = icalendar.Event()
        event.add("uid", f"commitment-{row['id']}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", title(row, language))
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("description", render(msg("My commitment at {workshop}.",
                                             workshop=workshop_title), language))
        cal.add_component(event)
    return cal.to_ical()
