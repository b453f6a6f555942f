"""The projector's board as one HTML block: pure Python, built once per (board, revision).

A poll re-emits whatever the fragment draws, so the projector draws one pre-built block instead of
one element per item. Every user string goes through html.escape here; the stylesheet is separate
(`PROJECTOR_CSS`), drawn once per page run rather than once per poll. Nothing personal is shown:
the prompt, item text, the display name a participant chose on a named board, votes, themes,
counts and the reveal.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from .boards import Item, Snapshot
from .domain import PHASES

# Near-black on white and on a pale yellow highlight: contrast above 15:1, far past WCAG AA's
# 4.5:1, and still readable on a washed-out projector.
PROJECTOR_CSS = """<style>
.ok-board{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111418}
.ok-meta{display:flex;flex-wrap:wrap;gap:1.5rem;font-size:28px;font-weight:600;margin:0 0 12px}
.ok-meta span{background:#eef2f7;border-radius:8px;padding:4px 14px}
.ok-group{margin:18px 0 8px;font-size:32px;font-weight:700;border-bottom:3px solid #1f4e9c}
.ok-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:14px}
.ok-card{background:#ffffff;border:2px solid #8a94a6;border-radius:12px;padding:14px 18px}
.ok-card.ok-new{background:#fff3b0;border:4px solid #b26b00}
.ok-card.ok-pin{border-color:#1f4e9c}
.ok-text{font-size:30px;line-height:1.25;white-space:pre-wrap;overflow-wrap:anywhere;color:#111418}
.ok-foot{display:flex;flex-wrap:wrap;gap:0 16px;font-size:24px;margin-top:8px;color:#2b3340}
.ok-votes{font-weight:700;white-space:nowrap}
.ok-reveal li{font-size:28px;margin:6px 0;color:#111418}
.ok-empty{font-size:30px;color:#2b3340}
</style>"""


def projector_html(snap: Snapshot, participants: int) -> str:
    """The whole projected board: counts, phase, items grouped by theme, the reveal."""
    board = snap.board
    shown = snap.shown()
    parts = ['<div class="ok-board" data-revision="%d">' % board.revision,
             '<div class="ok-meta">',
             f'<span>Phase: {PHASES[board.phase]}</span>',
             f'<span data-testid="ok-participants">{participants} joined</span>',
             f'<span data-testid="ok-items">{len(shown)} items</span>',
             '<span>Locked</span>' if board.locked else '',
             '</div>']
    if not shown:
        parts.append('<p class="ok-empty">No items yet. Scan the code and add the first one.</p>')
    newest = max(shown, key=lambda item: (item.created_at, item.id)).id if shown else None
    for name, items in grouped(snap, by_votes=board.phase in ("vote", "discuss")):
        if name is not None:
            parts.append(f'<div class="ok-group">{escape(name)} ({len(items)})</div>')
        parts.append('<div class="ok-cards">')
        parts.extend(_card(item, item.id == newest) for item in items)
        parts.append('</div>')
    if board.revealed:
        parts.append(reveal_html(snap))
    parts.append('</div>')
    return "".join(parts)


def grouped(snap: Snapshot, *, by_votes: bool) -> list[tuple[str | None, list[Item]]]:
    """Shown items in theme groups (themes in creation order, then the ungrouped ones).

    Pinned items lead each group; then most votes first (voting, discussing) or newest first."""
    def order(item: Item):
        return (not item.pinned, -item.votes if by_votes else 0, -item.created_at, -item.id)

    shown = snap.shown()
    groups: list[tuple[str | None, list[Item]]] = []
    for theme_id, name in snap.themes:
        members = sorted((item for item in shown if item.theme_id == theme_id), key=order)
        if members:
            groups.append((name, members))
    loose = sorted((item for item in shown if item.theme_id is None), key=order)
    if loose:
        groups.append(("Not yet grouped" if groups else None, loose))
    return groups


def _card(item: Item, newest: bool) -> str:
    classes = "ok-card" + (" ok-new" if newest else "") + (" ok-pin" if item.pinned else "")
    votes = f"{item.votes} vote" + ("" if item.votes == 1 else "s")
    foot = [f'<span class="ok-votes">{votes}</span>']
    if item.pinned:
        foot.append("<span>Pinned</span>")
    if item.author:
        foot.append(f"<span>{escape(item.author)}</span>")
    return (f'<div class="{classes}" data-item="{item.id}"><div class="ok-text">'
            f'{escape(item.text)}</div><div class="ok-foot">{"".join(foot)}</div></div>')


def reveal_html(snap: Snapshot) -> str:
    """The reference notes, each marked when the group raised it (and by which item)."""
    texts = {item.id: item.text for item in snap.items}
    rows = []
    for point in snap.reveal:
        if point.raised and point.item_id in texts:
            mark = "✔ raised" + ("" if point.confirmed else " (suggested)")
            rows.append(f"<li><b>{mark}:</b> {escape(point.text)} "
                        f"<i>(“{escape(texts[point.item_id])}”)</i></li>")
        else:
            rows.append(f"<li>○ {escape(point.text)}</li>")
    return ('<div class="ok-reveal"><div class="ok-group">Reference points</div><ul>'
            + "".join(rows) + "</ul></div>")


@dataclass(frozen=True)
class PhoneBoard:
    """The phone's tap-to-vote list at one revision: the projector's groups and order, and one
    label per item made once for every phone (a phone only adds its ✓ marks).

    Labels are unique within the board, since a tap is reported by its label: a second item with
    the same text and count gets a number after it."""

    groups: tuple[tuple[str | None, tuple[int, ...]], ...]
    labels: dict[int, str]

    @classmethod
    def build(cls, snap: Snapshot, markdown_escape: Callable[[str], str]) -> "PhoneBoard":
        groups, labels, taken = [], {}, set()
        for name, items in grouped(snap, by_votes=snap.board.phase in ("vote", "discuss")):
            for item in items:
                votes = f"{item.votes} vote" + ("" if item.votes == 1 else "s")
                base = label = f"{markdown_escape(item.text)} · {votes}"
                copy = 1
                while label in taken:
                    copy += 1
                    label = f"{base} ({copy})"
                taken.add(label)
                labels[item.id] = label
            groups.append((name, tuple(item.id for item in items)))
        return cls(tuple(groups), labels)

    def label(self, voted: frozenset[int], item_id: int) -> str:
        """The item's label on one phone: ✓ first where this phone voted for it."""
        return f"✓ {self.labels[item_id]}" if item_id in voted else self.labels[item_id]
