"""Seminar commitments followed in the lead's week, on both engines: due, kept and missed,
through followup.service.due_items; who sees which (and whose name); a lead marks one kept and
takes the mark back; "what moved" counts the ones kept since the review."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import Clock, at_hour

from orgkit.commitments import service as commitments
from orgkit.domain import Actor, NotFound, PermissionDenied, Role
from orgkit.followup import model
from orgkit.followup import service as followup
from orgkit.map import service as maps
from orgkit.workshop import service as workshops

MONDAY = dt.date(2026, 3, 2)


def day(n: int) -> str:
    return (MONDAY + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def seminar(store):
    """Two maps; two phones at Northside's table (one shows her name), one at no table; their
    commitments made on MONDAY."""
    clock = Clock(at_hour(MONDAY))
    store.maps.clock = clock
    workshop = workshops.create_workshop(store, "Seminar", None, "pin-123456")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    north = maps.create_map(store, facilitator, "Northside")
    south = maps.create_map(store, facilitator, "Southside")
    ana = maps.create_entry(store, facilitator, north["id"], {"name": "Ana Ruiz",
                                                              "level": "leader"})
    shown, hidden, loose = (workshops.join(store, workshop.join_code)[1] for _ in range(3))
    for phone in (shown, hidden):
        maps.join_by_handout(store, phone, north["short_code"])
    made = {
        "shown": commitments.add(store, shown, {"kind": "one_on_one", "entry_id": ana,
                                                "due_on": day(3), "name": "Marisol",
                                                "show_name": True}, today=MONDAY),
        "hidden": commitments.add(store, hidden, {"kind": "site_visit", "entry_id": ana,
                                                  "due_on": day(9), "name": "Tomás"},
                                  today=MONDAY),
        "loose": commitments.add(store, loose, {"kind": "turnout", "with_whom": "block club",
                                                "due_on": day(5), "name": "Lee"}, today=MONDAY),
    }
    team = Actor(Role.TEAM_MEMBER, workshop.id, map_id=north["id"])
    return store, clock, facilitator, team, north, south, made, (shown, hidden, loose)


def test_commitments_are_due_items_with_a_name_only_where_the_reader_may_see_it(seminar):
    store, clock, facilitator, team, north, south, made, _ = seminar
    as_team = {i.ref: i for i in followup.due_items(store, team, north["id"])
               if i.source == "commitment"}
    assert set(as_team) == {made["shown"], made["hidden"]}  # not the one at no table
    assert as_team[made["shown"]].point_person == "Marisol"
    assert as_team[made["hidden"]].point_person == ""  # Tomás did not choose to show it
    assert as_team[made["shown"]].entry_name == "Ana Ruiz"
    as_facilitator = {i.ref: i for i in followup.due_items(store, facilitator, north["id"])
                      if i.source == "commitment"}
    assert as_facilitator[made["hidden"]].point_person == "Tomás"
    (loose,) = followup.due_items(store, facilitator, None)  # naming no map's entry
    assert (loose.ref, loose.map_id, loose.entry_name) == (made["loose"], None, "block club")
    assert followup.due_items(store, facilitator, south["id"]) == []
    with pytest.raises(PermissionDenied):
        followup.due_items(store, team, None)


def test_due_kept_and_missed_on_the_week(seminar):
    store, clock, facilitator, team, north, south, made, _ = seminar
    today = MONDAY + dt.timedelta(days=6)  # Marisol's (day 3) is past, Tomás's (day 9) soon
    week = followup.this_week(store, team, north["id"], today=today)
    assert [(i.ref, model.status(i, today)) for i in week.overdue] == [
        (made["shown"], model.MISSED)]
    assert [(i.ref, model.status(i, today)) for i in week.soon] == [(made["hidden"], model.DUE)]
    clock.now = at_hour(today)
    followup.set_kept(store, team, made["shown"], True)
    week = followup.this_week(store, team, north["id"], today=today)
    assert week.overdue == []  # kept: no longer missed
    assert [(i.ref, model.status(i, today)) for i in week.kept] == [(made["shown"], model.DONE)]
    assert [i.ref for i in week.teams[0].moved.kept] == [made["shown"]]
    followup.set_kept(store, team, made["shown"], False)  # the undo
    week = followup.this_week(store, team, north["id"], today=today)
    assert [i.ref for i in week.overdue] == [made["shown"]] and week.kept == []
    whole = followup.this_week(store, facilitator, None, today=today)
    assert {i.ref for i in whole.overdue} == {made["shown"], made["loose"]}


def test_kept_since_the_last_review_only(seminar):
    store, clock, facilitator, team, north, south, made, _ = seminar
    clock.now = at_hour(MONDAY + dt.timedelta(days=2))
    followup.set_kept(store, team, made["shown"], True)
    clock.now = at_hour(MONDAY + dt.timedelta(days=3))
    followup.mark_reviewed(store, team, north["id"])
    week = followup.this_week(store, team, north["id"], today=MONDAY + dt.timedelta(days=4))
    assert week.kept == []  # kept before the review


def test_who_may_mark_a_commitment_kept(seminar):
    store, clock, facilitator, team, north, south, made, (shown, hidden, loose) = seminar
    other_team = Actor(Role.TEAM_MEMBER, facilitator.workshop_id, map_id=south["id"])
    with pytest.raises(PermissionDenied):
        followup.set_kept(store, other_team, made["shown"], True)
    with pytest.raises(PermissionDenied):
        followup.set_kept(store, team, made["loose"], True)  # names no entry of their map
    with pytest.raises(PermissionDenied):
        followup.set_kept(store, hidden, made["shown"], True)  # someone else's
    followup.set_kept(store, loose, made["loose"], True)  # one's own
    followup.set_kept(store, facilitator, made["hidden"], True)
    elsewhere = workshops.create_workshop(store, "Elsewhere", None, "pin-654321")
    with pytest.raises(NotFound):
        followup.set_kept(store, Actor(Role.FACILITATOR, elsewhere.id), made["shown"], True)
    kept = {i.ref for i in followup.due_items(store, facilitator, north["id"]) if i.done_at}
    assert kept == {made["hidden"]}
