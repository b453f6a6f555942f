"""Two app processes behind Debian's nginx (scripts/serve_many.py for real): a phone held by one
process and the projector held by the other see the same board, live."""
import time

import pytest
from conftest import DEMO_CODE
from e2e.conftest import demo_facilitator

from orgkit.board import service as boards
from orgkit.storage import open_store

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]


def _held_by(context, url: str):
    """A page of `url` in the context, and the process that holds its session (by the cookie:
    the first load has none yet, so the second load tells)."""
    page = context.new_page()
    page.goto(url)
    response = page.reload()
    return page, response.headers["x-orgkit-upstream"]


def test_phone_on_one_process_reaches_the_projector_on_the_other(
        browser, proxied, sqlite_url, run_waiter, keep_shot):
    store = open_store(sqlite_url)
    board = boards.create_board(store, demo_facilitator(store), "Across servers?")
    projector_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    projector, projector_process = _held_by(projector_ctx,
                                            f"{proxied.base}/projector?code={DEMO_CODE}")
    for _ in range(12):  # the cookie is random: a few fresh phones land on the other process
        phone_ctx = browser.new_context(viewport={"width": 360, "height": 740})
        phone, phone_process = _held_by(phone_ctx, f"{proxied.base}/join?code={DEMO_CODE}")
        if phone_process != projector_process:
            break
        phone_ctx.close()
    assert phone_process != projector_process, "every phone landed on the projector's process"
    run_waiter(phone)
    run_waiter(projector)
    field = phone.get_by_label("Your idea")
    field.fill("Sent through the other process")
    sent = time.monotonic()
    field.press("Enter")
    projector.locator(".ok-text", has_text="Sent through the other process").wait_for(
        timeout=10_000)
    seen = time.monotonic() - sent
    keep_shot(projector, "projector-through-nginx.png")
    assert [i.text for i in boards.snapshot(store, board.id).items] == [
        "Sent through the other process"]
    assert seen < 10
    phone_ctx.close()
    projector_ctx.close()
    store.close()
