"""The phone view in AppTest: an edit saved by tapping Save, a closed or locked board that says
why instead of taking text it would throw away, a refused send that keeps the text, and the
display name form."""
import time

import pytest
from conftest import DEMO_CODE, own_chooser

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store


@pytest.fixture
def demo(app_env):
    """(store, facilitator, a fresh board in the collect phase)."""
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    yield store, facilitator, boards.create_board(store, facilitator, "Phone board?")
    store.close()


def _idea(at):
    return next((t for t in at.text_input if t.key == "idea"), None)


def _send(at, text):
    _idea(at).set_value(text)
    at.button(key="idea_send").click()
    at = at.run()
    assert not at.exception
    return at


def _texts(store, board):
    return [item.text for item in boards.snapshot(store, board.id).items]


@pytest.mark.parametrize("typed, kept", [
    ("First idea", "First idea"),  # saved: the edit box closes
    ("   ", "Frist idea"),         # refused: the box stays open with the text as typed
])
def test_an_own_item_is_changed_with_the_text_typed_when_save_is_tapped(open_page, demo,
                                                                        typed, kept):
    store, _, board = demo
    at = _send(open_page("pages/1_join.py", code=DEMO_CODE), "Frist idea")
    item_id = boards.snapshot(store, board.id).items[0].id
    at = own_chooser(at, board.id).set_value(item_id).run()
    # Typed, then Save tapped straight away (no Enter): both arrive in one run.
    next(t for t in at.text_input if t.key == f"edit_{item_id}").set_value(typed)
    next(b for b in at.button if b.key == f"save_{item_id}").click()
    at = at.run()
    assert not at.exception
    assert _texts(store, board) == [kept]
    box = [t.value for t in at.text_input if t.key == f"edit_{item_id}"]
    if typed == kept:
        assert own_chooser(at, board.id).value is None and box == []
    else:
        assert own_chooser(at, board.id).value == item_id and box == [typed]


@pytest.mark.parametrize("phase, note", [
    ("vote", "The facilitator has closed new ideas for now; you can still vote."),
    ("discuss", "The facilitator has closed new ideas and votes for the discussion."),
])
def test_closed_phase_hides_the_idea_form_and_says_why(open_page, demo, phase, note):
    store, facilitator, board = demo
    boards.set_phase(store, facilitator, board.id, phase)
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    assert _idea(at) is None and not any(b.label == "Send" for b in at.button)
    assert [i.value for i in at.info] == [note]


def test_refused_send_keeps_the_text_in_the_field(open_page, demo):
    store, facilitator, board = demo
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    boards.set_phase(store, facilitator, board.id, "vote")  # closed after the page was drawn
    at = _send(at, "My careful idea")
    assert _idea(at) is None  # the form went away and the board says why
    assert [i.value for i in at.info] == [
        "The facilitator has closed new ideas for now; you can still vote."]
    assert _texts(store, board) == []
    boards.set_phase(store, facilitator, board.id, "collect")
    at = at.run()
    assert _idea(at).value == "My careful idea"  # still there to send again
    at = _send(at, _idea(at).value)
    assert _texts(store, board) == ["My careful idea"] and _idea(at).value == ""


def test_send_refused_for_its_text_says_why_beside_the_form(open_page, demo):
    at = _send(open_page("pages/1_join.py", code=DEMO_CODE), "bell\x07")
    assert [e.value for e in at.error] == [
        "Item: contains control characters; please type plain text."]
    assert _idea(at).value == "bell\x07"


def test_locked_board_says_so_once_and_takes_no_votes(open_page, demo):
    store, facilitator, board = demo
    boards.add_item(store, facilitator, board.id, "Vote for me")
    boards.set_locked(store, facilitator, board.id, True)
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    assert _idea(at) is None
    assert at.pills and all(p.disabled for p in at.pills)
    said = [e.value for e in [*at.error, *at.warning, *at.info]]
    assert said == ["The facilitator has locked this board."]


def test_vote_refused_by_the_core_is_a_toast_beside_the_tap(open_page, demo):
    store, facilitator, board = demo
    item, _ = boards.add_item(store, facilitator, board.id, "Vote for me")
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    boards.set_locked(store, facilitator, board.id, True)  # locked after the phone drew it
    next(p for p in at.pills if p.options).set_value(item.id).run()
    assert not at.exception
    assert [t.value for t in at.toast] == ["The facilitator has locked this board."]
    assert boards.snapshot(store, board.id).items[0].votes == 0


def test_save_name_writes_the_participants_display_name(open_page, demo):
    store, _, _ = demo
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    at.text_input(key="display_name_field").set_value("Rosa")
    at.button(key="display_name_save").click()
    at = at.run()
    assert not at.exception
    assert store.workshops.participant_by_token(at.query_params["p"])["display_name"] == "Rosa"


def test_two_own_items_with_the_same_words_are_told_apart_in_the_chooser(open_page, demo):
    store, _, board = demo
    at = _send(open_page("pages/1_join.py", code=DEMO_CODE), "Housing")
    me = store.workshops.participant_by_token(at.query_params["p"])["id"]
    store.boards.add_item(board.id, text="Housing", participant_id=me, created_at=time.time())
    at = at.run()
    first, second = (i.id for i in boards.snapshot(store, board.id).items)
    chooser = own_chooser(at, board.id)
    assert [label.replace("\u2068", "").replace("\u2069", "") for label in chooser.options] == [
        "Housing", "Housing (2)"]
    at = chooser.set_value(second).run()
    assert [t.key for t in at.text_input if t.key.startswith("edit_")] == [f"edit_{second}"]
