"""Issue 19's first Done-when line: the whole default agenda played in Chromium against a freshly
started server. The facilitator clicks Start and then Next through every step, welcome to close;
the projector (1920×1080) and four phones (360×740) follow without a tap: one in English, one in
Spanish, and two at the first team's table, one that typed its handout code at the tables step
and one that came by the handout's QR address (`table=`), which joins it there by itself.

At every step: the projector shows the step within its poll + 2 s and fits the window without
scrolling, no text under the room's floor; each phone shows the step's screen (the room's marker
of the step, and the step's own words in the phone's language) within its poll + 2 s of the
click; every screen is kept with keep_shot. Text typed and not sent (the cursor still in the
field) survives a step change: an idea on the brainstorm, a map entry at the tables, a
commitment's "with whom" on the commitments step.
"""
from __future__ import annotations

import time

import pytest
from conftest import DEMO_CODE
from e2e.conftest import open_facilitate
from e2e.test_projector_fit_browser import floor_px

from orgkit.map import service as maps
from orgkit.session import service as sessions
from orgkit.ui.room import PHONE_POLL_S, PROJECTOR_POLL_S

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
WALL = {"width": 1920, "height": 1080}

# The projector fits when neither the page nor Streamlit's main part scrolls, every drawn element
# of the main part lies inside the window, and no text of it is under the room's floor (2.6 % of
# the window's height above 720 px: test_projector_fit_browser.floor_px); the EN/ES switch, which
# floats on every page, is this screen's own control, not the step's.
FIT_JS = """(floor) => {
  const bad = [], H = innerHeight, W = innerWidth, d = document.documentElement;
  if (d.scrollHeight > H || d.scrollWidth > W)
    bad.push(`page scrolls: ${d.scrollWidth}x${d.scrollHeight}`);
  const main = document.querySelector('[data-testid=stMain]');
  if (main && main.scrollHeight > main.clientHeight + 1) bad.push('Streamlit main scrolls');
  for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || el.closest('.st-key-orgkit_lang')) continue;
    if (r.bottom > H + 1 || r.right > W + 1)
      bad.push(`${el.className || el.tagName} ends at ${r.right | 0}x${r.bottom | 0}`);
    for (const node of el.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < floor - 0.25) bad.push(`text at ${size} px: ${node.textContent.slice(0, 30)}`);
    }
  }
  return bad.slice(0, 5);
}"""
IDEA = "A rent strike committee in every building"
ENTRY = "Pastor Ruiz at St. Mark's"
WITH_WHOM = "La señora Ortiz de la biblioteca"
# What each step shows: on the projector (None: the first team's name, the tables' progress) and
# on a phone in English and in Spanish, in the agenda's order.
WALL_SHOWS = {"welcome": "Join with code", "definitions": "Transformative organizing",
              "brainstorm": "What are key characteristics", "reveal": "Reference points",
              "tables": None, "power": "Links from our people",
              "engage": "Engage, involve, empower", "report_back": "Top gaps",
              "commitments": "Coming up", "close": "What we committed to, and what comes next."}
PHONE_SHOWS = {
    "welcome": ("Welcome", "Bienvenida"),
    "definitions": ("Basebuilding", "Construcción de base"),
    "brainstorm": ("Your idea", "Tu idea"),
    "reveal": ("Reference points", "Puntos de referencia"),
    "tables": ("Scan your table's handout or type its code",
               "Escanea la hoja de tu mesa o escribe su código"),
    "power": ("Who holds power", "Quién tiene el poder"),
    "engage": ("Engage, involve, empower", "Involucrar, sumar, empoderar"),
    "report_back": ("Top gaps", "Brechas principales"),
    "commitments": ("What will you do next?", "¿Qué harás ahora?"),
    "close": ("Here is what you said you will do.", "Esto es lo que dijiste que harás.")}


def _phone(browser, server, run_waiter, query: str):
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{server.base}/join?code={DEMO_CODE}{query}")
    run_waiter(page)
    return page


def _within(deadline: float) -> float:
    """Milliseconds left until `deadline` (time.monotonic), at least a little."""
    return max(100.0, (deadline - time.monotonic()) * 1000)


def _room_on(store, facilitator, step, within_s: float = 10) -> None:
    """Wait until the facilitator's click has moved the room to `step`."""
    deadline = time.monotonic() + within_s
    while sessions.room(store, facilitator.workshop_id).step_id != step.id:
        assert time.monotonic() < deadline, f"the room never reached {step.kind}"
        time.sleep(0.1)


def _shows(page, text: str, deadline: float) -> None:
    """`text` visible on `page` before `deadline` (hidden docks do not count)."""
    page.get_by_text(text, exact=False).locator("visible=true").first.wait_for(
        state="visible", timeout=_within(deadline))


def test_the_whole_default_agenda(browser, server, demo_room, run_waiter, keep_shot):
    store, facilitator = demo_room
    steps = sessions.agenda(store, facilitator)
    assert [step.kind for step in steps] == list(PHONE_SHOWS)
    team = maps.handout(store, facilitator, maps.team_maps(store, facilitator)[0]["id"])
    fac = open_facilitate(browser, server, run_waiter)
    projector = browser.new_page(viewport=WALL)
    projector.goto(f"{server.base}/projector?code={DEMO_CODE}")
    run_waiter(projector)
    phones = {"en": _phone(browser, server, run_waiter, ""),
              "es": _phone(browser, server, run_waiter, "&lang=es"),
              "typed": _phone(browser, server, run_waiter, ""),
              # The handout's QR address (orgkit.ui.handouts.handout_url), as a camera opens it.
              "scanned": _phone(browser, server, run_waiter, f"&table={team['short_code']}")}
    fac.get_by_role("button", name="Start the session").click()
    kept, seen = [], {}  # seen: per step, the seconds until each phone showed it
    for number, step in enumerate(steps, start=1):
        if number > 1:
            fac.get_by_role("button", name=f"Next: {step.title['en']}").click()
        clicked = time.monotonic()
        seen[step.kind] = []
        _room_on(store, facilitator, step)
        run_waiter(fac)
        _shows(projector, WALL_SHOWS.get(step.kind) or team["name"],
               clicked + PROJECTOR_POLL_S + 2)
        for name, phone in phones.items():
            # The room's own mark of the step it drew, then the step's words in the phone's
            # language (a table's phones: their team's map, once joined).
            phone.locator(f'style[data-room-step="{step.id}"]').wait_for(
                state="attached", timeout=_within(clicked + PHONE_POLL_S + 2))
            words = PHONE_SHOWS[step.kind][name == "es"]
            if step.kind == "tables" and name == "scanned":
                words = team["name"]
            _shows(phone, words, clicked + PHONE_POLL_S + 2)
            seen[step.kind].append(round(time.monotonic() - clicked, 1))
        for field, typed in kept:  # typed before this step, never sent: still in its field
            assert field.evaluate("el => [el.isConnected, el.value]") == [True, typed], step.kind
        kept = []
        time.sleep(0.5)  # the run's last elements settle before the checks and the pictures
        assert projector.evaluate(FIT_JS, floor_px(WALL["height"])) == [], step.kind
        keep_shot(projector, f"agenda-{number:02d}-{step.kind}-projector.png")
        for name, phone in phones.items():
            keep_shot(phone, f"agenda-{number:02d}-{step.kind}-phone-{name}.png")
        keep_shot(fac, f"agenda-{number:02d}-{step.kind}-facilitator.png")
        kept = _act(step.kind, phones, team, run_waiter)
    assert sessions.room(store, facilitator.workshop_id).step_id == steps[-1].id
    members = store.db.scalar("SELECT COUNT(*) FROM map_members WHERE map_id = :m",
                              {"m": team["id"]})
    assert members == 2  # the typed code's phone and the scanned QR's
    print("seconds until each phone showed the step:", seen)


def _act(kind: str, phones: dict, team: dict, run_waiter) -> list:
    """What the phones do on a step: type without sending (the cursor stays in the field) what
    must survive the room's next step, and join the table by its typed code. Returns the
    (field, text) pairs typed."""
    if kind == "brainstorm":
        return [_type(phones["en"].get_by_role("textbox", name="Your idea"), IDEA)]
    if kind == "tables":
        typist = phones["typed"]
        typist.get_by_role("textbox", name="Table code").fill(team["short_code"])
        typist.get_by_role("button", name="Join my table").tap()
        typist.get_by_role("heading", name=team["name"]).wait_for()
        run_waiter(typist)
        return [_type(typist.get_by_role("textbox", name="Name", exact=True), ENTRY)]
    if kind == "commitments":
        return [_type(phones["es"].get_by_role("textbox", name="Con quién", exact=True),
                      WITH_WHOM)]
    return []


def _type(field, text: str) -> tuple:
    """Type into `field`; returns its DOM node (the same node must still hold the text after
    the step change: hidden, a role locator would no longer find it) and the text."""
    field.click()
    field.press_sequentially(text)  # no Enter, no blur: the browser has not sent it
    return field.element_handle(), text
