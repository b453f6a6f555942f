"""A form submitted twice (a double click, a resent request) on real SQLite and PostgreSQL: the
second submit with the form's key returns the first one's workshop, board or map."""
from orgkit.board import service as boards
from orgkit.map import service as maps
from orgkit.workshop import service as workshops


def _count(store, table):
    return store.db.scalar(f"SELECT COUNT(*) FROM {table}")


def test_two_submits_with_one_key_create_one_workshop(store):
    first = workshops.create_workshop(store, "Seminar", None, "pin-123456", "form-key-1")
    again = workshops.create_workshop(store, "Seminar", None, "pin-123456", "form-key-1")
    assert again == first and _count(store, "workshops") == 1
    other = workshops.create_workshop(store, "Seminar", None, "pin-123456", "form-key-2")
    assert other.id != first.id and _count(store, "workshops") == 2


def test_two_submits_with_one_key_create_one_board_and_one_map(board_room):
    store, facilitator, _, _ = board_room
    first = boards.create_board(store, facilitator, "Again?", idempotency_key="k1")
    assert boards.create_board(store, facilitator, "Again?", idempotency_key="k1").id == first.id
    assert len(boards.boards_for(store, facilitator)) == 2  # the fixture's board and this one
    made = maps.create_map(store, facilitator, "Northside", idempotency_key="m1")
    again = maps.create_map(store, facilitator, "Northside", idempotency_key="m1")
    assert again["id"] == made["id"]
    assert _count(store, "maps") == 1
    # Without a key (scripts, the demo) every call creates.
    maps.create_map(store, facilitator, "Northside")
    maps.create_map(store, facilitator, "Northside")
    assert _count(store, "maps") == 3
