"""The honest reveal in Chromium against a freshly started server: the projector shows the
reference points, none marked raised while they are only suggestions; one click confirms them all
and the projector marks them; the facilitator undoes one and the projector takes it back."""
import pytest
from conftest import DEMO_CODE
from e2e.conftest import demo_facilitator, unlock_in_browser, wait_still

from orgkit.board import service as boards
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

SCREEN = {"width": 1920, "height": 1080}
POINTS = ("Candidate forums", "One-on-one meetings", "A budget for childcare")


def test_the_projector_shows_only_what_the_facilitator_confirmed(browser, server, sqlite_url,
                                                                run_waiter, keep_shot):
    store = open_store(sqlite_url)
    facilitator = demo_facilitator(store)
    board = boards.create_board(store, facilitator, "What did we hear?",
                                reference_notes="\n".join(POINTS))
    person = workshops.join(store, DEMO_CODE)[1]
    for text in ("Foro de candidatos", "Reuniones uno a uno", "Door knocking"):
        boards.add_item(store, person, board.id, text)
    boards.set_revealed(store, facilitator, board.id, True)

    projector = browser.new_context(viewport=SCREEN).new_page()
    projector.goto(f"{server.base}/projector?code={DEMO_CODE}&board={board.id}")
    lines = projector.locator(".ok-reveal li")
    lines.first.wait_for(timeout=30_000)
    assert lines.count() == 3 and projector.locator(".ok-reveal").inner_text().count("✔") == 0
    keep_shot(projector, "reveal-projector-suggested.png")

    page = browser.new_context(viewport=SCREEN).new_page()
    page.goto(f"{server.base}/facilitate?code={DEMO_CODE}&board={board.id}")
    run_waiter(page)
    unlock_in_browser(page)
    run_waiter(page)
    page.get_by_text("Reveal: which reference points").click()
    wait_still(page)  # the expander has opened: a click meanwhile can land beside its button
    page.get_by_role("button", name="Confirm all 2 suggestions").click()
    run_waiter(page)
    page.get_by_text("Confirmed 2 points").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Undo").count() == 2
    keep_shot(page.locator("[data-testid=stExpander]").filter(has_text="Reveal: which"),
              "reveal-facilitator-confirmed.png")
    reveal = projector.locator(".ok-reveal")
    projector.wait_for_function(
        "() => document.querySelector('.ok-reveal').innerText.split('✔').length === 3",
        timeout=30_000)
    assert "Foro de candidatos" in reveal.inner_text()
    keep_shot(projector, "reveal-projector-confirmed.png")

    page.get_by_role("button", name="Undo").first.click()
    run_waiter(page)
    projector.wait_for_function(
        "() => document.querySelector('.ok-reveal').innerText.split('✔').length === 2",
        timeout=30_000)
    assert "Foro de candidatos" not in reveal.inner_text()
    keep_shot(page.locator("[data-testid=stExpander]").filter(has_text="Reveal: which"),
              "reveal-facilitator-undone.png")
    store.close()
