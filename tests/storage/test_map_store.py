"""Maps on real SQLite and PostgreSQL: entry round trips, the edit conflict, table edits in one
transaction, links, actions, and maps.get_map as the one privacy rule: nobody outside the map's
team and the workshop's facilitator reads or exports a map, and those inside see every field."""
import datetime as dt
import threading

import pytest

from orgkit.domain import Actor, Conflict, NotFound, PermissionDenied, Role, ValidationError
from orgkit.map import model as map_model
from orgkit.map import power
from orgkit.map import service as maps
from orgkit.map import exports
from orgkit.workshop import service as workshops

FULL = {
    "name": "Rep. Denise Whitfield", "level": "decision_maker", "role": "State legislator",
    "constituencies": "Seniors; Low-wage workers", "contact": "555-0120", "how_help": "Budget vote",
    "is_gatekeeper": True, "gatekeeper_why": "Staff screen calls", "strength": "working",
    "stage": "one_on_one", "point_person": "Dana", "next_step": "Thank-you note",
    "next_step_on": "2026-06-01", "notes": "Undecided", "office": "State Representative",
    "jurisdiction": "88th District", "agenda": "Balanced budget", "issues": "Senior services",
    "stance": -1, "influence": 4,
    "willing_to_speak": 0, "trained": 0,
}


@pytest.fixture
def team(store):
    """A workshop with one map; returns (store, facilitator, team member, map id)."""
    workshop = workshops.create_workshop(store, "Seminar", "2026-05-14", "pin-123456")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    created = maps.create_map(store, facilitator, "Northside", "Protect grants",
                              {"impacted": 12, "decision_maker": 4})
    member = Actor(Role.TEAM_MEMBER, workshop.id, map_id=created["id"])
    return store, facilitator, member, created["id"]


def test_a_created_map_has_a_private_link_and_targets(team):
    store, _, _, map_id = team
    row = store.maps.get(map_id)
    assert len(row["link_token"]) >= 16
    assert map_model.targets(row) == {"impacted": 12, "leader": 0, "organization": 0,
                                 "decision_maker": 4}
    _, opened, actor = maps.open_map(store, row["link_token"])
    assert opened["id"] == map_id and actor.can_edit_map(map_id)


def test_only_the_facilitator_creates_maps(team):
    store, _, member, _ = team
    with pytest.raises(PermissionDenied):
        maps.create_map(store, member, "Another team")


def test_every_entry_field_round_trips(team):
    store, _, member, map_id = team
    entry_id = maps.create_entry(store, member, map_id, FULL)
    (row,) = maps.load_map(store, member, map_id).entries
    assert row["id"] == entry_id and row["version"] == 1
    for name, value in FULL.items():
        assert row[name] == (int(value) if isinstance(value, bool) else value), name


OUTSIDERS = {
    "visitor": lambda member: Actor(Role.VISITOR, member.workshop_id),
    "visitor without a workshop": lambda member: Actor(Role.VISITOR),
    "participant": lambda member: Actor(Role.PARTICIPANT, member.workshop_id, participant_id=1),
    "other team": lambda member: Actor(Role.TEAM_MEMBER, member.workshop_id,
                                       map_id=member.map_id + 999),
    "facilitator of another workshop": lambda member: Actor(Role.FACILITATOR,
                                                            member.workshop_id + 999),
    "team member without a workshop": lambda member: Actor(Role.TEAM_MEMBER, map_id=member.map_id),
}
READS = {
    "get_map (the coverage view's gate)": maps.get_map,
    "load_map (the map page's one read)": maps.load_map,
    "export_rows": lambda store, actor, map_id: exports.export_rows(store, actor, map_id,
                                                                    "entries"),
    "export_csv": lambda store, actor, map_id: exports.export_csv(store, actor, map_id, "actions"),
    "export_xlsx": exports.export_xlsx,
    "kumu_workbook": exports.kumu_workbook,
}


@pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
@pytest.mark.parametrize("outsider", OUTSIDERS.values(), ids=OUTSIDERS.keys())
def test_nobody_outside_the_team_and_facilitator_reads_or_exports_a_map(team, outsider, read):
    store, _, member, map_id = team
    maps.create_entry(store, member, map_id, FULL)
    with pytest.raises((PermissionDenied, NotFound)):
        read(store, outsider(member), map_id)


@pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
@pytest.mark.parametrize("insider", ["team member", "facilitator"])
def test_the_team_and_the_facilitator_read_and_export_their_map(team, insider, read):
    store, facilitator, member, map_id = team
    maps.create_entry(store, member, map_id, FULL)
    read(store, member if insider == "team member" else facilitator, map_id)  # no refusal


def test_insiders_see_contact_and_notes(team):
    store, facilitator, member, map_id = team
    maps.create_entry(store, member, map_id, FULL)
    for insider in (member, facilitator):
        (row,) = maps.load_map(store, insider, map_id).entries
        assert row["contact"] == "555-0120" and row["notes"] == "Undecided"


@pytest.mark.parametrize("role", [Role.VISITOR, Role.PARTICIPANT, Role.TEAM_MEMBER,
                                  Role.FACILITATOR])
def test_anyone_in_the_workshop_gets_the_checklist_as_ticks_and_counts(team, role):
    store, _, member, map_id = team
    maps.create_entry(store, member, map_id, FULL)
    steps = maps.map_checklist(store, Actor(role, member.workshop_id, map_id=map_id + 1), map_id)
    assert all(isinstance(s, map_model.ChecklistItem) for s in steps) and steps[0].done
    text = repr(steps)
    assert all(str(FULL[f]) not in text for f in ("name", "contact", "notes", "office", "role"))
    with pytest.raises(NotFound):
        maps.map_checklist(store, Actor(role, member.workshop_id + 999), map_id)


def test_outsiders_cannot_write(team):
    store, _, member, map_id = team
    participant = Actor(Role.PARTICIPANT, member.workshop_id, participant_id=1)
    with pytest.raises(PermissionDenied):
        maps.create_entry(store, participant, map_id, FULL)
    assert store.maps.entries(map_id) == []


def test_the_second_of_two_edits_from_the_same_version_gets_a_conflict(team):
    store, facilitator, member, map_id = team
    entry_id = maps.create_entry(store, member, map_id, FULL)
    revision = store.maps.revision(map_id)
    assert maps.update_entry(store, member, map_id, entry_id, 1, {"stage": "engaged"}) == 2
    with pytest.raises(Conflict, match="changed by someone else .* reload"):
        maps.update_entry(store, facilitator, map_id, entry_id, 1, {"stage": "committed"})
    row = store.maps.entry(entry_id)
    assert (row["stage"], row["version"]) == ("engaged", 2)
    assert store.maps.revision(map_id) == revision + 1
    with pytest.raises(Conflict):
        maps.delete_entry(store, facilitator, map_id, entry_id, 1)
    maps.delete_entry(store, facilitator, map_id, entry_id, 2)
    assert store.maps.entries(map_id) == []


def test_simultaneous_saves_from_two_threads_let_exactly_one_win(team):
    store, _, member, map_id = team
    entry_id = maps.create_entry(store, member, map_id, FULL)
    outcomes, start = [], threading.Barrier(2)

    def save(stage):
        start.wait()
        try:
            maps.update_entry(store, member, map_id, entry_id, 1, {"stage": stage})
            outcomes.append(stage)
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(s,)) for s in ("engaged", "committed")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2 and outcomes.count("conflict") == 1
    assert store.maps.entry(entry_id)["stage"] in outcomes


def test_a_table_edit_applies_adds_updates_and_deletes_in_one_go(team):
    store, _, member, map_id = team
    for name in ("A", "B", "C"):
        maps.create_entry(store, member, map_id, {"name": name, "level": "leader"})
    loaded = maps.load_map(store, member, map_id).level("leader")
    delta = {"edited_rows": {0: {"stage": "engaged"}}, "deleted_rows": [1],
             "added_rows": [{"name": "D", "constituencies": "x, y"}, {}]}
    result = maps.apply_table_edit(store, member, map_id, "leader", loaded, delta)
    assert (result.added, result.updated, result.deleted) == (1, 1, 1)
    rows = {r["name"]: r for r in store.maps.entries(map_id)}
    assert set(rows) == {"A", "C", "D"}
    assert rows["A"]["stage"] == "engaged" and rows["D"]["constituencies"] == "x; y"
    assert rows["D"]["level"] == "leader"


@pytest.mark.parametrize("delta, message", [
    ({"edited_rows": {1: {"name": ""}}}, "Row 2 · Name: is required."),
    ({"added_rows": [{"name": "ok"}, {"name": "bad", "stance": 3}]}, "Row 5 · Stance"),
    ({"edited_rows": {0: {"stage": "engaged"}, 2: {"next_step_on": "tomorrow"}}},
     "Row 3 · Next step date"),
])
def test_a_bad_row_in_a_table_edit_saves_nothing(team, delta, message):
    store, _, member, map_id = team
    for name in ("A", "B", "C"):
        maps.create_entry(store, member, map_id, {"name": name, "level": "leader"})
    before = store.maps.entries(map_id)
    loaded = maps.load_map(store, member, map_id).level("leader")
    with pytest.raises(ValidationError, match=message):
        maps.apply_table_edit(store, member, map_id, "leader", loaded,
                              {**delta, "deleted_rows": [0] if "added_rows" in delta else []})
    assert store.maps.entries(map_id) == before


def test_a_table_edit_over_a_stale_row_is_a_conflict_and_saves_nothing(team):
    store, facilitator, member, map_id = team
    for name in ("A", "B"):
        maps.create_entry(store, member, map_id, {"name": name, "level": "leader"})
    loaded = maps.load_map(store, member, map_id).level("leader")
    maps.update_entry(store, facilitator, map_id, loaded[1]["id"], 1, {"role": "pastor"})
    with pytest.raises(Conflict, match="'B' was changed by someone else"):
        maps.apply_table_edit(store, member, map_id, "leader", loaded, {
            "edited_rows": {0: {"role": "first"}, 1: {"role": "second"}}})
    assert [r["role"] for r in store.maps.entries(map_id)] == ["", "pastor"]


# Columns of the entries table that are no field of an entry, and a name that is no column: what
# a hostile client could put in a table edit (storage writes the names it is given).
NOT_FIELDS = {"created_at": 0, "external_id": "forged", "extra": '{"forged": "1"}',
              "no_such_column": "x"}


def test_a_table_edit_stores_only_the_entrys_own_fields(team):
    store, _, member, map_id = team
    maps.create_entry(store, member, map_id, {"name": "A", "level": "leader"})
    loaded = maps.load_map(store, member, map_id).level("leader")
    maps.apply_table_edit(store, member, map_id, "leader", loaded, {
        "edited_rows": {0: {"role": "pastor", **NOT_FIELDS}},
        "added_rows": [{"name": "B", **NOT_FIELDS}]})
    rows = {r["name"]: r for r in store.maps.entries(map_id)}
    assert rows["A"]["role"] == "pastor" and set(rows) == {"A", "B"}
    for row in rows.values():
        assert row["created_at"] > 0 and not row["external_id"] and not row["extra"]


def test_links_join_entries_of_the_same_map_and_show_an_inner_circle(team):
    store, facilitator, member, map_id = team
    official = maps.create_entry(store, member, map_id, FULL)
    pastor = maps.create_entry(store, member, map_id, {"name": "Pastor", "level": "leader"})
    union = maps.create_entry(store, member, map_id, {"name": "Union", "level": "organization"})
    maps.add_link(store, member, map_id, pastor, official, "is in the inner circle of")
    maps.add_link(store, member, map_id, union, official, "funds")
    maps.add_link(store, member, map_id, official, union, "answers_to")
    links = maps.load_map(store, member, map_id).links
    assert power.sources_of(links, "inner_circle")[official] == [pastor]
    assert power.sources_of(links, "funds")[official] == [union]
    names = {official: "Rep", union: "Union"}
    assert power.funders_and_bosses(links, names)(official) == ("Union", "Union")
    assert power.funders_and_bosses(links, names)(union) == (power.NOBODY, power.NOBODY)
    other = maps.create_map(store, facilitator, "Other team")
    stranger = maps.create_entry(store, facilitator, other["id"], {"name": "S", "level": "leader"})
    for source, target, kind, message in [
        (pastor, official, "inner_circle", "already on the map"),
        (pastor, pastor, "knows", "linked to itself"),
        (pastor, stranger, "knows", "both ends must be entries of this map"),
        (pastor, official, "loves", "Link type: 'loves' is not one of"),
    ]:
        with pytest.raises(ValidationError, match=message):
            maps.add_link(store, member, map_id, source, target, kind)
    maps.delete_entry(store, member, map_id, pastor, 1)
    assert power.sources_of(maps.load_map(store, member, map_id).links, "inner_circle").get(
        official, []) == []


def test_actions_round_trip_with_their_entries(team):
    store, _, member, map_id = team
    a = maps.create_entry(store, member, map_id, {"name": "A", "level": "impacted"})
    b = maps.create_entry(store, member, map_id, {"name": "B", "level": "leader"})
    action_id = maps.create_action(store, member, map_id, {
        "kind": "Community meeting turnout", "title": "Town hall", "due_on": "2026-06-02",
        "turnout": "40"}, [b, a])
    maps.update_action(store, member, map_id, action_id, {"status": "done", "outcome": "Won"})
    (action,) = maps.load_map(store, member, map_id).actions
    assert (action["kind"], action["status"], action["turnout"], action["outcome"]) == (
        "turnout", "done", 40, "Won")
    assert action["entry_ids"] == sorted([a, b])
    with pytest.raises(ValidationError, match="Entries involved"):
        maps.create_action(store, member, map_id, {"kind": "site_visit"}, [a, 10**9])
    maps.delete_action(store, member, map_id, action_id)
    assert maps.load_map(store, member, map_id).actions == []


def test_an_empty_action_is_refused_and_nothing_is_saved(team):
    store, _, member, map_id = team
    a = maps.create_entry(store, member, map_id, {"name": "A", "level": "impacted"})
    revision = store.maps.revision(map_id)
    with pytest.raises(ValidationError, match="^Title: .*entry involved"):
        maps.create_action(store, member, map_id, {"kind": "site_visit", "title": "  ",
                                                   "due_on": "2026-06-01"}, [])
    assert maps.load_map(store, member, map_id).actions == []
    assert store.maps.revision(map_id) == revision
    titled = maps.create_action(store, member, map_id, {"kind": "site_visit", "title": "Lunch"})
    involving = maps.create_action(store, member, map_id, {"kind": "one_on_one"}, [a])
    with pytest.raises(ValidationError, match="^Title: "):
        maps.update_action(store, member, map_id, titled, {"title": ""})
    maps.update_action(store, member, map_id, involving, {"status": "done"})  # untitled is fine
    actions = maps.load_map(store, member, map_id).actions
    assert {x["id"]: (x["title"], x["status"]) for x in actions} \
        == {titled: ("Lunch", "planned"), involving: ("", "done")}


def test_actions_list_by_date_with_undated_ones_last_on_both_engines(team):
    store, _, member, map_id = team
    for title, due in [("Undated", ""), ("Later", "2026-07-01"), ("Sooner", "2026-06-01")]:
        maps.create_action(store, member, map_id, {"kind": "site_visit", "title": title,
                                                   "due_on": due}, [])
    assert [a["title"] for a in maps.load_map(store, member, map_id).actions] == [
        "Sooner", "Later", "Undated"]


def test_targets_change_and_bump_the_revision(team):
    store, _, member, map_id = team
    revision = store.maps.revision(map_id)
    maps.set_targets(store, member, map_id, {"leader": 7})
    row = store.maps.get(map_id)
    assert map_model.targets(row)["leader"] == 7 and row["revision"] == revision + 1


def test_team_maps_name_the_workshops_maps_without_their_private_links(team):
    store, facilitator, member, map_id = team
    other = workshops.create_workshop(store, "Elsewhere", None, "pin-654321")
    maps.create_map(store, Actor(Role.FACILITATOR, other.id), "Their team")
    code = workshops.get_workshop(store, member.workshop_id).join_code
    participant = workshops.join(store, code)[1]
    for actor in (facilitator, member, participant):
        listed = maps.team_maps(store, actor)
        assert [(m["id"], m["name"]) for m in listed] == [(map_id, "Northside")]
        assert all(set(m) == {"id", "name", "revision"} for m in listed)
    assert maps.team_maps(store, Actor(Role.VISITOR, None)) == []


def test_a_link_records_how_well_we_know_its_other_end_and_the_official_comes_in_reach(team):
    from orgkit.coverage import analytics

    store, _facilitator, member, map_id = team
    chief = maps.create_entry(store, member, map_id, {"name": "Ana Chief", "level": "leader"})
    mayor = maps.create_entry(store, member, map_id, {"name": "Mayor Dora",
                                                       "level": "decision_maker"})
    assert store.maps.entry(chief)["strength"] == "none"  # nothing asked yet: not one of ours

    def far():
        view = maps.load_map(store, member, map_id)
        result = analytics.analyse_map(view.map, view.entries, view.links, view.actions,
                                       today=dt.date(2026, 5, 14))
        return [g for g in result["gaps"] if g.kind == "decision_maker_far"]

    maps.add_link(store, member, map_id, chief, mayor, "knows")
    assert far()  # linked through someone we do not know: still out of reach
    maps.add_link(store, member, map_id, chief, mayor, "inner_circle", known={chief: "working"})
    assert store.maps.entry(chief)["strength"] == "working"
    assert not far()  # the mayor's chief of staff is ours: the mayor is within reach
    with pytest.raises(ValidationError, match="how well we know its ends"):
        maps.add_link(store, member, map_id, mayor, chief, "funds", known={12345: "weak"})
    with pytest.raises(ValidationError):  # a bad strength: nothing half saved
        maps.add_link(store, member, map_id, mayor, chief, "knows", known={chief: "best"})
    assert len(store.maps.links(map_id)) == 2 and store.maps.entry(chief)["strength"] == "working"
