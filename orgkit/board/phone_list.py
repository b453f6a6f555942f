"""The phone's tap-to-vote list of a board at one revision (PhoneBoard): the projector's groups
and order (orgkit.board.view.grouped), one label per item built once for every phone. Pure
Python."""
from __future__ import annotations

from dataclasses import dataclass

from .. import markdown
from ..bidi import isolate
from ..i18n import DEFAULT_LANGUAGE, Message, render
from .model import Snapshot, vote_count
from .view import grouped

PHONE_LIST_MAX = 100  # ideas a phone lists to vote on (every idea stays on the projector)


def numbered(label: str, taken: set[str]) -> str:
    """The label, with a number after it if `taken` holds it already (then taken holds it too):
    a tap on a pill is reported by its label, so labels in one list must differ."""
    unique, copy = label, 1
    while unique in taken:
        copy += 1
        unique = f"{label} ({copy})"
    taken.add(unique)
    return unique


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
                label = markdown.escape(isolate(item.text))
                if not snap.board.votes_hidden:
                    if item.votes not in counts:
                        counts[item.votes] = render(vote_count(item.votes), language)
                    label = f"{label} · {counts[item.votes]}"
                labels[item.id] = numbered(label, taken)
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
