"""The facilitator in Chromium: private links stay hidden on a (possibly projected) screen until
one is revealed, and a team map opens from its link with only the map id in the address."""

import pytest
from conftest import DEMO_CODE, DEMO_MAP_TOKEN
from e2e.conftest import unlock_in_browser


@pytest.mark.e2e
def test_facilitator_reveals_one_private_link_and_opens_a_map_without_a_token(
        server, browser, run_waiter, keep_shot):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server.base}/facilitate?code={DEMO_CODE}")
    run_waiter(page)
    unlock_in_browser(page)
    run_waiter(page)
    page.get_by_text("Team maps").wait_for()
    assert "demo-" not in page.content()  # no map token anywhere in the page, hidden or not
    keep_shot(page, "facilitate-hidden.png", full_page=True)
    page.get_by_text("Hand out at the table: QR code and map code").first.click()
    run_waiter(page)
    page.get_by_text(f"map={DEMO_MAP_TOKEN}").wait_for()
    assert page.content().count("map=demo-") == 1  # only the one revealed
    keep_shot(page, "facilitate-revealed.png", full_page=True)
    page.get_by_role("link", name="Northside Family Services").first.click()
    run_waiter(page)
    page.get_by_role("heading", name="Northside Family Services").wait_for()
    assert "map=" not in page.url and "m=" in page.url
    page.wait_for_timeout(1500)  # let the tables paint before the picture
    keep_shot(page, "map-by-id.png")
    page.close()
