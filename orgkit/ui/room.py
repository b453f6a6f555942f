"""The room follows the facilitator's step: the dispatcher to each kind's screens, and what the
projector and the phones draw while a guided session runs.

Each step kind's screens are one module, `orgkit/ui/step_<kind>.py`, with `projector(ctx, step)`,
`phone(ctx, step)` and `facilitator(ctx, step)`; `screens(kind)` finds it (kind checked against
STEP_KINDS). A kind whose phone screen has a form a person types into may also define
`phone_form(ctx, step)`: the phone draws it at a full run, outside the live fragment, in a
container keyed by the step (`room_dock_<id>`) that stays mounted and is only hidden (CSS) while
the room is on another step. A step change therefore removes nothing a person is typing, not
even text still in a field with the cursor in it, which the browser has not sent yet; when the
room comes back to the step, the text is there.

Following costs a poll of the workshop's one revision (session.room: one indexed read) and the
step read once per revision for every session (session.room_step); the projector's fragment polls
every second, a phone's every PHONE_POLL_S, and neither reruns the page on a still poll.

A phone runs one poll at a time, never two. Its board (orgkit.ui.phone) has a live fragment of its
own, and so has the room; only one of them is drawn with `run_every` (`poller`): the board's while
no step is on (as before the agenda) or while the step on shows that board (a brainstorm), the
room's otherwise, the board then drawn without one (mounted and hidden, it has nothing to show).
Whichever polls watches for the moment the other should (the room reaching or leaving the board's
step, the session starting or ending) and then reruns the page, which draws both fragments again
with the poll moved: a page rerun at such a step change, not at a still poll, and one that keeps
every docked form (and the text in it) where it was. A phone also reruns the page when the room
reaches a step whose form it has not drawn (the brainstorm's board, made when the room first gets
there), which no typed text can be in yet.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

import streamlit as st

from ..board.model import Board
from ..board.wall import ANY_WALL
from ..i18n import _, pick_text
from ..session import service as sessions
from ..session.model import STEP_KINDS, Step
from .identity import Context

PROJECTOR_POLL_S = 1
PHONE_POLL_S = 10  # as the phone's board (orgkit.ui.phone): within the issue's ≤ 10 s
ROLES = ("projector", "phone", "facilitator")
DOCK = "room_dock"  # a step form's container key prefix, and the CSS class Streamlit gives it
ON_KEY = "room_on"  # whether a step was on when the phone's page was drawn
POLLER_KEY = "room_poller"  # the dock whose board polls for this page (None: the room's poll)
BOARD_KEY = "room_board"  # the board the phone's page shows while no step is on


def screens(kind: str) -> ModuleType | None:
    """The kind's screen module; None while it is not installed (a kind another part of the
    work brings)."""
    if kind not in STEP_KINDS:
        return None
    try:
        return importlib.import_module(f"{__package__}.step_{kind}")
    except ModuleNotFoundError:
        return None


def draw(ctx: Context, step: Step, role: str) -> None:
    """The step's screen for `role` (projector, phone or facilitator)."""
    module = screens(step.kind)
    if module is None:
        st.info(_("This step ({kind}) has no screen here yet.", kind=_(STEP_KINDS.get(
            step.kind, step.kind))))
        return
    getattr(module, role)(ctx, step)


def title(step: Step, language: str) -> str:
    """The step's title in the reader's language, else its kind's name (our words)."""
    return pick_text(step.title, language) or _(STEP_KINDS[step.kind])


# -- the projector --------------------------------------------------------------------------------

# A step's screen covers the window as the board's does (PROJECTOR_CSS's .ok-board, drawn by the
# projector page), in type that grows with the window and never goes under the room's floor (24
# px at 1280×720, 2.6 % of the height above): the text of a default step fits 1280×720 and
# 1920×1080 without scrolling.
STEP_CSS = """<style>
.ok-step{font-size:max(3.4vh,24.5px)}
.ok-step .ok-kicker{flex:none;color:#2b3340;font-weight:600}
.ok-step p,.ok-step dl,.ok-step dt,.ok-step dd{font-size:inherit !important}
.ok-step h1.ok-title{flex:none;font-size:2em !important;line-height:1.1;margin:0 0 0.2em;padding:0;
  font-weight:800;overflow-wrap:anywhere}
.ok-step .ok-body{white-space:pre-wrap;overflow-wrap:anywhere;margin:0 0 0.4em}
.ok-step dl{margin:0;display:flex;flex-direction:column;gap:0.45em}
.ok-step dt{font-weight:800;color:#1f4e9c} .ok-step dd{margin:0;overflow-wrap:anywhere}
.ok-step.ok-dense{font-size:max(2.8vh,24.2px)}
</style>"""


def projector_html(kicker: str, heading: str, body: str, side: str = "", *,
                   dense: bool = False) -> str:
    """A step's projector screen: a small line above (our words, escaped by the caller), the
    step's title, its body (HTML the caller escaped) and an optional side panel (the join QR)."""
    classes = "ok-board ok-step" + (" ok-dense" if dense else "")
    # The board's type unit (--u), which the join block's sizes are in, for a window of any size.
    return (f'{STEP_CSS}<div class="{classes}" style="{ANY_WALL.unit_css()}" role="main">'
            f'<div class="ok-main">'
            f'<div class="ok-kicker">{kicker}</div><h1 class="ok-title">{heading}</h1>'
            f'{body}</div>{side}</div>')


def on_projector(ctx: Context) -> bool:
    """Draw the room's step on the projector; False when no step is on (the caller draws the
    board, as before the agenda)."""
    now = sessions.current(ctx.store, ctx.actor)
    if now is None:
        return False
    draw(ctx, now[1], "projector")
    return True


# -- the phone ------------------------------------------------------------------------------------

def phone(ctx: Context, board: Board | None, board_screen: Callable[[Context, Board], None]
          ) -> None:
    """A participant's page under its title: the live step on top, the forms below.

    `board_screen(ctx, board)` draws the board's screen (orgkit.ui.phone), shown while no step
    is on, as before the agenda; it stays mounted, hidden, once a step is on, so an idea being
    typed survives the session's start."""
    now = sessions.current(ctx.store, ctx.actor)
    on = now is not None
    # Before the board's fragment is drawn: it reads them for its own poll (board_polls).
    st.session_state[ON_KEY] = on
    st.session_state[BOARD_KEY] = None if board is None else board.id
    drawn = set()
    if board is not None:
        drawn.add(f"board_{board.id}")
    if now is not None:
        # By step id, not position: a reordered agenda keeps every form where it was.
        steps = sorted(sessions.room_agenda(ctx.store, ctx.workshop.id, now[0].revision),
                       key=lambda step: step.id)
        drawn.update(name for step in steps
                     if (name := _dock(ctx, screens(step.kind), step)) is not None)
    st.session_state["room_docks"] = drawn
    st.session_state[POLLER_KEY] = poller(ctx, None if now is None else now[1])
    if board is not None:
        with st.container(key=f"{DOCK}_board_{board.id}"):
            board_screen(ctx, board)
    if now is not None:
        shown = {f"board_{board.id}"} if board is not None else set()
        for step in steps:
            module = screens(step.kind)
            if (name := _dock(ctx, module, step)) is not None and name not in shown:
                with st.container(key=f"{DOCK}_{name}"):
                    module.phone_form(ctx, step)
                shown.add(name)
    if on or board is None:
        board_id = None if board is None else board.id
        if st.session_state[POLLER_KEY] is None:
            _phone_live_polled(ctx, board_id)
        else:
            _phone_live_still(ctx, board_id)
    else:
        _show_dock(f"board_{board.id}")


def poller(ctx: Context, step: Step | None) -> str | None:
    """The dock whose board's fragment polls while `step` is on (None: no step), or None when
    the room's fragment polls: the page's board while no step is on, the step's board while it
    shows one this page has drawn; otherwise the room."""
    if step is None:
        board_id = st.session_state.get(BOARD_KEY)
        return None if board_id is None else f"board_{board_id}"
    name = _dock(ctx, screens(step.kind), step)
    if name is not None and name.startswith("board_") and name in st.session_state.get(
            "room_docks", ()):
        return name
    return None


def board_polls(board_id: int) -> bool:
    """Whether the board's fragment on this phone's page polls (see the module's docstring);
    a page the room did not draw (no key yet) keeps the board's own poll."""
    return st.session_state.get(POLLER_KEY, f"board_{board_id}") == f"board_{board_id}"


def board_poll_watch(ctx: Context) -> None:
    """Called by the board's phone poll: redraw the page when the poll should move to the room
    (the session started, or the room left this board's step) or the session ended since the
    page was drawn (one indexed read and the step, read once per revision)."""
    now = sessions.current(ctx.store, ctx.actor)
    step = None if now is None else now[1]
    if ((now is not None) != st.session_state.get(ON_KEY, False)
            or poller(ctx, step) != st.session_state.get(POLLER_KEY)):
        st.rerun(scope="app")


def _dock(ctx: Context, module: ModuleType | None, step: Step) -> str | None:
    """The name of the step's form container (a kind's `dock(ctx, step)`, e.g. a brainstorm
    names its board, so the board drawn before the session is the same one); None: no form."""
    if module is None or not hasattr(module, "phone_form"):
        return None
    return module.dock(ctx, step) if hasattr(module, "dock") else f"step_{step.id}"


def _phone_live(ctx: Context, board_id: int | None) -> None:
    """The room's live part on a phone: the step's screen, and which docked form shows."""
    now = sessions.current(ctx.store, ctx.actor)
    if now is None:
        if st.session_state.get(ON_KEY):
            st.rerun(scope="app")  # the session ended: the board's poll takes over
        _show_dock(None if board_id is None else f"board_{board_id}")
        if board_id is None:
            st.info(_("The facilitator has not opened a board yet. Keep this page open."))
        return
    step = now[1]
    name = _dock(ctx, screens(step.kind), step)
    if name is not None and name not in st.session_state.get("room_docks", ()):
        st.rerun(scope="app")  # a form this page has not drawn yet (a board made just now)
    if poller(ctx, step) != st.session_state.get(POLLER_KEY):
        st.rerun(scope="app")  # the room reached the board's step: its board polls from now
    _show_dock(name, step.id)
    draw(ctx, step, "phone")


# One body, two fragments with the same id (the same function at the same place on the page):
# the page draws the one that fits who polls (poller), so exactly one fragment polls.
_phone_live_polled = st.fragment(_phone_live, run_every=PHONE_POLL_S)
_phone_live_still = st.fragment(_phone_live)


def _show_dock(shown: str | None, step_id: int | None = None) -> None:
    """Hide every form but the current step's (hidden, not removed: see the docstring). The
    step's id is on the style (benchmarks/room_load.py reads which step a phone shows)."""
    keep = "" if shown is None else f":not(.st-key-{DOCK}_{shown})"
    st.html(f'<style data-room-step="{step_id or 0}">[class*="st-key-{DOCK}_"]{keep}'
            '{display:none}</style>')
