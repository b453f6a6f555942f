"""Nudge lists and calendar files (orgkit.followup.nudges), pure: who gets which items (a person
who made commitments, a point person, nobody when no name may be shown), the text in each
language, the CSV (formula cells neutralised) and the .ics (open dates only, stable UIDs shared
with the person's own commitments file)."""
import csv
import datetime as dt
import io

import icalendar

from orgkit.commitments import ics
from orgkit.followup import nudges
from orgkit.followup.model import DueItem

TODAY = dt.date(2026, 3, 9)


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


ITEMS = [
    DueItem("next_step", 1, "Call back about the meeting", day(-2), "Luis", 10, "Ernesto"),
    DueItem("action", 1, "Coffee", day(3), "luis", 11, "Rosa", "one_on_one", 7),
    DueItem("next_step", 1, "Much later", day(30), "Luis", 12, "Ana"),
    DueItem("commitment", 1, "", day(-1), "Marisol", 10, "Ernesto", "one_on_one", 3, 55),
    DueItem("commitment", 1, "=HYPERLINK(1)", day(2), "Marisol", None, "", "other", 4, 55),
    DueItem("commitment", 1, "", day(1), "Marisol", None, "", "turnout", 5, 55, 1e9),  # kept
    DueItem("commitment", 1, "", day(1), "", None, "", "turnout", 6, 56),  # name not shown
    DueItem("next_step", 2, "Nobody's", day(1), "", 13, "Cleo"),
]


def test_one_list_per_person_who_made_commitments_and_per_point_person():
    found = nudges.nudges(ITEMS, TODAY)
    assert [(n.name, n.kind, [i.title or i.kind for i in n.items]) for n in found] == [
        ("Luis", nudges.POINT_PERSON, ["Call back about the meeting", "Coffee"]),
        ("Marisol", nudges.COMMITMENTS, ["one_on_one", "=HYPERLINK(1)"]),
    ]  # "luis" is Luis; not "Much later" (after this week), not the kept one, nobody unnamed


def test_the_text_reads_in_the_readers_language():
    luis, marisol = nudges.nudges(ITEMS, TODAY)
    english = nudges.nudge_text(marisol, TODAY, "en")
    assert english.splitlines() == [
        "Marisol, what is due for you (as of Mar 9, 2026):",
        "- Mar 8, 2026 · Commitment: One-on-one with Ernesto · missed",
        "- Mar 11, 2026 · Commitment: =HYPERLINK(1)"]
    spanish = nudges.nudge_text(luis, TODAY, "es")
    assert "Luis" in spanish and "uno a uno: Coffee · Rosa" in spanish and "atrasad" in spanish


def test_the_csv_has_every_list_with_formula_cells_neutralised():
    rows = list(csv.reader(io.StringIO(nudges.nudges_csv(nudges.nudges(ITEMS, TODAY), TODAY,
                                                         "en", {1: "Northside"}))))
    assert rows[0] == ["Person", "As", "Due", "Status", "What", "Entry", "Map"]
    assert rows[1] == ["Luis", "Point person", "2026-03-07", "Overdue",
                       "Call back about the meeting", "Ernesto", "Northside"]
    assert rows[3][:4] == ["Marisol", "Made commitments", "2026-03-08", "Missed"]
    assert rows[4][4] == "Commitment: =HYPERLINK(1)" and len(rows) == 5
    hostile = nudges.Nudge(("point_person", "x"), "=cmd()", nudges.POINT_PERSON,
                           (ITEMS[0],))
    (row,) = list(csv.reader(io.StringIO(nudges.nudges_csv([hostile], TODAY, "en", {}))))[1:]
    assert row[0] == "'=cmd()"


def test_a_persons_calendar_holds_every_open_date_with_stable_uids():
    key = nudges.person_of(ITEMS[0])
    data = nudges.calendar(nudges.open_items(ITEMS, key), "en")
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert [(str(e["uid"]), e["dtstart"].dt, str(e["summary"])) for e in events] == [
        ("next-step-10@orgkit", day(-2), "Call back about the meeting · Ernesto"),
        ("action-7@orgkit", day(3), "One-on-one: Coffee · Rosa"),
        ("next-step-12@orgkit", day(30), "Much later · Ana")]
    assert str(events[0]["description"]) == "point person: Luis"
    team = icalendar.Calendar.from_ical(nudges.calendar(ITEMS, "es")).walk("VEVENT")
    assert len(team) == len(ITEMS) - 1  # every open date; the kept commitment is left out
    commitment = next(e for e in team if str(e["uid"]) == "commitment-3@orgkit")
    assert str(commitment["summary"]) == "Compromiso: Reunión uno a uno con Ernesto"
    # the same UID as in the person's own file, so a phone holding both updates one event
    own = icalendar.Calendar.from_ical(ics.calendar([{
        "id": 3, "kind": "one_on_one", "other_text": "", "with_whom": "Ernesto",
        "due_on": day(-1).isoformat()}], "en", "Seminar", "orgkit")).walk("VEVENT")
    assert str(own[0]["uid"]) == "commitment-3@orgkit"
