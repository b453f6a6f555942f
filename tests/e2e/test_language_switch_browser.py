"""The EN/ES switch is on every page and in nobody's way (issues 18 and 22), in Chromium.

On a 360×740 phone, in English and in Spanish, at each step a phone goes through (the join form,
the brainstorm, the vote, the tables' handout form, the table's map, the commitments): the
switch's box, the strip it sits in included, overlaps no control's visible part (a button, a
pill, a field, a link; the part an overflowing ancestor does not clip) with the page's scrolling
part at its top, its middle and its end; and the switch itself is on top in the window's bottom
fifth (thumb reach), 44 px at least. On the projector the switch shows only under the
facilitator's mouse or keyboard focus, and switches from there. Screenshots kept (keep_shot).
"""
from __future__ import annotations

import pytest
from conftest import DEMO_CODE

from orgkit.board import service as boards
from orgkit.map import service as maps
from orgkit.session import service as sessions

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SWITCH = ".st-key-orgkit_lang"
# What each phone step shows once drawn, in English and Spanish (None: the team's name).
SHOWN = {"join": ("Join code", "Código para unirse"), "brainstorm": ("Your idea", "Tu idea"),
         "vote": ("Phase: Vote", "Fase: Votar"),
         "tables": ("Table code", "Código de la mesa"), "tables map": (None, None),
         "commitments": ("What will you do next?", "¿Qué harás ahora?")}

# Every control whose visible part lies under the switch's box; empty when none does. A control's
# visible part is its box clipped by each ancestor that clips its overflow (the page's scrolling
# part among them), so a pill scrolled out of the main part does not count.
COVERED_JS = """(selector) => {
  const strip = document.querySelector(selector);
  if (!strip) return ['no switch'];
  const s = strip.getBoundingClientRect();
  const covered = [];
  const controls = 'button, input, textarea, select, a[href], summary, [role=button], ' +
    '[role=combobox], [role=checkbox], [role=radio], [role=switch], [role=tab], [role=slider], ' +
    '[data-testid=stCheckbox] label';
  for (const el of document.querySelectorAll(controls)) {
    if (strip.contains(el) || !el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const css = getComputedStyle(a);
      if (css.overflowX === 'visible' && css.overflowY === 'visible') continue;
      const q = a.getBoundingClientRect();
      [left, top] = [Math.max(left, q.left), Math.max(top, q.top)];
      [right, bottom] = [Math.min(right, q.right), Math.min(bottom, q.bottom)];
    }
    if (right - left < 1 || bottom - top < 1) continue;  // nothing of it shows
    if (left < s.right && right > s.left && top < s.bottom && bottom > s.top)
      covered.push(`${el.tagName} "${(el.innerText || el.getAttribute('aria-label') || '')
        .trim().slice(0, 40)}" at ${[left, top, right, bottom].map(Math.round)}`);
  }
  return covered;
}"""

# The page's scrolling part moved to a fraction of its way down.
SCROLL_JS = """(share) => {
  const main = document.querySelector('[data-testid=stMain]');
  main.scrollTop = share * (main.scrollHeight - main.clientHeight);
}"""


def _reachable(page) -> list[str]:
    """What is wrong with reaching each of the switch's buttons: on top at its centre, in the
    window's bottom fifth, 44 px at least each way."""
    wrong = []
    for button in page.locator(f"{SWITCH} button").all():
        box = button.bounding_box()
        name = button.inner_text()
        if box is None:
            wrong.append(f"{name}: not drawn")
            continue
        on_top = button.evaluate("(el, [x, y]) => el.contains(document.elementFromPoint(x, y))",
                                 [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
        if not on_top:
            wrong.append(f"{name}: under something")
        if box["y"] + box["height"] > 740 or box["y"] < 740 * 0.8:
            wrong.append(f"{name}: at y {box['y']:.0f}, out of thumb reach")
        if box["width"] < 44 or box["height"] < 44:
            wrong.append(f"{name}: {box['width']:.0f}x{box['height']:.0f} px")
    return wrong


def test_the_switch_covers_no_control_on_any_phone_step(browser, server, demo_room, run_waiter,
                                                        keep_shot):
    store, facilitator = demo_room
    board = boards.latest_board(store, facilitator)
    team = maps.handout(store, facilitator, maps.team_maps(store, facilitator)[0]["id"])
    steps = {step.kind: step for step in sessions.agenda(store, facilitator)}
    problems = {}
    for name, (english, spanish) in SHOWN.items():
        # The room where this step is: the demo's board collecting ideas before the session,
        # then voting; then the session on the tables step and on the commitments step.
        query = f"?code={DEMO_CODE}"
        if name == "join":
            query = "?"
        elif name == "vote":
            boards.set_phase(store, facilitator, board.id, "vote")
        elif name == "tables":
            sessions.move(store, facilitator, None, steps["tables"].id)
        elif name == "tables map":
            query += f"&table={team['short_code']}"
        elif name == "commitments":
            sessions.move(store, facilitator, steps["tables"].id, steps["commitments"].id)
        for language, shown in (("en", english), ("es", spanish)):
            page = browser.new_context(**PHONE).new_page()
            page.goto(f"{server.base}/join{query}&lang={language}")
            run_waiter(page)
            page.get_by_text(shown or team["name"], exact=False).locator(
                "visible=true").first.wait_for(timeout=20_000)
            run_waiter(page)
            page.wait_for_timeout(500)  # the run's last elements settle
            keep_shot(page, f"switch-{name.replace(' ', '-')}-{language}-360.png")
            for share in (0, 0.5, 1):
                page.evaluate(SCROLL_JS, share)
                if covered := page.evaluate(COVERED_JS, SWITCH):
                    problems[f"{name}, {language}, scrolled {share:.0%}"] = covered
            keep_shot(page, f"switch-{name.replace(' ', '-')}-{language}-360-end.png")
            if wrong := _reachable(page):
                problems[f"{name}, {language}: the switch"] = wrong
            page.context.close()
    assert problems == {}


def _settles(page, opacity: str, timeout: int = 5_000) -> None:
    """Wait until the switch's opacity is `opacity` (its fade takes .15 s)."""
    page.wait_for_function(
        f"getComputedStyle(document.querySelector('{SWITCH}')).opacity === '{opacity}'",
        timeout=timeout)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_projector_shows_the_switch_only_under_the_facilitators_mouse(
        browser, server, run_waiter, keep_shot, size):
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server.base}/projector?code={DEMO_CODE}")
    page.wait_for_url(f"**wall={width}x{height}*", timeout=20_000)  # its one reload
    run_waiter(page)
    page.locator(".ok-board").wait_for(timeout=20_000)
    switch = page.locator(SWITCH)
    page.mouse.move(width / 2, height / 2)
    # The room sees no switch: at most its .15 s fade, when the page's style lands after it.
    _settles(page, "0", 2_000)
    keep_shot(page, f"switch-projector-{width}x{height}.png")

    # The facilitator's mouse in the corner: the switch shows, in the corner, and switches.
    box = switch.bounding_box()
    assert box["x"] + box["width"] > width - 24 and box["y"] + box["height"] > height - 24
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    _settles(page, "1", 5_000)
    keep_shot(page, f"switch-projector-{width}x{height}-hover.png")
    page.mouse.move(width / 2, height / 2)
    _settles(page, "0", 5_000)

    # The facilitator clicks ES: the projector reads Spanish, and once the mouse leaves, the
    # room sees no switch again (the clicked button keeps the focus, not the switch its look).
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    switch.locator("button").filter(has_text="ES").click()
    page.wait_for_function("document.documentElement.lang === 'es'", timeout=15_000)
    run_waiter(page)
    page.mouse.move(width / 2, height / 2)
    _settles(page, "0", 5_000)

    # Reached by the keyboard (Tab), it shows while it has the focus.
    for _ in range(30):
        page.keyboard.press("Tab")
        if switch.evaluate("el => el.contains(document.activeElement)"):
            break
    _settles(page, "1", 5_000)
    keep_shot(page, f"switch-projector-{width}x{height}-tab.png")
    page.close()
