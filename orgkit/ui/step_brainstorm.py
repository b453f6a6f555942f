"""The brainstorm step: today's board screens for the step's board (its phases collect, group,
vote and discuss stay the board's).

The room reaches the step with its board made (orgkit.session.service.move). On a phone the board
is the step's form (`phone_form`, drawn outside the live fragment by orgkit.ui.room, in the
container `dock` names after the board): an idea being typed survives the room moving on and
back, and the board a phone showed before the session started is the same container. The
projector shows the live board; the facilitator, the board's controls under the agenda.
"""
from __future__ import annotations

import streamlit as st

from ..bidi import isolate_html
from ..board import service as boards
from ..board.model import Board
from ..domain import OrgKitError
from ..i18n import _
from ..markdown import escape
from ..session.model import Step
from . import phone as phone_screens
from . import projector as projector_screen
from . import room
from .board_parts import board_controls
from .identity import Context

STEP_CONTROLS = "step_ctl"  # the key prefix of the board controls drawn under the agenda


def _board(ctx: Context, step: Step) -> Board | None:
    if not (board_id := step.content.get("board_id")):
        return None
    try:
        return boards.get_board(ctx.store, ctx.actor, board_id)
    except OrgKitError:  # deleted since
        return None


def dock(ctx: Context, step: Step) -> str | None:
    board_id = step.content.get("board_id")
    return f"board_{board_id}" if board_id else None


def phone_form(ctx: Context, step: Step) -> None:
    if (board := _board(ctx, step)) is not None:
        phone_screens.phone(ctx, board)


def phone(ctx: Context, step: Step) -> None:
    if _board(ctx, step) is None:
        st.info(_("This step's board is not there any more. Keep this page open."))


def projector(ctx: Context, step: Step) -> None:
    board = _board(ctx, step)
    if board is None:
        st.html(room.projector_html(escape(_("Brainstorm")),
                                    isolate_html(room.title(step, ctx.language)), ""))
        return
    projector_screen.live_board(ctx, board.id, projector_screen.join_block(ctx, board))


def facilitator(ctx: Context, step: Step) -> None:
    board = _board(ctx, step)
    if board is None:
        st.warning(_("This step's board was deleted. Remove the step, or add a brainstorm step "
                     "and move the room to it for a new board."))
        return
    st.caption(_("The board: {prompt}. Moderation, grouping and exports are under Brainstorm "
                 "boards below.", prompt=escape(board.prompt)))
    board_controls(ctx, board, STEP_CONTROLS)
