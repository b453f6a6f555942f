"""A seminar in Chromium on a freshly started server opened as the README says (localhost): the
projector's QR points phones somewhere they can reach, a phone that rescans is the same person, the
facilitator stays unlocked across a reload and a second tab (and locking ends it in both), no URL
holds a secret, and 30 ideas fit a 1920×1080 wall on one screen without a scrollbar."""
import io
import ipaddress
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from conftest import DEMO_CODE, DEMO_PIN, joined
from e2e.conftest import demo_facilitator, unlock_in_browser
from PIL import Image

from orgkit.board import service as boards
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

IDEAS = ["One-on-ones before meetings", "Listen first, then act", "Leaders from the community",
         "Shared meals after services", "Door knocking in pairs on Saturday mornings",
         "Translate every flyer into Spanish and Vietnamese", "Childcare at every meeting",
         "Follow up within 48 hours", "Power analysis: who really decides?",
         "Celebrate small wins publicly"]


@pytest.fixture
def seminar(server, sqlite_url):
    """The demo workshop with a fresh board, and the server's address as the README opens it."""
    store = open_store(sqlite_url)
    facilitator = demo_facilitator(store)
    board = boards.create_board(store, facilitator, "What makes community organizing work?")
    yield store, facilitator, board, f"http://localhost:{server.port}"
    store.close()


def _decode_qr(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert found, "no QR code on the projector"
    return found[0].text


def test_projector_opened_at_localhost_sends_phones_to_a_reachable_address(
        browser, seminar, run_waiter, keep_shot):
    store, _, board, local = seminar
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{local}/projector?code={DEMO_CODE}")
    run_waiter(page)
    page.locator(".ok-join img").wait_for()
    shot = keep_shot(page, "projector-join-at-localhost.png")
    url = _decode_qr(shot.read_bytes())
    parts = urlsplit(url)
    assert parts.path == "/join" and parse_qs(parts.query) == {
        "code": [DEMO_CODE], "board": [str(board.id)]}  # the QR names the projected board
    host = parts.hostname
    if host == "localhost" or ipaddress.ip_address(host).is_loopback:
        # No network address on this machine: the projector must say so, in plain words.
        assert page.get_by_test_id("ok-join-warning").is_visible()
    else:
        assert page.get_by_test_id("ok-join-warning").count() == 0
    page.close()


def test_a_phone_that_scans_again_is_the_same_participant(browser, seminar, run_waiter, keep_shot):
    store, facilitator, board, local = seminar
    before = joined(store, board.id)
    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    first = phone.new_page()
    first.goto(f"{local}/join?code={DEMO_CODE}&board={board.id}")
    run_waiter(first)
    first.wait_for_url("**p=*")
    field = first.get_by_label("Your idea")
    field.fill("Childcare at every meeting")
    field.press("Enter")
    first.get_by_text("Sent:").wait_for()
    token = parse_qs(urlsplit(first.url).query)["p"][0]
    # The QR scanned again: a new tab with only the code, as the camera app opens it.
    again = phone.new_page()
    again.goto(f"{local}/join?code={DEMO_CODE}&board={board.id}")
    run_waiter(again)
    again.wait_for_url("**p=*")
    assert parse_qs(urlsplit(again.url).query)["p"] == [token]
    assert joined(store, board.id) == before + 1
    again.get_by_text("Your items", exact=True).wait_for()  # same items
    assert again.get_by_text("Childcare at every meeting · on the board").is_visible()
    keep_shot(again, "phone-after-rescan.png", full_page=True)
    phone.close()


def _no_secret_in(urls: list[str], secrets: list[str]) -> None:
    for url in urls:
        for secret in secrets:
            assert secret not in url, url


def test_facilitator_stays_unlocked_across_reload_and_tabs_until_locked(
        browser, seminar, run_waiter, keep_shot):
    _, _, _, local = seminar
    laptop = browser.new_context(viewport={"width": 1440, "height": 900})
    controls = laptop.new_page()
    controls.goto(f"{local}/facilitate?code={DEMO_CODE}")
    run_waiter(controls)
    unlock_in_browser(controls)
    controls.get_by_text("Unlocked.").wait_for()
    controls.reload()
    run_waiter(controls)
    controls.get_by_text("Unlocked.").wait_for()  # a reload keeps it
    second = laptop.new_page()
    second.goto(f"{local}/facilitate?code={DEMO_CODE}")
    run_waiter(second)
    second.get_by_text("Unlocked.").wait_for()  # and a second tab has it
    projector = laptop.new_page()
    projector.goto(f"{local}/projector?code={DEMO_CODE}")
    # The projector reloads once with its window's size in the address (the wall parameter):
    # read and photograph the page it settles on, not the one it is leaving.
    projector.wait_for_url("**wall=1440x900*")
    projector.locator('.ok-board[data-wall]').wait_for()
    run_waiter(projector)
    # The projected page is for the room: no facilitator's controls, even unlocked.
    assert projector.get_by_text("Facilitator controls").count() == 0
    cookie = next(c["value"] for c in laptop.cookies() if c["name"] == "orgkit_device")
    assert next(c for c in laptop.cookies() if c["name"] == "orgkit_device")["httpOnly"]
    _no_secret_in([controls.url, projector.url], [DEMO_PIN, cookie])
    keep_shot(projector, "projector-unlocked-second-tab.png")
    # Another browser (a phone that saw the projector, or its screenshot) is not unlocked.
    stranger = browser.new_context().new_page()
    stranger.goto(second.url)
    run_waiter(stranger)
    stranger.get_by_label("Facilitator PIN").wait_for()
    # Locking in one tab ends it in the other without a click there.
    controls.get_by_role("button", name="Lock facilitator tools").click()
    run_waiter(controls)
    controls.get_by_label("Facilitator PIN").wait_for()
    second.get_by_label("Facilitator PIN").wait_for(timeout=15_000)
    laptop.close()
    stranger.context.close()


def test_thirty_ideas_fit_a_1920_by_1080_wall(browser, seminar, run_waiter, keep_shot):
    store, _, board, local = seminar
    for n in range(30):
        phone = workshops.join(store, DEMO_CODE)[1]
        boards.add_item(store, phone, board.id, IDEAS[n % len(IDEAS)] + ("" if n < 10 else f" {n}"))
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{local}/projector?code={DEMO_CODE}")
    # The page says its window's size (the wall parameter) and gets pages for 1920×1080: one.
    page.wait_for_url("**wall=1920x1080*")
    page.locator('.ok-board[data-wall="16:9"] .ok-card').first.wait_for()
    assert page.locator(".ok-card").count() == 30 and page.get_by_text("Page 1 of").count() == 0
    scroll = page.evaluate("() => { const m = document.querySelector('[data-testid=stMain]');"
                           " return [m.scrollHeight, m.clientHeight, document.documentElement"
                           ".scrollHeight, innerHeight, document.documentElement.scrollWidth,"
                           " innerWidth]; }")
    assert scroll[0] <= scroll[1] and scroll[2] <= scroll[3] and scroll[4] <= scroll[5], scroll
    sizes = page.locator(".ok-text").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert min(sizes) >= 28, sizes
    keep_shot(page, "projector-30-ideas.png")
    page.close()


DIRECTIVES = ":material/warning: :red[alarm] http://evil.example ![x](http://evil.example/x.png)"


def test_participant_text_is_literal_on_its_authors_phone(browser, seminar, run_waiter, keep_shot):
    _, _, board, local = seminar
    phone = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    phone.goto(f"{local}/join?code={DEMO_CODE}&board={board.id}")
    run_waiter(phone)
    field = phone.get_by_label("Your idea")
    field.fill(DIRECTIVES)
    field.press("Enter")
    phone.get_by_text("Sent:").wait_for()
    run_waiter(phone)
    main = phone.locator("[data-testid=stMain]")
    shown = ("t => (document.querySelector(SCOPE)?.innerText ?? '').replaceAll('\u2060', '')"
             ".split(t).length - 1 >= N")

    def literal() -> None:  # no icon, colour, link or image made of the text
        assert main.locator("a[href*=evil], img[src*=evil]").count() == 0
        assert main.locator("[data-testid=stIconMaterial]").filter(has_text="warning").count() == 0
        assert main.locator("span[style*=color]").filter(has_text="alarm").count() == 0

    # "Sent:" and "Your items" (and the edit label, which quotes its start) come with the send.
    phone.wait_for_function(shown.replace("SCOPE", "'[data-testid=stMain]'").replace("N", "2"),
                            arg=DIRECTIVES, timeout=30_000)
    literal()
    # The room's vote list shows it from the phone's next poll, by design: a phone's view of the
    # room may be VIEW_REFRESH_S behind (boards.view_revision), and "Sent:" answers the send
    # once, so the two need not be on the screen together.
    phone.wait_for_function(shown.replace("SCOPE", "'.st-key-phone_items'").replace("N", "1"),
                            arg=DIRECTIVES, timeout=30_000)
    literal()
    keep_shot(phone, "phone-literal-text.png", full_page=True)
    phone.context.close()
