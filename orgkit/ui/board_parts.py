"""What the board's screens share: the board in view, the facilitator's controls of a running
board (phase, timer, lock, vote counts, reveal), and the callbacks that run a core action from a
button and say what came of it.

A control is a button that carries what it will do: the phase it names, or the state its label
promises ("Lock the board" can only lock, so its key carries the state it was drawn in). A button
sends a click once and never a value of its own, so no rerun, second tab or redraw under a new key
can replay an old choice. A segmented control did: redrawn under a new key when the phase moved,
the browser sent its value back as a change and on_change set the phase it was drawn with. Only
the facilitate page has controls; the projector is for the room.

Buttons that act on a field's value read it from st.session_state when clicked (`act_on`), never
from the value the page was drawn with. Every rule is checked again by orgkit.board.service; what
came of a click (done, or refused and why) is kept under the control's slot and shown beside the
control (`said`), or, without a slot, under "board_message" at the top of the board.
"""
from __future__ import annotations

import time

import streamlit as st

from ..bidi import isolate
from ..board import model as board_model
from ..board import service as boards
from ..board.model import Board
from ..domain import PHASES, OrgKitError
from ..i18n import N_, _
from ..markdown import escape
from .forms import error_text, show_error
from .identity import Context

WATCH_S = 3  # how often an open facilitator screen checks the board's revision
SAID_S = 30  # how long "done" stays beside a control (a refusal stays until the next click)

# What an author (and the facilitator's item lists) read about each item's status.
ITEM_STATUS = {board_model.SHOWN: N_("on the board"),
               board_model.PENDING: N_("waiting for the facilitator's approval"),
               board_model.HIDDEN: N_("hidden by the facilitator"),
               board_model.MERGED: N_("merged into a similar item")}


def chosen_board(ctx: Context) -> Board | None:
    """The board named by the `board` query parameter, else the workshop's newest board.

    A bad or unknown `board` parameter is answered with its message and the page stops."""
    wanted = st.query_params.get("board")
    try:
        if wanted:
            return boards.get_board(ctx.store, ctx.actor, wanted)
        return boards.latest_board(ctx.store, ctx.actor)
    except OrgKitError as exc:
        show_error(exc)
        st.stop()


def act(action, *args, slot: str | None = None, done: str | None = None) -> bool:
    """Run a core action from a button callback; True when it was done. With a slot, what came
    of it (`done`, or the refusal) is shown beside the control by `said(slot)`; without one, a
    refusal is kept for the top of the board (show_board_message)."""
    try:
        action(*args)
    except OrgKitError as exc:
        if slot is None:
            st.session_state["board_message"] = error_text(exc)
        else:
            tell(slot, error_text(exc), ok=False)
        return False
    if slot is not None and done is not None:
        tell(slot, done)
    return True


def tell(slot: str, text: str, *, ok: bool = True) -> None:
    """Keep what a click did (or why it was refused) for `said(slot)` beside its control."""
    st.session_state[f"said_{slot}"] = (time.time(), ok, text)


def act_on(widget_key: str, action, *args, **where) -> bool:
    """Like act, with the widget's value as the last argument, read when the button is clicked.

    A value bound into `args` is the one the page was drawn with: a field typed into and then
    left by clicking the button arrives in the same run as the click, after args were bound."""
    return act(action, *args, st.session_state[widget_key], **where)


def said(slot: str) -> None:
    """What the last click on this slot's control did, beside it: done (with the time, for
    SAID_S seconds) or refused and why (until the next click)."""
    with st.container(key=f"said_{slot}"):
        kept = st.session_state.get(f"said_{slot}")
        if kept is None:
            return
        at, ok, text = kept
        if not ok:
            st.warning(escape(text), icon=":material/block:")
        elif time.time() - at < SAID_S:
            st.caption(_(":material/check_circle: {done} · {time}", done=escape(text),
                         time=time.strftime("%H:%M:%S", time.localtime(at))))


def show_board_message() -> None:
    """The refusal kept by the last callback, once."""
    if message := st.session_state.pop("board_message", None):
        st.warning(escape(message))


def cut(text: str, limit: int = 70) -> str:
    """A person's text for a label, an option or a line: cut at `limit` characters, isolated
    (orgkit.bidi) so that it cannot reorder the words around it."""
    return isolate(text if len(text) <= limit else text[:limit - 1] + "…")


def board_controls(ctx: Context, board: Board, prefix: str = "ctl") -> None:
    """Phase, timer, lock, vote counts and reveal, each with what its last click did beside it.

    Drawn with the facilitate page, which its revision watch redraws when the board moves; a
    second set on the same page (the agenda's step) has its own `prefix` for its keys."""
    key = f"{prefix}{board.id}"
    store, actor = ctx.store, ctx.actor
    st.markdown(_("**Phase**"))
    for column, phase in zip(st.columns(len(PHASES)), PHASES):
        # One button per phase, naming it: a click sets that phase and nothing else.
        column.button(_(PHASES[phase]), key=f"{key}_phase_{phase}", width="stretch",
                      type="primary" if phase == board.phase else "secondary",
                      on_click=act, args=(boards.set_phase, store, actor, board.id, phase),
                      kwargs={"slot": f"{key}_phase",
                              "done": _("Phase set to {phase}.", phase=_(PHASES[phase]))})
    said(f"{key}_phase")
    minutes_col, start_col, stop_col = st.columns([2, 1, 1], vertical_alignment="bottom")
    minutes_col.number_input(_("Timer minutes"), board_model.TIMER_MIN_MINUTES,
                             board_model.TIMER_MAX_MINUTES, board_model.TIMER_DEFAULT_MINUTES,
                             key=f"{key}_min")
    timer = {"slot": f"{key}_timer"}
    start_col.button(_("Start timer"), key=f"{key}_start", on_click=act_on,
                     args=(f"{key}_min", boards.start_timer, store, actor, board.id),
                     kwargs={**timer, "done": _("Timer started.")})
    stop_col.button(_("Stop timer"), key=f"{key}_stop", on_click=act,
                    args=(boards.stop_timer, store, actor, board.id),
                    kwargs={**timer, "done": _("Timer stopped.")})
    said(f"{key}_timer")
    lock_col, counts_col, reveal_col = st.columns(3)
    # Each key carries the state the button was drawn in, and its args the state it promises:
    # a click on "Lock" that arrives after the board was locked elsewhere can only lock.
    with lock_col:
        st.button(_("Open the board") if board.locked else _("Lock the board"),
                  key=f"{key}_lock_{board.locked}", on_click=act,
                  args=(boards.set_locked, store, actor, board.id, not board.locked),
                  kwargs={"slot": f"{key}_lock", "done": _("Board opened.") if board.locked
                          else _("Board locked: no new items, edits or votes.")})
        said(f"{key}_lock")
    with counts_col:
        hidden = board.hide_counts
        st.button(_("Show vote counts while voting") if hidden
                  else _("Hide vote counts until the vote closes"),
                  key=f"{key}_counts_{hidden}", on_click=act,
                  args=(boards.set_votes_hidden, store, actor, board.id, not hidden),
                  kwargs={"slot": f"{key}_counts",
                          "done": _("Vote counts show while people vote.") if hidden
                          else _("Vote counts hidden until Discuss.")})
        said(f"{key}_counts")
    if board.reference_points:
        with reveal_col:
            st.button(_("Hide the reference notes") if board.revealed
                      else _("Reveal the reference notes"),
                      key=f"{key}_reveal_{board.revealed}", on_click=act,
                      args=(boards.set_revealed, store, actor, board.id, not board.revealed),
                      kwargs={"slot": f"{key}_reveal",
                              "done": _("Reference notes hidden.") if board.revealed
                              else _("Reference notes revealed.")})
            said(f"{key}_reveal")
