"""The board's shared screens, built from a Snapshot: the projector's HTML blocks, the reveal, and
the phones' vote list (PhoneBoard). Pure Python, built once per (board, revision, language).

A poll re-emits whatever the fragment draws, so the projector draws one pre-built block instead of
one element per item. The block is a presentation for a wall, not a scrolling page: the prompt and
the join code on top (a large QR until the first person joins, then a corner), then the items laid
out in columns by an estimate of each card's height, at the largest type that fits one screen
(never under 28 px); a board that does not fit even then is cut into pages that turn by
themselves, so a poll never carries more than one screenful. While collecting, the newest item is
highlighted; in the vote and discussion phases the items are a ranked list by votes, unless the
facilitator hides the counts; revealed reference notes stand beside the items.

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

import math
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, urlsplit

from .. import markdown
from ..bidi import isolate, isolate_html
from ..domain import PHASES
from ..i18n import DEFAULT_LANGUAGE, Message, msg, nmsg, render
from .model import Item, Snapshot, vote_count

# Near-black on white and on a pale yellow highlight: contrast above 15:1, far past WCAG AA's
# 4.5:1, and still readable on a washed-out projector. The page itself does not scroll: the
# block is sized for the screen (SCREEN_*), and Streamlit's header and padding are taken away.
PROJECTOR_CSS = """<style>
header[data-testid=stHeader] {display:none}
.stMainBlockContainer {padding:12px 24px 0 24px !important; max-width:none}
.ok-board{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111418}
.ok-head{display:flex;gap:24px;align-items:flex-start;justify-content:space-between}
.ok-prompt{font-size:40px;font-weight:800;line-height:1.15;margin:0 0 6px;overflow-wrap:anywhere}
.ok-join{display:flex;gap:16px;align-items:center;background:#eef2f7;border-radius:12px;
  padding:8px 14px;flex:none}
.ok-join img{width:120px;height:120px;image-rendering:pixelated}
.ok-join.ok-big{flex-direction:column;padding:18px 24px}
.ok-join.ok-big img{width:340px;height:340px}
.ok-join-text{font-size:26px;line-height:1.3}
.ok-join-text b{font-size:40px;letter-spacing:3px}
.ok-join-url{font-size:22px;overflow-wrap:anywhere;max-width:520px}
.ok-warn{background:#fff3b0;border:3px solid #b26b00;border-radius:10px;padding:10px 16px;
  font-size:24px;color:#111418;margin:8px 0}
.ok-meta{display:flex;flex-wrap:wrap;gap:14px;font-size:26px;font-weight:600;margin:0 0 10px}
.ok-meta span{background:#eef2f7;border-radius:8px;padding:2px 14px}
.ok-body{display:flex;gap:18px}
.ok-cols{display:grid;gap:14px;flex:1;align-items:start}
.ok-col{display:flex;flex-direction:column;gap:12px;min-width:0}
.ok-group{font-weight:700;border-bottom:3px solid #1f4e9c;line-height:1.2}
.ok-card{background:#ffffff;border:2px solid #8a94a6;border-radius:12px;padding:10px 14px}
.ok-card.ok-new{background:#fff3b0;border:4px solid #b26b00}
.ok-card.ok-pin{border-color:#1f4e9c}
.ok-text{line-height:1.25;white-space:pre-wrap;overflow-wrap:anywhere;color:#111418}
.ok-foot{display:flex;flex-wrap:wrap;gap:0 16px;font-size:22px;margin-top:4px;color:#2b3340}
.ok-votes{float:right;margin-left:12px;font-size:22px;line-height:1.6;font-weight:700;
  white-space:nowrap;color:#2b3340}
.ok-rank{display:inline-block;min-width:1.6em;font-weight:800;color:#1f4e9c}
.ok-reveal{flex:0 0 34%;background:#eef2f7;border-radius:12px;padding:10px 18px}
.ok-reveal ul{margin:6px 0;padding-left:26px}
.ok-reveal li{font-size:28px;margin:6px 0;color:#111418}
.ok-empty{font-size:30px;color:#2b3340}
.ok-page{font-size:22px;color:#2b3340;margin-top:6px}
.ok-timer{position:fixed;bottom:14px;right:24px;z-index:1000;background:#111418;color:#ffffff;
  font:800 64px/1.1 system-ui,sans-serif;border-radius:14px;padding:6px 22px}
</style>"""

SCREEN_W, SCREEN_H = 1872, 1040  # what a 1920×1080 projector leaves inside the page's padding
FONT_STEPS = (40, 34, 28)  # card text sizes tried, largest first; 28 px is the room's minimum
PAGE_S = 12  # a board that needs several screens turns a page this often
PHONE_LIST_MAX = 100  # ideas a phone lists to vote on (every idea stays on the projector)
PAGE_LINE_H = 40


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


def projector_pages(snap: Snapshot, participants: int, join: Join | None = None,
                    language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The projected board at one revision: one HTML block per screen (usually one), our words
    in `language`."""
    board = snap.board
    shown = snap.shown()
    ranked = board.phase in ("vote", "discuss") and not board.votes_hidden
    revealed = board.revealed and bool(snap.reveal)
    columns = 3 if revealed else 4
    head_h = 150 if participants else 420  # the big QR until the first person joins
    area_h = SCREEN_H - head_h - (60 if join and join.warning else 0)
    area_w = SCREEN_W * (0.64 if revealed else 1.0)
    blocks = _blocks(snap, ranked, language)
    font, screens = _layout(blocks, columns, area_h, area_w)
    if len(screens) > 1 and (ranked or board.phase == "collect"):
        screens = _with_lead(snap, blocks, ranked, columns, area_h - PAGE_LINE_H, area_w,
                             language)

    def said(text: Message | str) -> str:
        return escape(render(text, language))

    # Messages are built outside the f-strings: Babel's extractor does not look inside them.
    counted = msg("{taking} taking part · {joined} joined", taking=snap.taking_part,
                  joined=participants)
    phase = msg("Phase: {phase}", phase=Message(PHASES[board.phase]))
    items = nmsg("{n} item", "{n} items", len(shown))
    hidden, locked = msg("Votes hidden"), msg("Locked")
    head = ['<div class="ok-head"><div>',
            f'<div class="ok-prompt">{isolate_html(board.prompt)}</div>', '<div class="ok-meta">',
            f'<span>{said(phase)}</span>',
            f'<span data-testid="ok-items">{said(items)}</span>',
            f'<span data-testid="ok-participants">{said(counted)}</span>',
            f'<span>{said(hidden)}</span>' if board.votes_hidden else '',
            f'<span>{said(locked)}</span>' if board.locked else '', '</div></div>',
            _join_html(join, big=participants == 0, language=language) if join else "",
            '</div>']
    if join and join.warning:
        head.append(f'<div class="ok-warn" data-testid="ok-join-warning">{said(join.warning)}'
                    '</div>')
    pages = []
    empty = msg("No items yet. Scan the code and add the first one.")
    for number, screen in enumerate(screens, 1):
        parts = [f'<div class="ok-board" data-revision="{board.revision}">', *head,
                 '<div class="ok-body">']
        if not shown:
            parts.append(f'<p class="ok-empty">{said(empty)}</p>')
        else:
            parts.append(f'<div class="ok-cols" style="grid-template-columns:repeat({columns},'
                         f'minmax(0,1fr));font-size:{font}px">')
            parts.extend('<div class="ok-col">' + "".join(column) + '</div>' for column in screen)
            parts.append('</div>')
        if revealed:
            parts.append(reveal_html(snap, language))
        parts.append('</div>')
        if len(screens) > 1:
            page = msg("Page {number} of {pages} · turns every {seconds} s", number=number,
                       pages=len(screens), seconds=PAGE_S)
            parts.append(f'<div class="ok-page">{said(page)}</div>')
        parts.append('</div>')
        pages.append("".join(parts))
    return pages


def _join_html(join: Join, *, big: bool, language: str) -> str:
    parts = urlsplit(join.url)
    code = parse_qs(parts.query).get("code", [""])[0]
    address = parts._replace(query="").geturl()
    where = render(msg("or open {address}", address=address), language) if big else address
    join_with = render(msg("Join with code"), language)
    return (f'<div class="ok-join{" ok-big" if big else ""}">{join.qr_img}'
            f'<div class="ok-join-text">{escape(join_with)}'
            f'<br><b>{escape(code)}</b><div class="ok-join-url">{escape(where)}</div></div></div>')


# A block: its HTML, the text whose length sets its height, its fixed pixels (padding, foot),
# and the item it shows (None for a heading).
_Block = tuple[str, str, float, "int | None"]


def _blocks(snap: Snapshot, ranked: bool, language: str) -> list[_Block]:
    """The cards (and theme headings) in the order they are read, each with a height estimate."""
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
    for name, items in grouped(snap, by_votes=False):
        if name is not None:
            blocks.append(_heading(group_name(name, language), len(items)))
        blocks.extend(_card(item, item.id == newest, counts, language) for item in items)
    return blocks


def _heading(name: str, count: int | None = None) -> _Block:
    text = name if count is None else f"{name} ({count})"
    shown = isolate_html(name) + ("" if count is None else f" ({count})")
    return f'<div class="ok-group">{shown}</div>', text, 8.0, None


def _column_width(area_w: float, columns: int) -> float:
    return (area_w - 14 * (columns - 1)) / columns - 32  # less the card's padding and border


def _with_lead(snap: Snapshot, blocks: list[_Block], ranked: bool, columns: int, area_h: float,
               area_w: float, language: str) -> list[list[list[str]]]:
    """Screens for a board too big for one: the first column holds still (the top of the ranking,
    or the newest ideas while collecting, so a new one is on the wall at the next poll) and the
    other columns turn through the rest."""
    by_id = {block[3]: block for block in blocks if block[3] is not None}
    if ranked:
        order, title = [block[3] for block in blocks if block[3] is not None], msg("Top ideas")
    else:
        newest = sorted(snap.shown(), key=lambda item: (-item.created_at, -item.id))
        order, title = [item.id for item in newest], msg("Just in")
    column_w = _column_width(area_w, columns)
    font = FONT_STEPS[-1]
    lead = _pack([_heading(render(title, language)), *(by_id[i] for i in order)], 1, area_h,
                 column_w, font)[0][0]
    led = set(order[:len(lead) - 1])
    rest = [block for block in blocks if block[3] not in led and
            not (block[3] is None and ranked)]
    return [[lead, *screen] for screen in _pack(rest, columns - 1, area_h, column_w, font)]


def _layout(blocks: list[_Block], columns: int, area_h: float, area_w: float):
    """The largest card type at which the blocks fill one screen of `columns` columns, and the
    blocks packed column by column into screens at that size (several only at the smallest)."""
    column_w = _column_width(area_w, columns)
    for font in FONT_STEPS:
        screens = _pack(blocks, columns, area_h, column_w, font)
        if len(screens) == 1:
            return font, screens
    # Several screens at the smallest size, each leaving room for its "Page 1 of 3" line.
    return FONT_STEPS[-1], _pack(blocks, columns, area_h - PAGE_LINE_H, column_w, FONT_STEPS[-1])


def _pack(blocks: list[_Block], columns: int, area_h: float, column_w: float,
          font: int) -> list[list[list[str]]]:
    """Screens of columns of block HTML, filled top to bottom and left to right."""
    chars_per_line = max(8, int(column_w / (0.5 * font)))  # system-ui averages under 0.5 em
    screens: list[list[list[str]]] = []
    screen: list[list[str]] = []
    column: list[str] = []
    used = 0.0
    for html, text, fixed, _ in blocks:
        lines = sum(max(1, math.ceil(len(part) / chars_per_line)) for part in text.split("\n"))
        height = lines * 1.25 * font + fixed + 12  # 12: the gap to the next block
        if column and used + height > area_h:
            screen.append(column)
            column, used = [], 0.0
            if len(screen) == columns:
                screens.append(screen)
                screen = []
        column.append(html)
        used += height
    if column:
        screen.append(column)
    if screen or not screens:
        screens.append(screen)
    return screens


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


def _card(item: Item, newest: bool, counts: bool, language: str, *, rank: int | None = None,
          theme: str | None = None) -> _Block:
    """One card, measured by its text (with its rank) plus the foot line and the padding."""
    classes = "ok-card" + (" ok-new" if newest else "") + (" ok-pin" if item.pinned else "")
    # The count floats at the card's top right, inside the text's lines: no line of its own.
    votes = (f'<span class="ok-votes">{escape(render(vote_count(item.votes), language))}'
             "</span>") if counts else ""
    foot = []
    if item.pinned:
        pinned = render(msg("Pinned"), language)
        foot.append(f"<span>{escape(pinned)}</span>")
    if theme:
        foot.append(f"<span>{isolate_html(theme)}</span>")
    if item.author:
        foot.append(f"<span>{isolate_html(item.author)}</span>")
    number = f'<span class="ok-rank">{rank}.</span> ' if rank else ""
    html = (f'<div class="{classes}" data-item="{item.id}">{votes}<div class="ok-text">{number}'
            f'{isolate_html(item.text)}</div>' +
            (f'<div class="ok-foot">{"".join(foot)}</div>' if foot else "") + "</div>")
    measured = (f"{rank}. " if rank else "") + item.text + (" 00 votes" if counts else "")
    return html, measured, (32.0 if foot else 0.0) + 24.0, item.id


@dataclass(frozen=True)
class RevealLine:
    """One reference point as every view shows it: its text, and, when the group raised it, how
    that is marked and the item that raised it."""

    text: str
    mark: Message | None = None
    item: str | None = None


def reveal_lines(snap: Snapshot) -> list[RevealLine]:
    """The reference notes, each marked when the group raised it (and by which item). Only the
    facilitator's confirmed answers: a suggestion is a guess, and the room never sees a guess;
    nor an item hidden or merged since it was confirmed."""
    texts = {item.id: item.text for item in snap.shown()}
    return [RevealLine(point.text, msg("✔ raised"), texts[point.item_id])
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


@dataclass(frozen=True)
class PhoneBoard:
    """The phone's tap-to-vote list at one revision: the projector's groups and order, and one
    label per item made once for every phone (a phone only adds its ✓ marks); an option is read
    as Markdown, so its text goes through orgkit.markdown.escape, isolated first (orgkit.bidi).

    A phone lists at most PHONE_LIST_MAX ideas (the newest while collecting, the most voted while
    voting), so a poll costs the same on a board of 900 as of 90; every idea stays on the
    projector, and an idea this phone voted for is always listed, to take the vote back.
    Labels are unique within the board, since a tap is reported by its label: a second item with
    the same text and count gets a number after it."""

    groups: tuple[tuple[Message | str | None, tuple[int, ...]], ...]
    labels: dict[int, str]
    total: int = 0  # ideas on the board; more than the groups hold when the list is capped

    @classmethod
    def build(cls, snap: Snapshot, limit: int = PHONE_LIST_MAX,
              language: str = DEFAULT_LANGUAGE) -> "PhoneBoard":
        ranked = snap.board.phase in ("vote", "discuss")
        shown = snap.shown()
        first = sorted(shown, key=(lambda item: (-item.votes, item.created_at, item.id)) if ranked
                       else (lambda item: (-item.created_at, -item.id)))
        listed = {item.id for item in first[:limit]}
        groups, labels, taken = [], {}, set()
        counts: dict[int, str] = {}  # "3 votes" rendered once per count, not once per item
        for name, items in grouped(snap, by_votes=ranked):
            for item in items:
                base = label = markdown.escape(isolate(item.text))
                if not snap.board.votes_hidden:
                    if item.votes not in counts:
                        counts[item.votes] = render(vote_count(item.votes), language)
                    base = label = f"{base} · {counts[item.votes]}"
                copy = 1
                while label in taken:
                    copy += 1
                    label = f"{base} ({copy})"
                taken.add(label)
                labels[item.id] = label
            if ids := tuple(item.id for item in items if item.id in listed):
                groups.append((name, ids))
        return cls(tuple(groups), labels, len(shown))

    @property
    def listed(self) -> int:
        return sum(len(ids) for _, ids in self.groups)

    def voted_unlisted(self, voted: frozenset[int]) -> tuple[int, ...]:
        """Ideas this phone voted for that the capped list leaves out (still on the board)."""
        listed = {item_id for _, ids in self.groups for item_id in ids}
        return tuple(sorted(i for i in voted if i in self.labels and i not in listed))

    def label(self, voted: frozenset[int], item_id: int) -> str:
        """The item's label on one phone: ✓ first where this phone voted for it."""
        return f"✓ {self.labels[item_id]}" if item_id in voted else self.labels[item_id]
