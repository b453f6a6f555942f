"""What the board's screens share: the board in view, the controls of a running board (phase,
timer, lock, reveal: on the facilitator page and on an unlocked projector), and the callbacks
that run a core action from a button and keep its answer for the next draw.

Buttons that act on a field's value read it from st.session_state when clicked (`act_on`), never
from the value the page was drawn with; widgets that mirror the board carry the mirrored state in
their key. Every rule is checked again by orgkit.board.service; a refusal comes back as
OrgKitError and is kept, rendered, under "board_message" for the screen to show.
"""
from __future__ import annotations

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


def act(action, *args) -> None:
    """Run a core action from a button callback; keep its message for the next draw."""
    try:
        action(*args)
    except OrgKitError as exc:
        st.session_state["board_message"] = error_text(exc)


def act_on(widget_key: str, action, *args) -> None:
    """Like act, with the widget's value as the last argument, read when the button is clicked.

    A value bound into `args` is the one the page was drawn with: a field typed into and then
    left by clicking the button arrives in the same run as the click, after args were bound."""
    act(action, *args, st.session_state[widget_key])


def show_board_message() -> None:
    """The refusal kept by the last callback, once."""
    if message := st.session_state.pop("board_message", None):
        st.warning(escape(message))


def cut(text: str, limit: int = 70) -> str:
    """A person's text for a label, an option or a line: cut at `limit` characters, isolated
    (orgkit.bidi) so that it cannot reorder the words around it."""
    return isolate(text if len(text) <= limit else text[:limit - 1] + "…")


def board_controls(ctx: Context, board: Board, *, poll: bool = True) -> None:
    """Phase, timer, lock and reveal: on the facilitator page and on an unlocked projector.

    On the projector (poll) a fragment reads the board again every WATCH_S seconds, so the lock
    and reveal labels and the phase follow changes made in another tab. The facilitator page
    draws them with the page, which its own revision watch redraws (one poll, not two: every
    timed rerun is a moment a click can land in)."""
    if poll:
        _controls_live(ctx, board.id)
    else:
        _controls(ctx, board)


@st.fragment(run_every=WATCH_S)
def _controls_live(ctx: Context, board_id: int) -> None:
    try:
        board = boards.get_board(ctx.store, ctx.actor, board_id)
    except OrgKitError:
        st.warning(_("This board was deleted."))
        return
    show_board_message()  # a refused tap here reruns only this fragment: its message shows here
    _controls(ctx, board)


def _controls(ctx: Context, board: Board) -> None:
    key = f"ctl{board.id}"
    store, actor = ctx.store, ctx.actor
    # The phase is part of the key, so a change made elsewhere redraws the control with it; the
    # callback fires only when this person taps, never on a redraw.
    phase_key = f"{key}_phase_{board.phase}"
    st.segmented_control(_("Phase"), list(PHASES), format_func=lambda p: _(PHASES[p]),
                         default=board.phase, key=phase_key,
                         on_change=lambda: st.session_state[phase_key] and act(
                             boards.set_phase, store, actor, board.id,
                             st.session_state[phase_key]))
    minutes_col, start_col, stop_col = st.columns([2, 1, 1], vertical_alignment="bottom")
    minutes_col.number_input(_("Timer minutes"), board_model.TIMER_MIN_MINUTES,
                             board_model.TIMER_MAX_MINUTES, board_model.TIMER_DEFAULT_MINUTES,
                             key=f"{key}_min")
    start_col.button(_("Start timer"), key=f"{key}_start", on_click=act_on,
                     args=(f"{key}_min", boards.start_timer, store, actor, board.id))
    stop_col.button(_("Stop timer"), key=f"{key}_stop", on_click=act,
                    args=(boards.stop_timer, store, actor, board.id))
    lock_col, counts_col, reveal_col = st.columns(3)
    # The state is in the key and the args: the button drawn "Lock" can only lock.
    lock_col.button(_("Open the board") if board.locked else _("Lock the board"),
                    key=f"{key}_lock_{board.locked}", on_click=act,
                    args=(boards.set_locked, store, actor, board.id, not board.locked))
    counts_col.button(_("Show vote counts") if board.votes_hidden
                      else _("Hide vote counts"),
                      key=f"{key}_counts_{board.votes_hidden}", on_click=act,
                      args=(boards.set_votes_hidden, store, actor, board.id,
                            not board.votes_hidden))
    if board.reference_points:
        reveal_col.button(_("Hide the reference notes") if board.revealed
                          else _("Reveal the reference notes"),
                          key=f"{key}_reveal_{board.revealed}", on_click=act,
                          args=(boards.set_revealed, store, actor, board.id, not board.revealed))
