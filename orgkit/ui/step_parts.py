"""What the room's steps (power, engage, report back: step_power, step_engage,
step_report_back) draw alike: a table of counts as one HTML block (one element per poll, sized
for the projector or a phone), the step's title, the facilitator's "who is missing" hints, and
which team map a phone reads as its own.

Every cell is escaped here, and what a team typed (an office, a community, a team's name) is
bidi-isolated, so a right-to-left name cannot reorder the row around it.
"""
from __future__ import annotations

from html import escape

import streamlit as st

from ..bidi import isolate
from ..domain import Actor, Role
from ..i18n import Message, _, pick_text
from ..map import service as maps
from ..markdown import escape as md_escape
from ..session.model import STEP_KINDS, Step
from .identity import Context

# Projector type never goes under the room's floor (3.334 % of the window's height at 720 px and
# below, 2.6 % above: 24 px at 1280x720, 28 px at 1920x1080, as the board's: board.view), so the
# same table is read from the back at every size; a phone's stays at reading size. Projected, the
# block covers the window (fixed, as the board does), so Streamlit's own page never scrolls.
ROOM_CSS = """<style>
.ok-room{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.2;
  color:#111418}
.ok-room.ok-projected{font-size:2.6vh;position:fixed;inset:0;z-index:999;background:#fff;
  box-sizing:border-box;padding:2.5vh 3vw;overflow:hidden}
@media (max-height:720px){.ok-room.ok-projected{font-size:3.334vh}}
.ok-room.ok-phone{font-size:15px}
.ok-room h2{font-size:1.35em;margin:0 0 .25em;padding:0}
.ok-room h3{font-size:1.05em;margin:.45em 0 .1em;padding:0}
.ok-room table{border-collapse:collapse;width:100%}
.ok-room th,.ok-room td{padding:.1em .35em;border-bottom:1px solid #bbb;text-align:right}
.ok-room th:first-child,.ok-room td:first-child{text-align:left;width:36%}
.ok-room .ok-gaps th:nth-child(2),.ok-room .ok-gaps td:nth-child(2){text-align:left}
.ok-room.ok-phone th,.ok-room.ok-phone td{text-align:left}
.ok-room th{font-weight:600;vertical-align:bottom}
.ok-room tr.ok-total td{font-weight:700;border-top:2px solid #444}
.ok-room p{margin:.3em 0}
</style>"""


def typed(text: str) -> str:
    """What a team typed, as an HTML cell: escaped and bidi-isolated."""
    return escape(isolate(text))


def ours(text: Message | str) -> str:
    """Our own text (a literal already rendered, a marked id or a Message) as an HTML cell."""
    return escape(_(text))


def table(headers: list[str], rows: list[list[str]], total: list[str] | None = None,
          css: str = "") -> str:
    """A table of cells already made HTML (typed() or ours(), or numbers); `css`, its class."""
    head = "".join(f"<th>{ours(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    if total is not None:
        body += '<tr class="ok-total">' + "".join(f"<td>{cell}</td>" for cell in total) + "</tr>"
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def title(ctx: Context, step: Step) -> str:
    """The step's title in the reader's language, else its kind's name."""
    return pick_text(step.title, ctx.language) or _(STEP_KINDS[step.kind])


def draw(parts: list[str], *, projected: bool) -> None:
    """The step's block as one element (a poll re-emits one element, not one per row)."""
    kind = "ok-projected" if projected else "ok-phone"
    st.html(ROOM_CSS + f'<div class="ok-room {kind}">{"".join(parts)}</div>')


def heading(ctx: Context, step: Step) -> str:
    return f"<h2>{typed(title(ctx, step))}</h2>"


def subheading(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def note(text: str) -> str:
    """A line of our own text, already rendered (`_()`)."""
    return f"<p>{escape(text)}</p>"


def team(ctx: Context) -> tuple[Actor, int] | None:
    """Who this phone is on its own team's map, and the map: a team member's (its map link or
    code), or a participant's phone that joined its table through the handout (while the
    handouts are open)."""
    if ctx.role is Role.TEAM_MEMBER and ctx.map is not None:
        return ctx.actor, int(ctx.map["id"])
    if ctx.role is Role.PARTICIPANT and (member := maps.as_member(ctx.store, ctx.actor)):
        return member, int(member.map_id)
    return None


def missing(hints: tuple[Message, ...]) -> None:
    """The facilitator's "who is missing" hints, or that nothing is."""
    if not hints:
        st.caption(_("Who is missing: nobody, on what the maps record."))
        return
    st.markdown(_("**Who is missing**"))
    st.markdown("\n".join(f"- {md_escape(_(hint))}" for hint in hints))
