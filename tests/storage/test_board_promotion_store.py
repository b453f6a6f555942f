"""Promoting a board item into a map entry on real SQLite and PostgreSQL: the entry takes the name
and level the facilitator wrote, and an item already on the map (in any case) is refused, naming
the entry it would double."""
import pytest

from orgkit.board import service as boards
from orgkit.domain import Conflict
from orgkit.map import service as maps


def test_promotion_takes_the_name_the_facilitator_wrote(board_room):
    store, facilitator, board, participant = board_room
    team = maps.create_map(store, facilitator, "Northside")
    item = boards.add_item(store, participant(), board.id, "Pastor Ruiz, St. Mark's")[0]
    entry_id = boards.promote_item(store, facilitator, item.id, team["id"], "leader",
                                   "Pastor Ruiz")
    entry = store.maps.entry(entry_id)
    assert (entry["name"], entry["level"], entry["stage"]) == ("Pastor Ruiz", "leader",
                                                               "identified")


def test_promoting_twice_is_refused_naming_the_existing_entry(board_room):
    store, facilitator, board, _ = board_room
    map_id = maps.create_map(store, facilitator, "Northside")["id"]
    item, _ = boards.add_item(store, facilitator, board.id, "Pastor Ruiz")
    boards.promote_item(store, facilitator, item.id, map_id, "leader")
    with pytest.raises(Conflict) as err:
        boards.promote_item(store, facilitator, item.id, map_id, "organization")
    assert str(err.value) == ("Already on Northside as “Pastor Ruiz” "
                              "(Community leaders and connectors).")
    assert [e["name"] for e in store.maps.entries(map_id)] == ["Pastor Ruiz"]


def test_promoting_an_item_named_like_an_entry_in_another_case_is_refused(board_room):
    store, facilitator, board, _ = board_room
    map_id = maps.create_map(store, facilitator, "Northside")["id"]
    first, _ = boards.add_item(store, facilitator, board.id, "Tenants United")
    second, _ = boards.add_item(store, facilitator, board.id, "tenants united")
    boards.promote_item(store, facilitator, first.id, map_id, "organization")
    with pytest.raises(Conflict, match="Already on Northside as “Tenants United”"):
        boards.promote_item(store, facilitator, second.id, map_id, "organization")
    assert len(store.maps.entries(map_id)) == 1
