"""A team member, in Chromium on a freshly started server: adds an entry at each level, links two
of them, and opens the printable worksheet."""

import re

import pytest
from e2e.conftest import wait_still
from playwright.sync_api import expect

LEVELS = {"Impacted": "Ada Impacted", "Leaders": "Ben Leader", "Organizations": "Cedar Clinic",
          "Decision-makers": "Mayor Dora"}


def _choose(page, label, option):
    """Pick an option of a visible st.selectbox (a combobox named by its label). An entry's name
    comes isolated (FSI … PDI, orgkit.bidi), a level's label does not: both are matched."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # the combobox filters its options by the typed text
    shown = re.compile(f"^\u2068?{re.escape(option)}\u2069?$")
    page.get_by_role("option", name=shown).click()
    expect(box).to_have_value(shown)


@pytest.mark.e2e
def test_team_member_adds_entries_links_two_and_prints_the_worksheet(server, browser, run_waiter,
                                                                     keep_shot):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server.base}/map?map=demo-st-brigid")  # a deep link is the first visit
    run_waiter(page)
    page.get_by_role("tab", name="Add or edit").click()
    for level, name in LEVELS.items():
        page.get_by_role("radiogroup", name="Level").get_by_role("radio", name=level).click()
        run_waiter(page)
        page.get_by_label("Name", exact=True).fill(name)
        more = page.get_by_text("More details: contact, communities, next step, notes")
        if not page.get_by_label("How to contact").is_visible():
            more.click()
            wait_still(page)  # opened: a click meanwhile can land beside its button
        page.get_by_label("How to contact").fill(f"{name} <script>alert(1)</script>")
        page.get_by_role("button", name="Save entry").click()
        run_waiter(page)
        page.get_by_text("Entry added.").wait_for()
    keep_shot(page, "entries.png", full_page=True)

    page.get_by_role("tab", name="Links").click()
    _choose(page, "From", "Ben Leader")
    _choose(page, "Relationship", "is in the inner circle of")
    _choose(page, "To", "Mayor Dora")
    page.get_by_role("button", name="Add link").click()
    run_waiter(page)
    page.get_by_text("Link added.").wait_for()

    page.get_by_role("tab", name="Print").click()
    page.get_by_text("Show the printable worksheet").click()
    run_waiter(page)
    sheet = page.frame_locator("iframe").first
    for name in LEVELS.values():
        sheet.get_by_role("cell", name=name, exact=True).wait_for()
    sheet.get_by_text("Inner circle: Ben Leader").wait_for()
    assert sheet.get_by_text("<script>alert(1)</script>", exact=False).count() >= 1  # escaped
    keep_shot(page, "worksheet.png", full_page=True)
    keep_shot(sheet.locator("#level-decision_maker"), "decision-makers.png")
    page.close()
