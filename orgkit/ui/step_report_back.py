"""The "report back" step: the room's coverage per level against the teams' targets and the top
gaps across the maps (coverage.room.report_back), each said by level or community, never by a
person's name.

Projector and phone: both tables (the phone's narrower). Facilitator: the same, and who is
missing (teams with nobody at a level yet).
"""
from __future__ import annotations

import streamlit as st

from ..coverage import room
from ..coverage import service as coverage
from ..coverage.model import GAP_KINDS
from ..domain import SHORT_LEVELS
from ..i18n import _, format_number
from ..session.model import Step
from .identity import Context
from .step_parts import draw, heading, missing, note, ours, subheading, table, typed


def _levels_table(view: room.ReportRoom, *, projected: bool) -> str:
    """Per level: on the maps and the target; projected also with a relationship and engaged or
    committed (a phone's 360 px hold three columns)."""
    headers = [_("Level"), _("On the maps"), _("Target")]
    if projected:
        headers += [_("With a relationship"), _("Engaged or committed")]
    rows = [[ours(SHORT_LEVELS[r.level]), format_number(r.entries), format_number(r.target),
             *([format_number(r.ours), format_number(r.engaged)] if projected else [])]
            for r in view.levels]
    return table(headers, rows)


def _where(row: room.GapRow) -> str:
    if row.community:
        return typed(row.community)
    return ours(SHORT_LEVELS[row.level]) if row.level else ours(_("Across levels"))


def _gaps_table(view: room.ReportRoom, *, projected: bool) -> str:
    if not view.gaps:
        return note(_("No gaps found on the maps."))
    headers = [_("Gap"), _("Where"), _("How many")]
    if projected:
        headers.append(_("Teams"))
    return table(headers, [[ours(GAP_KINDS[g.kind]), _where(g), format_number(g.count),
                            *([format_number(g.teams)] if projected else [])]
                           for g in view.gaps], css="ok-gaps")


def _parts(view: room.ReportRoom, *, projected: bool) -> list[str]:
    return [subheading(_("Coverage")), _levels_table(view, projected=projected),
            subheading(_("Top gaps")), _gaps_table(view, projected=projected)]


def projector(ctx: Context, step: Step) -> None:
    view = coverage.room_view(ctx.store, ctx.actor, "report_back")
    draw([heading(ctx, step), *_parts(view, projected=True)], projected=True)


def phone(ctx: Context, step: Step) -> None:
    view = coverage.room_view(ctx.store, ctx.actor, "report_back")
    draw([heading(ctx, step), *_parts(view, projected=False)], projected=False)


def facilitator(ctx: Context, step: Step) -> None:
    view = coverage.room_view(ctx.store, ctx.actor, "report_back")
    draw(_parts(view, projected=False), projected=False)
    missing(view.missing)
    st.caption(_("Gaps are said by level or community on the projector, never by a person."))
