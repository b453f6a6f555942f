"""What the workshop-wide coverage view reads from the store, on real SQLite and PostgreSQL: the
shared rows and the done-action counts carry no contact details, notes, action titles or outcomes,
the workshop view built from them names no individual, and the counts add up to each map's own
activity."""
import datetime as dt
from collections import Counter

import pytest

from orgkit.coverage import analytics
from orgkit.domain import Actor, Role
from orgkit.map import service as maps

SECRETS = ("Maria Lopez", "Jon Park", "555-0199", "maria@example.org", "lives above the bakery",
           "Coffee with Maria", "Maria will bring her neighbours", "Jon's cousin")
SHARED_COLUMNS = {"map_id", "level", "stage", "strength", "is_gatekeeper", "constituencies",
                  "created_at", "name"}


def stamp(iso):
    return dt.datetime.fromisoformat(iso).replace(hour=12).timestamp()


@pytest.fixture
def workshop(store):
    """A workshop of two maps with people, an organization and done, planned and undated actions;
    returns (store, workshop id, map ids)."""
    wid = store.workshops.create(title="Seminar", held_on=None, join_code="SHARE1", pin_hash="x")
    first = store.maps.create(wid, "Northside", "tok-north")
    second = store.maps.create(wid, "Riverbend", "tok-river")
    other = store.workshops.create(title="Other", held_on=None, join_code="SHARE2", pin_hash="x")
    store.maps.create(other, "Elsewhere", "tok-else")
    maria = store.maps.insert_entry(first, {
        "name": "Maria Lopez", "level": "impacted", "stage": "one_on_one", "strength": "working",
        "contact": "555-0199", "notes": "lives above the bakery", "constituencies": "Tenants"},
        created_at=stamp("2026-03-03"))
    jon = store.maps.insert_entry(second, {
        "name": "Jon Park", "level": "leader", "stage": "engaged", "strength": "strong",
        "contact": "maria@example.org", "notes": "Jon's cousin", "is_gatekeeper": 1},
        created_at=stamp("2026-03-10"))
    store.maps.insert_entry(second, {"name": "Food Bank", "level": "organization",
                                     "contact": "555-0199"}, created_at=stamp("2026-03-11"))
    done = {"status": "done", "outcome": "Maria will bring her neighbours"}
    for map_id, who, kind, due in ((first, maria, "one_on_one", "2026-03-04"),
                                   (first, maria, "one_on_one", "2026-03-04"),
                                   (second, jon, "one_on_one", "2026-03-04"),
                                   (second, jon, "site_visit", "2026-03-12"),
                                   (second, jon, "site_visit", None)):
        store.maps.insert_action(map_id, {"kind": kind, "title": "Coffee with Maria", "due_on": due,
                                          **done}, [who])
    store.maps.insert_action(first, {"kind": "one_on_one", "title": "Coffee with Maria",
                                     "due_on": "2026-03-05", "status": "planned"}, [maria])
    return store, wid, (first, second)


def test_shared_rows_carry_no_contacts_or_notes(workshop):
    store, wid, _ = workshop
    rows = store.maps.shared_rows(wid)
    assert all(set(row) == SHARED_COLUMNS for row in rows)
    assert [(r["level"], r["stage"], r["strength"], r["name"]) for r in rows] == [
        ("impacted", "one_on_one", "working", "Maria Lopez"),
        ("leader", "engaged", "strong", "Jon Park"),
        ("organization", "identified", "none", "Food Bank")]
    assert [dt.date.fromtimestamp(r["created_at"]).isoformat() for r in rows] == [
        "2026-03-03", "2026-03-10", "2026-03-11"]
    assert not [s for s in SECRETS if s in repr(rows) and s not in ("Maria Lopez", "Jon Park")]


def test_the_map_service_hands_a_participant_only_organizations_names(workshop):
    store, wid, _ = workshop
    _maps, rows, _done = maps.workshop_rows(store, Actor(Role.PARTICIPANT, wid))
    assert sorted(r["name"] for r in rows) == ["", "", "Food Bank"]


def test_the_workshop_view_names_only_organizations(workshop):
    store, wid, _ = workshop
    view = analytics.workshop_summary(*maps.workshop_rows(store, Actor(Role.PARTICIPANT, wid)))
    assert [m["organizations"] for m in view["maps"]] == [[], ["Food Bank"]]
    assert not [s for s in SECRETS if s in repr(view)]


def test_done_actions_are_counts_without_titles_outcomes_or_people(workshop):
    store, wid, _ = workshop
    counts = store.maps.shared_actions_done(wid)
    assert all(set(row) == {"kind", "status", "due_on", "updated_at", "n"} for row in counts)
    assert not [s for s in SECRETS if s in repr(counts)]
    dated = sorted((r["kind"], r["due_on"], r["n"]) for r in counts if r["due_on"])
    assert dated == [("one_on_one", "2026-03-04", 3), ("site_visit", "2026-03-12", 1)]
    (undated,) = [r for r in counts if r["due_on"] is None]
    assert undated["n"] == 1 and undated["updated_at"] > stamp("2026-03-12")


def counted(weeks):
    """Activity rows as (week, series) -> count, without the empty weeks that fill the gaps."""
    return Counter({(row["week"], key): value for row in weeks for key, value in row.items()
                    if key != "week" and value})


def test_workshop_activity_adds_up_each_maps_own(workshop):
    store, wid, map_ids = workshop
    summary = analytics.workshop_summary(store.maps.for_workshop(wid), store.maps.shared_rows(wid),
                                        store.maps.shared_actions_done(wid))
    per_map = [analytics.activity_by_week(store.maps.entries(m), store.maps.actions(m))
               for m in map_ids]
    assert counted(summary["activity"]) == sum(map(counted, per_map), Counter())
    assert summary["activity"][0] == {"week": "2026-03-02", "entries_added": 1, "one_on_ones": 3,
                                      "actions_done": 3}
