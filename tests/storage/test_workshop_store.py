"""Workshops, roles and the demo, on SQLite and PostgreSQL (the same cases on both)."""
import json
import threading

import pytest
from conftest import joined

from orgkit.board import service as boards
from orgkit.demo import DEMO_PATH, ensure_demo, load_demo
from orgkit.domain import (UNLOCK_FREE_TRIES, WORKSHOP_UNLOCK_CHECKS, Actor, Locked, NotFound,
                           PermissionDenied, Role, ValidationError)
from orgkit.map import service as maps
from orgkit.workshop import service as workshops
from orgkit.workshop import model as workshop_model


def test_created_workshop_round_trips_without_its_pin(store):
    made = workshops.create_workshop(store, "  Tenant power  ", "2026-05-14", "s3cret-pin")
    again = workshops.find_by_code(store, made.join_code.lower())
    assert again == made and again.title == "Tenant power" and again.held_on == "2026-05-14"
    row = store.workshops.get(made.id)
    assert "s3cret-pin" not in row["pin_hash"] and row["pin_hash"].startswith("scrypt$")


@pytest.mark.parametrize("title, pin, field", [
    ("", "s3cret-pin", "Workshop title"),
    ("x" * 500, "s3cret-pin", "Workshop title"),
    ("Title", "123", "PIN"),
])
def test_bad_workshop_creates_nothing(store, title, pin, field):
    with pytest.raises(ValidationError) as info:
        workshops.create_workshop(store, title, None, pin)
    assert info.value.field == field
    assert store.workshops.count() == 0


def test_unknown_join_code_is_a_clear_not_found(store):
    with pytest.raises(NotFound, match="No workshop has the join code ABCDEF"):
        workshops.find_by_code(store, "abcdef")


def test_facilitator_unlocks_with_the_right_pin(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    actor = workshops.unlock(store, made.id, "right-pin", source="laptop")
    assert actor.role is Role.FACILITATOR and actor.workshop_id == made.id


def test_wrong_pins_slow_their_source_down_with_a_growing_delay(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    for _ in range(UNLOCK_FREE_TRIES):
        with pytest.raises(PermissionDenied):
            workshops.unlock(store, made.id, "wrong-pin", source="phone", now=1000.0)
    with pytest.raises(Locked, match="from this device. Try again in 5 seconds"):
        workshops.unlock(store, made.id, "right-pin", source="phone", now=1000.0)  # even right
    with pytest.raises(PermissionDenied):
        workshops.unlock(store, made.id, "wrong-pin", source="phone", now=1005.0)
    with pytest.raises(Locked, match="Try again in 10 seconds"):
        workshops.unlock(store, made.id, "wrong-pin", source="phone", now=1005.0)
    with pytest.raises(PermissionDenied):
        workshops.unlock(store, made.id, "wrong-pin", source="phone", now=1015.0)
    with pytest.raises(Locked, match="Try again in 20 seconds"):
        workshops.unlock(store, made.id, "wrong-pin", source="phone", now=1015.0)
    assert workshop_model.unlock_delay(100) == 15 * 60  # the delay stops growing at 15 minutes
    assert workshops.unlock(store, made.id, "right-pin", source="phone", now=1035.0).is_facilitator
    assert workshops.unlock(store, made.id, "right-pin", source="phone", now=1035.0).is_facilitator


def test_a_guesser_in_the_room_never_locks_the_facilitator_out(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    for n in range(12):
        with pytest.raises((PermissionDenied, Locked)):
            workshops.unlock(store, made.id, f"wrong-{n}", source="guesser", now=1000.0 + n)
    assert workshops.unlock(store, made.id, "right-pin", source="facilitator",
                            now=1012.0).is_facilitator


def test_many_sources_at_once_meet_the_workshop_ceiling(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    for n in range(WORKSHOP_UNLOCK_CHECKS):
        with pytest.raises(PermissionDenied):
            workshops.unlock(store, made.id, "wrong-pin", source=f"phone-{n}", now=1000.0)
    with pytest.raises(Locked, match="for this workshop. Try again in 60 seconds"):
        workshops.unlock(store, made.id, "right-pin", source="new-phone", now=1000.0)
    assert workshops.unlock(store, made.id, "right-pin", source="new-phone",
                            now=1060.0).is_facilitator


def test_the_facilitators_own_browser_passes_a_flood_of_wrong_pins_at_once(store):
    """The ceiling stays for browsers that never unlocked; the one that created the workshop
    (remembered as unlocked) or unlocked it before, even locked since, goes through at once."""
    made = workshops.create_workshop(store, "W", None, "right-pin")
    creator = Actor(Role.FACILITATOR, made.id)
    workshops.remember_unlock(store, creator, DEVICE, now=900.0)  # as the home page does
    workshops.forget_unlock(store, made.id, DEVICE)  # "Lock facilitator tools"
    for n in range(WORKSHOP_UNLOCK_CHECKS):  # 20 browsers guessing
        with pytest.raises(PermissionDenied):
            workshops.unlock(store, made.id, "wrong-pin", source=f"browser {n}",
                             device=f"flooding-browser-{n:04d}-xxxxxxxx", now=1000.0)
    with pytest.raises(Locked, match="for this workshop"):
        workshops.unlock(store, made.id, "right-pin", source=f"browser {OTHER_DEVICE}",
                         device=OTHER_DEVICE, now=1001.0)
    assert workshops.unlock(store, made.id, "right-pin", source=f"browser {DEVICE}",
                            device=DEVICE, now=1001.0).is_facilitator
    assert not workshops.unlocked_on(store, made.id, DEVICE, now=1001.0)  # the page remembers it


def test_parallel_guesses_from_one_source_get_only_its_free_tries(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    outcomes, barrier = [], threading.Barrier(12)

    def guess(n):
        barrier.wait()
        try:
            workshops.unlock(store, made.id, f"wrong-{n}", source="one-phone")
        except (PermissionDenied, Locked) as exc:
            outcomes.append(type(exc))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert outcomes.count(PermissionDenied) == UNLOCK_FREE_TRIES
    assert outcomes.count(Locked) == 12 - UNLOCK_FREE_TRIES


def test_a_right_pin_resets_the_count_of_wrong_ones(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    for _ in range(2):
        for _ in range(UNLOCK_FREE_TRIES - 1):
            with pytest.raises(PermissionDenied):
                workshops.unlock(store, made.id, "wrong-pin", source="laptop")
        workshops.unlock(store, made.id, "right-pin", source="laptop")
    with pytest.raises(PermissionDenied):
        workshops.unlock(store, made.id, "wrong-pin", source="laptop")


@pytest.mark.parametrize("token", ["garbage!!", "x" * 300, "AAAAAAAAAAAAAAAAAAAAAA"])
def test_unknown_or_mangled_token_is_nobody(store, token):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    assert workshops.participant(store, made, token=token) is None


DEVICE = "d" * 32
OTHER_DEVICE = "e" * 32


def test_a_browser_that_joins_again_is_the_same_participant(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    board = boards.create_board(store, Actor(Role.FACILITATOR, made.id), "Who came?")
    _, first, token = workshops.join(store, made.join_code, device=DEVICE)
    _, again, same = workshops.join(store, made.join_code, device=DEVICE)  # a rescan
    assert (again.participant_id, same) == (first.participant_id, token)
    _, other, _ = workshops.join(store, made.join_code, device=OTHER_DEVICE)
    assert other.participant_id != first.participant_id
    assert joined(store, board.id) == 2
    # The database keeps only a digest of the cookie.
    assert store.workshops.participant_by_token(token)["device_hash"] != DEVICE


def test_same_browser_in_one_workshop_joins_once_even_at_the_same_moment(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    first = store.workshops.add_participant(made.id, "t" * 22, "", "digest")
    assert store.workshops.add_participant(made.id, "u" * 22, "", "digest") is None
    assert store.workshops.participant_by_device(made.id, "digest")["id"] == first


def test_facilitator_unlock_is_remembered_for_a_working_day_and_lock_ends_it(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    other = workshops.create_workshop(store, "Other", None, "right-pin")
    actor = workshops.unlock(store, made.id, "right-pin", source="laptop")
    workshops.remember_unlock(store, actor, DEVICE, now=1000.0)
    assert workshops.unlocked_on(store, made.id, DEVICE, now=1000.0 + 11 * 3600)
    assert not workshops.unlocked_on(store, made.id, DEVICE, now=1000.0 + 13 * 3600)
    assert not workshops.unlocked_on(store, other.id, DEVICE, now=1001.0)
    assert not workshops.unlocked_on(store, made.id, OTHER_DEVICE, now=1001.0)
    workshops.forget_unlock(store, made.id, DEVICE)
    assert not workshops.unlocked_on(store, made.id, DEVICE, now=1001.0)


def test_only_a_facilitator_is_remembered_as_one(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    _, participant, _ = workshops.join(store, made.join_code)
    with pytest.raises(PermissionDenied):
        workshops.remember_unlock(store, participant, DEVICE)


def test_a_visitor_has_no_display_name(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    with pytest.raises(PermissionDenied):
        workshops.set_display_name(store, Actor(Role.VISITOR, made.id), "Rosa")


def test_team_member_opens_only_their_map(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    mine = store.maps.create(made.id, "Ours", "team-ours-token")
    other = store.maps.create(made.id, "Theirs", "team-theirs-token")
    _, team_map, actor = maps.open_map(store, "team-ours-token")
    assert team_map["id"] == mine and actor.can_edit_map(mine) and not actor.can_edit_map(other)
    with pytest.raises(NotFound):
        maps.open_map(store, "no-such-token")


def test_demo_loads_once_with_everything_a_newcomer_needs(store):
    workshop_id = ensure_demo(store, DEMO_PATH)
    assert ensure_demo(store, DEMO_PATH) == workshop_id and store.workshops.count() == 1
    maps = store.maps.for_workshop(workshop_id)
    assert len(maps) == 3
    entries = [e for m in maps for e in store.maps.entries(m["id"])]
    assert len(entries) >= 60
    assert {(e["level"], e["stage"]) for e in entries} >= {
        (level, stage) for level in ("impacted", "leader", "organization", "decision_maker")
        for stage in ("identified", "contacted", "one_on_one", "engaged", "committed")}
    links = [link for m in maps for link in store.maps.links(m["id"])]
    assert {"inner_circle", "funds", "answers_to", "member_of", "knows"} <= {
        l["kind"] for l in links}
    assert any(e["is_gatekeeper"] for e in entries)
    assert sum(len(store.maps.actions(m["id"])) for m in maps) >= 12
    (board,) = store.boards.for_workshop(workshop_id)
    items = store.boards.items(board["id"])
    assert len(items) == 30 and sum(i["votes"] for i in items) > 0
    assert len(store.boards.themes(board["id"])) == 2
    assert store.workshops.forum_questions(workshop_id)


@pytest.mark.parametrize("anonymous, stored", [(False, "Keisha"), (True, None)])
def test_the_demo_stores_authors_only_on_a_named_board(store, anonymous, stored):
    data = json.loads(DEMO_PATH.read_text(encoding="utf-8"))
    data["boards"][0]["anonymous"] = anonymous
    (board,) = store.boards.for_workshop(load_demo(store, data))
    names = {item["author_name"] for item in store.boards.items(board["id"])} - {""}
    assert (stored in names) if stored else names == set()


def test_demo_loading_twice_at_once_leaves_one_demo(store):
    results, errors = [], []

    def load():
        try:
            results.append(ensure_demo(store, DEMO_PATH))
        except Exception as exc:  # noqa: BLE001 - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors and store.workshops.count() == 1


def test_failed_transaction_saves_nothing(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.maps.create(made.id, "Half", "half-token")
            raise RuntimeError("stop half way")
    assert store.maps.for_workshop(made.id) == []


def test_every_board_write_bumps_its_revision(store):
    made = workshops.create_workshop(store, "W", None, "right-pin")
    board = store.boards.create(made.id, "Prompt?")
    _, actor, _ = workshops.join(store, made.join_code)
    assert store.boards.revision(board) == 0
    item, _ = store.boards.add_item(board, text="Idea", participant_id=actor.participant_id)
    store.boards.insert_vote(board, item, actor.participant_id)
    store.boards.insert_theme(board, "Theme")
    assert store.boards.revision(board) == 3
