"""Which participant a browser is, decided once (workshops.participant, called by ui.resolve)
and tested through the pages as a phone reaches them (`?code=...&p=<token>`, the remembered-device
cookie), on both engines: a token is taken only in its own workshop, a browser's own participant
wins over a token from a shared link, and a browser that arrives by a token keeps it."""
import pytest
from conftest import DEMO_CODE, joined

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

MY_DEVICE = "my-phone-device-cookie-0001"
NEW_DEVICE = "a-new-browser-cookie-00002"


@pytest.fixture
def room(db_url, open_page_each_engine):
    """(open a page, store, the demo's projected board, another workshop), on each engine."""
    store = open_store(db_url)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    board = boards.create_board(store, facilitator, "Who is here?")
    elsewhere = workshops.create_workshop(store, "Across town", None, "other-pin-1")
    yield open_page_each_engine, store, board, elsewhere
    store.close()


def _here_as(at) -> str:
    return next(c.value for c in at.sidebar.caption if c.value.startswith("You are here as"))


def test_a_token_of_another_workshops_participant_is_not_taken(room):
    open_page, store, board, elsewhere = room
    _, theirs, token = workshops.join(store, elsewhere.join_code)
    at = open_page("pages/5_coverage.py", code=DEMO_CODE, p=token)
    assert not at.exception and _here_as(at) == "You are here as: visitor"
    before = joined(store, board.id)
    at = open_page("pages/1_join.py", code=DEMO_CODE, p=token)
    assert not at.exception
    # The phone joins this workshop as someone new, never as the other workshop's participant.
    assert at.query_params["p"] != token and joined(store, board.id) == before + 1
    mine = store.workshops.participant_by_token(at.query_params["p"])
    assert mine["id"] != theirs.participant_id and mine["workshop_id"] == board.workshop_id


def test_a_token_of_this_workshop_is_its_participant(room):
    open_page, store, board, _ = room
    _, me, token = workshops.join(store, DEMO_CODE)
    at = open_page("pages/5_coverage.py", code=DEMO_CODE, p=token)
    assert not at.exception and _here_as(at) == "You are here as: participant"
    before = joined(store, board.id)
    at = open_page("pages/1_join.py", code=DEMO_CODE, p=token)
    assert not at.exception and at.query_params["p"] == token
    at.text_input(key="idea").set_value("Mine")
    at.button(key="idea_send").click()
    at = at.run()
    (item,) = boards.snapshot(store, board.id).items
    assert store.boards.item(item.id)["participant_id"] == me.participant_id
    assert joined(store, board.id) == before  # nobody new joined


def test_the_browsers_own_participant_wins_over_a_shared_links_token(room, device_cookie):
    open_page, store, _, _ = room
    _, _, mine = workshops.join(store, DEMO_CODE, device=MY_DEVICE)
    _, _, shared = workshops.join(store, DEMO_CODE)  # a neighbour's link, sent to the group
    device_cookie(MY_DEVICE)
    at = open_page("pages/1_join.py", code=DEMO_CODE, p=shared)
    assert not at.exception and at.query_params["p"] == mine


def test_a_token_opened_in_a_new_browser_is_remembered_there(room, device_cookie):
    open_page, store, _, _ = room
    _, _, token = workshops.join(store, DEMO_CODE)  # joined where no cookie was kept
    device_cookie(NEW_DEVICE)
    assert open_page("pages/1_join.py", code=DEMO_CODE, p=token).query_params["p"] == token
    at = open_page("pages/1_join.py", code=DEMO_CODE)  # the same browser, the link lost
    assert not at.exception and at.query_params["p"] == token
