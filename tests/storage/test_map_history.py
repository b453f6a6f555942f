"""A map's history on both engines: every change recorded with when and by whom, in the change's
own transaction; the map rebuilt as of three past dates equals what was there; imports and
restores are recorded; the history travels in a workshop's backup and a damaged one is
refused."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from orgkit.backup import service as backup
from orgkit.coverage import gaps as gap_finder
from orgkit.domain import Actor, Conflict, Role, ValidationError
from orgkit.followup import model as followup
from orgkit.map import communities
from orgkit.map import service as maps
from orgkit.storage import history
from orgkit.workshop import backups as workshop_backups
from orgkit.workshop import service as workshops

DAY = 86400
START = dt.datetime(2026, 3, 2, 9).timestamp()  # a Monday morning


class Clock:
    """The store's clock, moved by the test (never a sleep)."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def team(store):
    clock = Clock(START)
    store.maps.clock = clock
    workshop = workshops.create_workshop(store, "Seminar", None, "pin-123456")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    map_id = maps.create_map(store, facilitator, "Northside", targets={"impacted": 2})["id"]
    member = Actor(Role.TEAM_MEMBER, workshop.id, map_id=map_id)
    return store, clock, facilitator, member, map_id


def snapshot(store, map_id: int) -> tuple:
    """What is on the map now, as the history keeps it (ids, and the kept fields)."""
    view = maps._contents(store, store.maps.get(map_id))
    return (history.kept("map", view.map),
            {e["id"]: history.kept("entry", e) for e in view.entries},
            {link["id"]: history.kept("link", link) for link in view.links},
            {a["id"]: {**history.kept("action", a), "entry_ids": sorted(a["entry_ids"])}
             for a in view.actions})


def rebuilt(store, map_id: int, moment: float) -> tuple:
    state = followup.as_of(store.maps.changes(map_id), moment)

    def plain(rows):
        return {i: {k: v for k, v in row.items() if k != "updated_at"} for i, row in rows.items()}
    return (state.map, plain(state.entries), plain(state.links),
            {i: {**row, "entry_ids": sorted(row["entry_ids"])}
             for i, row in plain(state.actions).items()})


def test_a_map_rebuilt_as_of_three_past_dates_is_what_was_there(team):
    store, clock, facilitator, member, map_id = team
    seen = {}
    ana = maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted",
                                                     "stage": "identified"})
    rosa = maps.create_entry(store, member, map_id, {"name": "Rosa", "level": "leader",
                                                      "strength": "working",
                                                      "constituencies": "Tenants"})
    maps.add_link(store, member, map_id, rosa, ana, "knows")
    maps.create_action(store, member, map_id, {"kind": "one_on_one", "title": "Coffee",
                                               "due_on": "2026-03-05"}, [ana])
    seen["week 1"] = (clock.now + 3600, snapshot(store, map_id))

    clock.now += 7 * DAY
    version = store.maps.entry(ana)["version"]
    maps.update_entry(store, member, map_id, ana, version, {"stage": "one_on_one",
                                                           "next_step": "Invite to the meeting",
                                                           "next_step_on": "2026-03-20"})
    action = store.maps.actions(map_id)[0]["id"]
    maps.update_action(store, member, map_id, action, {"status": "done"})
    maps.set_targets(store, member, map_id, {"impacted": 4, "leader": 2})
    communities.set_wanted(store, member, map_id, "Tenants; Parents")
    ben = maps.create_entry(store, member, map_id, {"name": "Ben", "level": "organization"})
    maps.add_link(store, member, map_id, ben, rosa, "member_of")
    seen["week 2"] = (clock.now + 3600, snapshot(store, map_id))

    clock.now += 7 * DAY
    maps.delete_entry(store, member, map_id, rosa, store.maps.entry(rosa)["version"])  # links go
    maps.delete_action(store, member, map_id, action)
    maps.create_entry(store, member, map_id, {"name": "Cleo", "level": "decision_maker"})
    seen["week 3"] = (clock.now + 3600, snapshot(store, map_id))

    clock.now += 7 * DAY
    maps.update_entry(store, member, map_id, ana, store.maps.entry(ana)["version"],
                      {"stage": "engaged"})
    for label, (moment, then) in seen.items():
        assert rebuilt(store, map_id, moment) == then, label
    assert rebuilt(store, map_id, clock.now) == snapshot(store, map_id)
    # and so its gaps: the gap finder on the rebuilt week 1 finds what it found then
    state = followup.as_of(store.maps.changes(map_id), seen["week 1"][0])
    assert {g.kind for g in followup.gaps_of(state, map_id, dt.date(2026, 3, 3))} >= {
        "level_empty", "level_below_target"}


def test_every_change_says_when_and_by_whom(team):
    store, clock, facilitator, member, map_id = team
    entry = maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted"})
    clock.now += 60
    maps.update_entry(store, facilitator, map_id, entry, 1, {"stage": "contacted"})
    *_, change = store.maps.changes(map_id)
    assert (change["subject"], change["subject_id"], change["change"]) == ("entry", entry,
                                                                           "changed")
    assert change["fields"] == {"stage": "contacted"}
    assert change["before"] == {"stage": "identified"}
    assert change["at"] == START + 60 and change["role"] == "facilitator"
    added = [c for c in store.maps.changes(map_id) if c["subject"] == "entry"][0]
    assert added["role"] == "team_member" and added["fields"]["name"] == "Ana"


def test_a_participant_is_recorded_by_display_name(team):
    store, clock, facilitator, member, map_id = team
    participant = workshops.join(store, store.workshops.get(member.workshop_id)["join_code"])[1]
    store.workshops.rename_participant(participant.participant_id, "Dana")
    with store.acting(*maps.author_of(store, participant)):
        store.maps.insert_entry(map_id, {"name": "Promoted", "level": "leader"})
    *_, change = store.maps.changes(map_id)
    assert (change["role"], change["display_name"]) == ("participant", "Dana")


def test_a_refused_change_leaves_no_history(team):
    store, clock, facilitator, member, map_id = team
    entry = maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted"})
    count = len(store.maps.changes(map_id))
    with pytest.raises(Conflict):
        maps.update_entry(store, member, map_id, entry, 7, {"stage": "contacted"})  # stale
    with pytest.raises(ValidationError):
        maps.apply_table_edit(store, member, map_id, "impacted", [],
                              {"added_rows": [{"name": "Ok"}, {"name": "x" * 5000}]})
    assert len(store.maps.changes(map_id)) == count


def test_an_import_is_recorded_entry_by_entry(importer):
    store, member, map_id = importer
    revision = store.maps.revision(map_id)
    maps.import_rows(store, member, map_id, map_id, revision,
                     [{"name": "Ana", "level": "impacted"}, {"name": "Ben", "level": "leader"}],
                     [], [("new:0", "new:1", "knows")], [], None)
    changes = [(c["subject"], c["change"]) for c in store.maps.changes(map_id)]
    assert changes[-3:] == [("entry", "added"), ("entry", "added"), ("link", "added")]
    assert {c["role"] for c in store.maps.changes(map_id)[-3:]} == {"team_member"}


def test_history_travels_in_a_workshop_backup_and_a_restore_is_recorded(team):
    store, clock, facilitator, member, map_id = team
    ana = maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted"})
    clock.now += DAY
    maps.update_entry(store, member, map_id, ana, 1, {"stage": "contacted"})
    data = workshop_backups.workshop_backup(store, facilitator)
    assert json.loads(data)["tables"]["map_changes"]
    kept = store.maps.changes(map_id)
    clock.now += DAY
    maps.delete_entry(store, member, map_id, ana, 2)
    clock.now += DAY
    backup.restore_workshop(store, facilitator, data)
    (restored_map,) = store.maps.for_workshop(facilitator.workshop_id)
    changes = store.maps.changes(restored_map["id"])
    assert [(c["subject"], c["change"], c["fields"]) for c in changes[:-1]] == [
        (c["subject"], c["change"], c["fields"]) for c in kept]
    assert (changes[-1]["change"], changes[-1]["role"]) == ("restored", "facilitator")
    assert rebuilt(store, restored_map["id"], clock.now) == snapshot(store, restored_map["id"])


def test_a_backup_with_a_damaged_history_row_is_refused_with_a_clear_message(team):
    store, clock, facilitator, member, map_id = team
    maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted"})
    document = json.loads(workshop_backups.workshop_backup(store, facilitator))
    document["tables"]["map_changes"][1]["fields"] = "{not json"
    with pytest.raises(ValidationError) as refused:
        backup.restore_workshop(store, facilitator, json.dumps(document).encode())
    assert "damaged map history row (2)" in str(refused.value)
    document["tables"]["map_changes"][1]["fields"] = "{}"
    document["tables"]["map_changes"][1]["change"] = "exploded"
    with pytest.raises(ValidationError):
        backup.restore_workshop(store, facilitator, json.dumps(document).encode())


def test_an_older_backup_without_history_starts_the_history_with_what_it_holds(team):
    store, clock, facilitator, member, map_id = team
    maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted"})
    document = json.loads(workshop_backups.workshop_backup(store, facilitator))
    del document["tables"]["map_changes"], document["tables"]["map_reviews"]
    backup.restore_workshop(store, facilitator, json.dumps(document).encode())
    (restored_map,) = store.maps.for_workshop(facilitator.workshop_id)
    assert rebuilt(store, restored_map["id"], clock.now + 1) == snapshot(store,
                                                                           restored_map["id"])


def test_gaps_of_a_rebuilt_map_match_the_gap_finder_on_the_rows(team):
    store, clock, facilitator, member, map_id = team
    maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted",
                                              "next_step": "Call", "next_step_on": "2026-03-01"})
    state = followup.as_of(store.maps.changes(map_id), clock.now + 1)
    view = maps._contents(store, store.maps.get(map_id))
    today = dt.date(2026, 3, 3)
    direct = gap_finder.find_gaps(view.map, view.entries, view.links, view.actions, today=today)
    assert [followup.gap_key(g) for g in followup.gaps_of(state, map_id, today)] == [
        followup.gap_key(g) for g in direct]
