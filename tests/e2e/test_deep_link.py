"""A phone scanning the QR code is the very first visitor of a freshly started server."""
import pytest
from conftest import DEMO_CODE

pytestmark = pytest.mark.e2e


def test_first_request_is_a_deep_link_to_the_join_page(server, browser, run_waiter, keep_shot):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{server.base}/join?code={DEMO_CODE}")
    run_waiter(page)
    page.get_by_text("Riverbend Human Services Organizing Seminar").first.wait_for()
    keep_shot(page, "deep_link_join.png", full_page=True)
    body = page.inner_text("body")
    assert "Joined with code PARTNR" in body
    assert "Traceback" not in body and page.locator("[data-testid=stException]").count() == 0
    assert "p=" in page.url  # the phone got a participant token kept in its URL
    token_url = page.url
    page.reload()
    run_waiter(page)
    assert page.url == token_url  # a reload keeps the same identity
    context.close()


def test_home_page_renders_in_chromium(server, browser, run_waiter, keep_shot):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.base)
    run_waiter(page)
    page.get_by_role("tab", name="Try the demo").click()
    page.get_by_text("Join the demo as a participant").wait_for()
    keep_shot(page, "home.png", full_page=True)
    assert "OrgKit" in page.inner_text("body")
    page.close()
