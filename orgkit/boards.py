"""The live brainstorm board: its rules, and the one read model every view is built from.

Rules live here, not in pages: who may add, edit, vote or moderate, the limits, the phases, and
anonymity. On an anonymous board the author's name is never stored and never returned; on any
board, views receive `Item.mine` (computed here for the asking actor) instead of participant ids.

Every write goes through orgkit.storage.boards, which bumps the board's revision first in the same
transaction; a check-then-write (the vote limit, "at most once per item") runs inside that
transaction, after the bump, so it is serialised with every other write to the board.

Phases (decided here, the issue is silent): new items are accepted while collecting and grouping;
votes while collecting, grouping and voting; the discuss phase closes both. Locking closes both at
once in any phase.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from functools import lru_cache

from . import backup
from .domain import (LEVELS, MODERATION, PHASES, Actor, Conflict, NotFound,
                     PermissionDenied, Role, ValidationError)
from .storage import Store
from .validation import clean_choice, clean_int, clean_key, clean_text

PROMPT_MAX = 300
NOTES_MAX = 4000
ITEM_LIMIT_DEFAULT = 280
ITEM_LIMIT_MAX = 1000
VOTES_MAX = 20
TIMER_MAX_MINUTES = 120
EDIT_WINDOW_S = 120
TIME_UP_S = 60  # the projector says "time is up" this long, then drops the timer line
ENTRY_NAME_MAX = 120
THEME_MAX = 80
ID_MAX = 2**63 - 1  # the largest BIGINT: a bigger id from a URL would overflow the driver
ITEM_PHASES = {"collect", "group"}
VOTE_PHASES = {"collect", "group", "vote"}
# Statuses: shown on the board, waiting for approval, hidden by the facilitator, withdrawn by its
# author, merged into another item.
SHOWN = "visible"
PENDING = "pending"
HIDDEN = "hidden"
WITHDRAWN = "withdrawn"
MERGED = "merged"
LOCKED_MESSAGE = "The facilitator has locked this board."


@dataclass(frozen=True)
class Board:
    """A board's prompt, settings and state, as every role may see them."""

    id: int
    workshop_id: int
    prompt: str
    reference_points: tuple[str, ...]
    anonymous: bool
    votes_per_participant: int
    moderation: str
    item_limit: int
    phase: str
    timer_ends_at: float | None
    locked: bool
    revealed: bool
    revision: int
    votes_hidden: bool = False

    @classmethod
    def from_row(cls, row: dict) -> "Board":
        points = tuple(p.strip() for p in row["reference_notes"].split("\n") if p.strip())
        return cls(id=row["id"], workshop_id=row["workshop_id"], prompt=row["prompt"],
                   reference_points=points, anonymous=bool(row["anonymous"]),
                   votes_per_participant=row["votes_per_participant"],
                   moderation=row["moderation"], item_limit=row["item_limit"], phase=row["phase"],
                   timer_ends_at=row["timer_ends_at"], locked=bool(row["locked"]),
                   revealed=bool(row["revealed"]), revision=row["revision"],
                   votes_hidden=bool(row["votes_hidden"]))

    def seconds_left(self, now: float | None = None) -> int | None:
        """Whole seconds left on the timer, or None when no timer runs."""
        if self.timer_ends_at is None:
            return None
        return max(0, int(self.timer_ends_at - (time.time() if now is None else now) + 0.999))

    def timer_text(self, now: float | None = None) -> str | None:
        """The projector's timer line; "time is up" for a minute after the end, then nothing."""
        left = self.seconds_left(now)
        if left is None or (time.time() if now is None else now) - self.timer_ends_at > TIME_UP_S:
            return None
        return f"Timer: {left // 60}:{left % 60:02d}" + ("" if left else " (time is up)")

    def closed_note(self) -> str | None:
        """Why a phone cannot add items now (None while it can), in a participant's words."""
        if self.locked:
            return LOCKED_MESSAGE
        if self.phase in ITEM_PHASES:
            return None
        if self.phase in VOTE_PHASES:
            return "The facilitator has closed new ideas for now; you can still vote."
        return "The facilitator has closed new ideas and votes for the discussion."


@dataclass(frozen=True)
class Item:
    """One item as a view may show it: no participant id; no author on an anonymous board."""

    id: int
    text: str
    author: str | None
    status: str
    theme_id: int | None
    pinned: bool
    votes: int
    created_at: float
    mine: bool
    merged_into: int | None


@dataclass(frozen=True)
class RevealPoint:
    """One reference point: raised by the group or not, by which item, and who decided."""

    number: int
    text: str
    item_id: int | None
    raised: bool
    confirmed: bool


@dataclass(frozen=True)
class Snapshot:
    """Everything a view of one board needs at one revision."""

    board: Board
    items: tuple[Item, ...]
    themes: tuple[tuple[int, str], ...]
    reveal: tuple[RevealPoint, ...]
    taking_part: int = 0  # participants who posted or voted on this board

    def shown(self) -> list[Item]:
        """Items on the shared board: visible ones, pinned first, then oldest first."""
        visible = [item for item in self.items if item.status == SHOWN]
        return sorted(visible, key=lambda item: (not item.pinned, item.created_at, item.id))

    def with_status(self, status: str) -> list[Item]:
        return [item for item in self.items if item.status == status]


def vote_count(n: int) -> str:
    """"1 vote", "2 votes": how every label and export counts votes."""
    return f"{n} vote" if n == 1 else f"{n} votes"


# -- reading -----------------------------------------------------------------------------------

def _row_id(value: object, field: str) -> int:
    """An id from a URL or a widget, checked before it reaches the database."""
    return clean_int(value, field, low=1, high=ID_MAX)


def get_board(store: Store, actor: Actor, board_id: object) -> Board:
    """A board of the actor's workshop, or NotFound; a malformed id is a bad link, said so."""
    try:
        board_id = _row_id(board_id, "Board")
    except ValidationError:
        raise ValidationError("Board", "this link does not name a board; open the board from "
                                       "the projector or the join link.") from None
    row = store.boards.get(board_id)
    if row is None or row["workshop_id"] != actor.workshop_id:
        raise NotFound("That board does not exist in this workshop.")
    return Board.from_row(row)


def latest_board(store: Store, actor: Actor) -> Board | None:
    """The workshop's newest board (what a projector shows by default)."""
    row = store.boards.latest_for_workshop(actor.workshop_id) if actor.workshop_id else None
    return None if row is None else Board.from_row(row)


def boards_for(store: Store, actor: Actor) -> list[Board]:
    """Every board of the actor's workshop, oldest first."""
    return [Board.from_row(row) for row in store.boards.for_workshop(actor.workshop_id)]


def snapshot(store: Store, board_id: int, viewer: Actor | None = None) -> Snapshot:
    """The board with its items, themes and reveal, read for `viewer` (None: a shared screen)."""
    row = store.boards.get(board_id)
    if row is None:
        raise NotFound("That board no longer exists.")
    board = Board.from_row(row)
    items = tuple(_to_item(r, board.anonymous, viewer) for r in store.boards.items(board_id))
    themes = tuple((t["id"], t["name"]) for t in store.boards.themes(board_id))
    shown = [item for item in items if item.status == SHOWN]
    reveal = _reveal_points(board, shown, store.boards.matches(board_id))
    return Snapshot(board=board, items=items, themes=themes, reveal=reveal,
                    taking_part=store.boards.taking_part(board_id))


@dataclass(frozen=True)
class Own:
    """One participant's part of a board: their items (any status but withdrawn) and votes."""

    items: tuple[Item, ...]
    votes: frozenset[int]

    def votes_left(self, board: Board) -> int:
        """Votes this participant may still cast on the board."""
        return max(0, board.votes_per_participant - len(self.votes))


def own_activity(store: Store, actor: Actor, snap: Snapshot) -> Own:
    """The actor's items and votes, from a shared snapshot (read for no viewer) plus one query.

    Statuses and texts come from the snapshot, so a phone's poll reuses what every other phone
    reads; only "which ids are mine" is asked per participant."""
    if actor.participant_id is None:
        return Own((), frozenset())
    own_ids, voted = store.boards.activity(snap.board.id, actor.participant_id)
    own_ids = set(own_ids)
    items = tuple(replace(item, mine=True) for item in snap.items
                  if item.id in own_ids and item.status != WITHDRAWN)
    return Own(items, frozenset(voted))


# -- the facilitator sets boards up --------------------------------------------------------------

def _facilitator(store: Store, actor: Actor, board_id: object) -> Board:
    board = get_board(store, actor, board_id) if actor.workshop_id else None
    if board is None or not actor.is_facilitator:
        raise PermissionDenied("Only the facilitator can do that. Unlock with the workshop PIN.")
    return board


def create_board(store: Store, actor: Actor, prompt: object, *, reference_notes: object = "",
                 anonymous: bool = False, votes_per_participant: object = 3,
                 moderation: object = "open", item_limit: object = ITEM_LIMIT_DEFAULT,
                 idempotency_key: object = None) -> Board:
    """A new board in the facilitator's workshop, with its settings validated; the same
    idempotency key again (a double click on Create) returns the first board."""
    if not actor.is_facilitator or actor.workshop_id is None:
        raise PermissionDenied("Only the facilitator can create a board. Unlock with the PIN.")
    fields = {
        "prompt": clean_text(prompt, "Prompt", max_len=PROMPT_MAX, required=True),
        "reference_notes": clean_text(reference_notes, "Reference notes", max_len=NOTES_MAX,
                                      multiline=True),
        "anonymous": int(bool(anonymous)),
        "votes_per_participant": clean_int(votes_per_participant, "Votes per participant",
                                           low=0, high=VOTES_MAX, default=3),
        "moderation": clean_choice(moderation, "Moderation", MODERATION),
        "item_limit": clean_int(item_limit, "Item length limit", low=10, high=ITEM_LIMIT_MAX,
                                default=ITEM_LIMIT_DEFAULT),
    }
    board_id = store.boards.create(actor.workshop_id, fields.pop("prompt"),
                                   idempotency_key=clean_key(idempotency_key), **fields)
    return get_board(store, actor, board_id)


def set_phase(store: Store, actor: Actor, board_id: object, phase: object) -> None:
    """Move the board to another phase."""
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, phase=clean_choice(phase, "Phase", PHASES))


def start_timer(store: Store, actor: Actor, board_id: object, minutes: object,
                *, now: float | None = None) -> None:
    """Start (or restart) a countdown the projector shows."""
    board = _facilitator(store, actor, board_id)
    minutes = clean_int(minutes, "Timer minutes", low=1, high=TIMER_MAX_MINUTES)
    store.boards.update_board(board.id, timer_ends_at=(now or time.time()) + 60 * minutes)


def stop_timer(store: Store, actor: Actor, board_id: object) -> None:
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, timer_ends_at=None)


def set_locked(store: Store, actor: Actor, board_id: object, locked: bool) -> None:
    """Lock the board (no new items, edits or votes) or open it again."""
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, locked=int(bool(locked)))


def set_votes_hidden(store: Store, actor: Actor, board_id: object, hidden: bool) -> None:
    """Hide vote counts on the projector and phones (votes still count), or show them again."""
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, votes_hidden=int(bool(hidden)))


def reset_votes(store: Store, actor: Actor, board_id: object) -> None:
    """Remove every vote on the board, so everyone has their full allowance again."""
    board = _facilitator(store, actor, board_id)
    with store.atomic():
        backup.auto_backup(store, board.workshop_id, f"before resetting the votes of “{board.prompt}”")
        store.boards.reset_votes(board.id)


DELETE_WORD = "DELETE"


def delete_board(store: Store, actor: Actor, board_id: object, confirmation: object) -> None:
    """Delete the board and everything on it, once the facilitator typed DELETE to confirm."""
    board = _facilitator(store, actor, board_id)
    if str(confirmation or "").strip().upper() != DELETE_WORD:
        raise ValidationError("Confirmation", f"type {DELETE_WORD} to delete this board.")
    with store.atomic():
        backup.auto_backup(store, board.workshop_id, f"before deleting the board “{board.prompt}”")
        store.boards.delete(board.id)


# -- participants add, edit and vote ------------------------------------------------------------

def _open_for(board: Board, phases: set[str], what: str) -> None:
    if board.locked:
        raise Conflict(LOCKED_MESSAGE)
    if board.phase not in phases:
        raise Conflict(f"{what} are closed in the {PHASES[board.phase].lower()} phase.")


def _to_item(row: dict, board_anonymous: bool, viewer: Actor | None) -> Item:
    """The view of a stored item: the author only on named boards, `mine` for the viewer."""
    me = viewer.participant_id if viewer is not None else None
    return Item(id=row["id"], text=row["text"],
                author=None if board_anonymous or not row["author_name"] else row["author_name"],
                status=row["status"], theme_id=row["theme_id"], pinned=bool(row["pinned"]),
                votes=int(row["votes"]), created_at=row["created_at"],
                mine=me is not None and row["participant_id"] == me,
                merged_into=row["merged_into"])


def _item_row(store: Store, actor: Actor, item_id: object) -> tuple[Board, dict]:
    row = store.boards.item(_row_id(item_id, "Item"))
    if row is None or row["workshop_id"] != actor.workshop_id:
        raise NotFound("That item does not exist on this board.")
    return get_board(store, actor, row["board_id"]), row


def get_item(store: Store, actor: Actor, item_id: object) -> Item:
    """One item as this actor may see it."""
    board, row = _item_row(store, actor, item_id)
    return _to_item(row, board.anonymous, actor)


def add_item(store: Store, actor: Actor, board_id: object, text: object,
             idempotency_key: object = None) -> tuple[Item, bool]:
    """Post an item; the same idempotency key again returns the first item. Returns (item, new)."""
    if actor.role not in (Role.PARTICIPANT, Role.FACILITATOR):
        raise PermissionDenied("Join the workshop with its code to add items.")
    board = get_board(store, actor, board_id)
    text = clean_text(text, "Item", max_len=board.item_limit, required=True)
    key = clean_key(idempotency_key)
    _open_for(board, ITEM_PHASES, "New items")
    # On an anonymous board the name is not even stored, so no later view can leak it.
    author = "" if board.anonymous or actor.participant_id is None else \
        store.boards.display_name(actor.participant_id)
    status = PENDING if board.moderation == "approval" and not actor.is_facilitator else SHOWN
    item_id, new = store.boards.add_item(board.id, text=text, participant_id=actor.participant_id,
                                         author_name=author, status=status, idempotency_key=key)
    return get_item(store, actor, item_id), new


def _own_recent(store: Store, actor: Actor, item_id: object,
                now: float | None) -> tuple[Board, int]:
    board, row = _item_row(store, actor, item_id)
    if actor.participant_id is None or row["participant_id"] != actor.participant_id:
        raise PermissionDenied("You can only change your own items.")
    if row["status"] not in (SHOWN, PENDING):
        raise Conflict("This item is no longer on the board.")
    if (time.time() if now is None else now) - row["created_at"] > EDIT_WINDOW_S:
        raise Conflict("Items can be changed for 2 minutes after posting; that time is over.")
    if board.locked:
        raise Conflict(LOCKED_MESSAGE)
    return board, row["id"]


def edit_item(store: Store, actor: Actor, item_id: object, text: object,
              *, now: float | None = None) -> None:
    """Change the text of one's own item within 2 minutes of posting it."""
    board, item_id = _own_recent(store, actor, item_id, now)
    text = clean_text(text, "Item", max_len=board.item_limit, required=True)
    store.boards.update_item(board.id, item_id, text=text)


def withdraw_item(store: Store, actor: Actor, item_id: object, *, now: float | None = None) -> None:
    """Take one's own item back within 2 minutes of posting it (its votes go back too)."""
    board, item_id = _own_recent(store, actor, item_id, now)
    with store.atomic():
        store.boards.update_item(board.id, item_id, status=WITHDRAWN)
        store.boards.delete_votes_on(board.id, item_id)


def toggle_vote(store: Store, actor: Actor, item_id: object) -> bool:
    """Vote for an item, or take the vote back; returns whether the participant now votes for it."""
    if actor.participant_id is None:
        raise PermissionDenied("Join the workshop with its code to vote.")
    board, row = _item_row(store, actor, item_id)
    _open_for(board, VOTE_PHASES, "Votes")
    if row["status"] != SHOWN:
        raise Conflict("This item is not on the board any more.")
    with store.atomic():
        store.boards.bump(board.id)  # serialise with every other write before counting
        mine = store.boards.votes_by(board.id, actor.participant_id)
        if row["id"] in mine:
            store.boards.delete_vote(board.id, row["id"], actor.participant_id)
            return False
        if len(mine) >= board.votes_per_participant:
            raise Conflict(f"You have used all {board.votes_per_participant} of your votes. "
                           "Tap a voted item to take a vote back.")
        store.boards.insert_vote(board.id, row["id"], actor.participant_id)
        return True


# -- the facilitator moderates ------------------------------------------------------------------

def _moderate(store: Store, actor: Actor, item_id: object) -> tuple[Board, dict]:
    board, row = _item_row(store, actor, item_id)
    _facilitator(store, actor, board.id)
    return board, row


def hide_item(store: Store, actor: Actor, item_id: object) -> None:
    """Take an item off the shared board (it stays in the facilitator's list)."""
    board, row = _moderate(store, actor, item_id)
    if row["status"] not in (SHOWN, PENDING):
        raise Conflict("Only an item on the board or waiting for approval can be hidden.")
    store.boards.update_item(board.id, row["id"], status=HIDDEN)


def show_item(store: Store, actor: Actor, item_id: object) -> None:
    """Put a hidden item back, or approve one waiting in the pre-approval queue."""
    board, row = _moderate(store, actor, item_id)
    if row["status"] not in (HIDDEN, PENDING):
        raise Conflict("Only a hidden or waiting item can be shown.")
    store.boards.update_item(board.id, row["id"], status=SHOWN)


unhide_item = approve_item = show_item


def pin_item(store: Store, actor: Actor, item_id: object, pinned: bool = True) -> None:
    """Pin an item to the top of the board, or unpin it."""
    board, row = _moderate(store, actor, item_id)
    store.boards.update_item(board.id, row["id"], pinned=int(bool(pinned)))


def merge_items(store: Store, actor: Actor, source_id: object, target_id: object) -> None:
    """Merge a duplicate into another item: the votes combine (one per person)."""
    board, source = _moderate(store, actor, source_id)
    target_board, target = _moderate(store, actor, target_id)
    if target_board.id != board.id or source["id"] == target["id"]:
        raise ValidationError("Merge into", "choose a different item on the same board.")
    if target["status"] not in (SHOWN, PENDING, HIDDEN) or source["status"] == MERGED:
        raise Conflict("One of these items was already merged or withdrawn.")
    store.boards.merge_items(board.id, source["id"], target["id"])


def unmerge_item(store: Store, actor: Actor, item_id: object) -> None:
    """Undo a merge: the item is back on the board with the votes it brought, as far as each
    person's allowance still permits (a vote taken back and spent elsewhere stays spent)."""
    board, row = _moderate(store, actor, item_id)
    if row["status"] != MERGED or row["merged_into"] is None:
        raise Conflict("This item is not merged into another one.")
    target = store.boards.item(row["merged_into"])
    if target is not None and target["status"] == MERGED:
        raise Conflict("The item it went into was merged too: undo that merge first.")
    store.boards.unmerge_item(board.id, row["id"], row["merged_into"],
                              board.votes_per_participant)


def create_theme(store: Store, actor: Actor, board_id: object, name: object) -> int:
    """A new theme (a group of items) on the board."""
    board = _facilitator(store, actor, board_id)
    with store.atomic():
        store.boards.bump(board.id)  # serialise with another facilitator creating the same name
        return store.boards.insert_theme(board.id, _theme_name(store, board, name))


def _theme_name(store: Store, board: Board, name: object, theme_id: int | None = None) -> str:
    """A cleaned theme name no other theme of the board has (ignoring case)."""
    name = clean_text(name, "Theme", max_len=THEME_MAX, required=True)
    if any(t["name"].casefold() == name.casefold() and t["id"] != theme_id
           for t in store.boards.themes(board.id)):
        raise ValidationError("Theme", f"this board already has a theme named “{name}”.")
    return name


def _theme(store: Store, board: Board, theme_id: object) -> int:
    row = store.boards.theme(_row_id(theme_id, "Theme"))
    if row is None or row["board_id"] != board.id:
        raise NotFound("That theme does not exist on this board.")
    return row["id"]


def rename_theme(store: Store, actor: Actor, board_id: object, theme_id: object,
                 name: object) -> None:
    """Give a theme another name."""
    board = _facilitator(store, actor, board_id)
    theme_id = _theme(store, board, theme_id)
    with store.atomic():
        store.boards.bump(board.id)
        store.boards.rename_theme(board.id, theme_id, _theme_name(store, board, name, theme_id))


def assign_theme(store: Store, actor: Actor, item_id: object, theme_id: object | None) -> None:
    """Put an item in a theme, or take it out of any theme (None)."""
    board, row = _moderate(store, actor, item_id)
    theme = None if theme_id is None else _theme(store, board, theme_id)
    store.boards.update_item(board.id, row["id"], theme_id=theme)


GROUP_MAX = 500  # items filed in one go: more than any room's board


def group_items(store: Store, actor: Actor, board_id: object, item_ids: object,
                theme: object) -> int:
    """File several items under one theme in one transaction: grouping costs one pick per item
    and one theme per group. `theme` is a theme's id, or a name: an existing theme of that name
    (ignoring case) is used, any other name becomes a new theme. Returns the theme's id."""
    board = _facilitator(store, actor, board_id)
    if not isinstance(item_ids, (list, tuple, set, frozenset)) or not item_ids:
        raise ValidationError("Items", "pick at least one item to group.")
    if len(item_ids) > GROUP_MAX:
        raise ValidationError("Items", f"at most {GROUP_MAX} at once.")
    ids = sorted({_row_id(i, "Item") for i in item_ids})
    with store.atomic():
        store.boards.bump(board.id)  # serialise with another facilitator grouping or naming
        groupable = {r["id"] for r in store.boards.items(board.id)
                     if r["status"] in (SHOWN, PENDING, HIDDEN)}
        if missing := [i for i in ids if i not in groupable]:
            raise Conflict(f"{len(missing)} of these items are no longer on the board "
                           "(merged, withdrawn or deleted); pick again.")
        theme_id = _theme_for(store, board, theme)
        store.boards.set_theme(board.id, ids, theme_id)
        return theme_id


def _theme_for(store: Store, board: Board, theme: object) -> int:
    if isinstance(theme, int) and not isinstance(theme, bool):
        return _theme(store, board, theme)
    name = clean_text(theme, "Theme", max_len=THEME_MAX, required=True)
    for row in store.boards.themes(board.id):
        if row["name"].casefold() == name.casefold():
            return row["id"]
    return store.boards.insert_theme(board.id, name)


def ungroup_theme(store: Store, actor: Actor, board_id: object, theme_id: object) -> None:
    """Take every item out of a theme; the theme stays, empty."""
    board = _facilitator(store, actor, board_id)
    theme_id = _theme(store, board, theme_id)
    store.boards.clear_theme(board.id, theme_id)


def delete_theme(store: Store, actor: Actor, board_id: object, theme_id: object) -> None:
    """Delete a theme; its items stay on the board, in no theme."""
    board = _facilitator(store, actor, board_id)
    theme_id = _theme(store, board, theme_id)
    store.boards.delete_theme(board.id, theme_id)


@dataclass(frozen=True)
class SuggestedGroup:
    """Items that share a word, offered as a theme the facilitator accepts or edits."""

    name: str
    item_ids: tuple[int, ...]


SUGGESTIONS_MAX = 6


def suggest_groups(snap: Snapshot) -> list[SuggestedGroup]:
    """Groups of the board's ungrouped items that share a word, biggest first.

    Each item is offered once, under the word it shares with the most other items; a word that
    names an existing theme offers that theme (accepting files the items there), even for one
    item. Crude on purpose: it saves the clicks, the facilitator still decides."""
    loose = [item for item in snap.shown() if item.theme_id is None]
    by_word: dict[str, list[int]] = {}
    spelled: dict[str, str] = {}
    for item in loose:
        for token in _WORD.findall(item.text.lower()):
            (stem,) = _words(token) or (None,)
            if stem is None:
                continue
            spelled.setdefault(stem, token)
            if item.id not in by_word.setdefault(stem, []):
                by_word[stem].append(item.id)
    themes = {}
    for _, name in snap.themes:
        for stem in _words(name):
            themes.setdefault(stem, name)
    taken: set[int] = set()
    groups = []
    # Biggest first; on a tie, a word that names a theme already made.
    for stem in sorted(by_word, key=lambda w: (-len(by_word[w]), w not in themes, w)):
        ids = tuple(i for i in by_word[stem] if i not in taken)
        if len(ids) < (1 if stem in themes else 2):  # one item may join an existing theme
            continue
        taken.update(ids)
        groups.append(SuggestedGroup(themes.get(stem) or spelled[stem].capitalize(), ids))
        if len(groups) == SUGGESTIONS_MAX:
            break
    return groups


# -- reveal: the facilitator's reference notes beside the group's items -------------------------

_WORD = re.compile(r"[a-z0-9]+")
# Words too common to say that an item and a reference point are about the same thing.
_STOP = frozenset("""a an and are as at be been being but by can do for from go has have in into
is it its not of on one only or our out so than that the their them they this to up us was way
we what when where which who will with you your people community""".split())


@lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    # A crude stem (drop a plural or -ing/-ed ending) so "relationships" meets "relationship".
    # Cached by text: an item's words are read once, not on every rebuild of its board.
    return frozenset(re.sub(r"(ing|ed|es|s)$", "", w) if len(w) > 4 else w
                     for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2)


def suggest_matches(points: tuple[str, ...] | list[str], items: list[Item]) -> list[int | None]:
    """For each reference point, the item sharing the most words with it (None if none share)."""
    if not points:  # most boards have no reference notes: skip reading every item's words
        return []
    item_words = [(item, _words(item.text)) for item in items]
    best: list[int | None] = []
    for point in points:
        words = _words(point)
        scored = [(len(words & w), -item.id, item.id) for item, w in item_words if words & w]
        best.append(max(scored)[2] if scored else None)
    return best


def _reveal_points(board: Board, shown: list[Item], decided: dict[int, dict]) -> tuple[RevealPoint, ...]:
    suggestions = suggest_matches(board.reference_points, shown)
    points = []
    for number, (text, suggested) in enumerate(zip(board.reference_points, suggestions)):
        decision = decided.get(number)
        if decision is None:
            points.append(RevealPoint(number, text, suggested, suggested is not None, False))
        else:
            points.append(RevealPoint(number, text, decision["item_id"],
                                      bool(decision["raised"]), True))
    return tuple(points)


def set_revealed(store: Store, actor: Actor, board_id: object, revealed: bool) -> None:
    """Show (or hide again) the reference notes beside the group's items."""
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, revealed=int(bool(revealed)))


def decide_match(store: Store, actor: Actor, board_id: object, point: object,
                 item_id: object | None) -> None:
    """Confirm or correct one reference point: raised by `item_id`, or not raised (None)."""
    board = _facilitator(store, actor, board_id)
    number = clean_int(point, "Reference point", low=0, high=max(0, len(board.reference_points) - 1))
    if not board.reference_points:
        raise ValidationError("Reference point", "this board has no reference notes.")
    item = None
    if item_id is not None:
        item_board, row = _item_row(store, actor, item_id)
        if item_board.id != board.id:
            raise NotFound("That item does not exist on this board.")
        item = row["id"]
    store.boards.set_match(board.id, number, item, raised=item is not None)


# -- the brainstorm feeds the map ---------------------------------------------------------------

# Words that say which level an item names (singular, lower case). Checked in this order on a
# tie: "Pastor Ruiz of St. Mark's church" is a leader, "tenant union" an organization.
LEVEL_WORDS = {
    "decision_maker": set("""council councilmember councilor commissioner mayor senator
        representative legislator lawmaker governor alderman alderperson supervisor judge
        official superintendent trustee assemblymember congressman congresswoman""".split()),
    "leader": set("""pastor priest rabbi imam reverend leader coach teacher principal organizer
        captain elder connector volunteer chairperson president""".split()),
    "organization": set("""church congregation union association organization nonprofit agency
        clinic school library center coalition society foundation mosque temple synagogue
        network alliance cooperative coop""".split()),
    "impacted": set("""tenant resident family parent youth worker neighbor student senior
        immigrant renter patient caregiver""".split()),
}


def suggest_level(text: str) -> str | None:
    """The level an item's words point to, or None when they point nowhere (then the
    facilitator picks: no guess is better than an idea filed as a decision-maker)."""
    words = [_singular(w) for w in _WORD.findall(text.lower())]
    hits = {level: sum(w in vocab for w in words) for level, vocab in LEVEL_WORDS.items()}
    best = max(hits.values())
    return None if best == 0 else next(level for level, n in hits.items() if n == best)


_ALL_LEVEL_WORDS = frozenset().union(*LEVEL_WORDS.values())


def _singular(word: str) -> str:
    """"families" -> "family", "tenants" -> "tenant", when the singular is a level word."""
    for candidate in (word[:-3] + "y" if word.endswith("ies") else None,
                      word[:-1] if word.endswith("s") else None):
        if candidate in _ALL_LEVEL_WORDS:
            return candidate
    return word


def entry_name_for(text: str) -> str:
    """The name a promoted item's entry gets unless the facilitator writes another."""
    return _shorten(text, ENTRY_NAME_MAX)


def promote_item(store: Store, actor: Actor, item_id: object, map_id: object,
                 level: object, name: object = None) -> int:
    """Copy an item into a map as a new entry named `name` (default: the item's text, cut at
    ENTRY_NAME_MAX) at the chosen level (stage: identified).

    An entry of the same name (ignoring case) already on that map, promoted earlier or typed by
    the team, is named instead of doubled. The check and the insert hold the map's row."""
    board, row = _moderate(store, actor, item_id)
    level = clean_choice(level, "Level", LEVELS)
    team_map = store.maps.get(_row_id(map_id, "Map"))
    if team_map is None or team_map["workshop_id"] != board.workshop_id:
        raise NotFound("That map does not exist in this workshop.")
    name = clean_text(name, "Entry name", max_len=ENTRY_NAME_MAX) or entry_name_for(row["text"])
    with store.atomic():
        store.maps.lock(team_map["id"])
        existing = store.maps.entry_named(team_map["id"], name)
        if existing is not None:
            raise Conflict(f"Already on {team_map['name']} as “{existing['name']}” "
                           f"({LEVELS.get(existing['level'], existing['level'])}).")
        return store.maps.insert_entry(team_map["id"], {
            "name": name, "level": level, "stage": "identified"})


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut, so a long item still reads as a name."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" ,;:.-") + "…"
