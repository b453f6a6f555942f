"""The guide's per-map checklist in Chromium: plain text with a tick or a cross, drawn in the same
full-contrast colour as the guide's own paragraphs (it is read off a projector)."""

import pytest
from playwright.sync_api import expect


@pytest.mark.e2e
def test_the_guide_checklist_reads_at_full_contrast(server, browser, run_waiter, keep_shot):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server.base}/guide?code=PARTNR")
    run_waiter(page)
    step = page.get_by_text("✔ Decision-makers identified — 4 on the map").first
    expect(step).to_be_visible()
    expect(page.get_by_text("✘ A voter-registration drive").first).to_be_visible()
    assert page.locator("[data-testid=stCheckbox]").count() == 0

    def looks(locator) -> tuple[str, float]:
        """The text colour and the product of opacities up to the page (what the eye gets)."""
        return locator.evaluate("""el => {
            let opacity = 1;
            for (let n = el; n; n = n.parentElement) opacity *= +getComputedStyle(n).opacity;
            return [getComputedStyle(el).color, opacity];
        }""")

    paragraph = page.get_by_text("Basebuilding", exact=False).first
    assert looks(step) == looks(paragraph)
    assert looks(step)[1] == 1
    step.scroll_into_view_if_needed()
    keep_shot(page, "guide-checklist.png")
    page.close()
