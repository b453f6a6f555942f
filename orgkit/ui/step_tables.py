"""The tables step: each team fills its map's worksheet from its phones.

- Phone: "scan your table's handout or type its code"; a phone becomes a member of a map only
  by that map's handout code (orgkit.map.service.join_by_handout: a map holds contact details),
  then shows that team's map as the map page draws it on a phone: what to add next and the entry
  form (orgkit.ui.map_page / map_entries), as the step's docked form (`phone_form`: an entry
  being typed survives the room moving on). The phone stays a member for the workshop, so the
  commitments step knows its team. A scanned handout brings the code in the address
  (`table=<code>`, orgkit.ui.handouts.handout_url): the phone joins at once, or is told why not
  (the tables' codes closed, a wrong code) at every poll until the code works or is typed anew.
- Projector: the tables' progress, entries per level per team against their targets, as one
  HTML block built once per change of any map (coverage.service.load_workshop's shared view):
  team names only, never a person's.
- Facilitator: how many tables' codes are open, and the one click that ends them all (the
  map's private link, which each team's lead keeps, still works); reopening sits behind an
  expander, away from where a second tap of the first click would land.
"""
from __future__ import annotations

import dataclasses
import html

import streamlit as st

from ..coverage import service as coverage
from ..domain import CODE_TYPED_MAX, LEVELS, MAP_CODE_LENGTH, SHORT_LEVELS, OrgKitError
from ..i18n import _, ngettext
from ..map import service as maps
from ..session.model import Step
from . import handouts, map_entries, map_page, step_parts
from .forms import show_error
from .identity import Context

# -- projector ---------------------------------------------------------------------------------

# In the room block's type (step_parts.ROOM_CSS: never under the room's floor on the projector),
# each team a card wide enough for its level names, its bars and its counts.
PROGRESS_CSS = """<style>
.ok-tables {display:grid; grid-template-columns:repeat(auto-fill, minmax(17em, 1fr));
  gap:.5em 1em; margin-top:.3em}
.ok-table {background:#f3f5f9; border-radius:12px; padding:.35em .6em}
.ok-room .ok-table h3 {margin:0 0 .15em 0; overflow:hidden; text-overflow:ellipsis;
  white-space:nowrap}
.ok-level {display:grid; grid-template-columns:minmax(0, 8.5em) 1fr 3em; align-items:center;
  gap:.4em; margin:.1em 0}
.ok-bar {height:.55em; min-height:10px; background:#dde3ee; border-radius:6px; overflow:hidden}
.ok-bar span {display:block; height:100%; background:#2f6fdf}
.ok-count {text-align:right; font-variant-numeric:tabular-nums}
</style>"""


def progress_html(view: dict) -> str:
    """Every team's entries per level against its target (team names escaped; no person's)."""
    if not view["maps"]:
        return step_parts.note(_("No team maps yet."))
    cards = []
    for team in view["maps"]:
        rows = []
        for level in LEVELS:
            done, target = team["coverage"][level]["total"], team["coverage"][level]["target"]
            width = 100 if target and done >= target else (100 * done // target if target
                                                           else min(100, done * 10))
            count = f"{done}/{target}" if target else str(done)
            rows.append(f'<div class="ok-level"><span>{html.escape(_(SHORT_LEVELS[level]))}'
                        f'</span><div class="ok-bar"><span style="width:{width}%"></span></div>'
                        f'<span class="ok-count">{count}</span></div>')
        cards.append(f'<div class="ok-table"><h3>{step_parts.typed(team["name"])}</h3>'
                     f'{"".join(rows)}</div>')
    return f'<div class="ok-tables">{"".join(cards)}</div>'


def projector(ctx: Context, step: Step) -> None:
    """The step's title and the tables' progress as the room's projected block (step_parts),
    the progress built once per maps' revision and language."""
    view = coverage.load_workshop(ctx.store, ctx.actor)
    block = view.setdefault("tables_html", {})  # kept with the shared view, per language
    if ctx.language not in block:
        block[ctx.language] = PROGRESS_CSS + progress_html(view)
    step_parts.draw([step_parts.heading(ctx, step), block[ctx.language]], projected=True)


# -- phone -------------------------------------------------------------------------------------

MAP_DRAWN = "tables_map_drawn"  # (map id, revision) of the team map this page drew, or None


def _membership(ctx: Context) -> tuple[int, int] | None:
    """(map id, revision) of the map this phone is a member of while its handout is open."""
    row = None if ctx.actor.participant_id is None else maps.member_of(ctx.store, ctx.actor)
    return None if row is None or not row["handout_open"] else (row["id"], row["revision"])


def phone_form(ctx: Context, step: Step) -> None:
    """A member's team map, drawn by the room outside the poll and kept mounted (hidden) while
    the room is on another step: an entry being typed at the table survives the room moving
    on, as the board's idea does (orgkit.ui.room)."""
    drawn = _membership(ctx)
    st.session_state[MAP_DRAWN] = drawn
    if drawn is not None:
        member = maps.as_member(ctx.store, ctx.actor)
        team_map(dataclasses.replace(ctx, actor=member, map=None))


def phone(ctx: Context, step: Step) -> None:
    """Join the table by its handout code; a member's map is the step's form (phone_form),
    which this poll has the page redraw when it changed (an entry from another phone at the
    table, the phone just joined, the handouts ended): a rerun that keeps what is typed."""
    if ctx.actor.participant_id is None:
        st.info(_("Join the workshop with its code first."))
        return
    # (Only once phone_form has run: a page without it must not rerun for ever.)
    if MAP_DRAWN in st.session_state and _membership(ctx) != st.session_state[MAP_DRAWN]:
        st.rerun(scope="app")
    if st.session_state.get(MAP_DRAWN) is None:
        join_table(ctx)


def join_table(ctx: Context) -> None:
    """The handout's code, typed or brought by its QR (`table=`), makes this phone a member."""
    joined = maps.member_of(ctx.store, ctx.actor)
    if joined is not None and not joined["handout_open"]:
        st.info(_("The tables' codes are closed. Your team's lead has the map's link."))
        return
    st.subheader(_("Scan your table's handout or type its code"))
    brought = st.query_params.get(handouts.TABLE_PARAM)
    typed = st.text_input(_("Table code"), max_chars=CODE_TYPED_MAX, key="table_code_field",
                          placeholder=_("e.g. {code}", code="K7PX-3MQR"),
                          help=_("The {n}-character code on your table's handout.",
                                 n=MAP_CODE_LENGTH))
    clicked = st.button(_("Join my table"), type="primary", key="table_code_submit",
                        width="stretch")
    if not (clicked or brought):
        return
    try:
        maps.join_by_handout(ctx.store, ctx.actor, typed if clicked else brought)
    except OrgKitError as exc:
        show_error(exc)
        return
    # Kept while refused, so a phone that scanned before the codes were reopened joins then.
    st.query_params.pop(handouts.TABLE_PARAM, None)
    st.rerun()


def team_map(ctx: Context) -> None:
    """The team's map as a phone at the table fills it: what to add next and the entry form."""
    ctx.map = {"id": ctx.actor.map_id}
    view = map_page.load(ctx)  # one read with the map's access check (a member of this map)
    st.html(map_page.MAP_CSS)
    counts = {level: sum(e["level"] == level for e in view.entries) for level in LEVELS}
    suggested = map_page.header(ctx, counts)
    map_page.progress(ctx, counts)
    map_entries.entry_form(ctx, view, suggested)


# -- facilitator -------------------------------------------------------------------------------

def facilitator(ctx: Context, step: Step) -> None:
    """How many tables' codes are open, the one click that ends them, and every table's
    worksheet with its handout code to print."""
    handouts_control(ctx)
    handouts.print_all(ctx, prefix="tables_handouts")


def handouts_control(ctx: Context) -> None:
    """End every table's handout access in one click (the close step has it too)."""
    try:
        is_open, total = maps.open_handouts(ctx.store, ctx.actor)
    except OrgKitError as exc:
        show_error(exc)
        return
    if not total:
        st.caption(_("No team maps yet: create them under Team maps."))
        return
    if is_open:
        st.caption(ngettext("{n} table's code is open: phones join its map with it.",
                            "{n} tables' codes are open: phones join their maps with them.",
                            is_open))
        if st.button(_("End every table's handout access"), key="tables_end_handouts",
                     icon=":material/lock:"):
            _set_handouts(ctx, False)
        st.caption(_("Each team's private link, which its lead keeps, still opens its map."))
        return
    st.success(_("Every table's code is closed. Each team's private link still opens its map."))
    with st.expander(_("Closed them by mistake?"), key="tables_reopen_panel"):
        if st.button(_("Open the tables' codes again"), key="tables_reopen_handouts"):
            _set_handouts(ctx, True)


def _set_handouts(ctx: Context, is_open: bool) -> None:
    try:
        maps.set_handouts_open(ctx.store, ctx.actor, is_open)
    except OrgKitError as exc:
        show_error(exc)
        return
    st.rerun()
