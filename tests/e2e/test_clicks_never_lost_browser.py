"""A facilitator's click is never lost and nothing moves by itself, in Chromium against a freshly
started server: the facilitate page and the projector tab it opens share one browser (as a
facilitator's laptop has them), an idea arrives every second, a phone polls, and the page's own
watchers (the board's revision, the lock check) rerun it. Each phase, lock, timer, vote-count and
hide control, and the agenda's Next and Back, is clicked 20 times in a row; the stored state is
checked after each click and after the pages settle, then a minute with no click must change
nothing the facilitator controls."""
import threading
import time
from urllib.parse import urljoin

import pytest
from conftest import DEMO_CODE
from e2e.conftest import demo_facilitator, open_facilitate

from orgkit.board import service as boards
from orgkit.domain import PHASES, OrgKitError
from orgkit.session import service as sessions
from orgkit.storage import open_store
from orgkit.ui.board_parts import WATCH_S
from orgkit.workshop import service as workshops

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]  # minutes on a busy 2-core box

CLICKS = 20
QUIET_S = 60  # a minute with no click: nothing may move


@pytest.fixture
def room(server, sqlite_url):
    """(store, board): the demo workshop with a fresh board in the collect phase, and a phone
    posting an idea a second through the service (refused while the board is locked or closed:
    the attempt goes on)."""
    store = open_store(sqlite_url)
    facilitator = demo_facilitator(store)
    board = boards.create_board(store, facilitator, "What makes a room trust its facilitator?",
                                votes_hidden=False)
    boards.add_item(store, facilitator, board.id, "Listening first")
    stop = threading.Event()

    def post():
        phone_store = open_store(sqlite_url)
        phone = workshops.join(phone_store, DEMO_CODE)[1]
        n = 0
        while not stop.wait(1.0):
            n += 1
            try:
                item, _ = boards.add_item(phone_store, phone, board.id, f"Idea number {n}")
                boards.toggle_vote(phone_store, phone, item.id)
            except OrgKitError:
                pass
        phone_store.close()

    poster = threading.Thread(target=post, daemon=True)
    poster.start()
    yield store, board
    stop.set()
    poster.join(5)
    store.close()


def _state(store, board_id):
    """What the facilitator's controls set, as stored: phase, lock, timer end, hidden counts, and
    each item's status."""
    snap = boards.snapshot(store, board_id)
    board = snap.board
    return (board.phase, board.locked, board.timer_ends_at, board.hide_counts,
            {item.id: item.status for item in snap.items})


def _until(check, timeout=15.0, what="condition"):
    """Wait for a click's effect; on a machine this busy, a late one is told from a lost one."""
    started = time.time()
    while time.time() < started + timeout:
        if check():
            return
        time.sleep(0.1)
    while time.time() < started + 3 * timeout:
        if check():
            raise AssertionError(f"{what}: came after {time.time() - started:.1f} s")
        time.sleep(0.5)
    raise AssertionError(f"{what}: lost")


def _button(page, key_start):
    """The button whose key starts with `key_start` (Streamlit puts st-key-<key> on its box)."""
    return page.locator(f'[class*="st-key-{key_start}"] button').first


def _moderated_item(page) -> int:
    """The item the moderation box shows, read from its Hide (or Unhide) button's key."""
    box = page.locator('[class*="st-key-mod_hide_"], [class*="st-key-mod_unhide_"]').first
    return int(box.get_attribute("class").split("st-key-mod_")[1].split("_")[1])


def _clicks(page, store, bid):
    """Per control, the next click: (button key prefix, what must be stored after it, for a
    toggle a selector of its other side, which shows once the page has drawn the change). The
    phase and timer buttons stay where they are: the next click goes at once, into whatever
    reruns are under way. Each is read from the store
    just before its click, so a control that toggles clicks the side it shows."""
    key = f"ctl{bid}"
    order = list(PHASES)

    def phase(n):
        target = order[(n + 1) % len(order)]
        return f"{key}_phase_{target}", lambda s: s[0] == target, None

    def toggle(index, name):
        def click(n):
            now = _state(store, bid)[index]
            return (f"{key}_{name}_{now}", lambda s: s[index] == (not now),
                    f".st-key-{key}_{name}_{not now}")
        return click

    def timer(n):
        if n % 2:
            return f"{key}_stop", lambda s: s[2] is None, None
        before = time.time()
        return f"{key}_start", lambda s: (s[2] or 0) >= before + 60, None

    def hide(n):
        item_id = _moderated_item(page)
        hidden = _state(store, bid)[4][item_id] == "hidden"
        want = "visible" if hidden else "hidden"
        now, then = ("unhide", "hide") if hidden else ("hide", "unhide")
        return (f"mod_{now}_{item_id}_", lambda s: s[4][item_id] == want,
                f'[class*="st-key-mod_{then}_{item_id}_"]')

    return {"phase": phase, "lock": toggle(1, "lock"), "counts": toggle(3, "counts"),
            "timer": timer, "hide": hide}


def test_every_facilitator_control_acts_once_on_the_value_clicked(
        browser, server, room, run_waiter, keep_shot):
    store, board = room
    page = open_facilitate(browser, server, run_waiter)
    context = page.context
    # The projector tab, opened from the page's link in the same browser, as a facilitator does.
    link = page.get_by_role("link", name="Open this board on the projector")
    projector = context.new_page()
    projector.goto(urljoin(page.url, link.get_attribute("href")))
    run_waiter(projector)
    projector.locator(".ok-board").wait_for()
    phone = browser.new_context(viewport={"width": 360, "height": 740},
                                has_touch=True).new_page()
    phone.goto(f"{server.base}/join?code={DEMO_CODE}&board={board.id}")
    run_waiter(phone)
    page.bring_to_front()

    for name, next_click in _clicks(page, store, board.id).items():
        for n in range(CLICKS):
            button, stored, drawn = next_click(n)
            # Forced: a busy page redraws all the time, and Playwright would wait for the
            # button to stand still; a person clicks it mid-redraw, which is the point here.
            _button(page, button).click(force=True)
            _until(lambda done=stored: done(_state(store, board.id)), what=f"{name} click {n}")
            if drawn:  # a toggle is clicked again on the side the new draw shows
                page.locator(drawn).first.wait_for(timeout=8_000)
            assert stored(_state(store, board.id)), f"{name} click {n} undone"
        run_waiter(page)
        time.sleep(WATCH_S + 1)  # the pages settle: both tabs' watchers run again
        assert stored(_state(store, board.id)), f"{name} moved after its clicks"
        said = {"phase": ("said_ctl{}_phase", "Phase set to"),
                "timer": ("said_ctl{}_timer", "Timer stopped."),
                "hide": ("said_mod_{}", "Shown on the board again.")}.get(name)
        if said:  # what the last click did, beside its control
            assert said[1] in page.locator(f".st-key-{said[0].format(board.id)}").inner_text()
        shown = f".st-key-{said[0].format(board.id)}" if said else \
            f'[class*="st-key-{button.rsplit("_", 1)[0]}"]'
        page.locator(shown).first.scroll_into_view_if_needed()
        keep_shot(page, f"clicks-{name}.png")

    # A minute of nobody clicking: nothing the facilitator controls moves, though ideas keep
    # arriving (so the watchers keep redrawing both tabs).
    settled = _state(store, board.id)
    deadline = time.time() + QUIET_S
    while time.time() < deadline:
        now = _state(store, board.id)
        assert now[:4] == settled[:4]
        assert {i: s for i, s in now[4].items() if i in settled[4]} == settled[4]
        time.sleep(1)
    assert len(now[4]) > len(settled[4])
    assert projector.get_by_text("Facilitator controls").count() == 0
    assert projector.locator("[data-testid=stMain] [data-testid=stButton]").count() == 0
    keep_shot(projector, "clicks-projector.png")


def test_next_and_back_move_the_room_once_per_click(browser, server, room, run_waiter,
                                                    keep_shot):
    """Next and Back of the agenda, clicked 20 times into a page that ideas keep redrawing, each
    move exactly one step; a double click on Next moves one step, not two."""
    store, board = room
    facilitator = demo_facilitator(store)
    steps = [step.id for step in sessions.agenda(store, facilitator)]
    sessions.move(store, facilitator, None, steps[0])
    page = open_facilitate(browser, server, run_waiter)

    def on() -> int:
        return sessions.room(store, facilitator.workshop_id).step_id

    for n in range(CLICKS):
        here = on()
        forward = n % 4 in (0, 1)
        there = steps[steps.index(here) + (1 if forward else -1)]
        _button(page, f"agenda_{here}_{'next' if forward else 'back'}").click(force=True)
        _until(lambda want=there: on() == want, what=f"move click {n}")
        page.locator(f".st-key-agenda_{there}_next").first.wait_for(timeout=8_000)
        assert on() == there, f"move click {n} undone"
    here = on()
    _button(page, f"agenda_{here}_next").dblclick(force=True)
    _until(lambda: on() != here, what="double click")
    run_waiter(page)
    time.sleep(WATCH_S + 1)
    assert on() == steps[steps.index(here) + 1]
    keep_shot(page, "clicks-agenda.png")
