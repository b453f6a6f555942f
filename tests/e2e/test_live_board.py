"""The live board in Chromium against a freshly started server: five phones post, the projector
shows every item without a reload, sizes and contrast for the room, a phone whose connection is cut
for real (through a relay) and comes back, and hostile text shown literally."""
import contextlib
import socket
import threading
import time

import pytest
from conftest import DEMO_CODE, joined
from e2e.conftest import demo_facilitator

from orgkit.bidi import isolate
from orgkit.board import service as boards
from orgkit.storage import open_store

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

HOSTILE = ["<img src=x onerror=alert(1)>", "[click](javascript:alert(1))", "# big", "**bold**"]

# WCAG relative luminance and contrast, computed in the page from computed styles: the text
# colour against the first non-transparent background up the tree.
CONTRAST_JS = """el => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = el, c;
  while (bg) { c = getComputedStyle(bg).backgroundColor;
    if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') break;
    bg = bg.parentElement; }
  const fg = lum(rgb(getComputedStyle(el).color)), back = lum(rgb(bg ? c : 'rgb(255,255,255)'));
  return {size: parseFloat(getComputedStyle(el).fontSize),
          contrast: (Math.max(fg, back) + 0.05) / (Math.min(fg, back) + 0.05)};
}"""


@pytest.fixture
def collecting_board(server, sqlite_url):
    """The demo workshop with a fresh board in the collect phase (the projector's default)."""
    store = open_store(sqlite_url)
    board = boards.create_board(store, demo_facilitator(store),
                                "What makes organizing work?",
                                votes_hidden=False)  # the phones' labels carry the count
    yield store, board
    store.close()


def _open_phone(browser, server, run_waiter, dialogs):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server.base}/join?code={DEMO_CODE}")
    run_waiter(page)
    page.wait_for_url("**p=*")
    return context, page


def _send(page, run_waiter, text):
    field = page.get_by_label("Your idea")
    field.fill(text)
    field.press("Enter")
    page.get_by_text("Sent:").first.wait_for(timeout=30_000)  # the suite's wait, not a promise
    run_waiter(page)
    page.wait_for_function("() => !document.querySelector('input[aria-label=\"Your idea\"]').value")


def _projector_texts(page):
    return page.locator(".ok-text").all_inner_texts()


def _wait_on_projector(projector, texts, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        shown = _projector_texts(projector)
        if all(text in shown for text in texts):
            return shown
        time.sleep(0.2)
    raise AssertionError(f"not on the projector: {set(texts) - set(_projector_texts(projector))}")


def test_phones_post_and_the_projector_shows_every_item_live(
        browser, server, collecting_board, run_waiter, keep_shot):
    store, board = collecting_board
    dialogs: list[str] = []
    projector_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    projector = projector_ctx.new_page()
    projector.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    projector.goto(f"{server.base}/projector?code={DEMO_CODE}")
    run_waiter(projector)
    projector.get_by_text("No items yet").wait_for()
    assert projector.get_by_alt_text("QR code of the join link").is_visible()

    phones = [_open_phone(browser, server, run_waiter, dialogs) for _ in range(5)]
    sent = []
    for n, (_, phone) in enumerate(phones):
        texts = [HOSTILE[n] if n < len(HOSTILE) else "Door-knocking in pairs", f"Phone {n} idea"]
        for text in texts:
            _send(phone, run_waiter, text)
            sent.append(text)
    shown = _wait_on_projector(projector, sent)  # no reload: the 1 s poll brought them
    assert sorted(shown) == sorted(sent)
    assert projector.locator(".ok-cols img, .ok-board a, .ok-board h1").count() == 0
    assert projector.locator(".ok-new").count() == 1
    assert projector.get_by_text(f"{len(sent)} items").is_visible()

    style = projector.locator(".ok-text").first.evaluate(CONTRAST_JS)
    assert style["size"] >= 28 and style["contrast"] >= 4.5, style
    newest = projector.locator(".ok-new .ok-text").evaluate(CONTRAST_JS)
    assert newest["size"] >= 28 and newest["contrast"] >= 4.5, newest

    _, phone = phones[0]
    # "**bold**" literally on a phone, as the label of its vote button (a pill: role radio)
    phone.get_by_role("radio", name=f"{isolate(HOSTILE[3])} · 0 votes", exact=True).wait_for()
    width = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    heights = [box["height"] for box in (b.bounding_box() for b in
               phone.locator("[data-testid=stMain] button:visible").all()) if box]
    assert heights and min(heights) >= 44, heights
    assert dialogs == []  # no alert(1) ran anywhere
    keep_shot(projector, "projector.png", full_page=True)
    keep_shot(phone, "phone.png", full_page=True)
    phone.get_by_text("votes left").scroll_into_view_if_needed()
    keep_shot(phone, "phone-votes.png", full_page=True)
    for context, _ in phones:
        context.close()
    projector_ctx.close()


class CuttableProxy:
    """A TCP relay from a loopback port to the server that can drop the network for real.

    Playwright's offline mode leaves open WebSockets alone, and Streamlit runs over one, so the
    phone goes through this relay instead: cut() closes every relayed connection and refuses new
    ones (a locked screen, venue Wi-Fi gone) until restore()."""

    def __init__(self, target_port: int):
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if not self.open.is_set():
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            with self.lock:
                self.sockets |= {client, upstream}
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            self._drop(src, dst)

    def _drop(self, *socks: socket.socket) -> None:
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the other pump's recv
            sock.close()
            with self.lock:
                self.sockets.discard(sock)

    def cut(self) -> None:
        self.open.clear()
        with self.lock:
            live = list(self.sockets)
        self._drop(*live)

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.listener.close()
        self.cut()


@pytest.fixture
def proxy(server):
    relay = CuttableProxy(server.port)
    yield relay
    relay.close()


def _texts(store, board):
    return sorted(item.text for item in boards.snapshot(store, board.id).items)


def test_a_phone_changes_its_own_idea_from_one_chooser(
        browser, server, collecting_board, run_waiter, keep_shot):
    store, board = collecting_board
    context, phone = _open_phone(browser, server, run_waiter, [])
    for text in ("Frist idea", "Second idea"):
        _send(phone, run_waiter, text)
    chooser = phone.locator(f".st-key-own_edit_{board.id}")
    chooser.get_by_text("Change or withdraw (2 minutes)").wait_for(timeout=15_000)
    assert phone.get_by_label("Edit your item").count() == 0  # no box until an item is chosen
    chooser.get_by_role("radio", name=isolate("Frist idea")).tap()
    field = phone.get_by_label("Edit your item")
    field.wait_for(timeout=15_000)
    heights = [b.bounding_box()["height"] for b in chooser.locator("button").all()]
    assert len(heights) == 2 and min(heights) >= 44, heights
    field.scroll_into_view_if_needed()
    keep_shot(phone, "phone-own-edit.png")
    field.fill("First idea")
    phone.get_by_role("button", name="Save").tap()
    field.wait_for(state="detached", timeout=15_000)  # saved: the box closes
    assert sorted(i.text for i in boards.snapshot(store, board.id).items) == [
        "First idea", "Second idea"]
    context.close()


def test_phone_that_loses_its_network_keeps_identity_and_sends_nothing_twice(
        browser, server, proxy, collecting_board, run_waiter, keep_shot):
    store, board = collecting_board
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    phone = context.new_page()
    phone.goto(f"http://127.0.0.1:{proxy.port}/join?code={DEMO_CODE}")
    run_waiter(phone)
    phone.wait_for_url("**p=*")
    token = phone.url.split("p=")[1]
    me = store.workshops.participant_by_token(token)["id"]
    before = joined(store, board.id)
    _send(phone, run_waiter, "Before the drop")

    # Send, and lose the network as soon as the server has the item: the answer may not arrive.
    field = phone.get_by_label("Your idea")
    field.fill("Sent as the Wi-Fi dropped")
    field.press("Enter")
    deadline = time.time() + 10
    while "Sent as the Wi-Fi dropped" not in _texts(store, board) and time.time() < deadline:
        time.sleep(0.01)
    proxy.cut()
    # The phone noticed: Streamlit's connection-error dialog (seen in the DOM while cut; at
    # 360 px the header's stConnectionStatus badge is not drawn) and a disabled Send button.
    lost = phone.locator("[data-testid=stDialog]").filter(has_text="Connection error")
    lost.wait_for(timeout=15_000)
    assert phone.get_by_role("button", name="Send").is_disabled()
    # ...said in the participant's words, not Streamlit's ("Is Streamlit still running?").
    said = lost.locator("section[role=dialog] h2 ~ div").evaluate(
        "el => getComputedStyle(el, '::before').content")
    assert "lost its connection to the workshop" in said and "Streamlit" not in said
    assert lost.locator("section[role=dialog] h2 ~ div").evaluate(
        "el => getComputedStyle(el).fontSize") == "0px"  # Streamlit's own sentence is not shown
    keep_shot(phone, "phone-offline.png", full_page=True)
    time.sleep(2)
    proxy.restore()
    lost.wait_for(state="detached", timeout=30_000)
    phone.get_by_role("button", name="Send").and_(phone.locator(":enabled")).wait_for()
    run_waiter(phone)

    # The person is not sure it went through and sends the same text again, then a new one.
    field = phone.get_by_label("Your idea")
    field.fill("Sent as the Wi-Fi dropped")
    field.press("Enter")
    phone.get_by_text("Sent:").first.wait_for(timeout=15_000)
    run_waiter(phone)
    _send(phone, run_waiter, "After it came back")

    assert phone.url.split("p=")[1] == token
    assert _texts(store, board) == sorted(["Before the drop", "Sent as the Wi-Fi dropped",
                                           "After it came back"])
    authors = {store.boards.item(item.id)["participant_id"]
               for item in boards.snapshot(store, board.id).items}
    assert authors == {me}  # one identity throughout
    assert joined(store, board.id) == before  # no second join
    keep_shot(phone, "phone-after-reconnect.png", full_page=True)
    context.close()
