"""The live brainstorm board's service: every read and write of a board, and the read models
every screen shares.

Rules live here and in orgkit.board.model, not in pages: who may add, edit, vote or moderate, the
limits, the phases, and anonymity. On an anonymous board the author's name is never stored
(board_model.stored_author, when an item is written), so no read can return it; on any board,
views receive `Item.mine` (computed here for the asking actor) instead of participant ids.

Every write goes through orgkit.storage.boards, which bumps the board's revision first in the same
transaction; a check-then-write (the vote limit, "at most once per item") runs inside that
transaction, after the bump, so it is serialised with every other write to the board.

Phases follow the room's rhythm: new items are accepted while collecting and grouping (a late
idea still finds its group); votes while collecting, grouping and voting; discuss closes both, so
the ranking holds still while the room talks about it. Locking closes both in any phase.

Every refusal is an error carrying a message id and its values (orgkit.i18n); the screen renders
it in the reader's language. The projector's block and the phones' labels carry our words too,
so their per-revision caches are keyed by the reader's language.
"""
from __future__ import annotations

import time
from functools import lru_cache

from ..domain import (DISPLAY_NAME_MAX, ID_MAX, LEVELS, MODERATION, PHASES, Actor, Conflict,
                      NotFound, PermissionDenied, Role, ValidationError, require_facilitator)
from ..i18n import DEFAULT_LANGUAGE, N_, dump_texts, msg
from ..map import service as maps
from ..map.model import ENTRY_NAME_MAX
from ..storage import Store
from ..validation import (check_same_lines, clean_choice, clean_int, clean_key, clean_local_text,
                          clean_text)
from ..workshop import backups as backup
from .model import (DELETE_WORD, EDIT_WINDOW_MINUTES, EDIT_WINDOW_S, GROUP_MAX, HIDDEN,
                    ITEM_LIMIT_DEFAULT, ITEM_LIMIT_MAX, ITEM_LIMIT_MIN, ITEM_PHASES, LOCKED_MESSAGE,
                    MERGED, NOTES_MAX, PENDING, PROMPT_MAX, SHOWN, THEME_MAX, TIMER_MAX_MINUTES,
                    TIMER_MIN_MINUTES, VOTE_PHASES, VOTES_DEFAULT, VOTES_HIDDEN_DEFAULT,
                    VOTES_MAX, WITHDRAWN, Board, Item, Own, Snapshot, entry_name_for,
                    require_open, reveal_points, stored_author, to_item, votes_back)
from .phone_list import PhoneBoard
from .view import Join, projector_pages
from .wall import ANY_WALL, Wall, page_due

# -- reading -----------------------------------------------------------------------------------

def _row_id(value: object, field: str) -> int:
    """An id from a URL or a widget, checked before it reaches the database."""
    return clean_int(value, field, low=1, high=ID_MAX)


def get_board(store: Store, actor: Actor, board_id: object) -> Board:
    """A board of the actor's workshop, or NotFound; a malformed id is a bad link, said so."""
    try:
        board_id = _row_id(board_id, N_("Board"))
    except ValidationError:
        raise ValidationError(N_("Board"), msg("this link does not name a board; open the board "
                                                  "from the projector or the join link.")) from None
    row = store.boards.get(board_id)
    if row is None or row["workshop_id"] != actor.workshop_id:
        raise NotFound(msg("That board does not exist in this workshop."))
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
        raise NotFound(msg("That board no longer exists."))
    board = Board.from_row(row)
    items = tuple(to_item(r, viewer) for r in store.boards.items(board_id))
    themes = tuple((t["id"], t["name"]) for t in store.boards.themes(board_id))
    shown = [item for item in items if item.status == SHOWN]
    reveal = reveal_points(board, shown, store.boards.matches(board_id))
    return Snapshot(board=board, items=items, themes=themes, reveal=reveal,
                    taking_part=store.boards.taking_part(board_id))


def own_activity(store: Store, actor: Actor, board_id: int) -> Own:
    """The actor's items (any status but withdrawn) and votes, read from the store: never from a
    shared snapshot, which may be up to VIEW_REFRESH_S behind, so a phone sees its own idea the
    moment it is taken."""
    if actor.participant_id is None:
        return Own((), frozenset())
    rows, voted = store.boards.activity(board_id, actor.participant_id)
    items = tuple(to_item(row, actor) for row in rows if row["status"] != WITHDRAWN)
    return Own(items, frozenset(voted))


# -- the read models every screen shares ---------------------------------------------------------
# Built once per (store, board, revision) for every session of the process. The store is part of
# the key: two databases (tests, two servers' stores) never share. What carries our words (the
# projector's block, the phones' labels) is keyed by the reader's language too.
#
# While the room posts ten ideas a second, nearly every poll finds a new revision, and building
# the views at each one would read the whole board ten times a second. So the phones' views
# follow the newest revision at most once per VIEW_REFRESH_S (view_revision): a phone sees the
# room's changes up to that much later, on top of its poll interval. The projector asks for the
# live revision (it polls once a second, so it bounds its own rebuilds), and its snapshot is the
# one the phones then reuse. What a phone did itself it sees at once: its own items and votes
# come from the store (own_activity), and a phone that voted asks for a view at least as new as
# its vote, so the count beside its ✓ has moved.

VIEW_REFRESH_S = 1.0
NEWEST_KEPT = 64
_newest: dict[tuple[Store, int], tuple[int, float]] = {}  # (store, board) → (revision, built at)


def revision(store: Store, board_id: int) -> int | None:
    """The board's revision (None once it was deleted): what a poll asks before anything else."""
    return store.boards.revision(board_id)


def view_revision(store: Store, board_id: int, live: int, at_least: int = 0,
                  now: float | None = None) -> int:
    """The revision a phone's shared views are read at: the newest one built, while it is younger
    than VIEW_REFRESH_S and at least `at_least`; otherwise `live`."""
    newest = _newest.get((store, board_id))
    now = time.monotonic() if now is None else now
    if newest is not None and newest[0] >= at_least and now - newest[1] < VIEW_REFRESH_S:
        return min(newest[0], live)
    return live


@lru_cache(maxsize=16)
def shared_snapshot(store: Store, board_id: int, revision: int) -> Snapshot:
    """The board at one revision as a shared screen sees it, read once for every session."""
    snap = snapshot(store, board_id)
    key = (store, board_id)
    if snap.board.revision >= _newest.get(key, (0, 0.0))[0]:
        _newest.pop(key, None)
        _newest[key] = (snap.board.revision, time.monotonic())
        if len(_newest) > NEWEST_KEPT:  # a server has one store; a test run opens hundreds
            del _newest[next(iter(_newest))]
    return snap


@lru_cache(maxsize=32)  # a few window classes and two languages per revision
def _screens(store: Store, board_id: int, revision: int, participants: int, join: Join,
             language: str, wall: Wall, held: bool) -> tuple[tuple[str, ...], Board]:
    snap = shared_snapshot(store, board_id, revision)
    return (tuple(projector_pages(snap.in_language(language), participants, join, language,
                                  wall, held)), snap.board)


def projector_screen(store: Store, board_id: int, join: Join, now: float | None = None,
                     language: str = DEFAULT_LANGUAGE, wall: Wall = ANY_WALL,
                     held: bool = False) -> tuple[str, Board] | None:
    """The projector's block for a window of class `wall` (the screen due now, or, `held`, the
    first), our words in `language`, and the board at its current revision; None if it was
    deleted. A poll costs one indexed read."""
    polled = store.boards.poll(board_id)
    if polled is None:
        return None
    pages, board = _screens(store, board_id, *polled, join, language, wall, held)
    return page_due(pages, now), board


@lru_cache(maxsize=16)
def phone_labels(store: Store, board_id: int, revision: int,
                 language: str = DEFAULT_LANGUAGE) -> PhoneBoard:
    """The vote list every phone reading `language` shows at one revision, each label made once
    for all of them."""
    return PhoneBoard.build(shared_snapshot(store, board_id, revision), language=language)


# -- the facilitator sets boards up --------------------------------------------------------------

def _facilitator(store: Store, actor: Actor, board_id: object) -> Board:
    board = get_board(store, actor, board_id) if actor.workshop_id else None
    if board is None or not actor.is_facilitator:
        raise PermissionDenied(msg("Only the facilitator can do that. Unlock with the workshop "
                                    "PIN."))
    return board


def create_board(store: Store, actor: Actor, prompt: object, *, reference_notes: object = "",
                 anonymous: bool = False, votes_per_participant: object = VOTES_DEFAULT,
                 moderation: object = "open", item_limit: object = ITEM_LIMIT_DEFAULT,
                 votes_hidden: bool = VOTES_HIDDEN_DEFAULT,
                 idempotency_key: object = None) -> Board:
    """A new board in the facilitator's workshop, with its settings validated; the same
    idempotency key again (a double click on Create) returns the first board.

    The prompt and the reference notes are each a text, or a mapping language -> text (the
    form's first field first): each reader then sees theirs (Board.prompt_in, points_in). Notes
    in several languages hold the same points line by line."""
    require_facilitator(actor, msg("Only the facilitator can create a board. Unlock with the "
                                        "PIN."))
    prompt, prompt_texts = clean_local_text(prompt, N_("Prompt"), max_len=PROMPT_MAX,
                                            required=True)
    notes, notes_texts = clean_local_text(reference_notes, N_("Reference notes"),
                                          max_len=NOTES_MAX, multiline=True)
    check_same_lines(notes_texts, N_("Reference notes"))
    fields = {
        "prompt": prompt,
        "prompt_texts": dump_texts(prompt_texts),
        "reference_notes": notes,
        "notes_texts": dump_texts(notes_texts),
        "anonymous": int(bool(anonymous)),
        "votes_hidden": int(bool(votes_hidden)),
        "votes_per_participant": clean_int(votes_per_participant, N_("Votes per participant"),
                                           low=0, high=VOTES_MAX, default=VOTES_DEFAULT),
        "moderation": clean_choice(moderation, N_("Moderation"), MODERATION),
        "item_limit": clean_int(item_limit, N_("Item length limit"), low=ITEM_LIMIT_MIN,
                                high=ITEM_LIMIT_MAX, default=ITEM_LIMIT_DEFAULT),
    }
    board_id = store.boards.create(actor.workshop_id, fields.pop("prompt"),
                                   idempotency_key=clean_key(idempotency_key), **fields)
    return get_board(store, actor, board_id)


def set_phase(store: Store, actor: Actor, board_id: object, phase: object) -> None:
    """Move the board to another phase."""
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, phase=clean_choice(phase, N_("Phase"), PHASES))


def start_timer(store: Store, actor: Actor, board_id: object, minutes: object,
                *, now: float | None = None) -> None:
    """Start (or restart) a countdown the projector shows."""
    board = _facilitator(store, actor, board_id)
    minutes = clean_int(minutes, N_("Timer minutes"), low=TIMER_MIN_MINUTES, high=TIMER_MAX_MINUTES)
    store.boards.update_board(board.id, timer_ends_at=(now or time.time()) + 60 * minutes)


def stop_timer(store: Store, actor: Actor, board_id: object) -> None:
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, timer_ends_at=None)


def set_locked(store: Store, actor: Actor, board_id: object, locked: bool) -> None:
    """Lock the board (no new items, edits or votes) or open it again."""
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, locked=int(bool(locked)))


def set_votes_hidden(store: Store, actor: Actor, board_id: object, hidden: bool) -> None:
    """Hide vote counts on the projector and phones until the vote closes (votes still count),
    or show them while people vote; the choice stays with the board."""
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, votes_hidden=int(bool(hidden)))


def reset_votes(store: Store, actor: Actor, board_id: object) -> None:
    """Remove every vote on the board, so everyone has their full allowance again."""
    board = _facilitator(store, actor, board_id)
    with store.atomic():
        backup.auto_backup(store, board.workshop_id,
                           msg("before resetting the votes of “{board}”", board=board.prompt))
        store.boards.reset_votes(board.id)


def delete_board(store: Store, actor: Actor, board_id: object, confirmation: object) -> None:
    """Delete the board and everything on it, once the facilitator typed DELETE to confirm."""
    board = _facilitator(store, actor, board_id)
    if str(confirmation or "").strip().upper() != DELETE_WORD:
        raise ValidationError(N_("Confirmation"), msg("type {word} to delete this board.",
                                                         word=DELETE_WORD))
    with store.atomic():
        backup.auto_backup(store, board.workshop_id,
                           msg("before deleting the board “{board}”", board=board.prompt))
        store.boards.delete(board.id)


# -- participants add, edit and vote ------------------------------------------------------------


def _item_row(store: Store, actor: Actor, item_id: object) -> tuple[Board, dict]:
    row = store.boards.item(_row_id(item_id, N_("Item")))
    if row is None or row["workshop_id"] != actor.workshop_id:
        raise NotFound(msg("That item does not exist on this board."))
    return get_board(store, actor, row["board_id"]), row


def get_item(store: Store, actor: Actor, item_id: object) -> Item:
    """One item as this actor may see it."""
    _, row = _item_row(store, actor, item_id)
    return to_item(row, actor)


def add_item(store: Store, actor: Actor, board_id: object, text: object,
             idempotency_key: object = None) -> tuple[Item, bool]:
    """Post an item; the same idempotency key again returns the first item. Returns (item, new)."""
    if actor.role not in (Role.PARTICIPANT, Role.FACILITATOR):
        raise PermissionDenied(msg("Join the workshop with its code to add items."))
    board = get_board(store, actor, board_id)
    text = clean_text(text, N_("Item"), max_len=board.item_limit, required=True)
    key = clean_key(idempotency_key)
    require_open(board, ITEM_PHASES, N_("New items are closed in the {phase} phase."))
    name = "" if actor.participant_id is None else store.boards.display_name(actor.participant_id)
    status = PENDING if board.moderation == "approval" and not actor.is_facilitator else SHOWN
    item_id, new = store.boards.add_item(board.id, text=text, participant_id=actor.participant_id,
                                         author_name=stored_author(board.anonymous, name),
                                         status=status, idempotency_key=key)
    return get_item(store, actor, item_id), new


def add_from_floor(store: Store, actor: Actor, board_id: object, text: object,
                   said_by: object = "", idempotency_key: object = None) -> tuple[Item, bool]:
    """The facilitator (or a helper with the facilitator's unlock) adds what someone without a
    phone said: marked as from the floor, counted like any item, under the board's phase rules,
    named only when a name is given (`said_by`) and the board is not anonymous."""
    board = _facilitator(store, actor, board_id)
    text = clean_text(text, N_("Item"), max_len=board.item_limit, required=True)
    said_by = clean_text(said_by, N_("Said by"), max_len=DISPLAY_NAME_MAX)
    require_open(board, ITEM_PHASES, N_("New items are closed in the {phase} phase."))
    item_id, new = store.boards.add_item(board.id, text=text, participant_id=None,
                                         author_name=stored_author(board.anonymous, said_by),
                                         status=SHOWN, from_floor=True,
                                         idempotency_key=clean_key(idempotency_key))
    return get_item(store, actor, item_id), new


def _own_recent(store: Store, actor: Actor, item_id: object,
                now: float | None) -> tuple[Board, int]:
    board, row = _item_row(store, actor, item_id)
    if actor.participant_id is None or row["participant_id"] != actor.participant_id:
        raise PermissionDenied(msg("You can only change your own items."))
    if row["status"] not in (SHOWN, PENDING):
        raise Conflict(msg("This item is no longer on the board."))
    if (time.time() if now is None else now) - row["created_at"] > EDIT_WINDOW_S:
        raise Conflict(msg("Items can be changed for {minutes} minutes after posting; that "
                           "time is over.", minutes=EDIT_WINDOW_MINUTES))
    if board.locked:
        raise Conflict(LOCKED_MESSAGE)
    return board, row["id"]


def edit_item(store: Store, actor: Actor, item_id: object, text: object,
              *, now: float | None = None) -> None:
    """Change the text of one's own item within EDIT_WINDOW_MINUTES of posting it."""
    board, item_id = _own_recent(store, actor, item_id, now)
    text = clean_text(text, N_("Item"), max_len=board.item_limit, required=True)
    store.boards.update_item(board.id, item_id, text=text)


def withdraw_item(store: Store, actor: Actor, item_id: object, *, now: float | None = None) -> None:
    """Take one's own item back within EDIT_WINDOW_MINUTES of posting it (its votes go back
    too)."""
    board, item_id = _own_recent(store, actor, item_id, now)
    with store.atomic():
        store.boards.update_item(board.id, item_id, status=WITHDRAWN)
        store.boards.delete_votes_on(board.id, item_id)


def toggle_vote(store: Store, actor: Actor, item_id: object) -> bool:
    """Vote for an item, or take the vote back; returns whether the participant now votes for it."""
    if actor.participant_id is None:
        raise PermissionDenied(msg("Join the workshop with its code to vote."))
    board, row = _item_row(store, actor, item_id)
    require_open(board, VOTE_PHASES, N_("Votes are closed in the {phase} phase."))
    if row["status"] != SHOWN:
        raise Conflict(msg("This item is not on the board any more."))
    with store.atomic():
        store.boards.bump(board.id)  # serialise with every other write before counting
        mine = store.boards.votes_by(board.id, actor.participant_id)
        if row["id"] in mine:
            store.boards.delete_vote(board.id, row["id"], actor.participant_id)
            return False
        if len(mine) >= board.votes_per_participant:
            raise Conflict(msg("You have used all {n} of your votes. Tap a voted item to take a "
                               "vote back.", n=board.votes_per_participant))
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
        raise Conflict(msg("Only an item on the board or waiting for approval can be hidden."))
    store.boards.update_item(board.id, row["id"], status=HIDDEN)


def show_item(store: Store, actor: Actor, item_id: object) -> None:
    """Put a hidden item back, or approve one waiting in the pre-approval queue."""
    board, row = _moderate(store, actor, item_id)
    if row["status"] not in (HIDDEN, PENDING):
        raise Conflict(msg("Only a hidden or waiting item can be shown."))
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
        raise ValidationError(N_("Merge into"), msg("choose a different item on the same board."))
    if target["status"] not in (SHOWN, PENDING, HIDDEN) or source["status"] == MERGED:
        raise Conflict(msg("One of these items was already merged or withdrawn."))
    store.boards.merge_items(board.id, source["id"], target["id"])


def unmerge_item(store: Store, actor: Actor, item_id: object) -> None:
    """Undo a merge: the item is back on the board with the votes it brought, as far as each
    person's allowance still permits (a vote taken back and spent elsewhere stays spent)."""
    board, row = _moderate(store, actor, item_id)
    if row["status"] != MERGED or row["merged_into"] is None:
        raise Conflict(msg("This item is not merged into another one."))
    target = store.boards.item(row["merged_into"])
    if target is not None and target["status"] == MERGED:
        raise Conflict(msg("The item it went into was merged too: undo that merge first."))
    with store.atomic():
        store.boards.bump(board.id)  # serialise with every vote before reading who has room
        merged = store.boards.merged_votes(board.id, row["id"], row["merged_into"])
        store.boards.unmerge_item(board.id, row["id"], row["merged_into"],
                                  votes_back(merged, board.votes_per_participant))


def create_theme(store: Store, actor: Actor, board_id: object, name: object) -> int:
    """A new theme (a group of items) on the board."""
    board = _facilitator(store, actor, board_id)
    with store.atomic():
        store.boards.bump(board.id)  # serialise with another facilitator creating the same name
        return store.boards.insert_theme(board.id, _theme_name(store, board, name))


def _theme_name(store: Store, board: Board, name: object, theme_id: int | None = None) -> str:
    """A cleaned theme name no other theme of the board has (ignoring case)."""
    name = clean_text(name, N_("Theme"), max_len=THEME_MAX, required=True)
    if any(t["name"].casefold() == name.casefold() and t["id"] != theme_id
           for t in store.boards.themes(board.id)):
        raise ValidationError(N_("Theme"), msg("this board already has a theme named “{name}”.",
                                                  name=name))
    return name


def _theme(store: Store, board: Board, theme_id: object) -> int:
    row = store.boards.theme(_row_id(theme_id, N_("Theme")))
    if row is None or row["board_id"] != board.id:
        raise NotFound(msg("That theme does not exist on this board."))
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


def group_items(store: Store, actor: Actor, board_id: object, item_ids: object,
                theme: object) -> int:
    """File several items under one theme in one transaction: grouping costs one pick per item
    and one theme per group. `theme` is a theme's id, or a name: an existing theme of that name
    (ignoring case) is used, any other name becomes a new theme. Returns the theme's id."""
    board = _facilitator(store, actor, board_id)
    if not isinstance(item_ids, (list, tuple, set, frozenset)) or not item_ids:
        raise ValidationError(N_("Items"), msg("pick at least one item to group."))
    if len(item_ids) > GROUP_MAX:
        raise ValidationError(N_("Items"), msg("at most {limit} at once.", limit=GROUP_MAX))
    ids = sorted({_row_id(i, N_("Item")) for i in item_ids})
    with store.atomic():
        store.boards.bump(board.id)  # serialise with another facilitator grouping or naming
        groupable = {r["id"] for r in store.boards.items(board.id)
                     if r["status"] in (SHOWN, PENDING, HIDDEN)}
        if missing := [i for i in ids if i not in groupable]:
            raise Conflict(msg("{n} of these items are no longer on the board (merged, "
                               "withdrawn or deleted); pick again.", n=len(missing)))
        theme_id = _theme_for(store, board, theme)
        store.boards.set_theme(board.id, ids, theme_id)
        return theme_id


def _theme_for(store: Store, board: Board, theme: object) -> int:
    if isinstance(theme, int) and not isinstance(theme, bool):
        return _theme(store, board, theme)
    name = clean_text(theme, N_("Theme"), max_len=THEME_MAX, required=True)
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


# -- reveal: the facilitator's reference notes beside the group's items -------------------------


def set_revealed(store: Store, actor: Actor, board_id: object, revealed: bool) -> None:
    """Show (or hide again) the reference notes beside the group's items."""
    board = _facilitator(store, actor, board_id)
    store.boards.update_board(board.id, revealed=int(bool(revealed)))


def _point(board: Board, point: object) -> int:
    """A reference point's number on this board, checked."""
    if not board.reference_points:
        raise ValidationError(N_("Reference point"), msg("this board has no reference notes."))
    return clean_int(point, N_("Reference point"), low=0, high=len(board.reference_points) - 1)


def _raised_by(store: Store, actor: Actor, board: Board, item_id: object | None) -> int | None:
    """The id of an item on this board that raised a point (None: not raised), checked: one
    hidden or merged since the screen was drawn is refused, as the room could not see it."""
    if item_id is None:
        return None
    item_board, row = _item_row(store, actor, item_id)
    if item_board.id != board.id:
        raise NotFound(msg("That item does not exist on this board."))
    if row["status"] != SHOWN:
        raise Conflict(msg("This item is no longer on the board."))
    return row["id"]


def decide_match(store: Store, actor: Actor, board_id: object, point: object,
                 item_id: object | None) -> None:
    """Confirm or correct one reference point: raised by `item_id`, or not raised (None). Only a
    confirmed point shows to the room as raised (orgkit.board.view.reveal_lines)."""
    confirm_matches(store, actor, board_id, {point: item_id})


def confirm_matches(store: Store, actor: Actor, board_id: object,
                    decisions: dict[object, object | None]) -> None:
    """Confirm several points at once (point -> the item that raised it, None: not raised), as
    the facilitator's screen showed them: "confirm all the suggestions" in one click. Every
    point and item is checked first; then all are saved in one transaction, or none."""
    board = _facilitator(store, actor, board_id)
    checked = {_point(board, point): _raised_by(store, actor, board, item_id)
               for point, item_id in decisions.items()}
    if checked:
        store.boards.set_matches(board.id, checked)


def undo_match(store: Store, actor: Actor, board_id: object, point: object) -> None:
    """Take back the answer for one point: it is a suggestion again, hidden from the room."""
    board = _facilitator(store, actor, board_id)
    store.boards.delete_match(board.id, _point(board, point))


# -- the brainstorm feeds the map ---------------------------------------------------------------


def promote_item(store: Store, actor: Actor, item_id: object, map_id: object,
                 level: object, name: object = None) -> int:
    """Copy an item into a map as a new entry named `name` (default: the item's text, cut at
    ENTRY_NAME_MAX) at the chosen level (stage: identified).

    An entry of the same name (ignoring case) already on that map, promoted earlier or typed by
    the team, is named instead of doubled. The check and the insert hold the map's row."""
    _, row = _moderate(store, actor, item_id)
    level = clean_choice(level, N_("Level"), LEVELS)
    name = (clean_text(name, N_("Entry name"), max_len=ENTRY_NAME_MAX)
            or entry_name_for(row["text"]))
    return maps.add_entry_once(store, actor, _row_id(map_id, N_("Map")),
                               {"name": name, "level": level, "stage": "identified"})


