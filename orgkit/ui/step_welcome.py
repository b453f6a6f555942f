"""The welcome step: the join block and what the session is for.

The projector shows the step's title and text beside the workshop's join QR and code (the same
join block as the board's, naming no board: phones follow the room's step); a phone shows the
title and text in its reader's language; the facilitator gets the projector's link.
"""
from __future__ import annotations

import streamlit as st

from ..bidi import isolate_html
from ..board.view import _join_html
from ..i18n import _, pick_text
from ..markdown import escape
from ..session.model import Step
from . import projector as projector_screen
from . import room
from .identity import Context
from .setup import PROJECTOR


def projector(ctx: Context, step: Step) -> None:
    join = projector_screen.join_block(ctx, None)
    text = pick_text(step.text, ctx.language)
    body = f'<p class="ok-body">{isolate_html(text)}</p>' if text else ""
    if join.warning:
        body += f'<p class="ok-warn">{escape(_(join.warning))}</p>'
    st.html(room.projector_html(isolate_html(ctx.workshop.title),
                                isolate_html(room.title(step, ctx.language)), body,
                                _join_html(join, big=True, language=ctx.language)))


def phone(ctx: Context, step: Step) -> None:
    st.subheader(escape(room.title(step, ctx.language)), anchor=False)
    if text := pick_text(step.text, ctx.language):
        st.html(f'<p class="ok-answer" style="white-space:pre-wrap">{isolate_html(text)}</p>')
    st.caption(_("This page follows the session by itself: keep it open."))


def facilitator(ctx: Context, step: Step) -> None:
    st.caption(_("The projector shows the join code and QR with this step's text; every phone "
                 "follows each step by itself."))
    st.page_link(PROJECTOR, label=_("Open the projector"), icon=":material/present_to_all:",
                 query_params=ctx.link_params())
