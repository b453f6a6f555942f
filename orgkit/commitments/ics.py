"""Due dates as an iCalendar file (RFC 5545) any phone's calendar opens: the one place that
builds calendar events, for a person's own commitments (here) and for the leads' files of each
person's and each team's due dates (orgkit.followup.nudges).

Each event is an all-day event on its date, titled in the reader's language ("One-on-one with
Ana Ruiz"); its UID is stable (what it is, its id and the server's name: a commitment is
`commitment-<id>@host` in every file that holds it), so adding a file again after an edit, or a
lead's file beside the person's own, updates the event instead of doubling it. Pure: rows in,
bytes out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar

from ..i18n import msg, render
from .model import KINDS, OTHER

PRODUCT = "-//OrgKit//Commitments//EN"


@dataclass(frozen=True)
class Event:
    """One all-day event: `uid` unique on its server (the host is added), texts as read."""

    uid: str
    day: dt.date
    summary: str
    description: str = ""


def title(row: dict, language: str) -> str:
    """"One-on-one with Ana Ruiz", "Something else: clean the park", in the reader's words."""
    what = row["other_text"] if row["kind"] == OTHER and row["other_text"] else \
        render(KINDS.get(row["kind"], row["kind"]), language)
    if row["with_whom"]:
        return render(msg("{what} with {whom}", what=what, whom=row["with_whom"]), language)
    return what


def commitment_uid(commitment_id: int) -> str:
    return f"commitment-{commitment_id}"


def events_calendar(events: list[Event], host: str) -> bytes:
    """Events as one calendar file."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    stamp = dt.datetime.now(dt.UTC)
    for one in events:
        event = icalendar.Event()
        event.add("uid", f"{one.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", one.summary)
        event.add("dtstart", one.day)
        event.add("dtend", one.day + dt.timedelta(days=1))
        if one.description:
            event.add("description", one.description)
        cal.add_component(event)
    return cal.to_ical()


def calendar(rows: list[dict], language: str, workshop_title: str, host: str) -> bytes:
    """A person's own commitments as one calendar file, each an all-day event on its date."""
    note = render(msg("My commitment at {workshop}.", workshop=workshop_title), language)
    return events_calendar([Event(commitment_uid(row["id"]), dt.date.fromisoformat(row["due_on"]),
                                  title(row, language), note) for row in rows], host)
