"""Every facilitator control of a board in AppTest, each checked in the database.

A field typed into and then left by clicking a button reaches the server in the same run as the
click: AppTest's set_value followed by click and one run is exactly that, so these tests never run
in between (a value bound into the button's args when the page was drawn would be the old one)."""
import pytest
from conftest import DEMO_CODE

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store
from orgkit.workshop import service as workshops


@pytest.fixture
def demo(app_env):
    """(store, facilitator, the demo board) on the AppTest's database."""
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    yield store, facilitator, boards.latest_board(store, facilitator)
    store.close()


@pytest.fixture
def facilitate(open_page):
    return lambda: open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)


def _button(at, label=None, key=None):
    return next(b for b in at.button if (key is None or b.key == key)
                and (label is None or b.label == label))


def _item(store, board, item_id):
    return next(i for i in boards.snapshot(store, board.id).items if i.id == item_id)


def _moderated(at):
    return next(s for s in at.selectbox if s.label == "Item to moderate")


def _run(at):
    at = at.run()
    assert not at.exception
    return at


def test_renaming_a_theme_saves_the_name_typed(demo, facilitate):
    store, _, board = demo
    theme_id, _ = boards.snapshot(store, board.id).themes[0]
    at = facilitate()
    next(t for t in at.text_input if (t.key or "").startswith(f"theme_{theme_id}_")).set_value(
        "Power analysis")
    _button(at, key=f"rename_{theme_id}").click()
    _run(at)
    assert dict(boards.snapshot(store, board.id).themes)[theme_id] == "Power analysis"


def test_timer_starts_with_the_minutes_typed(demo, facilitate):
    store, _, board = demo
    at = facilitate()
    at.number_input(key=f"ctl{board.id}_min").set_value(12)
    _button(at, key=f"ctl{board.id}_start").click()
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
    _moderated(at).set_value(ids[0])
    at = _run(at)
    next(s for s in at.selectbox if s.label == "Theme").set_value(listening)  # picked, not filed
    at = _run(at)
    _moderated(at).set_value(ids[1])
    at = _run(at)
    assert next(s for s in at.selectbox if s.label == "Theme").value == outreach
    _button(at, "Put in theme").click()
    _run(at)
    assert _item(store, board, ids[1]).theme_id == outreach


def test_put_in_theme_files_the_item_under_the_theme_picked(fresh, facilitate):
    store, _, board, ids, (_, outreach), _ = fresh
    at = facilitate()
    _moderated(at).set_value(ids[1])
    at = _run(at)
    next(s for s in at.selectbox if s.label == "Theme").set_value(outreach)
    _button(at, "Put in theme").click()
    _run(at)
    assert _item(store, board, ids[1]).theme_id == outreach


def test_merge_combines_votes_into_the_item_picked(fresh, facilitate):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    _moderated(at).set_value(ids[2])
    at = _run(at)
    next(s for s in at.selectbox if s.label.startswith("Merge this item into")).set_value(ids[1])
    _button(at, "Merge").click()
    _run(at)
    merged, kept = _item(store, board, ids[2]), _item(store, board, ids[1])
    assert (merged.status, merged.merged_into) == ("merged", ids[1])
    assert kept.votes == 2  # the shared voter counts once


def test_creating_a_theme_and_refusing_the_same_name_again(fresh, facilitate):
    store, _, board, _, _, _ = fresh
    at = facilitate()
    next(t for t in at.text_input if t.label == "New theme").set_value("Power")
    _button(at, "Create theme").click()
    at = _run(at)
    assert [name for _, name in boards.snapshot(store, board.id).themes][-1] == "Power"
    next(t for t in at.text_input if t.label == "New theme").set_value("  power ")
    _button(at, "Create theme").click()
    at = _run(at)
    assert [name for _, name in boards.snapshot(store, board.id).themes].count("Power") == 1
    assert any(w.value.startswith("Theme: this board already has a theme named") for w in at.warning)


def test_approving_a_waiting_item_puts_it_on_the_board(demo, facilitate):
    store, facilitator, _ = demo
    board = boards.create_board(store, facilitator, "Approval?", moderation="approval")
    item, _ = boards.add_item(store, workshops.join(store, DEMO_CODE)[1], board.id, "Wait for me")
    at = facilitate()
    assert any(m.value == "**Waiting for approval: 1**" for m in at.markdown)
    _button(at, "Approve").click()
    at = _run(at)
    assert _item(store, board, item.id).status == "visible"
    assert any(m.value == "**Waiting for approval: 0**" for m in at.markdown)


@pytest.mark.parametrize("label, check", [
    ("Pin", lambda store, board, ids: _item(store, board, ids[0]).pinned),
    ("Lock the board", lambda store, board, ids: boards.snapshot(store, board.id).board.locked),
    ("Reset all votes", lambda store, board, ids: all(
        i.votes == 0 for i in boards.snapshot(store, board.id).items)),
])
def test_one_tap_controls_change_the_board(fresh, facilitate, label, check):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    assert not check(store, board, ids)
    _button(at, label).click()
    _run(at)
    assert check(store, board, ids)


def test_confirming_a_reveal_point_records_the_item_picked(fresh, facilitate):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    pick = next(s for s in at.selectbox if (s.key or "").startswith(f"reveal_{board.id}_0_"))
    assert pick.value == ids[0]  # suggested by shared words
    pick.set_value(ids[1])
    _button(at, key=f"reveal_ok_{board.id}_0").click()
    _run(at)
    point = boards.snapshot(store, board.id).reveal[0]
    assert (point.item_id, point.raised, point.confirmed) == (ids[1], True, True)


def test_promoting_adds_an_entry_once_and_names_it_the_second_time(fresh, facilitate):
    store, facilitator, board, ids, _, _ = fresh
    team_map = store.maps.for_workshop(facilitator.workshop_id)[0]
    before = len(store.maps.entries(team_map["id"]))
    at = facilitate()
    _moderated(at).set_value(ids[1])
    at = _run(at)
    next(s for s in at.selectbox if s.label == "Team map").set_value(team_map["id"])
    level = next(s for s in at.selectbox if s.label == "Level")
    assert level.value is None  # "Door knocking" names no level: the facilitator chooses
    assert _button(at, "Add to the map").disabled
    level.set_value("leader")
    at = _run(at)
    assert any(c.value.startswith("Will add “Door knocking” to") and "Community leaders" in c.value
               for c in at.caption)  # what will be created, before it is
    _button(at, "Add to the map").click()
    at = _run(at)
    assert any(s.value.startswith("Added “Door knocking” to the map") for s in at.success)
    added = [e for e in store.maps.entries(team_map["id"]) if e["name"] == "Door knocking"]
    assert len(added) == 1 and added[0]["level"] == "leader"
    _button(at, "Add to the map").click()
    at = _run(at)
    assert len(store.maps.entries(team_map["id"])) == before + 1
    assert [w.value for w in at.warning] == [
        f"Already on {team_map['name']} as “Door knocking” (Community leaders and connectors)."]


def test_promotion_suggests_the_level_from_the_words_and_takes_the_name_typed(demo, facilitate):
    store, facilitator, _ = demo
    board = boards.create_board(store, facilitator, "Who decides?")
    person = workshops.join(store, DEMO_CODE)[1]
    item, _ = boards.add_item(store, person, board.id, "Ask Commissioner Hruska about the levy")
    team_map = store.maps.for_workshop(facilitator.workshop_id)[0]
    at = facilitate()
    assert next(s for s in at.selectbox if s.label == "Level").value == "decision_maker"
    next(t for t in at.text_input if t.label == "Entry name").set_value("Commissioner Hruska")
    _button(at, "Add to the map").click()
    _run(at)
    (entry,) = [e for e in store.maps.entries(team_map["id"])
                if e["name"] == "Commissioner Hruska"]
    assert entry["level"] == "decision_maker"


def test_deleting_needs_the_word_delete(fresh, facilitate):
    store, _, board, _, _, _ = fresh
    at = facilitate()
    field = next(t for t in at.text_input if t.label.startswith("Type DELETE"))
    field.set_value("delete it")
    _button(at, "Delete board").click()
    at = _run(at)
    assert any("Confirmation: type DELETE" in w.value for w in at.warning)
    assert store.boards.get(board.id) is not None
    next(t for t in at.text_input if t.label.startswith("Type DELETE")).set_value("DELETE")
    _button(at, "Delete board").click()
    _run(at)
    assert store.boards.get(board.id) is None


def test_item_labels_say_vote_or_votes_and_the_status_in_words(fresh, facilitate):
    store, facilitator, board, ids, _, _ = fresh
    boards.hide_item(store, facilitator, ids[0])
    at = facilitate()
    options = _moderated(at).options
    assert "Door-knocking (1 vote, on the board)" in options
    assert "Door knocking (2 votes, on the board)" in options
    assert "Listen to people first (0 votes, hidden by the facilitator)" in options
    assert not any("1 votes" in o or "visible" in o for o in options)


def test_picked_items_go_into_the_theme_typed_in_one_submit(fresh, facilitate):
    store, _, board, ids, (_, outreach), _ = fresh
    at = facilitate()
    next(m for m in at.multiselect if m.label == "Items").set_value([ids[1], ids[2]])
    next(t for t in at.text_input if t.label == "Theme for these items").set_value("Doors")
    next(b for b in at.button if b.label == "Group").click()
    at = _run(at)
    doors = {name: t for t, name in boards.snapshot(store, board.id).themes}["Doors"]
    assert [_item(store, board, i).theme_id for i in ids] == [None, doors, doors]
    assert any(s.value == "Grouped 2 under “Doors”." for s in at.success)
    assert next(m for m in at.multiselect if m.label == "Items").value == []  # ready for the next
    # An existing theme's name, in any case, files there without a twin.
    next(m for m in at.multiselect if m.label == "Items").set_value([ids[1]])
    next(t for t in at.text_input if t.label == "Theme for these items").set_value(" outreach")
    next(b for b in at.button if b.label == "Group").click()
    _run(at)
    assert _item(store, board, ids[1]).theme_id == outreach
    assert len(boards.snapshot(store, board.id).themes) == 3


def test_a_suggested_group_is_accepted_in_one_tap(fresh, facilitate):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    # "Door knocking" and "Door-knocking" share their words.
    accept = next(b for b in at.button if b.label == "Accept")
    accept.click()
    _run(at)
    snap = boards.snapshot(store, board.id)
    theme = {name: t for t, name in snap.themes}["Door"]
    assert [_item(store, board, i).theme_id for i in ids[1:]] == [theme, theme]


def test_themes_can_be_ungrouped_and_deleted_and_a_merge_undone(fresh, facilitate):
    store, facilitator, board, ids, (listening, outreach), _ = fresh
    boards.group_items(store, facilitator, board.id, ids[1:], outreach)
    boards.merge_items(store, facilitator, ids[2], ids[1])
    at = facilitate()
    _button(at, key=f"ungroup_{outreach}").click()
    at = _run(at)
    assert _item(store, board, ids[1]).theme_id is None
    _button(at, key=f"delete_theme_{listening}").click()
    at = _run(at)
    assert [name for _, name in boards.snapshot(store, board.id).themes] == ["Outreach"]
    _button(at, "Undo merge").click()
    _run(at)
    assert _item(store, board, ids[2]).status == "visible"


def test_editing_a_suggestion_fills_the_group_form_to_correct_before_sending(fresh, facilitate):
    store, _, board, ids, _, _ = fresh
    at = facilitate()
    _button(at, "Edit").click()
    at = _run(at)
    assert next(m for m in at.multiselect if m.label == "Items").value == [ids[1], ids[2]]
    theme = next(t for t in at.text_input if t.label == "Theme for these items")
    assert theme.value == "Door"
    theme.set_value("Door knocking")
    next(b for b in at.button if b.label == "Group").click()
    _run(at)
    named = {name: t for t, name in boards.snapshot(store, board.id).themes}
    assert [_item(store, board, i).theme_id for i in ids[1:]] == [named["Door knocking"]] * 2
