"""Roles, enforced by the core on both engines: every facilitator-only function refuses a
participant and a team member; a team member of map A can neither read nor write map B; a
participant cannot post to (or vote on) another workshop's board. Every refusal leaves the
database exactly as it was.

Every public core function that takes an `actor` is listed in one of the tables below, so a new
one cannot slip in unclassified (test_every_core_function_with_an_actor_is_classified)."""
from __future__ import annotations

import datetime as dt
import inspect

import pytest

from orgkit.backup import service as backup
from orgkit.workshop import backups as workshop_backups
from orgkit.board import service as boards
from orgkit.commitments import service as commitments
from orgkit.coverage import service as coverage_service
from orgkit.domain import Actor, NotFound, OrgKitError, PermissionDenied, Role
from orgkit.followup import service as followup
from orgkit.i18n import msg
from orgkit.map import communities
from orgkit.map import service as maps
from orgkit.map import exports
from orgkit.map import imports
from orgkit.session import service as sessions
from orgkit.workshop import service as workshops

pytestmark = pytest.mark.reliability


@pytest.fixture
def world(store):
    """Workshop 1 (board, items, theme, maps A and B) and workshop 2 (its own board)."""
    one = workshops.create_workshop(store, "One", None, "pin-one-1")
    two = workshops.create_workshop(store, "Two", None, "pin-two-2")
    f1, f2 = Actor(Role.FACILITATOR, one.id), Actor(Role.FACILITATOR, two.id)
    board = boards.create_board(store, f1, "Ideas", reference_notes="a point")
    board2 = boards.create_board(store, f2, "Elsewhere")
    participant = workshops.join(store, one.join_code)[1]
    outsider = workshops.join(store, two.join_code)[1]
    first = boards.add_item(store, participant, board.id, "first")[0]
    second = boards.add_item(store, participant, board.id, "second")[0]
    other_item = boards.add_item(store, outsider, board2.id, "theirs")[0]
    theme = boards.create_theme(store, f1, board.id, "A theme")
    map_a = maps.create_map(store, f1, "Team A")
    map_b = maps.create_map(store, f1, "Team B")
    entry_b = maps.create_entry(store, f1, map_b["id"], {"name": "Ana", "level": "leader"})
    entry_b2 = maps.create_entry(store, f1, map_b["id"], {"name": "Ben", "level": "leader"})
    link_b = maps.add_link(store, f1, map_b["id"], entry_b, entry_b2, "knows")
    action_b = maps.create_action(store, f1, map_b["id"], {"kind": "one_on_one", "title": "Chat"})
    team_a = maps.open_map(store, map_a["link_token"])[2]
    auto = workshop_backups.auto_backup(store, one.id, msg("before a test"))
    steps = sessions.agenda(store, f1)
    template = sessions.save_template(store, f1, "Our seminar")
    return dict(steps=[step.id for step in steps], template=template, f2=f2, auto=auto,
                store=store, board=board.id, board2=board2.id, first=first.id,
                second=second.id, other_item=other_item.id, theme=theme, map_a=map_a["id"],
                map_b=map_b["id"], entry_b=entry_b, entry_b2=entry_b2, link_b=link_b,
                action_b=action_b, participant=participant, team_a=team_a, f1=f1)


# name: call(store, actor, world) -- functions only the facilitator may call
FACILITATOR_ONLY = {
    "boards.create_board": lambda s, a, w: boards.create_board(s, a, "New"),
    "boards.set_phase": lambda s, a, w: boards.set_phase(s, a, w["board"], "vote"),
    "boards.start_timer": lambda s, a, w: boards.start_timer(s, a, w["board"], 5),
    "boards.stop_timer": lambda s, a, w: boards.stop_timer(s, a, w["board"]),
    "boards.set_locked": lambda s, a, w: boards.set_locked(s, a, w["board"], True),
    "boards.set_votes_hidden": lambda s, a, w: boards.set_votes_hidden(s, a, w["board"], True),
    "boards.group_items": lambda s, a, w: boards.group_items(s, a, w["board"], [w["first"]], "New"),
    "boards.ungroup_theme": lambda s, a, w: boards.ungroup_theme(s, a, w["board"], w["theme"]),
    "boards.delete_theme": lambda s, a, w: boards.delete_theme(s, a, w["board"], w["theme"]),
    "boards.unmerge_item": lambda s, a, w: boards.unmerge_item(s, a, w["second"]),
    "maps.handout": lambda s, a, w: maps.handout(s, a, w["map_a"]),
    "workshops.remember_unlock": lambda s, a, w: workshops.remember_unlock(s, a, "d" * 32),
    "boards.reset_votes": lambda s, a, w: boards.reset_votes(s, a, w["board"]),
    "boards.delete_board": lambda s, a, w: boards.delete_board(s, a, w["board"], "DELETE"),
    "boards.hide_item": lambda s, a, w: boards.hide_item(s, a, w["first"]),
    "boards.show_item": lambda s, a, w: boards.show_item(s, a, w["first"]),
    "boards.pin_item": lambda s, a, w: boards.pin_item(s, a, w["first"]),
    "boards.merge_items": lambda s, a, w: boards.merge_items(s, a, w["second"], w["first"]),
    "boards.create_theme": lambda s, a, w: boards.create_theme(s, a, w["board"], "Mine"),
    "boards.rename_theme": lambda s, a, w: boards.rename_theme(s, a, w["board"], w["theme"], "X"),
    "boards.assign_theme": lambda s, a, w: boards.assign_theme(s, a, w["first"], w["theme"]),
    "boards.set_revealed": lambda s, a, w: boards.set_revealed(s, a, w["board"], True),
    "boards.add_from_floor": lambda s, a, w: boards.add_from_floor(s, a, w["board"], "Said"),
    "boards.decide_match": lambda s, a, w: boards.decide_match(s, a, w["board"], 0, w["first"]),
    "boards.confirm_matches": lambda s, a, w: boards.confirm_matches(s, a, w["board"],
                                                                     {0: w["first"]}),
    "boards.undo_match": lambda s, a, w: boards.undo_match(s, a, w["board"], 0),
    "boards.promote_item": lambda s, a, w: boards.promote_item(s, a, w["first"], w["map_a"],
                                                               "leader"),
    "maps.create_map": lambda s, a, w: maps.create_map(s, a, "Sneaky"),
    "workshops.save_forum_questions": lambda s, a, w: workshops.save_forum_questions(s, a, "Why?"),
    "workshops.set_workshop_language": lambda s, a, w: workshops.set_workshop_language(s, a, "es"),
    "workshops.set_bilingual_projector": lambda s, a, w: workshops.set_bilingual_projector(
        s, a, True),
    "workshop_backups.workshop_backup": lambda s, a, w: workshop_backups.workshop_backup(s, a),
    "workshop_backups.facilitator_of": lambda s, a, w: workshop_backups.facilitator_of(a),
    "backup.restore_workshop": lambda s, a, w: backup.restore_workshop(
        s, a, workshop_backups.workshop_backup(s, w["f1"])),
    "workshop_backups.automatic_backups": lambda s, a, w: workshop_backups.automatic_backups(s, a),
    "backup.restore_automatic": lambda s, a, w: backup.restore_automatic(s, a, w["auto"]),
    "sessions.move": lambda s, a, w: sessions.move(s, a, None, w["steps"][1]),
    "sessions.add_step": lambda s, a, w: sessions.add_step(s, a, "close"),
    "sessions.remove_step": lambda s, a, w: sessions.remove_step(s, a, w["steps"][-1]),
    "sessions.shift_step": lambda s, a, w: sessions.shift_step(s, a, w["steps"][0], 1),
    "sessions.rename_step": lambda s, a, w: sessions.rename_step(s, a, w["steps"][0], "Hi",
                                                                 "en"),
    "sessions.set_duration": lambda s, a, w: sessions.set_duration(s, a, w["steps"][0], 7),
    "sessions.export_agenda": lambda s, a, w: sessions.export_agenda(s, a),
    "sessions.import_agenda": lambda s, a, w: sessions.import_agenda(
        s, a, sessions.export_agenda(s, w["f1"])),
    "sessions.save_template": lambda s, a, w: sessions.save_template(s, a, "Mine"),
    "sessions.templates": lambda s, a, w: sessions.templates(s, a),
    "sessions.use_template": lambda s, a, w: sessions.use_template(s, a, w["template"]),
    "maps.set_handouts_open": lambda s, a, w: maps.set_handouts_open(s, a, False),
    "maps.open_handouts": lambda s, a, w: maps.open_handouts(s, a),
    "commitments.of_workshop": lambda s, a, w: commitments.of_workshop(s, a),
    "commitments.due_between": lambda s, a, w: commitments.due_between(s, a, None, None),
}

# name: call(store, actor, world) on map B -- its own team or the facilitator only
MAP_B = {
    "maps.get_map": lambda s, a, w: maps.get_map(s, a, w["map_b"]),
    "maps.history": lambda s, a, w: maps.history(s, a, w["map_b"]),
    "coverage_service.take_step": lambda s, a, w: coverage_service.take_step(
        s, a, w["map_b"], s.maps.entry(w["entry_b"]), "Call them", "set"),
    "followup.lead_maps": lambda s, a, w: followup.lead_maps(s, a, w["map_b"]),
    "followup.due_items": lambda s, a, w: followup.due_items(s, a, w["map_b"]),
    "followup.last_review": lambda s, a, w: followup.last_review(s, a, w["map_b"]),
    "followup.mark_reviewed": lambda s, a, w: followup.mark_reviewed(s, a, w["map_b"]),
    "followup.this_week": lambda s, a, w: followup.this_week(s, a, w["map_b"]),
    "maps.load_map": lambda s, a, w: maps.load_map(s, a, w["map_b"]),
    "coverage_service.load_map": lambda s, a, w: coverage_service.load_map(s, a, w["map_b"]),
    "coverage_service.build_map_view": lambda s, a, w: coverage_service.build_map_view(
        s, a, w["map_b"], "2026-05-14"),
    "coverage_service.team_room_view": lambda s, a, w: coverage_service.team_room_view(
        s, a, w["map_b"], "power"),
    "maps.set_targets": lambda s, a, w: maps.set_targets(s, a, w["map_b"], {"leader": 3}),
    "maps.create_entry": lambda s, a, w: maps.create_entry(s, a, w["map_b"],
                                                           {"name": "Eve", "level": "leader"}),
    "maps.update_entry": lambda s, a, w: maps.update_entry(s, a, w["map_b"], w["entry_b"], 1,
                                                           {"name": "Changed"}),
    "maps.delete_entry": lambda s, a, w: maps.delete_entry(s, a, w["map_b"], w["entry_b"], 1),
    "maps.apply_table_edit": lambda s, a, w: maps.apply_table_edit(
        s, a, w["map_b"], "leader", [], {"added_rows": [{"name": "Zed"}]}),
    "maps.add_link": lambda s, a, w: maps.add_link(s, a, w["map_b"], w["entry_b2"], w["entry_b"],
                                                   "funds"),
    "maps.delete_link": lambda s, a, w: maps.delete_link(s, a, w["map_b"], w["link_b"]),
    "maps.create_action": lambda s, a, w: maps.create_action(s, a, w["map_b"],
                                                             {"kind": "site_visit", "title": "Go"}),
    "maps.update_action": lambda s, a, w: maps.update_action(s, a, w["map_b"], w["action_b"],
                                                             {"kind": "site_visit", "title": "Go"}),
    "maps.delete_action": lambda s, a, w: maps.delete_action(s, a, w["map_b"], w["action_b"]),
    "communities.set_wanted": lambda s, a, w: communities.set_wanted(s, a, w["map_b"], "Tenants"),
    "maps.add_entry_once": lambda s, a, w: maps.add_entry_once(s, a, w["map_b"],
                                                               {"name": "Eve", "level": "leader"}),
    "maps.import_mapping": lambda s, a, w: maps.import_mapping(s, a, w["map_b"], "shape"),
    "maps.import_rows": lambda s, a, w: maps.import_rows(
        s, a, w["map_b"], w["map_b"], 0, [{"name": "Zed", "level": "leader"}], [], [], [], None),
    "imports.preview_import": lambda s, a, w: imports.preview_import(
        s, a, w["map_b"], "e.csv", b"name,level\nZed,leader\n", "entries"),
    "imports.apply_import": lambda s, a, w: imports.apply_import(
        s, a, w["map_b"], imports.preview_import(s, w["f1"], w["map_b"], "e.csv",
                                                 b"name,level\nZed,leader\n", "entries")),
    "exports.kumu_workbook": lambda s, a, w: exports.kumu_workbook(s, a, w["map_b"]),
    "imports.inspect_upload": lambda s, a, w: imports.inspect_upload(
        s, a, w["map_b"], [("e.csv", b"name,level\nZed,leader\n")]),
    "imports.preview_mapped": lambda s, a, w: imports.preview_mapped(
        s, a, w["map_b"], *_inspected(s, w)),
    "exports.export_rows": lambda s, a, w: exports.export_rows(s, a, w["map_b"], "entries"),
    "exports.export_csv": lambda s, a, w: exports.export_csv(s, a, w["map_b"], "entries"),
    "exports.export_xlsx": lambda s, a, w: exports.export_xlsx(s, a, w["map_b"]),
    "commitments.for_map": lambda s, a, w: commitments.for_map(s, a, w["map_b"]),
}

def _inspected(store, world):
    """The facilitator's inspection of a file for map B, and its proposed mapping."""
    inspection = imports.inspect_upload(store, world["f1"], world["map_b"],
                                        [("e.csv", b"name,level\nZed,leader\n")])
    return inspection, inspection.mapping


# Open to every actor of the workshop, or checked per item, by the tests further down.
OPEN_OR_PER_ITEM = {"boards.get_board", "boards.latest_board", "boards.boards_for",
                    "boards.own_activity", "boards.get_item", "boards.add_item",
                    "boards.edit_item", "boards.withdraw_item", "boards.toggle_vote",
                    "workshops.set_display_name",
                    "maps.map_checklist",  # ticks and counts only, for the whole workshop
                    "maps.team_maps", "workshops.forum_questions",  # names and questions, no link
                    "workshops.forum_question_texts",  # the same questions, by language
                    "coverage_service.load_workshop",  # the actor's workshop's totals
                    # the room's step and the agenda's steps: what the room is shown anyway
                    "sessions.agenda", "sessions.current", "sessions.step_board",
                    # a phone joins its table by the handout's code; it reads its own membership
                    "maps.join_by_handout", "maps.member_of", "maps.as_member",
                    "maps.entry_choices",  # the entries of the actor's own map (get_map)
                    # each person's own commitments (test_a_participant_reads_and_changes_...)
                    "commitments.add", "commitments.update", "commitments.delete",
                    "commitments.mine", "commitments.calendar_file",
                    "commitments.entry_choices", "commitments.room",  # counts, shown names
                    # marking one kept: its person, the facilitator, the team of the map it
                    # names (test_only_the_person_the_facilitator_and_the_named_maps_team_...)
                    "commitments.set_kept", "followup.set_kept",
                    "coverage_service.room_view",  # counts, offices, levels: no person named
                    "maps.room_contents",  # no contacts or link; only for the room's counts
                    "maps.workshop_rows",  # no contacts, no link; names kept by shared_row
                    "maps.author_of"}  # who an actor is, for the history: no rule, no data


def _state(store) -> dict:
    return store.backups.dump(None)


def _refused(world, call, actor) -> None:
    store = world["store"]
    before = _state(store)
    with pytest.raises((PermissionDenied, NotFound)):
        call(store, actor, world)
    assert _state(store) == before, "a refused call changed the database"


def _allowed(world, call, actor) -> None:
    """The role passes: any refusal now is a rule about the thing's state (say, showing an
    item that is not hidden), never about who asks."""
    try:
        call(world["store"], actor, world)
    except (PermissionDenied, NotFound) as exc:
        pytest.fail(f"{actor.role.value} was refused: {exc}")
    except OrgKitError:
        pass


@pytest.mark.parametrize("name", sorted(FACILITATOR_ONLY))
def test_facilitator_only_functions_refuse_a_participant_and_a_team_member(world, name):
    for actor in (world["participant"], world["team_a"]):
        _refused(world, FACILITATOR_ONLY[name], actor)
    _allowed(world, FACILITATOR_ONLY[name], world["f1"])


@pytest.mark.parametrize("name", sorted(MAP_B))
def test_a_team_member_of_map_a_can_neither_read_nor_write_map_b(world, name):
    for actor in (world["team_a"], world["participant"]):
        _refused(world, MAP_B[name], actor)
    _allowed(world, MAP_B[name], world["f1"])
    _allowed(world, MAP_B[name], maps.open_map(
        world["store"], world["store"].maps.get(world["map_b"])["link_token"])[2])


def test_a_participant_cannot_post_to_or_vote_on_another_workshops_board(world):
    store, participant = world["store"], world["participant"]
    before = _state(store)
    with pytest.raises(OrgKitError):
        boards.add_item(store, participant, world["board2"], "slipped in")
    with pytest.raises(OrgKitError):
        boards.toggle_vote(store, participant, world["other_item"])
    with pytest.raises(OrgKitError):
        boards.edit_item(store, participant, world["other_item"], "changed")
    with pytest.raises(OrgKitError):
        boards.withdraw_item(store, participant, world["other_item"])
    assert _state(store) == before


def test_a_participant_cannot_change_another_participants_item(world):
    store = world["store"]
    neighbour = workshops.join(store, store.workshops.get(world["f1"].workshop_id)["join_code"])[1]
    before = _state(store)
    for call in (lambda: boards.edit_item(store, neighbour, world["first"], "mine now"),
                 lambda: boards.withdraw_item(store, neighbour, world["first"])):
        with pytest.raises(PermissionDenied):
            call()
    assert _state(store) == before


def test_another_workshops_facilitator_can_neither_move_nor_edit_this_agenda(world):
    store, other = world["store"], world["f2"]
    before = _state(store)
    for call in (lambda: sessions.move(store, other, None, world["steps"][0]),
                 lambda: sessions.remove_step(store, other, world["steps"][0]),
                 lambda: sessions.rename_step(store, other, world["steps"][0], "Mine", "en"),
                 lambda: sessions.set_duration(store, other, world["steps"][0], 3),
                 lambda: sessions.shift_step(store, other, world["steps"][0], 1)):
        with pytest.raises(NotFound):
            call()
    after = _state(store)  # workshop 2's own agenda appeared on its first use; ours is as it was
    assert {t: [r for r in rows if r.get("workshop_id") != other.workshop_id]
            for t, rows in after.items()} == {
        t: [r for r in rows if r.get("workshop_id") != other.workshop_id]
        for t, rows in before.items()}


def test_every_core_function_with_an_actor_is_classified():
    classified = set(FACILITATOR_ONLY) | set(MAP_B) | OPEN_OR_PER_ITEM
    services = {"boards": boards, "maps": maps, "imports": imports, "exports": exports,
                "backup": backup, "workshop_backups": workshop_backups,
                "communities": communities, "workshops": workshops,
                "coverage_service": coverage_service, "sessions": sessions,
                "commitments": commitments, "followup": followup}
    found = {f"{alias}.{name}"
             for alias, module in services.items()
             for name, fn in inspect.getmembers(module, inspect.isfunction)
             if fn.__module__ == module.__name__ and fn.__name__ == name  # aliases once
             and not name.startswith("_")
             and "actor" in inspect.signature(fn).parameters}
    assert found - classified == set(), "classify these in tests/reliability/test_roles.py"


def test_a_participant_reads_and_changes_only_their_own_commitments_and_no_hidden_name(world):
    store = world["store"]
    code = store.workshops.get(world["f1"].workshop_id)["join_code"]
    neighbour = workshops.join(store, code)[1]
    soon = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    theirs = commitments.add(store, world["participant"], {
        "kind": "turnout", "due_on": soon, "name": "Hidden Name", "with_whom": "Secret"})
    before = _state(store)
    assert commitments.mine(store, neighbour) == []
    with pytest.raises(NotFound):
        commitments.update(store, neighbour, theirs, {"kind": "site_visit", "due_on": soon})
    commitments.delete(store, neighbour, theirs)
    with pytest.raises(PermissionDenied):
        commitments.of_workshop(store, neighbour)
    assert b"Secret" not in commitments.calendar_file(store, neighbour, "en")
    assert _state(store) == before
    room = commitments.room(store, neighbour)
    assert room.total == 1 and [n.name for n in room.next] == [""]


@pytest.mark.parametrize("set_kept", [commitments.set_kept, followup.set_kept])
def test_only_the_person_the_facilitator_and_the_named_maps_team_mark_a_commitment_kept(
        world, set_kept):
    store = world["store"]
    code = store.workshops.get(world["f1"].workshop_id)["join_code"]
    at_b = workshops.join(store, code)[1]
    maps.join_by_handout(store, at_b, store.maps.get(world["map_b"])["short_code"])
    made = commitments.add(store, at_b, {
        "kind": "one_on_one", "entry_id": world["entry_b"],
        "due_on": (dt.date.today() + dt.timedelta(days=2)).isoformat()})
    for actor in (world["team_a"], world["participant"], world["f2"]):
        _refused(world, lambda s, a, w: set_kept(s, a, made, True), actor)
    team_b = maps.open_map(store, store.maps.get(world["map_b"])["link_token"])[2]
    for actor in (team_b, world["f1"], at_b):
        _allowed(world, lambda s, a, w: set_kept(s, a, made, True), actor)
