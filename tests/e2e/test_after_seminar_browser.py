"""The lead's "This week" in Chromium on a freshly started server, opened first by a deep link
with the map's private link: what is due, the charts over time drawn with their tables, one click
from a due line to the entry selected on the map page, and Mark reviewed. (The eight-week
campaign with a moving clock is tests/e2e/test_eight_weeks_browser.py.)"""
import pytest
from conftest import DEMO_MAP_TOKEN


@pytest.mark.e2e
def test_a_lead_opens_this_week_by_the_map_link_and_reaches_the_entry(server, browser,
                                                                       run_waiter, keep_shot):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"{server.base}/this_week?map={DEMO_MAP_TOKEN}")
    run_waiter(page)
    assert page.get_by_text("Traceback").count() == 0
    page.get_by_text("The gaps that matter most now").wait_for(timeout=30_000)
    keep_shot(page, "this-week.png", full_page=True)
    page.get_by_role("tab", name="Over time").click()
    page.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                           ".filter(p => p.querySelector('.main-svg')).length >= 4",
                           timeout=30_000)
    keep_shot(page, "this-week-over-time.png", full_page=True)
    page.get_by_role("tab", name="This week").click()
    page.get_by_role("link", name="Call back about the parents").first.click()
    # This week names him too: the map page is known by its address, then its entry by him.
    page.wait_for_url("**/map?*entry=*", timeout=30_000)
    run_waiter(page)
    page.get_by_text("Ernesto Villalobos").first.wait_for(timeout=30_000)
    keep_shot(page, "this-week-entry-on-map.png")
    page.goto(f"{server.base}/this_week?map={DEMO_MAP_TOKEN}")
    run_waiter(page)
    page.get_by_role("button", name="Mark reviewed").click()
    run_waiter(page)
    page.get_by_text("Marked reviewed").wait_for(timeout=30_000)
    assert page.get_by_text("Nothing moved in this time.").count() == 1
    page.close()
