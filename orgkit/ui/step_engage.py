"""The "engage and involve" step: the engagement actions the teams planned, per kind, with the
next date of each (coverage.room.engage): kinds, counts and dates, never an action's title or
the people it involves on a shared screen.

Projector: the kinds table. Phone: a team member's own planned actions (their map), then the
room's counts; anyone else the room's counts. Facilitator: the counts and who is missing (teams
with nothing planned).
"""
from __future__ import annotations

from html import escape

import streamlit as st

from ..coverage import room
from ..coverage import service as coverage
from ..domain import ACTION_KINDS
from ..i18n import _, format_date, format_number
from ..session.model import Step
from . import step_print
from .identity import Context
from .step_parts import draw, heading, missing, note, ours, subheading, table, team, typed


def _kinds_table(view: room.EngageRoom, *, projected: bool) -> str:
    def cells(row: room.KindRow) -> list[str]:
        shown = [ours(ACTION_KINDS[row.kind]), format_number(row.planned),
                 escape(format_date(row.next_on)) if row.next_on else "–"]
        return [*shown, format_number(row.overdue), format_number(row.done)] if projected \
            else shown

    headers = [_("Action"), _("Planned"), _("Next date")]
    if projected:
        headers += [_("Overdue"), _("Done")]
    total = sum(r.planned for r in view.kinds)
    return table(headers, [cells(r) for r in view.kinds],
                 [ours(_("All actions")), format_number(total), ""]
                 + ([format_number(sum(r.overdue for r in view.kinds)),
                     format_number(sum(r.done for r in view.kinds))] if projected else []))


def projector(ctx: Context, step: Step) -> None:
    view = coverage.room_view(ctx.store, ctx.actor, "engage")
    draw([heading(ctx, step), _kinds_table(view, projected=True)], projected=True)


def phone(ctx: Context, step: Step) -> None:
    parts = [heading(ctx, step)]
    if (mine := team(ctx)) is not None:
        own = coverage.team_room_view(ctx.store, *mine, "engage")
        parts.append(subheading(_("Your team")))
        parts.append(table([_("Action"), _("What"), _("Date")],
                           [[ours(ACTION_KINDS[a.kind]), typed(a.title),
                             escape(format_date(a.due_on)) if a.due_on else "–"] for a in own])
                     if own else note(_("No action planned on your map yet.")))
        parts.append(subheading(_("The room")))
    view = coverage.room_view(ctx.store, ctx.actor, "engage")
    parts.append(_kinds_table(view, projected=False))
    draw(parts, projected=False)


def facilitator(ctx: Context, step: Step) -> None:
    view = coverage.room_view(ctx.store, ctx.actor, "engage")
    draw([_kinds_table(view, projected=False)], projected=False)
    missing(view.missing)
    st.caption(_("The projector shows kinds, counts and dates, never an action's title."))
    step_print.forum_questions(ctx)  # a question at a candidate forum is an engagement action
