"""The facilitator's reveal rows (AppTest): a suggested row offers Confirm, a confirmed one shows
its answer fixed and offers Undo; "Confirm all" saves every suggestion as its select shows it."""
import pytest
from conftest import DEMO_CODE

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store
from orgkit.workshop import service as workshops


@pytest.fixture
def reveal_board(app_env):
    """A new board (the facilitate page's default) with three reference points and items that
    raise two of them: (store, facilitator, board, item ids)."""
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    board = boards.create_board(store, facilitator, "What did we hear?", reference_notes=(
        "Candidate forums\nOne-on-one meetings\nA budget for childcare"))
    person = workshops.join(store, DEMO_CODE)[1]
    ids = [boards.add_item(store, person, board.id, text)[0].id
           for text in ("Foro de candidatos", "Reuniones uno a uno", "Door knocking")]
    yield store, facilitator, board, ids
    store.close()


def _open(open_page):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    assert not at.exception
    return at


def _answers(store, board):
    return [(p.item_id, p.confirmed) for p in boards.snapshot(store, board.id).reveal]


def test_confirm_all_confirms_every_suggestion_and_each_row_then_offers_undo(reveal_board,
                                                                            open_page):
    store, _, board, ids = reveal_board
    at = _open(open_page)
    assert _answers(store, board) == [(ids[0], False), (ids[1], False), (None, False)]
    assert [b.key for b in at.button if (b.key or "").startswith(f"reveal_undo_{board.id}")] == []
    confirm_all = at.button(key=f"reveal_all_{board.id}")
    assert confirm_all.label == "Confirm all 2 suggestions"
    at = confirm_all.click().run()
    assert not at.exception
    # The two suggestions, confirmed; the point nobody raised stays a suggestion ("not raised").
    assert _answers(store, board) == [(ids[0], True), (ids[1], True), (None, False)]
    assert "Confirmed 2 points" in " ".join(s.value for s in at.success)
    keys = {b.key for b in at.button}
    assert {f"reveal_undo_{board.id}_0", f"reveal_undo_{board.id}_1"} <= keys
    assert f"reveal_ok_{board.id}_0" not in keys and f"reveal_ok_{board.id}_2" in keys
    assert f"reveal_all_{board.id}" not in keys  # nothing suggested is left to confirm
    confirmed = at.selectbox(key=f"reveal_{board.id}_0_{ids[0]}_True")
    assert confirmed.disabled and confirmed.label.endswith("(confirmed)")
    at = at.button(key=f"reveal_undo_{board.id}_1").click().run()
    assert not at.exception
    assert _answers(store, board) == [(ids[0], True), (ids[1], False), (None, False)]
    assert at.button(key=f"reveal_ok_{board.id}_1").label == "Confirm"


def test_confirm_all_saves_a_suggestion_as_corrected_in_its_select(reveal_board, open_page):
    store, _, board, ids = reveal_board
    at = _open(open_page)
    at.selectbox(key=f"reveal_{board.id}_1_{ids[1]}_False").set_value(ids[2])
    at = at.button(key=f"reveal_all_{board.id}").click().run()
    assert not at.exception
    assert _answers(store, board) == [(ids[0], True), (ids[2], True), (None, False)]


def test_a_refused_confirmation_is_said_inside_the_reveal(reveal_board, open_page):
    store, facilitator, board, ids = reveal_board
    at = _open(open_page)
    boards.hide_item(store, facilitator, ids[0])  # in another tab, after this screen was drawn
    at = at.button(key=f"reveal_ok_{board.id}_0").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["This item is no longer on the board."]
    assert _answers(store, board)[0] == (None, False)  # nothing saved; the item is not suggested
