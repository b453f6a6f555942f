"""The reveal step: the facilitator's reference points beside the room's items.

The step shows the board of the brainstorm it follows (orgkit.session.agenda.board_for); the
room's arrival at the step reveals that board's reference notes (orgkit.session.service.move).
The projector holds the board's first screen, which lists every point (raised ones with the item
that raised them) and then the room's ideas in the room the points leave, its foot counting the
ideas not on it (orgkit.board.view.projector_pages, `held`); a phone shows the points; the
facilitator has the board's controls (hide the notes again, phases) and confirms matches in the
board's Reveal section below.
"""
from __future__ import annotations

import streamlit as st

from ..bidi import isolate_html
from ..board import service as boards
from ..board.view import reveal_html
from ..domain import OrgKitError
from ..i18n import _
from ..markdown import escape
from ..session import service as sessions
from ..session.model import Step
from . import phone as phone_screens
from . import projector as projector_screen
from . import room
from .board_parts import board_controls
from .identity import Context
from .step_brainstorm import STEP_CONTROLS


def _board(ctx: Context, step: Step):
    if (board_id := sessions.step_board(ctx.store, ctx.actor, step)) is None:
        return None
    try:
        return boards.get_board(ctx.store, ctx.actor, board_id)
    except OrgKitError:  # deleted since
        return None


def projector(ctx: Context, step: Step) -> None:
    board = _board(ctx, step)
    if board is None:
        none = escape(_("No board to reveal."))  # outside the f-string, for Babel
        st.html(room.projector_html(escape(_("Reveal")),
                                    isolate_html(room.title(step, ctx.language)),
                                    f'<p class="ok-body">{none}</p>'))
        return
    projector_screen.live_board(ctx, board.id, projector_screen.join_block(ctx, board),
                                first_page=True)


def phone(ctx: Context, step: Step) -> None:
    st.subheader(escape(room.title(step, ctx.language)), anchor=False)
    board = _board(ctx, step)
    if board is None:
        return
    snap = boards.shared_snapshot(ctx.store, board.id, boards.revision(ctx.store, board.id))
    if snap.board.revealed and snap.reveal:
        st.html(phone_screens.PHONE_CSS + reveal_html(snap, ctx.language))
    else:
        st.info(_("The facilitator shows the reference points in a moment."))


def facilitator(ctx: Context, step: Step) -> None:
    board = _board(ctx, step)
    if board is None:
        st.warning(_("No brainstorm board comes before this step, so there is nothing to "
                     "reveal."))
        return
    if not board.reference_points:
        st.caption(_("This board has no reference notes to reveal."))
    st.caption(_("Confirm which points the room raised under Reveal, in Brainstorm boards "
                 "below."))
    board_controls(ctx, board, STEP_CONTROLS)
