"""The projector fits every window a venue has, in every state, at any size of board.

The grid: six windows (1024×768 to 3840×2160) × five states (collecting, grouped into themes,
voting, discussing with counts hidden, the board locked and a timer running, and the reveal) ×
five boards (0, 15, 50 and 300 ideas, and 50 ideas of 280 characters); and, in Spanish and on
the bilingual projector (our words in Spanish and English, the facilitator's prompt and notes
in both), the worst of it: the board of long ideas, discussing and revealed, at 1280×720.
Each state is set through the service and read from one running server by a window of each
size, open at once: each live page says its window's size to the server (the `wall` parameter)
and shows the pages packed for that size's class, its QR decodes from a screenshot scaled to
30 %, and then every page of the board for that class (the service's own pages, the one on the
wall among them) is laid out in the same browser page and measured. It fails on any scroll, any
card, column or panel that overflows its box, and any text under the floor (3.3 % of the
window's height at 720 px and below, 2.6 % above).
"""
from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from conftest import DEMO_CODE
from e2e.conftest import StreamlitServer, demo_facilitator
from PIL import Image

from orgkit.board import service as boards
from orgkit.board.view import Join, projector_pages
from orgkit.board.wall import wall_for
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

SIZES = [(1024, 768), (1280, 720), (1280, 800), (1366, 768), (1920, 1080), (3840, 2160)]
LOOKED_AT = {(1280, 720), (1920, 1080)}  # screenshots kept for a person to look at
# The tightest window of each class the pages are packed for (orgkit.board.view.WALLS): every
# page is measured there; at the others, which have room to spare, every fourth page and the last.
BINDING = {(1280, 720), (1024, 768), (1280, 800), (1366, 768)}
STATES = ["collect", "group", "vote", "discuss", "reveal"]
IDEAS = ["One-on-ones before every meeting", "Listen first, then act",
         "Leaders from the community", "Shared meals after services",
         "Door knocking in pairs on Saturday mornings",
         "Translate every flyer into Spanish and Vietnamese", "Childcare at every meeting",
         "Follow up within 48 hours", "Power analysis: who really decides?",
         "Celebrate small wins publicly", "Reuniones en casa antes del voto del presupuesto",
         "Ask Commissioner Hruska about the levy at the candidate forum", "Rides to the hearing",
         "A phone tree for the building", "Invite the pastor and the union local together"]
LONG = ("Hold house meetings in every building before the budget vote, with childcare, food and "
        "interpretation, so that the tenants who are most affected can tell their own stories to "
        "the council members who decide, and ask each one for a public commitment on the record "
        "before the hearing next month at city hall, please")[:280]
NOTES = "\n".join([
    "Build relationships through one-on-ones", "Grow leaders from the directly impacted",
    "Know who holds power over the issue", "Meet officials with a clear ask",
    "Bring the community to public meetings", "Tell stories through our own spokespeople",
    "Register voters where we organize", "Follow up on every commitment made in the room"])
BOARDS = {"0 ideas": (0, False), "15 ideas": (15, False), "50 ideas": (50, False),
          "300 ideas": (300, False), "50 long ideas": (50, True)}

# Every problem in the board under `root`, as sentences; none means it fits.
PROBLEMS_JS = """([root, floor]) => {
  const bad = [], H = innerHeight, W = innerWidth, d = document.documentElement;
  if (d.scrollHeight > H || d.scrollWidth > W)
    bad.push(`page scrolls: ${d.scrollWidth}x${d.scrollHeight}`);
  const main = document.querySelector('[data-testid=stMain]');
  if (main && main.scrollHeight > main.clientHeight + 1) bad.push('Streamlit main scrolls');
  const board = (root ? document.querySelector(root) : document).querySelector('.ok-board');
  if (!board) return ['no board'];
  const name = el => (el.className || el.tagName) + ' ' + (el.textContent || '').slice(0, 40);
  const edges = r => [r.left, r.top, r.right, r.bottom].map(Math.round).join(',');
  const inside = (el, box) => {
    const r = el.getBoundingClientRect();
    const b = box.getBoundingClientRect ? box.getBoundingClientRect() : box;
    if (r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.left < b.left - 1
        || r.right > b.right + 1) bad.push(`${name(el)}: [${edges(r)}] outside [${edges(b)}]`);
  };
  inside(board, {top: 0, left: 0, bottom: H, right: W});
  for (const area of board.querySelectorAll('.ok-main, .ok-side')) inside(area, board);
  for (const cols of board.querySelectorAll('.ok-cols')) {
    inside(cols, board.querySelector('.ok-main'));
    for (const col of cols.querySelectorAll('.ok-col')) {
      inside(col, cols);
      for (const block of col.querySelectorAll('.ok-card, .ok-group')) inside(block, col);
    }
  }
  const boxes = '.ok-card, .ok-side, .ok-prompt, .ok-col, .ok-cols, .ok-main';
  for (const el of board.querySelectorAll(boxes))
    if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
      bad.push(`${name(el)}: clipped, ${el.scrollWidth}x${el.scrollHeight}`
               + ` in ${el.clientWidth}x${el.clientHeight}`);
  const walker = document.createTreeWalker(board, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    if (!node.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(node.parentElement).fontSize);
    if (size < floor - 0.25)
      bad.push(`text at ${size} px < ${floor.toFixed(1)}: ${node.textContent.slice(0, 30)}`);
  }
  return bad;
}"""

# The problems of each page of `pages`, each laid out in turn over the live board.
PAGES_JS = """([pages, floor]) => {
  const problems = PROBLEMS, host = document.createElement('div'), found = [];
  host.id = 'fit-probe';
  document.body.appendChild(host);
  for (const html of pages) {
    host.innerHTML = html;
    host.querySelector('.ok-board').style.zIndex = 1001;
    found.push(problems(['#fit-probe', floor]));
  }
  host.remove();
  return found;
}""".replace("PROBLEMS", PROBLEMS_JS)


def floor_px(height: int) -> float:
    return (0.033 if height <= 720 else 0.026) * height


@pytest.fixture(scope="module")
def wall(tmp_path_factory):
    """One server for the whole grid, with the demo workshop and its facilitator."""
    folder = tmp_path_factory.mktemp("fit")
    url = f"sqlite:///{folder / 'orgkit.db'}"
    store = open_store(url)
    facilitator = demo_facilitator(store)
    server = StreamlitServer(url, folder, env={"ORGKIT_BACKUP_DIR": str(folder / "backups")})
    yield server, store, facilitator
    server.stop()
    store.close()


def _board(store, facilitator, count: int, long: bool,
           prompt: object = "What makes community organizing work?", notes: object = NOTES) -> int:
    """A board of `count` ideas (a fifth of them by a participant with a long chosen name), its
    eight reference points, and voters with 20 votes each."""
    board = boards.create_board(store, facilitator, prompt, reference_notes=notes,
                                votes_per_participant=20)
    _, named, _ = workshops.join(store, DEMO_CODE)
    workshops.set_display_name(store, named, "María Guadalupe Hernández-Villanueva")
    ids = []
    for n in range(count):
        text = LONG if long else IDEAS[n % len(IDEAS)] + ("" if n < len(IDEAS) else f" ({n})")
        ids.append(boards.add_item(store, named if n % 5 == 0 else facilitator, board.id,
                                   text)[0].id)
    for voter in range(4):
        phone = workshops.join(store, DEMO_CODE)[1]
        for item_id in ids[voter * 7 % max(1, len(ids)):][:20]:
            boards.toggle_vote(store, phone, item_id)
    return board.id


def _set_state(store, facilitator, board_id: int, state: str) -> None:
    """The board in `state`, through the service as the facilitator's controls set it."""
    ids = [item.id for item in boards.snapshot(store, board_id).shown()]
    if state == "group" and ids:
        themes = ["Relationships and one-on-ones", "Leadership", "Power and officials",
                  "Language access"]
        for n, theme in enumerate(themes):  # three ideas in four left ungrouped
            boards.group_items(store, facilitator, board_id, ids[n::len(themes) * 4 // 3 + 1],
                               theme)
    phase = {"group": "group", "vote": "vote", "discuss": "discuss", "reveal": "discuss"}
    boards.set_phase(store, facilitator, board_id, phase.get(state, "collect"))
    if state == "discuss":
        boards.set_votes_hidden(store, facilitator, board_id, True)
        boards.set_locked(store, facilitator, board_id, True)
        boards.start_timer(store, facilitator, board_id, 5)
    if state == "reveal":
        boards.set_votes_hidden(store, facilitator, board_id, False)
        for point, item_id in enumerate(ids[:5]):
            boards.decide_match(store, facilitator, board_id, point, item_id)
        boards.set_revealed(store, facilitator, board_id, True)


def _qr(page) -> list[str]:
    """The QR codes read from the wall's QR scaled to 30 %, as in a screenshot of the whole
    window scaled so (a crop of it, with its quiet zone: a whole 4K screenshot is slow)."""
    png = page.screenshot(clip=page.locator(".ok-board .ok-side img").first.bounding_box())
    crop = Image.open(io.BytesIO(png)).convert("RGB")
    small = crop.resize((crop.width * 3 // 10, crop.height * 3 // 10))
    return [found.text for found in zxingcpp.read_barcodes(small)]


@pytest.mark.parametrize("name", list(BOARDS))
def test_the_projector_fits_every_window_in_every_state(browser, wall, keep_shot, name):
    server, store, facilitator = wall
    count, long = BOARDS[name]
    board_id = _board(store, facilitator, count, long)
    # One projector window of each size, all open on the board, as walls of a venue would be:
    # each reloads once with its size in the address, then follows the board's states live.
    windows = {}
    for width, height in SIZES:
        windows[width, height] = browser.new_page(viewport={"width": width, "height": height})
        windows[width, height].goto(f"{server.base}/projector?code={DEMO_CODE}&board={board_id}")
    for (width, height), page in windows.items():
        page.wait_for_url(f"**wall={width}x{height}*", timeout=20_000)
    problems = []
    for state in STATES:
        _set_state(store, facilitator, board_id, state)
        revision = store.boards.revision(board_id)
        join_url = None
        for (width, height), page in windows.items():
            where = f"{name}, {state}, {width}×{height}"
            floor = floor_px(height)
            # The window draws the new state with the pages packed for its size's class.
            page.wait_for_selector(f'.ok-board[data-revision="{revision}"]'
                                   f'[data-wall="{wall_for(width, height).name}"]',
                                   timeout=20_000)
            problems += [f"{where}, on the wall: {p}"
                         for p in page.evaluate(PROBLEMS_JS, [None, floor])]
            read = [url for url in _qr(page) if f"code={DEMO_CODE}" in url]
            if (width, height) in LOOKED_AT:  # and the whole window, scaled, at these two
                shot = keep_shot(page, f"fit-{name.replace(' ', '-')}-{state}-{width}x{height}.png")
                whole = Image.open(shot).convert("RGB").resize((width * 3 // 10, height * 3 // 10))
                read = [url for url in read if url in
                        [found.text for found in zxingcpp.read_barcodes(whole)]]
            if not read:
                problems.append(f"{where}: the QR does not decode at 30 %")
                continue
            join_url = join_url or read[0]
            # Every page of the board for this window's class, as the service builds them.
            qr = page.locator(".ok-board .ok-side img").first.evaluate("el => el.outerHTML")
            participants = int(re.search(r"(\d+) joined", page.locator(
                "[data-testid=ok-participants]").first.inner_text()).group(1))
            pages = projector_pages(boards.snapshot(store, board_id), participants,
                                    Join(join_url, qr), wall=wall_for(width, height))
            on_wall = set(page.locator(".ok-board [data-item]").evaluate_all(
                "els => els.map(e => e.dataset.item)"))
            assert any(on_wall == set(re.findall(r'data-item="(\d+)"', built))
                       for built in pages), f"{where}: the wall shows none of the pages measured"
            shown = {int(i) for built in pages for i in re.findall(r'data-item="(\d+)"', built)}
            assert shown == {item.id for item in boards.snapshot(store, board_id).shown()}
            numbers = (range(len(pages)) if (width, height) in BINDING else
                       sorted({*range(0, len(pages), 4), len(pages) - 1}))
            found = page.evaluate(PAGES_JS, [[pages[n] for n in numbers], floor])
            problems += [f"{where}, page {n + 1}/{len(pages)}: {p}"
                         for n, page_problems in zip(numbers, found) for p in page_problems]
        assert join_url, f"{name}, {state}: no QR decoded at any size"
    for page in windows.values():
        page.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


# Spanish runs about a quarter longer than English, and the bilingual projector says our words
# twice: the longest board in its two fullest states, at the window whose box binds.
LANGUAGES = ["es", "es+en"]
WORST_STATES = ["discuss", "reveal"]
WORST_SIZE = (1280, 720)
PROMPT_BOTH = {"en": "What makes community organizing work?",
               "es": "¿Qué hace que la organización comunitaria funcione?"}
NOTES_ES = "\n".join([
    "Construir relaciones con reuniones uno a uno", "Formar líderes entre las personas "
    "directamente afectadas", "Saber quién tiene poder sobre el tema",
    "Reunirse con funcionarios con una petición clara",
    "Llevar a la comunidad a las reuniones públicas",
    "Contar historias a través de nuestros propios portavoces",
    "Registrar votantes donde organizamos", "Dar seguimiento a cada compromiso hecho en la sala"])


def test_the_projector_fits_in_spanish_and_in_both_languages(browser, wall, keep_shot):
    server, store, facilitator = wall
    board_id = _board(store, facilitator, *BOARDS["50 long ideas"], PROMPT_BOTH,
                      {"en": NOTES, "es": NOTES_ES})
    width, height = WORST_SIZE
    page = browser.new_page(viewport={"width": width, "height": height})
    problems = []
    for state in WORST_STATES:
        _set_state(store, facilitator, board_id, state)
        for language in LANGUAGES:
            workshops.set_bilingual_projector(store, facilitator, "+" in language)
            page.goto(f"{server.base}/projector?code={DEMO_CODE}&board={board_id}&lang=es")
            page.wait_for_selector(".ok-board .ok-side img", timeout=20_000)
            where = f"{language}, {state}, {width}×{height}"
            wall_text = page.locator(".ok-board").first.inner_text()
            said = "Conversar / Discuss" if "+" in language else "Fase: Conversar"
            assert said in wall_text and "Únete con el código" in wall_text, where
            problems += [f"{where}, on the wall: {p}"
                         for p in page.evaluate(PROBLEMS_JS, [None, floor_px(height)])]
            keep_shot(page, f"fit-{language.replace('+', '-')}-{state}-{width}x{height}.png")
            qr = page.locator(".ok-board .ok-side img").first.evaluate("el => el.outerHTML")
            join = Join(f"{server.base}/join?code={DEMO_CODE}&board={board_id}&lang=es", qr)
            pages = projector_pages(boards.snapshot(store, board_id).in_language(language), 0,
                                    join, language)
            found = page.evaluate(PAGES_JS, [pages, floor_px(height)])
            problems += [f"{where}, page {n + 1}/{len(pages)}: {p}"
                         for n, page_problems in enumerate(found) for p in page_problems]
    workshops.set_bilingual_projector(store, facilitator, False)
    page.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
