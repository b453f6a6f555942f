"""The "who holds power" step: the decision-makers over the room's issues, counted per office
with our best tie to each (coverage.room.power), never a person's name on a shared screen.

Projector: the office table. Phone: a team member's own decision-makers with our tie to each
(their own map), then the room's counts; anyone else the room's counts. Facilitator: the counts
and who is missing (teams without decision-makers, offices nobody of ours is near).
"""
from __future__ import annotations

from html import escape

import streamlit as st

from ..coverage import room
from ..coverage import service as coverage
from ..i18n import _, format_number
from ..session.model import Step
from . import step_print
from .identity import Context
from .step_parts import draw, heading, missing, note, ours, subheading, table, team, typed



def _office_table(view: room.PowerRoom, *, projected: bool) -> str:
    def cells(row: room.OfficeRow) -> list[str]:
        name = typed(row.office) if row.office else ours(row.label)
        counts = [format_number(n) for n in (row.decision_makers, *row.ties)]
        return [name, *counts, format_number(row.links)] if projected else [
            name, counts[0], _tie_summary(row)]

    if projected:
        headers = [_("Office"), _("Decision-makers"), *(_(label) for label in room.TIES.values()),
                   _("Links from our people")]
    else:
        headers = [_("Office"), _("Decision-makers"), _("Our ties")]
    return table(headers, [cells(r) for r in view.offices], cells(view.total))


def _tie_summary(row: room.OfficeRow) -> str:
    """"1 Strong · 2 Nobody near": the ties an office has, for a phone's narrow column."""
    return escape(" · ".join(_("{n} {tie}", n=format_number(n), tie=_(label))
                           for n, label in zip(row.ties, room.TIES.values()) if n))


def nothing_yet() -> str:
    return note(_("No decision-maker is on the teams’ maps yet."))


def projector(ctx: Context, step: Step) -> None:
    view = coverage.room_view(ctx.store, ctx.actor, "power")
    body = _office_table(view, projected=True) if view.total.decision_makers else nothing_yet()
    draw([heading(ctx, step), body], projected=True)


def phone(ctx: Context, step: Step) -> None:
    parts = [heading(ctx, step)]
    if (mine := team(ctx)) is not None:
        own = coverage.team_room_view(ctx.store, *mine, "power")
        parts.append(subheading(_("Your team")))
        parts.append(table([_("Decision-maker"), _("Office"), _("Our tie")],
                           [[typed(o.name), typed(o.office), ours(room.TIES[o.tie])] for o in own])
                     if own else note(_("No decision-makers on your map yet.")))
        parts.append(subheading(_("The room")))
    view = coverage.room_view(ctx.store, ctx.actor, "power")
    parts.append(_office_table(view, projected=False) if view.total.decision_makers
                 else nothing_yet())
    draw(parts, projected=False)


def facilitator(ctx: Context, step: Step) -> None:
    view = coverage.room_view(ctx.store, ctx.actor, "power")
    draw([_office_table(view, projected=False) if view.total.decision_makers else nothing_yet()],
         projected=False)
    missing(view.missing)
    st.caption(_("The projector shows offices and counts, never a person's name."))
    step_print.forum_questions(ctx)  # questions to put to the officials at a public forum
