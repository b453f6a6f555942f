"""The board's shared screens, built from a Snapshot: the projector's HTML blocks and the reveal
(the phones' vote list is orgkit.board.phone_list). Pure Python, built once per (board, revision,
language).

A poll re-emits whatever the fragment draws, so the projector draws one pre-built block instead of
one element per item. The block is a presentation for a wall, not a scrolling page: it covers the
window, the prompt on top, the ideas in columns, and a column beside them with the QR (large until
the first idea arrives, and never so small that a screenshot scaled to 30 % stops decoding), the
join code and the board's counts. Every size is in a type unit the CSS takes from the window (never
under the room's floor); the server packs the cards into screens that fit the boxes every window of
the projector's size class holds at that unit (a Wall: a large window uses the room it has, a
window of unknown size gets pages that fit any), by an estimate of each card's wrapped lines, in
the fewest columns and at the largest size at which the board fits one screen; a board that does
not fit even at the unit is cut into pages that turn by themselves, so a poll never carries more
than one screenful. A theme cut by a column goes on under its heading marked "(cont.)". While
collecting, the newest item is highlighted; in the vote and discussion phases the items are a
ranked list by votes, unless the facilitator hides the counts; the newest or top ideas hold still
at the top of a board of several screens; revealed reference notes lead the first column, the ideas
filling the rest of it (notes taller than a column lead the first screen, quoting less until they
fit it, and the ideas fill the columns they leave free: the reveal step holds that screen). An
address wraps only after a "/", never inside a host and its port.

Our words are message ids (orgkit.i18n) rendered in the `language` each builder takes, so one
block serves every reader of that language; what people typed (the prompt, items, theme names) is
shown as typed, never looked up in a catalog: a group's name is a Message only when it is ours.
Every string goes through html.escape here, and what people typed through orgkit.bidi (escaped
and isolated, so a right-to-left name shows as written and nothing reorders the text around it);
the stylesheet is separate (`PROJECTOR_CSS`), drawn once per page run rather than once per poll.
Nothing personal is shown: the prompt, item text, the display name a participant chose on a named
board, votes, themes, counts and the reveal.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from urllib.parse import parse_qs, urlsplit

from ..bidi import isolate_html
from ..domain import PHASES
from ..i18n import DEFAULT_LANGUAGE, Message, languages_of, msg, nmsg, render
from .model import Item, Snapshot, vote_count
from .wall import ANY_WALL, Wall, page_line

# Near-black on white and on a pale yellow highlight: contrast above 15:1, far past WCAG AA's
# 4.5:1, and still readable on a washed-out projector.
#
# The board covers the window (fixed, so Streamlit's own page never scrolls) and every size in it
# is in --u, the type unit: never under the room's floor (3.334 % of the window's height at 720 px
# and below, 2.6 % above: 24 px at 1280×720, 28 px at 1920×1080, 56 px at 3840×2160), and larger
# where the window holds one of the boxes the server packed for (each board's style sets --u from
# its Wall) at a larger size. The QR keeps a size in pixels as well as in vh (a scaled screenshot
# or a phone at the back still decodes it). The timer sits left of the language switch.
PROJECTOR_CSS = """<style>
header[data-testid=stHeader] {display:none}
:root{--fl:2.6vh;--qr:max(30vh,280px);--main:calc(100vw - var(--qr) - 5vh)}
@media (max-height:720px){:root{--fl:3.334vh}}
.ok-board{position:fixed;inset:0;z-index:999;background:#ffffff;box-sizing:border-box;
  display:flex;gap:1vh;padding:1vh;overflow:hidden;color:#111418;font-size:var(--u);
  line-height:1.25;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.ok-board.ok-big{--qr:min(52vh,40vw)}
.ok-main{flex:1;min-width:0;display:flex;flex-direction:column;gap:0.3em}
.ok-side{flex:none;width:calc(var(--qr) + 2vh);box-sizing:border-box;background:#eef2f7;
  border-radius:1vh;padding:1vh 1vh 2.6em;display:flex;flex-direction:column;gap:0.2em;
  overflow:hidden;overflow-wrap:anywhere}
.ok-side img{display:block;width:var(--qr);height:var(--qr);image-rendering:pixelated}
.ok-addr{white-space:nowrap}
.ok-code b{font-size:1.6em;font-weight:800;letter-spacing:0.08em;line-height:1.1}
.ok-meta{font-weight:600}
.ok-prompt{flex:none;font-weight:800;line-height:1.15;overflow-wrap:anywhere;overflow:hidden;
  display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:4}
.ok-warn{flex:none;background:#fff3b0;border:0.12em solid #b26b00;border-radius:0.4em;
  padding:0.2em 0.5em}
.ok-cols{flex:1;min-height:0;display:grid;gap:0 0.6em;grid-template-rows:minmax(0,1fr)}
.ok-col,.ok-col ul{display:flex;flex-direction:column;gap:0.35em;min-height:0;min-width:0;
  margin:0;padding:0;list-style:none}
.ok-board ul{margin:0;padding:0}
.ok-board ul,.ok-board li{font-size:inherit !important;margin:0}
.ok-group{flex:none;font-weight:800;border-bottom:0.12em solid #1f4e9c;overflow-wrap:anywhere}
.ok-card{background:#ffffff;border:0.08em solid #8a94a6;border-radius:0.4em;
  padding:0.3em 0.45em;overflow:hidden;overflow-wrap:anywhere}
.ok-card.ok-new{background:#fff3b0;border-color:#b26b00;box-shadow:inset 0 0 0 0.08em #b26b00}
.ok-card.ok-pin{border-color:#1f4e9c}
.ok-col .ok-reveal{flex:none;display:flex;flex-direction:column;gap:0.35em}
.ok-reveal .ok-card{background:#eef2f7}
.ok-text{white-space:pre-wrap}
.ok-foot{display:flex;flex-wrap:wrap;gap:0 0.6em;color:#2b3340;font-style:italic}
.ok-votes{float:right;margin-left:0.5em;font-weight:700;white-space:nowrap;color:#2b3340}
.ok-rank{font-weight:800;color:#1f4e9c}
.ok-empty{color:#2b3340}
.ok-page{flex:none;color:#2b3340}
.ok-timer{position:fixed;bottom:1vh;right:calc(1vh + 140px);z-index:1000;background:#111418;
  color:#ffffff;font:800 calc(var(--u) * 1.8)/1.1 system-ui,sans-serif;border-radius:0.3em;
  padding:0 0.4em}
</style>"""

SCALES = (1.6, 1.3, 1.0)  # the type's size in units, largest first: a small board reads larger
REVEAL = -2  # the reveal's group number (a board's groups count from 0; -1 holds still)
STILL = 3  # the newest or top ideas that stay on every screen of a board of several
ADDRESS_EM = 0.62  # the width of an address's character (digits, dots, colons) in em, with room
# Characters of the raising item a reference point quotes on the wall, longest first: a reveal
# that does not fit one screen at the unit quotes less (then nothing, and its raised mark is a
# tick), so every point of the demo's eleven is on it at 1280×720.
QUOTES = (100, 40, 0)
# What the estimate assumes, and the boxes' margins (the window's padding and the gap under the
# head, the page line, a safety margin). DejaVu Sans, the widest common system font, measures
# 0.51-0.56 em a character of prose (a line of "community members" runs at the top), capitals
# 0.67, wide CJK or emoji characters about 1.1: the estimate takes the top of the range, since a
# line it thinks fits and the browser wraps pushes the column's last card out of its box.
CHAR_EM, CAPITAL_EM, WIDE_EM = 0.56, 0.68, 1.15
BOLD = 1.25  # how much wider the prompt's and the headings' heavy type is (DejaVu Sans Bold)
LINE, GAP, COLUMN_GAP, CARD_X, CARD_Y = 1.25, 0.35, 0.6, 1.06, 0.76
HEAD_GAP, PAGE_LINE, SAFETY = 0.3, 1.55, 0.6
_WIDE = re.compile("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f"
                   "\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff\U00020000-\U0003fffd]")
_CAPITAL = re.compile("[A-Z0-9\u00c0-\u00de@#%&]")


@dataclass(frozen=True)
class Join:
    """What the projector says about joining: the address, its QR image, and a warning when no
    phone could reach that address."""

    url: str
    qr_img: str
    warning: str | None = None  # a marked id (hashable: a Join is part of a cache key)


def group_name(text: Message | str | None, language: str) -> str:
    """A group's name as shown: ours (a Message) in the reader's language, a theme's name as the
    facilitator typed it."""
    return render(text, language) if isinstance(text, Message) else text or ""


@dataclass(frozen=True)
class _Block:
    """A card, a reference point or a heading as the packer sees it: its HTML and the text whose
    wrapping sets its height (the foot's parts after it), in the group it belongs to (a
    heading's "(cont.)" twin starts a column that continues its group)."""

    html: str
    text: str
    foot: tuple[str, ...] = ()
    item: int | None = None
    group: int | None = None
    kind: str = "card"  # or "heading", "point"
    cont: "_Block | None" = None  # a heading's "(cont.)" twin

    @property
    def heading(self) -> bool:
        return self.kind == "heading"

    def height(self, width: float) -> float:
        """Its height in em in a column `width` em wide."""
        return _height(self.text, self.foot, self.heading, width)


# Kept across revisions: a flowing board re-packs every card at each new revision, and all but the
# few that changed have the same text at the same widths as before.
@lru_cache(maxsize=16384)
def _height(text: str, foot: tuple[str, ...], heading: bool, width: float) -> float:
    if heading:  # its line(s) and the rule under it
        return _lines(text, width / BOLD) * LINE + 0.12 + GAP
    inside = width - CARD_X
    lines = _lines(text, inside)
    if foot:  # one line when the parts fit on it, else (flex-wrap) each on its own
        together = _lines("   ".join(foot), inside)
        lines += 1 if together == 1 else sum(_lines(part, inside) for part in foot)
    return lines * LINE + CARD_Y + GAP


@lru_cache(maxsize=8192)
def _lines(text: str, width: float) -> int:
    """The lines `text` wraps to in `width` em: words wrapped greedily (a word longer than a line
    breaks anywhere, as the CSS lets it), characters at an average width that counts capitals
    and wide characters."""
    chars = max(1, len(text))
    em = (CHAR_EM * chars + (CAPITAL_EM - CHAR_EM) * len(_CAPITAL.findall(text))
          + (WIDE_EM - CHAR_EM) * len(_WIDE.findall(text))) / chars
    per_line = max(1, int(width / em))
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split(" "):
            size = len(word)
            if used and used + 1 + size > per_line:
                lines, used = lines + 1, 0
            elif used:
                used += 1
            if not used and size > per_line:
                full, size = divmod(size, per_line)
                lines += full - (size == 0)
                size = size or per_line
            used += size
        total += lines
    return total


def projector_pages(snap: Snapshot, participants: int, join: Join | None = None,
                    language: str = DEFAULT_LANGUAGE, wall: Wall = ANY_WALL,
                    held: bool = False) -> list[str]:
    """The projected board at one revision for the windows of `wall`: one HTML block per
    screen (usually one), our words in `language`. `held`: the first screen only, held still
    (the reveal step: its points lead it), whose foot says how many more ideas the board has
    rather than that its pages turn."""
    board = snap.board
    shown = snap.shown()
    ranked = board.phase in ("vote", "discuss") and not board.votes_hidden
    revealed = board.revealed and bool(snap.reveal)

    # On the bilingual projector (a combined language, "es+en") the chrome (the join block,
    # the phase, the invitation, the timer) is in every language, as are the facilitator's prompt
    # and points (Snapshot.in_language); the board's states, counts, cards and the reveal's marks
    # in the reader's, so the side still fits the window.
    reader = languages_of(language)[0]

    def said(text: Message | str, language: str = language) -> str:
        return escape(render(text, language))

    # The head above the columns: the prompt in the largest of three sizes at which it takes at
    # most two lines (else the unit, at most four lines), and the warning.
    prompt_size, prompt_lines = 1.0, 4
    for size in (1.5, 1.25, 1.0):
        prompt_lines = max(_lines(board.prompt, width / size / BOLD)
                           for width, _ in wall.boxes)
        if prompt_lines <= 2:
            prompt_size = size
            break
    prompt_lines = min(4, prompt_lines)
    warning = said(join.warning) if join and join.warning else ""
    heights = []
    for width, height in wall.boxes:
        used = prompt_lines * 1.15 * prompt_size + HEAD_GAP + SAFETY
        if warning:
            used += _lines(render(join.warning, language), width - 1.24) * LINE + 0.64 + HEAD_GAP
        heights.append(height - used)

    blocks = _blocks(snap, ranked, reader)
    leads = [_reveal_blocks(snap, reader, quote) for quote in QUOTES] if revealed else [[]]
    font, columns, screens = _layout(snap, blocks, leads, ranked, heights, reader, wall, held)
    more = None  # a held board's foot: the ideas not on its one screen (quoted ones are on it)
    if held and len(screens) > 1:
        first = {block.item for column in screens[0] for block in column}
        more = nmsg("{n} more idea on the board", "{n} more ideas on the board",
                    sum(item.id not in first for item in shown))
        screens = screens[:1]

    counted = msg("{taking} taking part · {joined} joined", taking=snap.taking_part,
                  joined=participants)
    phase = msg("Phase: {phase}", phase=Message(PHASES[board.phase]))
    if reader != language:  # in every language the phase's name says it on one line
        phase = Message(PHASES[board.phase])
    items = nmsg("{n} item", "{n} items", len(shown))
    hidden, locked = msg("Votes hidden"), msg("Locked")  # outside f-strings, for Babel
    meta = [f'<div class="ok-meta">{said(phase)}</div>',
            f'<div class="ok-meta" data-testid="ok-items">{said(items, reader)}</div>',
            f'<div class="ok-meta" data-testid="ok-participants">{said(counted, reader)}</div>',
            f'<div class="ok-meta">{said(hidden, reader)}</div>' if board.votes_hidden else "",
            f'<div class="ok-meta">{said(locked, reader)}</div>' if board.locked else ""]
    # Before the first idea the QR is large and the board's lines stand under the invitation.
    invite = not shown and not revealed
    side = [_join_html(join, big=invite, language=language) if join else
            '<div class="ok-side">', *(() if invite else meta), '</div>']
    head = [f'<div class="ok-prompt" style="font-size:{prompt_size}em">'
            f'{isolate_html(board.prompt)}</div>']
    if warning:
        head.append(f'<div class="ok-warn" data-testid="ok-join-warning">{warning}</div>')
    empty = msg("No items yet. Scan the code and add the first one.")
    pages = []
    for number, screen in enumerate(screens, 1):
        parts = [f'<div class="ok-board{" ok-big" if invite else ""}" '
                 f'style="{wall.unit_css()}" data-wall="{wall.name}" '
                 f'data-revision="{board.revision}"><div class="ok-main">', *head]
        if invite:
            parts.extend([f'<div class="ok-empty">{said(empty)}</div>', *meta])
        else:
            parts.append(f'<div class="ok-cols" style="grid-template-columns:repeat({columns},'
                         f'minmax(0,1fr));font-size:{font}em">')
            parts.extend(_column_html(column) for column in screen)
            parts.append('</div>')
        if more is not None or len(screens) > 1:
            page = more if more is not None else page_line(number, len(screens))
            parts.append(f'<div class="ok-page">{said(page, reader)}</div>')
        parts.append('</div>')
        parts.extend(side)
        parts.append('</div>')
        pages.append("".join(parts))
    return pages


def _column_html(column: list[_Block]) -> str:
    """A column of cards; the reveal's points in it (its heading, then the points as a list)
    are a block of their own, above the ideas that fill the rest of the column."""
    parts, points = ['<div class="ok-col">'], []
    for block in column + [None]:
        if block is not None and (block.kind == "point" or block.heading and block.group == REVEAL):
            points.append(block)
            continue
        if points:
            heading = points.pop(0).html if points[0].heading else ""
            parts.append(f'<div class="ok-reveal">{heading}<ul>'
                         + "".join(point.html for point in points) + "</ul></div>")
            points = []
        if block is not None:
            parts.append(block.html)
    return "".join(parts) + "</div>"


def _join_html(join: Join, *, big: bool, language: str) -> str:
    parts = urlsplit(join.url)
    code = parse_qs(parts.query).get("code", [""])[0]
    address = parts._replace(query="").geturl()
    where = render(msg("or open {address}", address=address), language) if big else address
    join_with = render(msg("Join with code"), language)
    return (f'<div class="ok-side ok-join">{join.qr_img}<div class="ok-code">'
            f'{escape(join_with)}<br><b>{escape(code)}</b></div>'
            f'<div>{escape(where).replace(escape(address), address_html(address))}</div>')


def address_html(address: str) -> str:
    """An address that wraps only after a "/", never inside a name or its port: each piece
    between them unbroken, in type made smaller (never under the floor) when its longest piece
    is wider than the QR's column."""
    pieces = re.findall(r"[^/]+/*|/+", address)
    longest = max((len(piece) for piece in pieces), default=1)
    size = f"font-size:max(var(--fl),min(1em,calc(var(--qr) / {longest * ADDRESS_EM:.2f})))"
    return (f'<span class="ok-addr-all" style="{size}">'
            + "<wbr>".join(f'<span class="ok-addr">{escape(piece)}</span>' for piece in pieces)
            + "</span>")


def _layout(snap: Snapshot, blocks: list[_Block], leads: list[list[_Block]], ranked: bool,
            heights: list[float], language: str, wall: Wall,
            held: bool = False) -> tuple[float, int, list[list[list[_Block]]]]:
    """The type's size, the number of columns and the screens (columns of blocks) that fit
    every box of `wall`: the fewest columns and then the largest size at which the board fits
    one screen, else several screens of the most columns at the unit. The reveal, when on
    (`leads`: its blocks quoting the raising items at each length of QUOTES), leads the first
    column of every screen and the ideas fill the rest of it and the other columns; a reveal
    taller than a column leads the first screen, in the longest quotes at which it fits that
    screen, and the ideas fill the columns it leaves free and then the next screens. `held`:
    the first screen of a board of several is all the room sees, so the ideas its points quote
    are not repeated there as cards (on a board of one screen they are, the room's whole list
    beside the points). A board of several screens without a reveal keeps its newest or top
    ideas there instead."""
    lead = leads[0]

    def boxes(scale: float, paged: bool, columns: int) -> list[tuple[float, float]]:
        width = [(w - (columns - 1) * COLUMN_GAP * scale) / columns for w, _ in wall.boxes]
        return [(w / scale, (h - (PAGE_LINE if paged else 0)) / scale)
                for w, h in zip(width, heights)]

    if lead and not blocks:  # no ideas yet: the notes have every column
        blocks, lead = lead, []
    for columns in wall.columns:
        for scale in SCALES:
            if len(screens := _pack(lead + blocks, columns, boxes(scale, False, columns),
                                    one_screen=True)) == 1:
                return scale, columns, screens
    columns = wall.columns[-1]
    unit = boxes(1.0, True, columns)
    if lead:
        taken = [sum(block.height(width) for block in lead) for width, _ in unit]
        in_column = all(used <= height for used, (_, height) in zip(taken, unit))
        if not in_column:
            lead = next((lead for lead in leads
                         if len(_pack(lead, columns, unit, one_screen=True)) == 1), leads[-1])
        if held:
            blocks = _without(blocks, {block.item for block in lead if block.item is not None})
        if not in_column:
            return 1.0, columns, _pack(lead + blocks, columns, unit)
        screens = _pack(blocks, columns, unit, taken)
        return 1.0, columns, [[lead + screen[0], *screen[1:]] for screen in screens]
    if not (ranked or snap.board.phase == "collect"):
        return 1.0, columns, _pack(blocks, columns, unit)
    # A board of several screens: the top of the first column holds still (the top of the
    # ranking, or the newest ideas while collecting, so a new one is on the wall at the next
    # poll) and the rest turns through the screens.
    by_id = {block.item: block for block in blocks if block.item is not None}
    if ranked:
        order, title = [block.item for block in blocks if block.item is not None], msg("Top ideas")
    else:
        newest = sorted(snap.shown(), key=lambda item: (-item.created_at, -item.id))
        order, title = [item.id for item in newest], msg("Just in")
    # As many as take at most half the column (none when even the first is longer).
    still = [_heading(render(title, language), None, -1)]
    for item_id in order[:STILL]:
        if any(sum(block.height(width) for block in still) + by_id[item_id].height(width)
               > height / 2 for width, height in unit):
            break
        still.append(by_id[item_id])
    if len(still) == 1:
        return 1.0, columns, _pack(blocks, columns, unit)
    held_ids = {block.item for block in still}
    rest = [block for block in blocks if block.item not in held_ids and
            not (block.item is None and ranked)]
    held = [sum(block.height(width) for block in still) for width, _ in unit]
    screens = _pack(rest, columns, unit, held)
    return 1.0, columns, [[still + screen[0], *screen[1:]] for screen in screens]


def _pack(blocks: list[_Block], columns: int, boxes: list[tuple[float, float]],
          held: list[float] | None = None, *, one_screen: bool = False
          ) -> list[list[list[_Block]]]:
    """Screens of `columns` columns of blocks, filled top to bottom and left to right, each
    column within every box (width, height in em). A heading never ends a column: it moves on
    with its first card; a group that goes on in the next column starts it with its heading
    marked "(cont.)". A block taller than a column has one to itself (the CSS clips it). The
    first column of each screen has `held` em taken (what holds still there) in each box.
    `one_screen`: the caller only asks whether the blocks fit one screen, so packing stops at
    the second (a board of 1,000 ideas was packed whole at every size it tried)."""
    screens: list[list[list[_Block]]] = []
    screen: list[list[_Block]] = []
    column: list[_Block] = []
    start = held or [0.0] * len(boxes)
    used = list(start)
    heading: _Block | None = None

    def sizes(block: _Block) -> list[float]:
        return [block.height(width) for width, _ in boxes]

    def fits(extra: list[float]) -> bool:
        return all(u + e <= h for u, e, (_, h) in zip(used, extra, boxes))

    for index, block in enumerate(blocks):
        need = sizes(block)
        if block.heading and block.cont is not None:
            heading = block
            after = blocks[index + 1] if index + 1 < len(blocks) else None
            keep = [a + b for a, b in zip(need, sizes(after))] if after else need
        else:
            keep = need
        if (column or any(used)) and not fits(keep):
            screen.append(column)
            column, used = [], [0.0] * len(boxes)
            if len(screen) == columns:
                screens.append(screen)
                if one_screen:
                    return [*screens, []]
                screen = []
                used = list(start)
            if not block.heading and heading is not None and block.group == heading.group:
                column.append(heading.cont)
                used = [u + n for u, n in zip(used, sizes(heading.cont))]
        column.append(block)
        used = [u + n for u, n in zip(used, need)]
    if column:
        screen.append(column)
    if screen or not screens:
        screens.append(screen)
    return screens


def _without(blocks: list[_Block], items: set[int]) -> list[_Block]:
    """`blocks` without the cards of `items`, nor the headings of groups left with no card."""
    kept = [block for block in blocks if block.item not in items]
    carded = {block.group for block in kept if not block.heading}
    return [block for block in kept if not block.heading or block.group in carded]


def _blocks(snap: Snapshot, ranked: bool, language: str) -> list[_Block]:
    """The cards (and theme headings) in the order they are read."""
    board = snap.board
    newest = None
    if board.phase == "collect" and (shown := snap.shown()):
        newest = max(shown, key=lambda item: (item.created_at, item.id)).id
    counts = not board.votes_hidden
    if ranked:
        order = sorted(snap.shown(), key=lambda item: (-item.votes, item.created_at, item.id))
        themes = dict(snap.themes)
        return [_card(item, False, counts, language, rank=n, theme=themes.get(item.theme_id))
                for n, item in enumerate(order, 1)]
    blocks: list[_Block] = []
    for number, (name, items) in enumerate(grouped(snap, by_votes=False)):
        if name is not None:
            blocks.append(_heading(group_name(name, language), len(items), number, language))
        blocks.extend(_card(item, item.id == newest, counts, language, group=number)
                      for item in items)
    return blocks


def _heading(name: str, count: int | None, group: int,
             language: str = DEFAULT_LANGUAGE) -> _Block:
    """A group's heading, with its twin that starts a column the group goes on in."""
    text = name if count is None else f"{name} ({count})"
    shown = isolate_html(name) + ("" if count is None else f" ({count})")
    more = render(msg("{heading} (cont.)", heading=text), language)
    cont = _Block(f'<div class="ok-group ok-cont">{escape(more).replace(escape(text), shown)}'
                  '</div>', more, group=group, kind="heading")
    return _Block(f'<div class="ok-group">{shown}</div>', text, group=group, kind="heading",
                  cont=cont)


@lru_cache(maxsize=4096)  # across revisions: a new one changes a few cards, not every one
def _card(item: Item, newest: bool, counts: bool, language: str, *, rank: int | None = None,
          theme: str | None = None, group: int | None = None) -> _Block:
    """One card: its count, its text (after its rank), then a foot line with pinned, its theme
    and its author."""
    classes = "ok-card" + (" ok-new" if newest else "") + (" ok-pin" if item.pinned else "")
    # The count floats at the card's top right, inside the text's lines: a word of its own on
    # the first line, as the estimate counts it.
    count = render(vote_count(item.votes), language) if counts else ""
    votes = f'<span class="ok-votes">{escape(count)}</span>' if counts else ""
    foot, said = [], []
    if item.pinned:
        pinned = render(msg("Pinned"), language)
        foot.append(f"<span>{escape(pinned)}</span>")
        said.append(pinned)
    for name in (theme, item.author):
        if name:
            foot.append(f"<span>{isolate_html(name)}</span>")
            said.append(name)
    number = f'<span class="ok-rank">{rank}.</span> ' if rank else ""
    html = (f'<div class="{classes}" data-item="{item.id}">{votes}<div class="ok-text">{number}'
            f'{isolate_html(item.text)}</div>' +
            (f'<div class="ok-foot">{"".join(foot)}</div>' if foot else "") + "</div>")
    # The count as one unbreakable word about as wide as its bold type and margin.
    measured = ("\u00a0" * (len(count) + 1) + " " if count else "") + (f"{rank}. " if rank else "")
    return _Block(html, measured + item.text, tuple(said), item.id, group)


def _reveal_blocks(snap: Snapshot, language: str, quote_max: int = QUOTES[0]) -> list[_Block]:
    """The reference points as the wall's reveal column: a heading, then one point a block, the
    raising item quoted (cut at `quote_max` characters; at 0 none, and the raised mark a tick),
    a quoting point carrying that item's id (the item is on the screen the point is on)."""
    blocks = [_heading(render(msg("Reference points"), language), None, REVEAL, language)]
    for line in reveal_lines(snap):
        item = None
        if line.mark and quote_max:
            mark = render(line.mark, language)
            quote = line.item if len(line.item) <= quote_max else line.item[:quote_max] + "…"
            html = (f"<li class=\"ok-card\"><b>{escape(mark)}:</b> {isolate_html(line.text)} "
                    f"<i>(“{isolate_html(quote)}”)</i></li>")
            text, item = f"{mark}: {line.text} (“{quote}”)", line.item_id
        elif line.mark:  # the tightest: a tick, as an open point has a circle
            html, text = f'<li class="ok-card">✔ {isolate_html(line.text)}</li>', f"✔ {line.text}"
        else:
            html, text = f'<li class="ok-card">○ {isolate_html(line.text)}</li>', f"○ {line.text}"
        blocks.append(_Block(html, text, item=item, group=REVEAL, kind="point"))
    return blocks


def grouped(snap: Snapshot, *,
            by_votes: bool) -> list[tuple[Message | str | None, list[Item]]]:
    """Shown items in theme groups (themes in creation order, then the ungrouped ones). A group's
    name is its theme's name as typed, or ours (a Message) for the ungrouped ones beside themes.

    Pinned items lead each group; then most votes first (voting, discussing) or newest first."""
    def order(item: Item):
        return (not item.pinned, -item.votes if by_votes else 0, -item.created_at, -item.id)

    shown = snap.shown()
    groups: list[tuple[Message | str | None, list[Item]]] = []
    for theme_id, name in snap.themes:
        members = sorted((item for item in shown if item.theme_id == theme_id), key=order)
        if members:
            groups.append((name, members))
    loose = sorted((item for item in shown if item.theme_id is None), key=order)
    if loose:
        groups.append((msg("Not yet grouped") if groups else None, loose))
    return groups


@dataclass(frozen=True)
class RevealLine:
    """One reference point as every view shows it: its text, and, when the group raised it, how
    that is marked and the item that raised it."""

    text: str
    mark: Message | None = None
    item: str | None = None
    item_id: int | None = None


def reveal_lines(snap: Snapshot) -> list[RevealLine]:
    """The reference notes, each marked when the group raised it (and by which item). Only the
    facilitator's confirmed answers: a suggestion is a guess, and the room never sees a guess;
    nor an item hidden or merged since it was confirmed."""
    texts = {item.id: item.text for item in snap.shown()}
    return [RevealLine(point.text, msg("✔ raised"), texts[point.item_id], point.item_id)
            if point.confirmed and point.raised and point.item_id in texts
            else RevealLine(point.text)
            for point in snap.reveal]


def reveal_html(snap: Snapshot, language: str = DEFAULT_LANGUAGE) -> str:
    """The reveal block of the projector and the phone, our words in `language` (the board
    summary's template writes the same lines)."""
    rows = [f"<li><b>{escape(render(line.mark, language))}:</b> {isolate_html(line.text)} "
            f"<i>(“{isolate_html(line.item)}”)</i></li>"
            if line.mark else f"<li>○ {isolate_html(line.text)}</li>"
            for line in reveal_lines(snap)]
    heading = render(msg("Reference points"), language)
    return (f'<div class="ok-reveal"><div class="ok-group">{escape(heading)}</div><ul>'
            + "".join(rows) + "</ul></div>")
