"""Grouping a board's items into themes on real SQLite and PostgreSQL: many items into a new theme
in one call, refusals that save nothing, un-grouping and deleting a theme, suggested groups, and
theme names unique on a board whatever their case."""
import pytest

from orgkit.board import model as board_model
from orgkit.board import service as boards
from orgkit.domain import Conflict, NotFound, ValidationError


def test_many_items_go_into_a_new_theme_in_one_call(board_room):
    store, facilitator, board, participant = board_room
    person = participant()
    ids = [boards.add_item(store, person, board.id, f"Idea {n}")[0].id for n in range(5)]
    theme = boards.group_items(store, facilitator, board.id, ids[:3], "Listening")
    snap = boards.snapshot(store, board.id)
    assert snap.themes == ((theme, "Listening"),)
    assert [i.theme_id for i in snap.items] == [theme, theme, theme, None, None]
    # A name that matches an existing theme (any case) files into it, not a twin.
    assert boards.group_items(store, facilitator, board.id, ids[3:], "listening") == theme
    assert len(boards.snapshot(store, board.id).themes) == 1


def test_grouping_refuses_nothing_picked_and_items_gone_and_saves_nothing(board_room):
    store, facilitator, board, participant = board_room
    person = participant()
    keep, gone = (boards.add_item(store, person, board.id, t)[0].id for t in ("Keep", "Gone"))
    boards.merge_items(store, facilitator, gone, keep)
    with pytest.raises(ValidationError, match="Items: pick at least one"):
        boards.group_items(store, facilitator, board.id, [], "Theme")
    with pytest.raises(Conflict, match="no longer on the board"):
        boards.group_items(store, facilitator, board.id, [keep, gone], "New theme")
    snap = boards.snapshot(store, board.id)
    assert snap.themes == () and all(i.theme_id is None for i in snap.items)
    with pytest.raises(ValidationError, match="Theme: is required"):
        boards.group_items(store, facilitator, board.id, [keep], "  ")


def test_ungroup_keeps_the_theme_and_delete_removes_it_keeping_the_items(board_room):
    store, facilitator, board, participant = board_room
    person = participant()
    ids = [boards.add_item(store, person, board.id, f"Idea {n}")[0].id for n in range(2)]
    theme = boards.group_items(store, facilitator, board.id, ids, "Trust")
    boards.ungroup_theme(store, facilitator, board.id, theme)
    snap = boards.snapshot(store, board.id)
    assert snap.themes == ((theme, "Trust"),) and all(i.theme_id is None for i in snap.items)
    boards.group_items(store, facilitator, board.id, ids, theme)
    boards.delete_theme(store, facilitator, board.id, theme)
    snap = boards.snapshot(store, board.id)
    assert snap.themes == () and [i.theme_id for i in snap.items] == [None, None]
    with pytest.raises(NotFound):
        boards.delete_theme(store, facilitator, board.id, theme)


def test_suggested_groups_gather_items_that_share_a_word(board_room):
    store, facilitator, board, participant = board_room
    person = participant()
    for text in ("Listening to tenants", "Deep listening sessions", "Trust takes time",
                 "Build trust first", "Food at meetings", "Listen before you speak"):
        boards.add_item(store, person, board.id, text)
    snap = boards.snapshot(store, board.id)
    text = {i.id: i.text for i in snap.items}
    offered = {g.name: sorted(text[i] for i in g.item_ids)
               for g in board_model.suggest_groups(snap)}
    # "Listen" and "listening" share a stem; "Food at meetings" shares nothing.
    assert offered == {"Listening": ["Deep listening sessions", "Listen before you speak",
                                     "Listening to tenants"],
                       "Trust": ["Build trust first", "Trust takes time"]}
    # Once grouped, items are not offered again; an existing theme is offered by its own name.
    boards.group_items(store, facilitator, board.id,
                       [i.id for i in snap.items if "rust" in i.text], "Trust and time")
    boards.add_item(store, person, board.id, "Trust the members")
    boards.add_item(store, person, board.id, "Members decide, trust them")
    offered = {g.name for g in board_model.suggest_groups(boards.snapshot(store, board.id))}
    assert offered == {"Listening", "Trust and time"}


@pytest.mark.parametrize("second", ["Listening", "  LISTENING ", "listening"])
def test_a_second_theme_with_the_same_name_is_refused(board_room, second):
    store, facilitator, board, _ = board_room
    boards.create_theme(store, facilitator, board.id, "Listening")
    with pytest.raises(ValidationError) as err:
        boards.create_theme(store, facilitator, board.id, second)
    assert str(err.value).startswith("Theme: this board already has a theme named")
    assert len(boards.snapshot(store, board.id).themes) == 1


def test_renaming_a_theme_to_another_themes_name_is_refused_but_its_own_case_may_change(board_room):
    store, facilitator, board, _ = board_room
    listening = boards.create_theme(store, facilitator, board.id, "Listening")
    boards.create_theme(store, facilitator, board.id, "Outreach")
    with pytest.raises(ValidationError, match="^Theme: "):
        boards.rename_theme(store, facilitator, board.id, listening, "outreach")
    boards.rename_theme(store, facilitator, board.id, listening, "LISTENING")
    assert [name for _, name in boards.snapshot(store, board.id).themes] == ["LISTENING",
                                                                             "Outreach"]
