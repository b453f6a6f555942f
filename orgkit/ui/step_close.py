"""The close step: the room's commitments and what comes next.

- Projector: the commitment count (by kind) and what comes next: the step's own text when the
  facilitator wrote one, else ours. No names, no "with whom".
- Phone: the person's own commitments and "add to my calendar" (step_commitments' list, without
  edit: the commitments step is where they change).
- Facilitator: the one click that ends every table's handout access (step_tables), and the
  count.
"""
from __future__ import annotations

import html

import streamlit as st

from ..i18n import _, ngettext, pick_text
from ..session.model import Step
from . import step_commitments, step_tables
from .identity import Context

NEXT_CSS = """<style>
.ok-next {font-family:sans-serif; font-size:clamp(20px, 3.4vh, 52px); line-height:1.3;
  margin-top:3vh; white-space:pre-line; overflow-wrap:anywhere}
</style>"""


def what_comes_next(step: Step, language: str) -> str:
    """The facilitator's own words for what comes next, else ours."""
    return pick_text(step.text, language) or _(
        "What comes next: each team's lead follows up on its commitments in the coming weeks. "
        "Put yours in your calendar now.")


def projector(ctx: Context, step: Step) -> None:
    """The commitment count by kind, and what comes next."""
    if (view := step_commitments.room(ctx)) is None:
        return
    st.html(step_commitments.room_html(view, next_dates=False) + NEXT_CSS +
            f'<div class="ok-next">{html.escape(what_comes_next(step, ctx.language))}</div>')


def phone(ctx: Context, step: Step) -> None:
    """The person's own commitments and their calendar file."""
    if ctx.actor.participant_id is None:
        st.info(_("Thank you for coming."))
        return
    st.html(step_commitments.STEP_CSS)
    st.write(_("Thank you. Here is what you said you will do."))
    step_commitments.own_list(ctx, editable=False)


def facilitator(ctx: Context, step: Step) -> None:
    """The count, and the one click that ends every table's handout access."""
    if (view := step_commitments.room(ctx)) is None:
        return
    st.markdown(ngettext("**{n} commitment** made in the room.",
                         "**{n} commitments** made in the room.", view.total))
    step_tables.handouts_control(ctx)
