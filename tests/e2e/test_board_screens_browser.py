"""A board's three screens in Chromium: the facilitator's approval queue fills by itself, a
projector card keeps its vote count on one line, and every phone vote button reads from the
left."""
import time

import pytest
from conftest import DEMO_CODE
from e2e.conftest import demo_facilitator, unlock_in_browser

from orgkit.board import service as boards
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

LONG_NAME = "Maria Guadalupe Hernandez Castillo de la Cruz"


@pytest.fixture
def room(server, sqlite_url):
    """(store, facilitator) on the server's database, holding the demo."""
    store = open_store(sqlite_url)
    yield store, demo_facilitator(store)
    store.close()


def test_pending_item_appears_in_the_facilitators_queue_without_a_click(
        browser, server, room, run_waiter, keep_shot):
    store, facilitator = room
    board = boards.create_board(store, facilitator, "Approval first?", moderation="approval")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.base}/facilitate?code={DEMO_CODE}")
    run_waiter(page)
    unlock_in_browser(page)
    page.get_by_text("Waiting for approval: 0").wait_for(timeout=20_000)
    boards.add_item(store, workshops.join(store, DEMO_CODE)[1], board.id, "Arrived on its own")
    started = time.time()
    page.get_by_text("Waiting for approval: 1").wait_for(timeout=15_000)  # nobody clicked
    assert page.get_by_text("Arrived on its own").first.is_visible()
    assert time.time() - started < 10
    page.get_by_text("Arrived on its own").first.scroll_into_view_if_needed()
    keep_shot(page, "facilitator-queue.png")
    context.close()


def test_projector_card_keeps_its_vote_count_on_one_line(browser, server, room, run_waiter,
                                                         keep_shot):
    store, facilitator = room
    board = boards.create_board(store, facilitator, "Named board?",
                                votes_hidden=False)  # the card's count is what is measured
    phone = workshops.join(store, DEMO_CODE)[1]
    workshops.set_display_name(store, phone, LONG_NAME)
    item, _ = boards.add_item(store, phone, board.id, "Pinned idea with a long author name")
    boards.pin_item(store, facilitator, item.id)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{server.base}/projector?code={DEMO_CODE}")
    run_waiter(page)
    votes = page.locator(f'[data-item="{item.id}"] .ok-votes')
    votes.wait_for()
    # Lines of the count's text (the span itself may be stretched to the card foot's height).
    lines = votes.evaluate("el => { const r = document.createRange(); r.selectNodeContents(el);"
                           " return new Set([...r.getClientRects()].map(x => x.top)).size; }")
    keep_shot(page.locator(f'[data-item="{item.id}"]'), "projector-pinned-card.png")
    assert lines == 1, "the vote count wrapped"
    context.close()


def test_phone_vote_buttons_are_all_left_aligned(browser, server, room, run_waiter, keep_shot):
    store, facilitator = room
    board = boards.create_board(store, facilitator, "Left or centre?")
    boards.add_item(store, facilitator, board.id, "Short")
    boards.add_item(store, facilitator, board.id, "A much longer idea that has to wrap onto a "
                                                  "second line on a narrow phone screen")
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    page.goto(f"{server.base}/join?code={DEMO_CODE}&board={board.id}")
    run_waiter(page)
    buttons = page.locator(".st-key-phone_items button")
    buttons.first.wait_for()
    # The gap between each button's left edge and its text's left edge.
    gaps = buttons.evaluate_all("""bs => bs.map(b => {
        const range = document.createRange(); range.selectNodeContents(b.querySelector('p') || b);
        return range.getClientRects()[0].left - b.getBoundingClientRect().left; })""")
    keep_shot(page, "phone-vote-buttons.png", full_page=True)
    assert len(gaps) == 2 and max(gaps) < 30 and abs(gaps[0] - gaps[1]) < 2, gaps
    context.close()
