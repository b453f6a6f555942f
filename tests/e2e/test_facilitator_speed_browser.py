"""How quickly a facilitator works the room, in Chromium against a freshly started server:
grouping ten items takes at most twenty actions on a laptop and on a phone (each click, typed text
or key counted), the facilitator's screen follows the board without a click, a double click
creates one workshop, board or map, a team member reaches the map from the handout in two taps, a
name being typed survives a redraw, and every control of the facilitate page is a 44 px target on
a phone."""
import time

import pytest
from conftest import DEMO_CODE, unisolated
from e2e.conftest import demo_facilitator, open_facilitate, wait_still
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from orgkit.bidi import isolate
from orgkit.board import service as boards
from orgkit.session import service as sessions
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

LAPTOP = {"width": 1920, "height": 1080}
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def room(server, sqlite_url):
    """(store, facilitator actor, participant actor) in the demo workshop of the server's DB."""
    store = open_store(sqlite_url)
    yield store, demo_facilitator(store), workshops.join(store, DEMO_CODE)[1]
    store.close()


def _until(check, timeout=30.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def _shown_in(page, label: str) -> str:
    """What a select shows (its input's value)."""
    return unisolated(page.locator(f'input[aria-label="{label}"]').input_value())


def _board_select_text(page) -> str:
    return _shown_in(page, "Board")


class Actions:
    """Counts what a person does: each click, each typed text, each key press is one action."""

    def __init__(self, page, touch=False):
        self.page, self.count, self.touch = page, 0, touch

    def click(self, locator, **wait):
        """A click, or on a phone a tap (touch events, as a finger sends them)."""
        self.count += 1
        locator.tap(**wait) if self.touch else locator.click(**wait)

    def pick(self, name, text):
        """Pick `text` in the open list `name`; a list that a redraw closed under the pointer is
        opened again, and that click is counted too (as the one that missed)."""
        option = self.page.get_by_role("option", name=isolate(text), exact=True)
        for _ in range(3):
            if not option.is_visible():
                self.open_list(name)
            try:
                return self.click(option, timeout=5_000)
            except PlaywrightTimeout:
                continue
        raise AssertionError(f"{text} could not be picked in {name}")

    def type(self, text):
        self.count += 1
        self.page.keyboard.type(text)

    def press(self, key):
        self.count += 1
        self.page.keyboard.press(key)

    def swipe_to(self, locator):
        """Scroll a field to the top of a phone's screen, as a thumb does (an open list closes
        when the page scrolls under it, so a field at the bottom edge is scrolled up first)."""
        self.count += 1
        locator.evaluate("el => el.scrollIntoView({block: 'start'})")

    def open_list(self, name):
        """Click a select or multiselect open (a click that lands while the page is being
        drawn again may only focus it: the second click is counted too)."""
        field = self.page.locator(f'input[aria-label="{name}"]')
        if self.page.viewport_size["width"] < 600:
            self.swipe_to(field)
        for _ in range(3):
            self.click(field)
            try:
                self.page.get_by_role("option").first.wait_for(timeout=1500)
                return
            except Exception:
                continue
        raise AssertionError(f"{name} did not open")


def _group_by_hand(acts, page, texts, theme, run_waiter):
    acts.open_list("Items")
    for text in texts:
        acts.pick("Items", text)
    acts.click(page.locator('input[aria-label="Theme for these items"]'))
    acts.type(theme)
    acts.press("Enter")  # sends the form
    page.get_by_text(f"Grouped {len(texts)} under “{theme}”.").wait_for(timeout=30_000)
    run_waiter(page)


LISTENING = ["Listening to tenants", "Deep listening sessions", "Listen before you speak",
             "Listening tours in each ward", "House meetings for listening"]
CARE = ["Food at every meeting", "Childcare during meetings", "Rides to the hearing",
        "Interpretation in Spanish", "Meet after work hours"]


@pytest.mark.parametrize("device, viewport", [("laptop", LAPTOP), ("phone", PHONE)])
def test_ten_items_are_grouped_in_at_most_twenty_actions(
        browser, server, room, run_waiter, keep_shot, device, viewport):
    store, facilitator, person = room
    board = boards.create_board(store, facilitator, "What brings people in?")
    for text in LISTENING + CARE:
        boards.add_item(store, person, board.id, text)
    page = open_facilitate(browser, server, run_waiter, viewport,
                       **({"has_touch": True} if device == "phone" else {}))
    page.get_by_text("10 of 10 not in a theme").wait_for()
    wait_still(page)  # the page has drawn all of it, as a person sees before the first click
    acts = Actions(page, touch=device == "phone")
    # By hand, both groups: one pick per item, and per group the list, the theme typed and Group.
    acts.open_list("Items")
    for text in LISTENING[:3]:
        acts.pick("Items", text)
    # Someone posts meanwhile: the page is redrawn (revision watch), the picks stay.
    boards.add_item(store, person, board.id, "A late idea")
    page.get_by_text("11 of 11 not in a theme").wait_for(timeout=30_000)
    keep_shot(page, f"grouping-{device}-late.png")
    for text in LISTENING[3:]:
        acts.pick("Items", text)
    acts.click(page.locator('input[aria-label="Theme for these items"]'))
    acts.type("Listening")
    keep_shot(page, f"grouping-{device}-picked.png")
    acts.press("Enter")  # sends the form
    page.get_by_text("Grouped 5 under “Listening”.").wait_for(timeout=30_000)
    run_waiter(page)
    _group_by_hand(acts, page, CARE, "Taking care of people", run_waiter)
    snap = boards.snapshot(store, board.id)
    themes = {name: theme_id for theme_id, name in snap.themes}
    by_text = {item.text: item.theme_id for item in snap.items}
    assert {t: by_text[t] for t in LISTENING} == {t: themes["Listening"] for t in LISTENING}
    assert {t: by_text[t] for t in CARE} == {t: themes["Taking care of people"] for t in CARE}
    assert acts.count <= 20, acts.count
    page.get_by_text("1 of 11 not in a theme").wait_for()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    keep_shot(page, f"grouping-{device}-done.png")
    print(f"{device}: 10 items grouped in {acts.count} actions")


def _count(store, table, **where):
    clause = " AND ".join(f"{k} = :{k}" for k in where) or "1 = 1"
    return store.db.scalar(f"SELECT COUNT(*) FROM {table} WHERE {clause}", where)


def test_the_facilitator_screen_follows_the_board_without_a_click(
        browser, server, room, run_waiter, keep_shot):
    store, facilitator, person = room
    board_a = boards.create_board(store, facilitator, "Board A?",
                                  reference_notes="Build relationships first")
    page = open_facilitate(browser, server, run_waiter)
    # Create board B (a double click): one board, the select shows B, the tools act on B.
    boards_before = _count(store, "boards")
    form = page.locator("[data-testid=stForm]").filter(has_text="Reference notes")
    if not form.is_visible():
        page.get_by_text("Create a board").click()
        wait_still(page)  # a person fills the form after it has opened
    form.get_by_label("Prompt", exact=True).fill("Board B?")
    form.get_by_role("button", name="Create board").dblclick()
    try:
        _until(lambda: _count(store, "boards") > boards_before, what="board B")
    finally:
        keep_shot(page, "create-b.png")
    _until(lambda: _board_select_text(page) == "Board B?", what="the select to show B")
    page.wait_for_timeout(2000)  # the second click's run, if any, has landed
    run_waiter(page)
    assert _count(store, "boards") == boards_before + 1
    board_b = boards.latest_board(store, facilitator)
    assert board_b.prompt == "Board B?"
    _until(lambda: _board_select_text(page) == "Board B?", what="the select to show B")
    page.get_by_role("button", name="Lock the board").click()
    _until(lambda: boards.get_board(store, facilitator, board_b.id).locked, what="B locked")
    assert not boards.get_board(store, facilitator, board_a.id).locked
    assert _board_select_text(page) == "Board B?"
    page.get_by_role("button", name="Open the board").wait_for(timeout=30_000)
    # Items arriving from phones show up, with their counts and in the lists, without a click.
    boards.set_locked(store, facilitator, board_b.id, False)
    for text in ("Door knocking", "House meetings", "Listening first"):
        boards.add_item(store, person, board_b.id, text)
    page.get_by_text("Items: 3 shown, 0 hidden").wait_for(timeout=30_000)
    page.get_by_role("button", name="Lock the board").wait_for(timeout=30_000)
    # The reveal matcher shows a decision made elsewhere (another tab) without a click.
    page.locator('input[aria-label="Board"]').click()
    page.get_by_role("option", name=isolate("Board A?")).click()
    _until(lambda: _board_select_text(page) == "Board A?", what="the select to show A")
    page.get_by_role("button", name="Reveal the reference notes").wait_for(timeout=30_000)
    run_waiter(page)
    item, _ = boards.add_item(store, person, board_a.id, "Build relationships with tenants")
    page.get_by_text("Reveal: which reference points").click()
    point = isolate("Build relationships first")  # a reference note is the facilitator's text
    reveal = f"{point} (suggestion)"
    _until(lambda: _shown_in(page, reveal) == "Build relationships with tenants",
           what="the suggestion")
    boards.decide_match(store, facilitator, board_a.id, 0, None)  # "not raised", elsewhere
    decided = f"{point} (confirmed)"
    _until(lambda: page.locator(f'input[aria-label="{decided}"]').count()
           and _shown_in(page, decided) == "Not raised", what="the decision")
    keep_shot(page, "facilitate-follows-decision.png")
    page.get_by_role("button", name="Undo").click()  # a confirmed row offers Undo, not Confirm
    # Wait for the store, not the page: the run the click asks for may not have started yet.
    _until(lambda: not boards.snapshot(store, board_a.id).reveal[0].confirmed, what="the undo")
    point = boards.snapshot(store, board_a.id).reveal[0]
    assert (point.raised, point.item_id, point.confirmed) == (True, item.id, False)


def test_a_double_click_creates_one_workshop_and_one_map(browser, server, room, run_waiter):
    store, facilitator, _ = room
    page = browser.new_page(viewport=LAPTOP)
    page.goto(server.base)
    run_waiter(page)
    page.get_by_role("tab", name="Create a workshop").click()
    page.get_by_role("textbox", name="Workshop title").fill("Double click seminar")
    page.get_by_role("textbox", name="Facilitator PIN").fill("double-pin-123")
    page.get_by_role("button", name="Create workshop").dblclick()
    page.get_by_text("Workshop created").wait_for(timeout=30_000)
    page.wait_for_timeout(2000)  # the second click's run, if any, has landed
    run_waiter(page)
    assert _count(store, "workshops", title="Double click seminar") == 1
    maps_before = _count(store, "maps")
    page = open_facilitate(browser, server, run_waiter)
    form = page.locator("[data-testid=stForm]").filter(has_text="Team name")
    form.get_by_label("Team name").fill("Eastgate tenants")
    form.get_by_role("button", name="Create team map").dblclick()
    _until(lambda: _count(store, "maps") > maps_before, what="the map")
    # Listed, and the form emptied for the next team (its success note may be redrawn away by
    # the second click's run: the list is the lasting answer).
    page.get_by_role("link", name="Eastgate tenants").wait_for(timeout=30_000)
    page.wait_for_timeout(2000)
    run_waiter(page)
    assert page.locator("[data-testid=stForm]").filter(has_text="Team name") \
        .get_by_label("Team name").input_value() == ""
    assert not page.get_by_text("Team name: is required").count()  # the 2nd click sent the name
    assert _count(store, "maps") == maps_before + 1


def _decode_qr(path) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [r.text for r in zxingcpp.read_barcodes(Image.open(path))]


def test_a_team_member_reaches_the_map_from_the_handout_in_two_taps(
        browser, server, room, run_waiter, keep_shot):
    store, facilitator, _ = room
    from orgkit.map import service as maps

    team = maps.create_map(store, facilitator, "Eastgate tenants")
    # The facilitator opens the handout on a phone at the table.
    page = open_facilitate(browser, server, run_waiter, PHONE, has_touch=True)
    handout = page.locator("[data-testid=stExpander]").filter(
        has=page.get_by_text("Hand out at the table")).last
    handout.get_by_text("Hand out at the table").tap()
    code = team["short_code"]
    shown = f"{code[:4]}-{code[4:]}"
    page.get_by_role("heading", name=shown).wait_for(timeout=30_000)
    qr = page.get_by_alt_text("QR code of the map of Eastgate tenants")
    qr.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot = keep_shot(page, "handout-phone.png")
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    box = page.get_by_role("heading", name=shown).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # the whole code shows
    page.get_by_role("heading", name=shown).scroll_into_view_if_needed()
    keep_shot(page, "handout-phone-code.png")
    (link,) = _decode_qr(shot)
    # The handout link (the tables' codes end it), never the map's private link.
    assert link.endswith(f"/join?code={DEMO_CODE}&table={code}"), link
    # The room is at the tables step; a team member's phone: the camera reads the QR (tap 1:
    # open the link), it joins the workshop and its table, the map is there.
    tables = next(s for s in sessions.agenda(store, facilitator) if s.kind == "tables")
    sessions.move(store, facilitator, None, tables.id)
    member = browser.new_context(viewport=PHONE, has_touch=True).new_page()
    member.goto(link.replace(link.split("/join")[0], server.base))
    run_waiter(member)
    member.get_by_role("heading", name="Eastgate tenants").wait_for(timeout=30_000)
    # Or types the code on the map page (the home page links to it).
    typist = browser.new_context(viewport=PHONE, has_touch=True).new_page()
    typist.goto(f"{server.base}/map")
    run_waiter(typist)
    typist.get_by_role("textbox", name="Map code").fill(shown.lower())
    typist.get_by_role("button", name="Open the map").tap()
    typist.get_by_role("heading", name="Eastgate tenants").wait_for(timeout=30_000)
    assert f"map={team['link_token']}" in typist.url


def test_a_name_being_typed_survives_a_redraw_and_is_the_one_promoted(
        browser, server, room, run_waiter, keep_shot):
    store, facilitator, person = room
    board = boards.create_board(store, facilitator, "Who should we meet?")
    item, _ = boards.add_item(store, person, board.id, "Pastor Ruiz at St. Mark's church")
    team = store.maps.for_workshop(facilitator.workshop_id)[0]
    page = open_facilitate(browser, server, run_waiter)
    assert _shown_in(page, "Level") == "Community leaders and connectors"  # from the words
    page.get_by_text("Will add “Pastor Ruiz at St. Mark's church” to").wait_for()
    name = page.get_by_role("textbox", name="Entry name")
    name.fill("Pastor Ruiz")  # typed, not yet sent (no Enter, no blur)
    boards.add_item(store, person, board.id, "Someone votes meanwhile")  # the revision moves
    page.get_by_text("Items: 2 shown, 0 hidden").wait_for(timeout=30_000)  # redrawn
    assert name.input_value() == "Pastor Ruiz"
    page.get_by_role("button", name="Add to the map").click()
    page.get_by_text("Added “Pastor Ruiz” to the map as a new entry.").wait_for(timeout=30_000)
    keep_shot(page, "promoted.png")
    added = [e for e in store.maps.entries(team["id"]) if e["name"].startswith("Pastor Ruiz")]
    assert [(e["name"], e["level"]) for e in added] == [("Pastor Ruiz", "leader")]


def test_every_control_on_the_facilitate_page_is_a_44_px_target_on_a_phone(
        browser, server, room, run_waiter, keep_shot):
    page = open_facilitate(browser, server, run_waiter, PHONE, has_touch=True)
    run_waiter(page)
    wait_still(page)  # all of it drawn: a full run counted 3 controls of a page still streaming
    controls = page.locator("[data-testid=stMain] :is(button, summary, input, "
                            "[data-baseweb=select] > div):visible")
    boxes = [(c.evaluate("e => (e.innerText || e.getAttribute('aria-label') || e.tagName)"
                         ".slice(0, 40)"), c.bounding_box()) for c in controls.all()]
    small = [(name, round(box["height"], 1)) for name, box in boxes
             if box and box["height"] < 44 and box["width"] > 1]
    keep_shot(page, "facilitate-phone-targets.png", full_page=True)
    assert len(boxes) > 10 and small == [], small
    width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], width
