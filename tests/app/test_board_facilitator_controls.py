"""Every facilitator control of a board in AppTest, each checked in the database.

A field typed into and then left by clicking a button reaches the server in the same run as the
click: AppTest's set_value followed by click and one run is exactly that, so these tests never run
in between (a value bound into the button's args when the page was drawn would be the old one)."""
import pytest
from conftest import DEMO_CODE, unisolated

from orgkit.board import service as boards
from orgkit.domain import Actor, Role
from orgkit.workshop import service as workshops


@pytest.fixture
def facilitate(open_page):
    return lambda: open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)


def _item(store, board, item_id):
    return next(i for i in boards.snapshot(store, board.id).items if i.id == item_id)


def _moderated(at, board):
    return at.selectbox(key=f"mod_item_{board.id}")


def _said(at, slot):
    """What the control's slot says beside it (board_parts.said), as read."""
    box = at.main.get_by_key(f"said_{slot}")
    return unisolated(" ".join(str(node.value) for node in box.children.values()))


def _run(at):
    at = at.run()
    assert not at.exception
    return at


def test_renaming_a_theme_saves_the_name_typed(demo, facilitate):
    store, _, board = demo
    theme_id, name = boards.snapshot(store, board.id).themes[0]
    at = facilitate()
    at.text_input(key=f"theme_{theme_id}_{name}").set_value("Power analysis")
    at.button(key=f"rename_{theme_id}").click()
    _run(at)
    assert dict(boards.snapshot(store, board.id).themes)[theme_id] == "Power analysis"


def test_timer_starts_with_the_minutes_typed(demo, facilitate):
    store, _, board = demo
    at = facilitate()
    at.number_input(key=f"ctl{board.id}_min").set_value(12)
    at.button(key=f"ctl{board.id}_start").click()
    _run(at)
    assert boards.get_board(store, Actor(Role.VISITOR, board.workshop_id),
                            board.id).seconds_left() in (720, 719)


@pytest.fixture
def fresh(demo):
    """A new board (the facilitate page's default) with three items, two themes and votes:
    (store, facilitator, board, item ids, theme ids, participants)."""
    store, facilitator, _ = demo
    board = boards.create_board(store, facilitator, "Fresh board?", votes_per_participant=3,
                                reference_notes="Listen to people first")
    people = [workshops.join(store, DEMO_CODE)[1] for _ in range(2)]
    ids = [boards.add_item(store, people[0], board.id, text)[0].id
           for text in ("Listen to people first", "Door knocking", "Door-knocking")]
    themes = [boards.create_theme(store, facilitator, board.id, name)
              for name in ("Listening", "Outreach")]
    for person in people:
        boards.toggle_vote(store, person, ids[1])
    boards.toggle_vote(store, people[0], ids[2])
    return store, facilitator, board, ids, themes, people


def test_theme_box_shows_the_chosen_items_own_theme(fresh, facilitate):
    store, facilitator, board, ids, (listening, outreach), _ = fresh
    boards.assign_theme(store, facilitator, ids[1], outreach)
    at = facilitate()
    _moderated(at, board).set_value(ids[0])
    at = _run(at)
    at.selectbox(key=f"mod_theme_{ids[0]}_None").set_value(listening)  # picked, not filed
    at = _run(at)
    _moderated(at, board).set_value(ids[1])
    at = _run(at)
    assert at.selectbox(key=f"mod_theme_{ids[1]}_{outreach}").value == outreach
    at.button(key=f"mod_theme_go_{ids[1]}").click()
    _run(at)
    assert _item(store, board, ids[1]).theme_id == outreach


def test_put_in_theme_files_the_item_under_the_theme_picked(fresh, facilitate):
    store, _, board, ids, (_, outreach), _ = fresh
    at = facilitate()
    _moderated(at, board).set_value(ids[1])
    at = _run(at)
    at.selectbox(key=f"mod_theme_{ids[1]}_None").set_value(outreach)
    at.button(key=f"mod_theme_go_{ids[1]}").click()
    _run(at)
    assert _item(store, board, ids[1]).theme_id == outreach


def test_merge_combines_votes_into_the_item_picked(fresh, facilitate):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    _moderated(at, board).set_value(ids[2])
    at = _run(at)
    at.selectbox(key=f"mod_merge_{ids[2]}").set_value(ids[1])
    at.button(key=f"mod_merge_go_{ids[2]}").click()
    _run(at)
    merged, kept = _item(store, board, ids[2]), _item(store, board, ids[1])
    assert (merged.status, merged.merged_into) == ("merged", ids[1])
    assert kept.votes == 2  # the shared voter counts once


def test_creating_a_theme_and_refusing_the_same_name_again(fresh, facilitate):
    store, _, board, _, _, _ = fresh
    at = facilitate()
    at.text_input(key=f"new_theme_{board.id}_name").set_value("Power")
    at.button(key=f"new_theme_{board.id}_submit").click()
    at = _run(at)
    assert [name for _, name in boards.snapshot(store, board.id).themes][-1] == "Power"
    at.text_input(key=f"new_theme_{board.id}_name").set_value("  power ")
    at.button(key=f"new_theme_{board.id}_submit").click()
    at = _run(at)
    assert [name for _, name in boards.snapshot(store, board.id).themes].count("Power") == 1
    assert any(w.value.startswith("Theme: this board already has a theme named")
               for w in at.warning)


def test_approving_a_waiting_item_puts_it_on_the_board(demo, facilitate):
    store, facilitator, _ = demo
    board = boards.create_board(store, facilitator, "Approval?", moderation="approval")
    item, _ = boards.add_item(store, workshops.join(store, DEMO_CODE)[1], board.id, "Wait for me")
    at = facilitate()
    assert any(m.value == "**Waiting for approval: 1**" for m in at.markdown)
    at.button(key=f"approve_{item.id}").click()
    at = _run(at)
    assert _item(store, board, item.id).status == "visible"
    assert any(m.value == "**Waiting for approval: 0**" for m in at.markdown)


@pytest.mark.parametrize("key, check", [
    # Pin acts on the item the moderation box starts on; its key carries the item's state.
    (lambda board, ids: f"mod_pin_{ids[0]}_visible_False",
     lambda store, board, ids: _item(store, board, ids[0]).pinned),
    (lambda board, ids: f"ctl{board.id}_lock_False",
     lambda store, board, ids: boards.snapshot(store, board.id).board.locked),
    (lambda board, ids: f"reset_{board.id}", lambda store, board, ids: all(
        i.votes == 0 for i in boards.snapshot(store, board.id).items)),
], ids=["pin", "lock", "reset votes"])
def test_one_tap_controls_change_the_board(fresh, facilitate, key, check):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    assert not check(store, board, ids)
    at.button(key=key(board, ids)).click()
    _run(at)
    assert check(store, board, ids)


def test_confirming_a_reveal_point_records_the_item_picked(fresh, facilitate):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    pick = at.selectbox(key=f"reveal_{board.id}_0_{ids[0]}_False")  # suggested, not confirmed
    assert pick.value == ids[0]  # suggested by shared words
    pick.set_value(ids[1])
    at.button(key=f"reveal_ok_{board.id}_0").click()
    _run(at)
    point = boards.snapshot(store, board.id).reveal[0]
    assert (point.item_id, point.raised, point.confirmed) == (ids[1], True, True)


def test_promoting_adds_an_entry_once_and_names_it_the_second_time(fresh, facilitate):
    store, facilitator, board, ids, _, _ = fresh
    team_map = store.maps.for_workshop(facilitator.workshop_id)[0]
    before = len(store.maps.entries(team_map["id"]))
    at = facilitate()
    _moderated(at, board).set_value(ids[1])
    at = _run(at)
    at.selectbox(key=f"promote_map_{ids[1]}").set_value(team_map["id"])
    level = at.selectbox(key=f"promote_level_{ids[1]}")
    assert level.value is None  # "Door knocking" names no level: the facilitator chooses
    assert at.button(key=f"promote_go_{ids[1]}").disabled
    level.set_value("leader")
    at = _run(at)
    assert any(c.value.startswith("Will add “Door knocking” to") and "Community leaders" in c.value
               for c in at.caption)  # what will be created, before it is
    at.button(key=f"promote_go_{ids[1]}").click()
    at = _run(at)
    # Said under the button, not at the top of the page.
    assert "Added “Door knocking” to the map" in _said(at, f"promote_{ids[1]}")
    added = [e for e in store.maps.entries(team_map["id"]) if e["name"] == "Door knocking"]
    assert len(added) == 1 and added[0]["level"] == "leader"
    at.button(key=f"promote_go_{ids[1]}").click()
    at = _run(at)
    assert len(store.maps.entries(team_map["id"])) == before + 1
    assert [w.value for w in at.warning] == [
        f"Already on {team_map['name']} as “Door knocking” (Community leaders and connectors)."]
    assert "Already on" in _said(at, f"promote_{ids[1]}")


def test_promotion_suggests_the_level_from_the_words_and_takes_the_name_typed(demo, facilitate):
    store, facilitator, _ = demo
    board = boards.create_board(store, facilitator, "Who decides?")
    person = workshops.join(store, DEMO_CODE)[1]
    item, _ = boards.add_item(store, person, board.id, "Ask Commissioner Hruska about the levy")
    team_map = store.maps.for_workshop(facilitator.workshop_id)[0]
    at = facilitate()
    assert at.selectbox(key=f"promote_level_{item.id}").value == "decision_maker"
    at.text_input(key=f"promote_name_{item.id}").set_value("Commissioner Hruska")
    at.button(key=f"promote_go_{item.id}").click()
    _run(at)
    (entry,) = [e for e in store.maps.entries(team_map["id"])
                if e["name"] == "Commissioner Hruska"]
    assert entry["level"] == "decision_maker"


def test_deleting_needs_the_word_delete(fresh, facilitate):
    store, _, board, _, _, _ = fresh
    at = facilitate()
    field = at.text_input(key=f"delete_word_{board.id}")
    assert field.label.startswith("Type DELETE")  # the word to type is in the field's label
    field.set_value("delete it")
    at.button(key=f"delete_{board.id}_submit").click()
    at = _run(at)
    assert any("Confirmation: type DELETE" in w.value for w in at.warning)
    assert store.boards.get(board.id) is not None
    at.text_input(key=f"delete_word_{board.id}").set_value("DELETE")
    at.button(key=f"delete_{board.id}_submit").click()
    _run(at)
    assert store.boards.get(board.id) is None


def test_item_labels_say_vote_or_votes_and_the_status_in_words(fresh, facilitate):
    store, facilitator, board, ids, _, _ = fresh
    boards.hide_item(store, facilitator, ids[0])
    at = facilitate()
    options = [unisolated(option) for option in _moderated(at, board).options]
    assert "Door-knocking (1 vote, on the board)" in options
    assert "Door knocking (2 votes, on the board)" in options
    assert "Listen to people first (0 votes, hidden by the facilitator)" in options
    assert not any("1 votes" in o or "visible" in o for o in options)


def test_picked_items_go_into_the_theme_typed_in_one_submit(fresh, facilitate):
    store, _, board, ids, (_, outreach), _ = fresh
    at = facilitate()
    at.multiselect(key=f"group_items_{board.id}").set_value([ids[1], ids[2]])
    at.text_input(key=f"group_theme_{board.id}").set_value("Doors")
    at.button(key=f"group_{board.id}_submit").click()
    at = _run(at)
    doors = {name: t for t, name in boards.snapshot(store, board.id).themes}["Doors"]
    assert [_item(store, board, i).theme_id for i in ids] == [None, doors, doors]
    assert "Grouped 2 under “Doors”." in _said(at, f"group_{board.id}")
    assert at.multiselect(key=f"group_items_{board.id}").value == []  # ready for the next
    # An existing theme's name, in any case, files there without a twin.
    at.multiselect(key=f"group_items_{board.id}").set_value([ids[1]])
    at.text_input(key=f"group_theme_{board.id}").set_value(" outreach")
    at.button(key=f"group_{board.id}_submit").click()
    _run(at)
    assert _item(store, board, ids[1]).theme_id == outreach
    assert len(boards.snapshot(store, board.id).themes) == 3


def test_a_suggested_group_is_accepted_in_one_tap(fresh, facilitate):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    # "Door knocking" and "Door-knocking" share their words, and the phrase names the group.
    at.button(key=f"suggest_{board.id}_Door knocking_{ids[1]}_{ids[2]}_ok").click()
    _run(at)
    snap = boards.snapshot(store, board.id)
    theme = {name: t for t, name in snap.themes}["Door knocking"]
    assert [_item(store, board, i).theme_id for i in ids[1:]] == [theme, theme]


def test_themes_can_be_ungrouped_and_deleted_and_a_merge_undone(fresh, facilitate):
    store, facilitator, board, ids, (listening, outreach), _ = fresh
    boards.group_items(store, facilitator, board.id, ids[1:], outreach)
    boards.merge_items(store, facilitator, ids[2], ids[1])
    at = facilitate()
    at.button(key=f"ungroup_{outreach}").click()
    at = _run(at)
    assert _item(store, board, ids[1]).theme_id is None
    at.button(key=f"delete_theme_{listening}").click()
    at = _run(at)
    assert [name for _, name in boards.snapshot(store, board.id).themes] == ["Outreach"]
    at.button(key=f"unmerge_{ids[2]}").click()
    _run(at)
    assert _item(store, board, ids[2]).status == "visible"


def test_editing_a_suggestion_fills_the_group_form_to_correct_before_sending(fresh, facilitate):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    at.button(key=f"suggest_{board.id}_Door knocking_{ids[1]}_{ids[2]}_edit").click()
    at = _run(at)
    assert at.multiselect(key=f"group_items_{board.id}").value == [ids[1], ids[2]]
    theme = at.text_input(key=f"group_theme_{board.id}")
    assert theme.value == "Door knocking"
    theme.set_value("Door to door")
    at.button(key=f"group_{board.id}_submit").click()
    _run(at)
    named = {name: t for t, name in boards.snapshot(store, board.id).themes}
    assert [_item(store, board, i).theme_id for i in ids[1:]] == [named["Door to door"]] * 2
