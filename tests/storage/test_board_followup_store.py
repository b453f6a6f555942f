"""Board rules from the QA follow-up on real databases (SQLite and PostgreSQL): a promotion is
not doubled, theme names are unique per board, a visitor has no display name, and a malformed
board link gets a plain message (anonymity: test_board_store)."""
import pytest

from orgkit.board import service as boards
from orgkit.domain import Actor, Conflict, PermissionDenied, Role, ValidationError
from orgkit.map import service as maps
from orgkit.workshop import service as workshops


@pytest.fixture
def room(store):
    """(store, facilitator, workshop, a board) with one team map."""
    workshop = workshops.create_workshop(store, "Follow-up", None, "board-pin-123")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    maps.create_map(store, facilitator, "Northside")
    board = boards.create_board(store, facilitator, "Who should we meet?")
    return store, facilitator, workshop, board


def _map_id(store, workshop):
    return store.maps.for_workshop(workshop.id)[0]["id"]


def test_promoting_twice_is_refused_naming_the_existing_entry(room):
    store, facilitator, workshop, board = room
    item, _ = boards.add_item(store, facilitator, board.id, "Pastor Ruiz")
    map_id = _map_id(store, workshop)
    boards.promote_item(store, facilitator, item.id, map_id, "leader")
    with pytest.raises(Conflict) as err:
        boards.promote_item(store, facilitator, item.id, map_id, "organization")
    assert str(err.value) == "Already on Northside as “Pastor Ruiz” (Community leaders and connectors)."
    assert [e["name"] for e in store.maps.entries(map_id)] == ["Pastor Ruiz"]


def test_promoting_an_item_named_like_an_entry_in_another_case_is_refused(room):
    store, facilitator, workshop, board = room
    first, _ = boards.add_item(store, facilitator, board.id, "Tenants United")
    second, _ = boards.add_item(store, facilitator, board.id, "tenants united")
    map_id = _map_id(store, workshop)
    boards.promote_item(store, facilitator, first.id, map_id, "organization")
    with pytest.raises(Conflict, match="Already on Northside as “Tenants United”"):
        boards.promote_item(store, facilitator, second.id, map_id, "organization")
    assert len(store.maps.entries(map_id)) == 1


@pytest.mark.parametrize("second", ["Listening", "  LISTENING ", "listening"])
def test_a_second_theme_with_the_same_name_is_refused(room, second):
    store, facilitator, _, board = room
    boards.create_theme(store, facilitator, board.id, "Listening")
    with pytest.raises(ValidationError) as err:
        boards.create_theme(store, facilitator, board.id, second)
    assert str(err.value).startswith("Theme: this board already has a theme named")
    assert len(boards.snapshot(store, board.id).themes) == 1


def test_renaming_a_theme_to_another_themes_name_is_refused_but_its_own_case_may_change(room):
    store, facilitator, _, board = room
    listening = boards.create_theme(store, facilitator, board.id, "Listening")
    boards.create_theme(store, facilitator, board.id, "Outreach")
    with pytest.raises(ValidationError, match="^Theme: "):
        boards.rename_theme(store, facilitator, board.id, listening, "outreach")
    boards.rename_theme(store, facilitator, board.id, listening, "LISTENING")
    assert [name for _, name in boards.snapshot(store, board.id).themes] == ["LISTENING",
                                                                             "Outreach"]


def test_a_visitor_has_no_display_name(room):
    store, _, workshop, _ = room
    with pytest.raises(PermissionDenied):
        workshops.set_display_name(store, Actor(Role.VISITOR, workshop.id), "Rosa")


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "2.5", "99999999999999999999999"])
def test_a_malformed_board_link_gets_a_plain_message(room, bad):
    store, facilitator, _, _ = room
    with pytest.raises(ValidationError) as err:
        boards.get_board(store, facilitator, bad)
    assert str(err.value) == ("Board: this link does not name a board; open the board from the "
                              "projector or the join link.")
