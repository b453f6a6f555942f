"""A phone at 360×740 (Chromium as a touch phone) makes a commitment on the commitments step:
every target at least 44 px and on screen, nothing wider than the phone, text typed into a field
survives the phone's polls (cursor still in the field), the commitment lands in the person's
list, and "add to my calendar" downloads an .ics that parses back with its date.

Before the agenda lands, the step is drawn by tests/app/step_page.py (served by `streamlit run`
as the whole app), which calls orgkit.ui.step_commitments.phone inside a polled fragment as the
phone's live fragment will: `poll=2` makes it poll every 2 s."""
from __future__ import annotations

import datetime as dt
import re
import time

import icalendar
import pytest
from conftest import DEMO_CODE
from e2e.conftest import StreamlitServer

from orgkit.commitments import service as commitments
from orgkit.demo import ensure_demo
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
TARGET_MIN = 44


@pytest.fixture
def step_server(sqlite_url, tmp_path):
    started = StreamlitServer(sqlite_url, tmp_path, script="tests/app/step_page.py")
    yield started
    started.stop()


def _key(page, key: str):
    return page.locator(f".st-key-{key}")


def test_a_phone_fills_a_commitment_and_adds_it_to_its_calendar(browser, step_server, sqlite_url,
                                                                run_waiter, keep_shot, tmp_path):
    store = open_store(sqlite_url)
    ensure_demo(store)
    _workshop, actor, token = workshops.join(store, DEMO_CODE)
    context = browser.new_context(**PHONE, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{step_server.base}/?code={DEMO_CODE}&p={token}&kind=commitments&screen=phone"
              "&poll=2")
    run_waiter(page)
    page.get_by_text("What will you do next?").wait_for()

    # Text typed with the cursor still in the field survives the polls around it.
    other = _key(page, "commit_other_text").locator("input")
    other.tap()
    page.keyboard.type("Clean the park")
    time.sleep(5)  # two polls of the fragment
    keep_shot(page, "commitments-phone-first-360.png")
    assert other.input_value() == "Clean the park"
    other.fill("")

    kind = page.get_by_role("combobox", name="What you will do")
    kind.tap()
    page.keyboard.type("Site v")
    page.get_by_role("option", name="Site visit").tap()
    run_waiter(page)
    whom = _key(page, "commit_with_whom").locator("input")
    whom.tap()
    page.keyboard.type("the food bank")
    page.get_by_text("What will you do next?").tap()  # leaves the field: its value is sent
    run_waiter(page)
    keep_shot(page, "commitments-phone-form-360.png", full_page=True)

    save = page.get_by_role("button", name="Save my commitment")
    select = _key(page, "commit_kind").locator("[role=group]").first
    for target in (save, select, whom, _key(page, "commit_due_on").locator("input"), other,
                   _key(page, "commit_show_name").locator("label")):
        box = target.bounding_box()
        # (a checkbox's label sits 1 px left of its column, inside the page's padding)
        assert box["height"] >= TARGET_MIN and box["x"] >= -1 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    save.tap()
    run_waiter(page)
    page.get_by_text("Saved. It is in your list below.").wait_for()
    page.get_by_text(re.compile("Site visit with the food bank")).wait_for()
    (row,) = commitments.mine(store, actor)
    assert (row["kind"], row["with_whom"]) == ("site_visit", "the food bank")
    page.get_by_text(re.compile("Site visit with the food bank")).scroll_into_view_if_needed()
    keep_shot(page, "commitments-phone-saved-360.png")

    calendar_button = page.get_by_role("button", name=re.compile("Add to my calendar"))
    assert calendar_button.bounding_box()["height"] >= TARGET_MIN
    with page.expect_download(timeout=60_000) as download:
        calendar_button.click()
    saved = tmp_path / "mine.ics"
    download.value.save_as(saved)
    ics = icalendar.Calendar.from_ical(saved.read_bytes())
    (event,) = ics.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Site visit with the food bank"
    assert event.decoded("DTSTART") == dt.date.fromisoformat(row["due_on"])
    context.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_projector_screens_of_tables_commitments_and_close_fit_and_name_nobody_hidden(
        browser, step_server, sqlite_url, run_waiter, keep_shot, size):
    store = open_store(sqlite_url)
    ensure_demo(store)
    soon = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    for n, kind in enumerate(("turnout", "site_visit", "one_on_one", "turnout", "capitol_trip")):
        actor = workshops.join(store, DEMO_CODE)[1]
        commitments.add(store, actor, {"kind": kind, "due_on": soon, "name": f"Person {n}",
                                       "show_name": n == 0, "with_whom": "Secret Person"})
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    for kind in ("tables", "commitments", "close"):
        page.goto(f"{step_server.base}/?code={DEMO_CODE}&kind={kind}&screen=projector")
        run_waiter(page)
        page.locator(".ok-tables, .ok-room").first.wait_for()
        keep_shot(page, f"step-{kind}-projector-{width}.png")
        scroller = page.locator("[data-testid=stMain]")
        assert scroller.evaluate("e => e.scrollHeight <= e.clientHeight + 1"), kind
        text = page.inner_text("body")
        assert "Secret Person" not in text and not any(f"Person {n}" in text
                                                       for n in range(1, 5))
    page.close()
