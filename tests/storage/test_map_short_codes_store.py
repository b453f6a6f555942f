"""Team maps' short codes on real SQLite and PostgreSQL: a map opens by its code typed any way,
and a map made before short codes existed gets one when it is handed out."""
import pytest

from orgkit.domain import NotFound, ValidationError
from orgkit.map import service as maps


def test_a_map_opens_by_its_short_code_typed_any_way(board_room):
    store, facilitator, _, _ = board_room
    team = maps.create_map(store, facilitator, "Northside")
    code = team["short_code"]
    assert len(code) == 8
    typed = f" {code[:4].lower()}-{code[4:]} "
    _, row, actor = maps.open_map_by_code(store, typed)
    assert row["id"] == team["id"] and actor.map_id == team["id"]
    with pytest.raises(ValidationError, match="Map code: must be 8"):
        maps.open_map_by_code(store, "ABC")
    with pytest.raises(NotFound, match="No team map has the code"):
        maps.open_map_by_code(store, "AAAA-AAAA" if code != "AAAAAAAA" else "BBBBBBBB")


def test_a_map_made_before_short_codes_gets_one_when_handed_out(board_room):
    store, facilitator, _, _ = board_room
    old = store.maps.create(facilitator.workshop_id, "Old team", "old-team-token")
    assert store.maps.get(old)["short_code"] is None
    code = maps.handout(store, facilitator, old)["short_code"]
    assert len(code) == 8 and maps.handout(store, facilitator, old)["short_code"] == code
