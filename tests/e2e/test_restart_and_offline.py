"""The app server stopped and started during a workshop (Chromium): boards and maps intact, and a
phone comes back as the same participant (its identity is the `p` token in its URL). And no page
fetches anything from outside the server: every request of a sweep stays on 127.0.0.1."""
from __future__ import annotations

import pytest
from conftest import DEMO_CODE, joined
from e2e.conftest import StreamlitServer, demo_facilitator

from orgkit.bidi import isolate
from orgkit.board import service as boards
from orgkit.storage import open_store

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]


def _send(page, run_waiter, text, answer=None):
    field = page.get_by_label("Your idea")
    field.fill(text)
    field.press("Enter")
    page.get_by_text(answer or f"Sent: “{isolate(text)}”").wait_for(timeout=30_000)
    run_waiter(page)


def test_a_restarted_server_keeps_boards_maps_and_each_phones_identity(
        browser, server, sqlite_url, tmp_path, run_waiter, keep_shot):
    store = open_store(sqlite_url)
    facilitator = demo_facilitator(store)
    board = boards.create_board(store, facilitator, "What makes organizing work?")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(f"{server.base}/join?code={DEMO_CODE}")
    run_waiter(phone)
    phone.wait_for_url("**p=*")
    _send(phone, run_waiter, "Before the restart")
    before = store.backups.dump(None)

    server.stop()  # the operator restarts the app in the middle of the workshop
    restarted = StreamlitServer(sqlite_url, tmp_path, port=server.port)
    try:
        # No reload: the phone's page reconnects by itself and reruns with its own address,
        # `p` token included. The new server's run starts a fresh session, so the old session's
        # "Sent" answer going away shows that run happened.
        phone.get_by_text(f"Sent: “{isolate('Before the restart')}”").wait_for(
            state="detached", timeout=60_000)
        run_waiter(phone)
        assert store.backups.dump(None) == before  # boards, maps, participants intact
        _send(phone, run_waiter, "After the restart")
        keep_shot(phone, "phone-after-restart.png", full_page=True)
        items = store.db.query("SELECT text, participant_id FROM items WHERE board_id = :b "
                               "ORDER BY id", {"b": board.id})
        assert [i["text"] for i in items] == ["Before the restart", "After the restart"]
        assert items[0]["participant_id"] == items[1]["participant_id"]  # the same person
        assert joined(store, board.id) == len(before["participants"])
    finally:
        restarted.stop()
        context.close()
        store.close()


def test_no_page_fetches_anything_from_outside_the_server(browser, server, run_waiter):
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((server.base, "data:", "blob:")) else None)
    for path in ("/", f"/join?code={DEMO_CODE}", "/map?map=demo-northside",
                 f"/coverage?code={DEMO_CODE}", "/guide", f"/facilitate?code={DEMO_CODE}",
                 f"/projector?code={DEMO_CODE}"):
        page.goto(server.base + path)
        run_waiter(page)
        page.wait_for_timeout(500)  # the favicon and fonts load after the run
    context.close()
    assert outside == []


def test_icon_directives_urls_and_addresses_in_an_item_stay_plain_text(
        browser, server, sqlite_url, run_waiter, keep_shot):
    store = open_store(sqlite_url)
    boards.create_board(store, demo_facilitator(store), "Plain text only")
    store.close()
    context = browser.new_context(viewport={"width": 800, "height": 900})
    phone = context.new_page()
    phone.goto(f"{server.base}/join?code={DEMO_CODE}")
    run_waiter(phone)
    phone.wait_for_url("**p=*")
    _send(phone, run_waiter, ":material/warning: www.evil.example a@evil.example "
                             "http://evil.example :red[alarm]", answer="Sent:")
    vote = phone.locator("[data-testid=stMain] button", has_text="evil.example").first
    vote.wait_for()
    keep_shot(phone, "plain-text-item.png", full_page=True)
    assert vote.locator("a, [data-testid=stIconMaterial]").count() == 0
    assert phone.locator("[data-testid=stMain] a[href*='evil']").count() == 0
    assert ":material/warning:" in vote.inner_text().replace("\u2060", "")
    context.close()
