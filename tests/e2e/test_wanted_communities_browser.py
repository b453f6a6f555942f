"""The wanted-communities form in Chromium: a team adds a community nobody reaches and sees it
head the heatmap as an empty row."""

import pytest
from conftest import DEMO_MAP_TOKEN
from e2e.conftest import wait_still


@pytest.mark.e2e
def test_team_adds_a_wanted_community_and_the_heatmap_shows_it(server, browser, run_waiter,
                                                              keep_shot):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.goto(f"{server.base}/coverage?map={DEMO_MAP_TOKEN}")
    run_waiter(page)
    page.get_by_text("Communities we want to reach").click()
    wait_still(page)  # the expander has opened: a click meanwhile can land beside its button
    box = page.get_by_role("textbox", name="One community per line")
    box.wait_for(timeout=30_000)
    box.fill("Veterans <b>first</b>\nSeniors on fixed income")
    page.get_by_role("button", name="Save communities").click()
    page.get_by_text("Saved 2 communities.").wait_for(timeout=30_000)
    run_waiter(page)
    heatmap = page.locator(".js-plotly-plot", has_text="Who reaches each community")
    heatmap.get_by_text("Veterans <b>first</b>").wait_for(timeout=30_000)  # shown as typed
    assert page.get_by_text("Traceback").count() == 0
    heatmap.scroll_into_view_if_needed()
    keep_shot(page, "wanted-communities.png", full_page=True)
    page.close()
