"""Items from the floor on real databases (SQLite and PostgreSQL): the facilitator types what
someone without a phone said; it is stored with the floor mark, counted like any item, carries
a name only when one is given on a named board, and shows its mark in the exports. A participant
cannot add from the floor, and a refusal stores nothing."""
import csv
import io

import pytest

from orgkit.board import export as board_export
from orgkit.board import service as boards
from orgkit.domain import Actor, Conflict, PermissionDenied, Role, ValidationError
from orgkit.workshop import service as workshops


@pytest.fixture
def room(store):
    workshop = workshops.create_workshop(store, "Floor test", None, "floor-pin-123")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    named = boards.create_board(store, facilitator, "Who do we need?", anonymous=False)
    phone = workshops.join(store, workshop.join_code, display_name="Ana")[1]
    return store, facilitator, named, phone


def test_an_item_from_the_floor_is_marked_stored_and_counted_like_any_item(room):
    store, facilitator, board, phone = room
    boards.add_item(store, phone, board.id, "Tenant leaders")
    item, new = boards.add_from_floor(store, facilitator, board.id, "The school nurses")
    assert new and item.from_floor and item.author is None and item.status == "visible"
    row = store.boards.item(item.id)
    assert row["from_floor"] == 1 and row["participant_id"] is None
    snap = boards.snapshot(store, board.id)
    assert [i.text for i in snap.shown()] == ["Tenant leaders", "The school nurses"]
    assert [i.from_floor for i in snap.shown()] == [False, True]
    boards.toggle_vote(store, phone, item.id)  # voted on like any item
    assert boards.snapshot(store, board.id).items[1].votes == 1


def test_a_name_is_kept_only_when_given_and_never_on_an_anonymous_board(room):
    store, facilitator, board, _ = room
    named, _ = boards.add_from_floor(store, facilitator, board.id, "Bus drivers", "Rosa")
    assert named.author == "Rosa"
    anonymous = boards.create_board(store, facilitator, "Secret ballot", anonymous=True)
    item, _ = boards.add_from_floor(store, facilitator, anonymous.id, "Nurses", "Rosa")
    assert item.author is None and store.boards.item(item.id)["author_name"] == ""


def test_the_same_submission_twice_stores_one_item(room):
    store, facilitator, board, _ = room
    first, _ = boards.add_from_floor(store, facilitator, board.id, "Clinics", idempotency_key="k1")
    again, new = boards.add_from_floor(store, facilitator, board.id, "Clinics",
                                       idempotency_key="k1")
    assert not new and again.id == first.id and len(boards.snapshot(store, board.id).items) == 1


@pytest.mark.parametrize("text, said_by, message", [
    ("", "", "Item: is required."),
    ("x" * 281, "", "Item: is 281 characters; the limit is 280."),
    ("Ok", "n" * 61, "Said by: is 61 characters; the limit is 60."),
])
def test_bad_input_is_refused_with_the_field_and_its_limit(room, text, said_by, message):
    store, facilitator, board, _ = room
    with pytest.raises(ValidationError) as err:
        boards.add_from_floor(store, facilitator, board.id, text, said_by)
    assert str(err.value).startswith(message)
    assert boards.snapshot(store, board.id).items == ()


def test_a_participant_cannot_add_from_the_floor(room):
    store, _, board, phone = room
    with pytest.raises(PermissionDenied):
        boards.add_from_floor(store, phone, board.id, "Pretending")
    assert boards.snapshot(store, board.id).items == ()


def test_the_boards_phase_rules_hold_for_the_floor_too(room):
    store, facilitator, board, _ = room
    boards.set_phase(store, facilitator, board.id, "vote")
    with pytest.raises(Conflict):
        boards.add_from_floor(store, facilitator, board.id, "Late idea")


def test_the_exports_mark_items_from_the_floor(room):
    store, facilitator, board, phone = room
    boards.add_item(store, phone, board.id, "From a phone")
    boards.add_from_floor(store, facilitator, board.id, "From the room")
    snap = boards.snapshot(store, board.id)
    rows = list(csv.reader(io.StringIO(board_export.to_csv(snap).decode("utf-8-sig"))))
    floor = rows[0].index("from_floor")
    assert [(r[1], r[floor]) for r in rows[1:]] == [("From a phone", ""),
                                                   ("From the room", "yes")]
    html = board_export.to_html(snap)
    assert "From the room (0 votes · from the floor)" in html
    assert "From a phone (0 votes)" in html
    assert "(0 votos · desde la sala)" in board_export.to_html(snap, "es")
