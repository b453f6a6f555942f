"""A name cannot disguise itself, seen in Chromium: a participant named in Arabic posts an idea in
Arabic from a phone on a named board, one named in Hebrew posts through the core, and the board's
reference notes carry a hostile line (a lone isolate end, then a right-to-left override: notes are
multi-line, so the one-line refusal does not apply to them). The projector and the phone show each
piece of user text isolated, with the text after it where it belongs. The screenshots are kept
(keep_shot) for a person to look at."""
import pytest
from conftest import DEMO_CODE
from e2e.conftest import demo_facilitator, wait_still

from orgkit.board import service as boards
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

ARABIC, HEBREW = "نور", "דנה"
IDEA = "نلتقي في البيت"  # "we meet at home"
HOSTILE = "Vote \u2069\u202eexe.lagel"  # a lone isolate end, then an override
SHOWN_HOSTILE = "Vote \u202eexe.lagel"  # the lone isolate end dropped, the override kept

# The box of the first occurrence of `text` inside `el`, as Chromium laid it out.
BOX_OF_JS = """(el, text) => {
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node; (node = walk.nextNode());) {
    const at = node.data.indexOf(text);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at); range.setEnd(node, at + text.length);
    const box = range.getBoundingClientRect();
    return {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
  }
  return null;
}"""

# Whether `el` direction-isolates its content: a <bdi>, or CSS unicode-bidi isolate.
ISOLATING_JS = """el => el.tagName === 'BDI' ||
  getComputedStyle(el).unicodeBidi.includes('isolate')"""


def _box(locator, text):
    box = locator.evaluate(BOX_OF_JS, text)
    assert box, f"{text!r} is not in {locator.inner_text()!r}"
    return box


def _follows(first, then) -> bool:
    """`then` is drawn after `first` in left-to-right reading: further right on the same line,
    or on a later line."""
    if then["top"] >= first["bottom"] - 1:
        return True
    return abs(then["top"] - first["top"]) < 2 and then["left"] >= first["right"] - 1


def _isolated(page, selector, text):
    """The element under `selector` that holds exactly `text` isolates it."""
    holder = page.locator(selector).filter(has_text=text).locator("bdi").filter(
        has_text=text).first
    assert holder.text_content() == text
    assert holder.evaluate(ISOLATING_JS)
    return holder


def test_right_to_left_names_and_a_hostile_note_are_isolated_on_projector_and_phone(
        browser, server, sqlite_url, run_waiter, keep_shot):
    store = open_store(sqlite_url)
    facilitator = demo_facilitator(store)
    board = boards.create_board(store, facilitator, "What makes organizing work?",
                                reference_notes=f"{HOSTILE}\nGrow leaders",
                                votes_hidden=False)  # the phone's labels carry the count
    # Dana, named in Hebrew, posts through the core, not through a form.
    _, dana, _ = workshops.join(store, DEMO_CODE, device="dana-laptop")
    workshops.set_display_name(store, dana, HEBREW)
    train, _ = boards.add_item(store, dana, board.id, "Train new leaders")

    # Nour, named in Arabic, joins from a phone, saves the name and posts in Arabic.
    phone_ctx = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    phone = phone_ctx.new_page()
    phone.goto(f"{server.base}/join?code={DEMO_CODE}")
    run_waiter(phone)
    phone.wait_for_url("**p=*")
    phone.get_by_text("Your name (optional)").click()
    wait_still(phone)  # the expander has opened: a click meanwhile can land beside its button
    phone.get_by_label("Display name").fill(ARABIC)
    phone.get_by_role("button", name="Save name").click()
    phone.get_by_text("Saved. New items show this name.").wait_for(timeout=15_000)
    field = phone.get_by_label("Your idea")
    field.fill(IDEA)
    field.press("Enter")
    phone.get_by_text("Sent:").first.wait_for(timeout=15_000)
    run_waiter(phone)

    boards.decide_match(store, facilitator, board.id, 0, train.id)
    boards.set_revealed(store, facilitator, board.id, True)

    projector_ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    projector = projector_ctx.new_page()
    projector.goto(f"{server.base}/projector?code={DEMO_CODE}&board={board.id}")
    run_waiter(projector)
    projector.locator(".ok-reveal").wait_for(timeout=15_000)
    projector.locator(".ok-card").nth(1).wait_for(timeout=15_000)

    # Every piece of user text sits in an isolating element: items, authors, prompt, notes.
    for selector, text in ((".ok-text", IDEA), (".ok-text", "Train new leaders"),
                           (".ok-foot", HEBREW), (".ok-foot", ARABIC),
                           (".ok-prompt", "What makes organizing work?"),
                           (".ok-reveal li", "Grow leaders")):
        _isolated(projector, selector, text)
    note = _isolated(projector, ".ok-reveal li", SHOWN_HOSTILE)
    # The override stays inside its element: the quoted item that follows the note in the
    # reveal's line is drawn to its right and in reading order, not pulled in and reversed.
    line = projector.locator(".ok-reveal li").filter(has_text="exe.lagel")
    end = note.evaluate("el => { const r = [...el.getClientRects()].pop();"  # its last line
                        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }")
    assert _follows(end, _box(line, "(“"))
    assert _follows(_box(line, "Train"), _box(line, "leaders"))
    assert line.inner_text().endswith("(“Train new leaders”)")
    # Inside the note, the override still reverses the note's own letters (its own business).
    assert _follows(_box(note, "lagel"), _box(note, "exe"))
    keep_shot(projector, "bidi-projector.png", full_page=True)

    # The phone's vote list: a label where no tag can go, isolated with FSI … PDI. Without it,
    # the count after an Arabic idea joins the right-to-left run and is drawn on its left.
    pill = phone.locator(".st-key-phone_items button").filter(has_text=IDEA).first
    pill.wait_for(timeout=15_000)
    assert _follows(_box(pill, IDEA), _box(pill, "0 votes"))
    own = _isolated(phone, ".ok-own li", IDEA)
    assert own.evaluate("el => el.nextSibling.textContent").startswith(" · ")
    phone_line = phone.locator(".ok-reveal li").filter(has_text="exe.lagel")
    assert _follows(_box(phone_line, "lagel"), _box(phone_line, "(“"))
    phone.locator(".ok-own").scroll_into_view_if_needed()
    keep_shot(phone, "bidi-phone.png", full_page=True)
    phone_ctx.close()
    projector_ctx.close()
    store.close()
