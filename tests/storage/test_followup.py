"""The lead's week on both engines, with the clock moved by the test: what is due and overdue,
what moved since the last review (entries per level, stages up and down, gaps closed and
opened), reviews, who may see it, and the charts' numbers over weeks."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import Clock, at_hour

from orgkit.domain import Actor, PermissionDenied, Role
from orgkit.followup import model
from orgkit.followup import service as followup
from orgkit.map import service as maps
from orgkit.workshop import service as workshops

DAY = 86400
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def lead(store):
    clock = Clock(at_hour(MONDAY))
    store.maps.clock = clock
    workshop = workshops.create_workshop(store, "Seminar", None, "pin-123456")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    map_id = maps.create_map(store, facilitator, "Northside",
                             targets={"impacted": 1, "leader": 1})["id"]
    member = Actor(Role.TEAM_MEMBER, workshop.id, map_id=map_id)
    return store, clock, facilitator, member, map_id


def test_due_this_week_and_overdue_with_their_point_person(lead):
    store, clock, facilitator, member, map_id = lead
    today = MONDAY + dt.timedelta(days=7)
    maps.create_entry(store, member, map_id, {
        "name": "Ernesto", "level": "impacted", "point_person": "Luis",
        "next_step": "Call back", "next_step_on": (today - dt.timedelta(days=4)).isoformat()})
    rosa = maps.create_entry(store, member, map_id, {"name": "Rosa", "level": "leader",
                                                      "point_person": "Dana"})
    maps.create_action(store, member, map_id, {"kind": "one_on_one", "title": "Coffee",
                                               "due_on": (today + dt.timedelta(days=3))
                                               .isoformat()}, [rosa])
    maps.create_action(store, member, map_id, {"kind": "site_visit", "title": "Later",
                                               "due_on": (today + dt.timedelta(days=9))
                                               .isoformat()}, [rosa])
    week = followup.this_week(store, member, map_id, today=today)
    assert [(i.title, i.point_person, i.entry_name) for i in week.overdue] == [
        ("Call back", "Luis", "Ernesto")]
    assert [(i.source, i.title, i.point_person) for i in week.soon] == [
        ("action", "Coffee", "Dana")]
    assert len(week.gaps) <= model.TOP_GAPS


def test_what_moved_since_the_last_review(lead):
    store, clock, facilitator, member, map_id = lead
    ana = maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted",
                                                     "stage": "contacted"})
    ben = maps.create_entry(store, member, map_id, {"name": "Ben", "level": "impacted",
                                                     "stage": "engaged"})
    clock.now = at_hour(MONDAY + dt.timedelta(days=1))
    followup.mark_reviewed(store, member, map_id)
    clock.now = at_hour(MONDAY + dt.timedelta(days=3))
    maps.update_entry(store, member, map_id, ana, 1, {"stage": "one_on_one"})
    maps.update_entry(store, member, map_id, ben, 1, {"stage": "contacted"})
    maps.create_entry(store, member, map_id, {"name": "Rosa", "level": "leader",
                                              "strength": "working"})  # closes the leader gap
    maps.create_entry(store, member, map_id, {"name": "Cleo", "level": "leader"})
    week = followup.this_week(store, member, map_id, today=MONDAY + dt.timedelta(days=4))
    (one,) = week.teams
    assert week.last_review["reviewed_at"] == at_hour(MONDAY + dt.timedelta(days=1))
    assert week.since == week.last_review["reviewed_at"]
    assert dict(one.moved.added) == {"leader": 2}
    assert [(m.name, m.old, m.new) for m in one.moved.up] == [("Ana", "contacted",
                                                                "one_on_one")]
    assert [(m.name, m.old, m.new) for m in one.moved.down] == [("Ben", "engaged", "contacted")]
    assert "level_empty" in {g.kind for g in one.moved.closed}
    # any earlier date: since the start, everything is new
    earlier = followup.this_week(store, member, map_id, since=at_hour(MONDAY, 0),
                                 today=MONDAY + dt.timedelta(days=4))
    assert dict(earlier.teams[0].moved.added) == {"impacted": 2, "leader": 2}


def test_only_leads_see_a_week_and_only_the_facilitator_the_whole_workshop(lead):
    store, clock, facilitator, member, map_id = lead
    other = maps.create_map(store, facilitator, "Riverbend")["id"]
    with pytest.raises(PermissionDenied):
        followup.this_week(store, member, other)
    with pytest.raises(PermissionDenied):
        followup.this_week(store, member, None)
    participant = workshops.join(store, store.workshops.get(member.workshop_id)["join_code"])[1]
    with pytest.raises(PermissionDenied):
        followup.this_week(store, participant, map_id)
    with pytest.raises(PermissionDenied):
        followup.mark_reviewed(store, participant, map_id)
    whole = followup.this_week(store, facilitator, None)
    assert [m.name for m in whole.teams] == ["Northside", "Riverbend"]
    followup.mark_reviewed(store, facilitator, None)
    assert followup.last_review(store, facilitator, None)["role"] == "facilitator"
    assert followup.last_review(store, facilitator, map_id) is None  # a map's own reviews


def test_chart_numbers_over_weeks(lead):
    store, clock, facilitator, member, map_id = lead
    maps.set_targets(store, member, map_id, {"impacted": 1, "leader": 1})
    from orgkit.map import communities
    communities.set_wanted(store, member, map_id, "Tenants")
    ana = maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted",
                                                     "strength": "weak"})
    maps.create_action(store, member, map_id, {"kind": "one_on_one", "title": "Meet Ana",
                                               "due_on": (MONDAY + dt.timedelta(days=8))
                                               .isoformat()}, [ana])
    clock.now = at_hour(MONDAY + dt.timedelta(days=9))
    action = maps.load_map(store, member, map_id).actions[0]["id"]
    maps.update_action(store, member, map_id, action, {"status": "done"})
    maps.update_entry(store, member, map_id, ana, 1, {"stage": "one_on_one",
                                                      "constituencies": "Tenants"})
    week = followup.this_week(store, member, map_id, today=MONDAY + dt.timedelta(days=15))
    rows = followup.chart_rows(week)
    weeks = [MONDAY + dt.timedelta(weeks=n) for n in range(3)]
    ladder = {(r["week"], r["level"], r["stage"]): r["n"] for r in rows["ladder"]}
    assert ladder[weeks[0], "impacted", "identified"] == 1
    assert ladder[weeks[1], "impacted", "one_on_one"] == 1
    assert ladder[weeks[1], "impacted", "identified"] == 0
    assert [(r["week"], r["planned"], r["held"]) for r in rows["one_on_ones"]] == [
        (weeks[0], 0, 0), (weeks[1], 1, 1), (weeks[2], 0, 0)]
    assert [(r["week"], r["community"], r["n"]) for r in rows["communities"]] == [
        (weeks[0], "Tenants", 0), (weeks[1], "Tenants", 1), (weeks[2], "Tenants", 1)]
    assert [(r["name"], r["days"]) for r in rows["time_to_one_on_one"]] == [("Ana", 9.0)]
