"""Issue 22's seminar played end to end in Chromium against a freshly started server, as its tester
played it: the facilitator makes a board with reference points in the browser and opens the
projector in a second tab of the same browser (1920×1080), a venue projector shows the same board
at 1280×720, and four phones at 360×740 (one reading Spanish) join by the URL decoded from the
projector's QR. Ideas come from the phones; the facilitator clicks each phase's button and each
click is checked in the store; votes come from the phones with the counts hidden on both
projectors until Discuss; the reveal shows no guess to the room until "Confirm all"; an idea is
promoted to a team map, a phone adds a map entry, and the lead's coverage page opens.

At every state both projectors are checked (no scroll, no control of the facilitator's, the QR
there) and photographed with keep_shot. Grouping ideas into themes goes through the service here:
doing it in the browser is test_facilitator_speed_browser's subject.
"""
import io
import re
import time
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import zxingcpp
from conftest import DEMO_CODE
from e2e.conftest import demo_facilitator, open_facilitate, wait_still
from PIL import Image
from playwright.sync_api import expect

from orgkit.board import service as boards
from orgkit.storage import open_store

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]

PROMPT = "What makes community organizing work?"
POINTS = ["Candidate forums", "One-on-one meetings", "A budget for childcare",
          "Know who holds power over the issue"]
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True}
# Each phone's ideas; the second phone reads Spanish and writes in it.
IDEAS = [("en-US", ["Candidate forums in every ward", "Rides to the hearing"]),
         ("es-ES", ["Foro de candidatos", "Reuniones uno a uno"]),
         ("en-US", ["Childcare at every meeting", "Door knocking in pairs"]),
         ("en-US", ["Translate every flyer into Spanish", "Comida después de la reunión"])]
THEMES = {"Showing up": ["Candidate forums in every ward", "Foro de candidatos",
                         "Rides to the hearing"],
          "Taking care of people": ["Childcare at every meeting", "Comida después de la reunión",
                                    "Translate every flyer into Spanish"]}

# The projected page's state for the room: [scroll height, window height, its controls (none
# may be on the page's main part, drawn or not, nor seen anywhere: on top at their centre; the
# sidebar's, an unlocked browser's lock button among them, lie under the board, which covers the
# window), QR images]. The EN/ES switch floats on every page, the projector's too: it sets the
# language this screen reads, not the board, so it is not one of the facilitator's controls.
WALL_JS = """() => [document.scrollingElement.scrollHeight, innerHeight,
  [...document.querySelectorAll('button, input, select, textarea, summary, [role=button]')]
    .filter(el => {
      if (el.closest('.st-key-orgkit_lang')) return false;
      if (el.closest('[data-testid=stMain]')) return true;
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) return false;
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top !== null && (el.contains(top) || top.contains(el)); })
    .map(el => (el.innerText || el.getAttribute('aria-label') || el.tagName).slice(0, 40)),
  document.querySelectorAll('.ok-board .ok-side img').length]"""


def _until(check, timeout=30.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _decode(png: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


class Walls:
    """The two projected pages: each state is waited for on both, checked and photographed."""

    def __init__(self, store, board_id, pages, keep_shot):
        self.store, self.board_id, self.pages, self.keep = store, board_id, pages, keep_shot
        self.join = None  # the join link the QR holds, once read

    def show(self, state: str, ready: str | None = None) -> None:
        """Both walls have drawn the stored revision (and `ready`, a JS condition), fit their
        window, show no control and show the QR, which decodes from the screenshot kept."""
        revision = self.store.boards.revision(self.board_id)
        for size, page in self.pages.items():
            page.wait_for_selector(f'.ok-board[data-revision="{revision}"]', timeout=30_000)
            if ready:
                page.wait_for_function(ready, timeout=30_000)
            shot = self.keep(page, f"seminar-{state}-projector-{size}.png")  # a failure's too
            scroll, height, controls, qr = page.evaluate(WALL_JS)
            where = f"{state} at {size}"
            assert scroll <= height, f"{where}: the page scrolls ({scroll} > {height})"
            assert controls == [], f"{where}: controls on the projected page: {controls}"
            assert page.get_by_text("Facilitator controls").count() == 0, where
            assert qr == 1, f"{where}: no QR"
            assert self.join in _decode(shot.read_bytes()), f"{where}: the QR does not decode"

    def text(self, size="1920x1080") -> str:
        return self.pages[size].locator(".ok-board").inner_text()


def test_the_whole_seminar_plays_in_the_browser(browser, server, sqlite_url, run_waiter,
                                                keep_shot):
    started = time.time()
    store = open_store(sqlite_url)
    facilitator = demo_facilitator(store)
    team = store.maps.for_workshop(facilitator.workshop_id)[0]

    # The facilitator unlocks and creates the board, with its reference points, in the browser.
    page = open_facilitate(browser, server, run_waiter)
    laptop = page.context
    form = page.locator("[data-testid=stForm]").filter(has_text="Reference notes")
    if not form.is_visible():
        page.get_by_text("Create a board").click()
        wait_still(page)  # the expander has opened: a click meanwhile can land beside its button
    form.get_by_label("Prompt", exact=True).fill(PROMPT)
    form.get_by_label("Reference notes").first.fill("\n".join(POINTS))
    form.get_by_role("button", name="Create board").click()
    _until(lambda: getattr(boards.latest_board(store, facilitator), "prompt", "") == PROMPT,
           what="the board")
    board = boards.latest_board(store, facilitator)
    assert board.reference_points == tuple(POINTS)
    assert board.hide_counts and board.phase == "collect"  # a new board hides counts by default
    run_waiter(page)
    keep_shot(page, "seminar-facilitator-created.png")

    # The projector in a second tab of the same browser, from the page's own link, and the
    # venue's smaller projector on another computer.
    link = page.get_by_role("link", name="Open this board on the projector")
    link.wait_for()
    wall = laptop.new_page()
    wall.goto(urljoin(page.url, link.get_attribute("href")))
    venue = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    venue.goto(f"{server.base}/projector?code={DEMO_CODE}&board={board.id}")
    walls = Walls(store, board.id, {"1920x1080": wall, "1280x720": venue}, keep_shot)
    page.bring_to_front()

    # Four phones join by the address the QR holds (read from the screenshot, at the server).
    wall.locator(".ok-board .ok-side img").wait_for()
    (url,) = [u for u in _decode(wall.screenshot()) if "/join" in u]
    walls.join = url
    walls.show("1-empty")
    parts = urlsplit(url)
    assert parse_qs(parts.query)["code"] == [DEMO_CODE]
    assert parse_qs(parts.query)["board"] == [str(board.id)]
    join = f"{server.base}{parts.path}?{parts.query}"
    phones = []
    for locale, _ in IDEAS:
        phone = browser.new_context(**PHONE, locale=locale).new_page()
        phone.goto(join)
        phones.append(phone)
    for phone in phones:
        run_waiter(phone)
        phone.wait_for_url("**p=*")
    phones[1].wait_for_function("document.documentElement.lang === 'es'", timeout=15_000)

    # Ideas from the phones, each in its reader's words.
    for phone, (locale, texts) in zip(phones, IDEAS):
        label, sent = ("Tu idea", "Enviado:") if locale == "es-ES" else ("Your idea", "Sent:")
        for text in texts:
            field = phone.get_by_label(label)
            field.fill(text)
            field.press("Enter")
            phone.get_by_text(re.compile(f"{sent}.*{re.escape(text)}")).first.wait_for(timeout=30_000)
            run_waiter(phone)
    everything = [t for _, texts in IDEAS for t in texts]
    snap = boards.snapshot(store, board.id)
    assert sorted(i.text for i in snap.shown()) == sorted(everything)
    walls.show("2-collect", "document.querySelectorAll('.ok-board [data-item]').length === 8")
    for text in everything:
        assert text in walls.text("1920x1080") and text in walls.text("1280x720"), text
    keep_shot(phones[1], "seminar-2-collect-phone-es.png", full_page=True)

    def phase(name: str) -> None:
        """The facilitator clicks the phase's button; the store has it, and keeps it."""
        page.locator(f'[class*="st-key-ctl{board.id}_phase_{name}"] button').first.click()
        _until(lambda: boards.snapshot(store, board.id).board.phase == name,
               what=f"the {name} click")
        run_waiter(page)
        page.locator(f".st-key-said_ctl{board.id}_phase").get_by_text("Phase set to").wait_for()
        assert boards.snapshot(store, board.id).board.phase == name

    # Group: themes (through the service; see the docstring).
    phase("group")
    ids = {i.text: i.id for i in boards.snapshot(store, board.id).shown()}
    for theme, texts in THEMES.items():
        boards.group_items(store, facilitator, board.id, [ids[t] for t in texts], theme)
    walls.show("3-group", "document.querySelector('.ok-board').innerText"
                          ".includes('Taking care of people')")
    assert "Showing up" in walls.text("1280x720")

    # Vote: each phone taps ideas; the walls show no count while the vote is open.
    phase("vote")
    for n, phone in enumerate(phones):
        run_waiter(phone)
        for text in (everything[n + 4], "Foro de candidatos"):
            before = sum(i.votes for i in boards.snapshot(store, board.id).items)
            # A tap scrolls to its button and waits for it through the phone's redraws.
            phone.locator(".st-key-phone_items button").filter(has_text=text).first.tap()
            _until(lambda b=before: sum(i.votes for i in boards.snapshot(store, board.id).items)
                   == b + 1, what=f"phone {n}'s vote for {text}")
            run_waiter(phone)
    votes = {i.text: i.votes for i in boards.snapshot(store, board.id).items}
    assert votes["Foro de candidatos"] == 4 and sum(votes.values()) == 8, votes
    walls.show("4-vote")
    for wall_page in walls.pages.values():
        assert wall_page.locator(".ok-votes").count() == 0  # hidden until Discuss
        assert "Votes hidden" in wall_page.locator(".ok-board").inner_text()
    phones[0].locator(".st-key-phone_items").scroll_into_view_if_needed()
    keep_shot(phones[0], "seminar-4-vote-phone.png")
    keep_shot(phones[1], "seminar-4-vote-phone-es.png")

    # Discuss: the vote is closed, the counts show and rank.
    phase("discuss")
    walls.show("5-discuss", "document.querySelectorAll('.ok-board .ok-votes').length > 0")
    for wall_page in walls.pages.values():
        assert "Votes hidden" not in wall_page.locator(".ok-board").inner_text()

    # The reveal: suggestions are not shown to the room until confirmed, then all at once.
    page.get_by_role("button", name="Reveal the reference notes").click()
    _until(lambda: boards.snapshot(store, board.id).board.revealed, what="the reveal click")
    walls.show("6-reveal-suggested",
               f"document.querySelectorAll('.ok-reveal li').length === {len(POINTS)}")
    for wall_page in walls.pages.values():
        shown = wall_page.locator(".ok-reveal").inner_text()
        assert "✔" not in shown and "suggest" not in shown.lower(), shown
    run_waiter(page)
    page.get_by_text("Reveal: which reference points").click()
    wait_still(page)  # the expander has opened: a click meanwhile can land beside its button
    confirm = page.get_by_role("button", name=re.compile(r"Confirm all \d+ suggestions?"))
    suggested = int(re.search(r"\d+", confirm.inner_text()).group())
    assert suggested >= 2  # at least "Candidate forums" (twice over) and "One-on-one meetings"
    confirm.click()
    page.get_by_text(f"Confirmed {suggested} point").wait_for(timeout=30_000)
    confirmed = [p for p in boards.snapshot(store, board.id).reveal if p.confirmed]
    assert len(confirmed) == suggested
    keep_shot(page.locator("[data-testid=stExpander]").filter(has_text="Reveal: which"),
              "seminar-7-reveal-facilitator.png")
    walls.show("7-reveal-confirmed", "document.querySelector('.ok-reveal').innerText"
                                     f".split('✔').length === {suggested + 1}")
    for wall_page in walls.pages.values():
        assert "suggest" not in wall_page.locator(".ok-reveal").inner_text().lower()

    # The most voted idea promoted to the team map from the facilitate page: chosen, a level
    # chosen (its words suggest none), a name typed, Add to the map. Each choice redraws the
    # form below it, and a wait for the page's run can return before the run a choice starts
    # (the click's message is still on its way): each step waits for what the choice shows.
    before = len(store.maps.entries(team["id"]))

    def choose(label: str, option: str) -> None:
        field = page.locator(f'input[aria-label="{label}"]')
        field.scroll_into_view_if_needed()
        field.click()
        page.get_by_role("option").filter(has_text=option).first.click()
        run_waiter(page)

    choose("Item to moderate", "Foro de candidatos")
    name = page.get_by_role("textbox", name="Entry name")
    expect(name).to_have_value("Foro de candidatos", timeout=30_000)  # the chosen item's form
    choose("Level", "Organizations and institutions")
    page.get_by_text("Will add “Foro de candidatos”").wait_for(timeout=30_000)
    name.fill("Ward candidate forum")
    name.press("Enter")
    page.get_by_text("Will add “Ward candidate forum”").wait_for(timeout=30_000)
    page.get_by_role("button", name="Add to the map").click()
    page.get_by_text("Added “Ward candidate forum” to the map").wait_for(timeout=30_000)
    assert any(e["name"] == "Ward candidate forum" for e in store.maps.entries(team["id"]))
    keep_shot(page, "seminar-8-promoted.png")

    # A team member's phone adds an entry to the same map.
    member = phones[2]
    member.goto(f"{server.base}/map?map={team['link_token']}")
    run_waiter(member)
    member.get_by_role("button", name="Save entry").wait_for()
    member.get_by_role("textbox", name="Name", exact=True).fill("Pastor Ruiz")
    member.get_by_role("button", name="Save entry").tap()
    member.get_by_text("Entry added.").first.wait_for(timeout=30_000)
    entries = store.maps.entries(team["id"])
    assert len(entries) == before + 2 and any(e["name"] == "Pastor Ruiz" for e in entries)
    keep_shot(member, "seminar-9-map-phone.png")
    walls.show("9-after-map")  # the walls are untouched by the map

    # The lead's coverage page opens with its charts drawn.
    lead = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    lead.goto(f"{server.base}/coverage?code={DEMO_CODE}")
    run_waiter(lead)
    lead.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                           ".filter(p => p.querySelector('.main-svg')).length >= 1",
                           timeout=60_000)
    assert lead.get_by_text("Traceback").count() == 0
    total = sum(len(store.maps.entries(m["id"]))
                for m in store.maps.for_workshop(facilitator.workshop_id))
    counted = lead.locator("[data-testid=stMetric]").filter(has_text="Entries on all maps")
    assert counted.inner_text().split()[-1] == str(total)  # the two new entries are counted
    keep_shot(lead, "seminar-10-coverage.png")
    print(f"seminar played in {time.time() - started:.0f} s")
    for context in {p.context for p in [page, venue, lead, *phones]}:
        context.close()
    store.close()
