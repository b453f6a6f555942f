"""The facilitator's team maps: create one, and hand each out at its table.

Each map's handout is a QR code of its handout link (the join page with the workshop's code and
the map's code as `table=`: a scan joins the workshop and, at the tables step, the table's map)
and that short code a person can type, drawn large enough to read off a phone held up at the
table. The QR never carries the map's private link: ending the handouts (orgkit.ui.step_tables)
then stops a scanned QR as it stops a typed code, while the private link, shown on this screen
apart for the team's lead, keeps working.
All of them print at once (one page per team, with the worksheet's three questions: orgkit/map/
templates/handouts.html). This screen is often mirrored to the projector: a handout stays hidden
until its own expander (or the printable document, its toggle) is opened (lazily: a closed one
sends nothing), and the facilitator's own link to a map carries only the map's id, which grants
nothing without this session's unlock.
"""
from __future__ import annotations

import functools

import streamlit as st

from ..domain import LEVELS, OrgKitError
from ..i18n import _
from ..map import service as maps
from ..map import worksheet
from ..markdown import escape
from ..workshop import model as workshop_model
from .forms import show_error, submission_key
from .identity import Context
from .links import join_url, page_url, qr_data_uri, qr_image
from .map_parts import target_inputs
from .setup import MAP

TABLE_PARAM = "table"  # the handout link's map code: /join?code=<join code>&table=<map code>


def facilitator_maps(ctx: Context) -> None:
    """The workshop's team maps, each with its handout, and the form that creates one."""
    st.subheader(_("Team maps"))
    created = st.session_state.pop("created_map", None)
    if created:
        st.success(_("Created {name}. Open its handout below to give it to the team.",
                     name=escape(created)))
    team_maps = maps.team_maps(ctx.store, ctx.actor)
    for team_map in team_maps:
        st.page_link(MAP, label=escape(team_map["name"]), icon=":material/hub:",
                     query_params={"code": ctx.workshop.join_code, "m": str(team_map["id"])})
        hand = st.expander(_("Hand out at the table: QR code and map code"), on_change="rerun",
                           key=f"reveal_link_{team_map['id']}")
        if hand.open:
            with hand:
                _handout(ctx, team_map["id"])
    st.caption(_("Give each team its map: they scan the QR code or type the map code. Anyone "
                 "with either can edit that map and see its contact details."))
    if team_maps:
        print_all(ctx)
    # Not clear_on_submit: the browser would empty the fields at once, and the second click of
    # a double click would send an empty name. The form gets a new key after each map instead.
    made = st.session_state.get("create_map_made", 0)
    form = f"create_map_{made}"  # its fields' keys too, so they start empty with it
    with st.form(form):
        name = st.text_input(_("Team name"), key=f"{form}_name")
        issue = st.text_input(_("Their issue"), key=f"{form}_issue")
        goals = target_inputs(lambda level: _("Target: {level}", level=_(LEVELS[level]).lower()),
                              f"{form}_target")
        if st.form_submit_button(_("Create team map"), key=f"{form}_submit"):
            try:
                created = maps.create_map(
                    ctx.store, ctx.actor, name, issue, goals,
                    submission_key("create_map", (name, issue, tuple(goals.items()))))
            except OrgKitError as exc:
                show_error(exc)
            else:
                st.session_state["created_map"] = created["name"]
                st.session_state["create_map_made"] = made + 1
                st.rerun()


def print_all(ctx: Context, prefix: str = "handouts") -> None:
    """Every team's handout in one document to print, one page per team: a download (built
    when clicked) and, behind a toggle (this screen may be on the projector), the document on
    the page with its own print button. `prefix` keys the widgets (the tables step draws them
    on the same page as the team maps' section)."""
    left, right = st.columns([1, 1], vertical_alignment="center")
    left.download_button(_("Download all handouts to print (HTML)"), on_click="ignore",
                         data=functools.partial(_all_handouts, ctx), mime="text/html",
                         file_name=f"handouts-{ctx.workshop.join_code}.html",
                         icon=":material/print:", key=f"{prefix}_download")
    if right.toggle(_("Show all handouts to print"), key=f"{prefix}_show"):
        try:
            document = _all_handouts(ctx)
        except OrgKitError as exc:
            show_error(exc)
            return
        # Our own template with every value escaped (orgkit.templates): safe in an iframe.
        st.iframe(document, height=900)


def print_table(ctx: Context, map_id: int) -> None:
    """One table's worksheet with its map's QR code and map code, to print (built when
    clicked): what the tables step hands each team."""
    st.download_button(_("Download this table's worksheet to print (HTML)"), on_click="ignore",
                       data=functools.partial(_all_handouts, ctx, [map_id]), mime="text/html",
                       file_name=f"handout-{ctx.workshop.join_code}-{map_id}.html",
                       icon=":material/print:", key=f"handout_download_{map_id}")


def _all_handouts(ctx: Context, map_ids: list[int] | None = None) -> str:
    teams = []
    for map_id in map_ids or [m["id"] for m in maps.team_maps(ctx.store, ctx.actor)]:
        row = maps.handout(ctx.store, ctx.actor, map_id)
        teams.append({"name": row["name"], "issue": row["issue"],
                      "qr": qr_data_uri(handout_url(ctx, row)),
                      "code": workshop_model.format_map_code(row["short_code"]),
                      "address": page_url("map")})
    return worksheet.handouts(ctx.workshop.title, teams, ctx.language)


def _handout(ctx: Context, map_id: int) -> None:
    try:
        row = maps.handout(ctx.store, ctx.actor, map_id)
    except OrgKitError as exc:
        show_error(exc)
        return
    code = workshop_model.format_map_code(row["short_code"])
    qr_col, code_col = st.columns([1, 1], vertical_alignment="center")
    qr_col.html(qr_image(handout_url(ctx, row),
                         _("QR code of the map of {name}", name=row["name"])))
    # The code is from our own alphabet (letters, digits, a dash): nothing to escape.
    code_col.markdown(_("Map code\n# {code}", code=code))
    code_col.caption(_("Scan the QR code with the phone's camera, or open {address} and type the "
                       "map code.", address=escape(page_url("map"))))
    st.caption(_("For the team's lead only: the map's private link, which keeps working after "
                 "the tables' codes are closed."))
    st.code(page_url("map", map=row["link_token"]), language=None, wrap_lines=True)


def handout_url(ctx: Context, row: dict) -> str:
    """What a map's handout QR opens: the join page with the workshop's code and the map's
    handout code (`table=`, read by the tables step), never the map's private link."""
    return join_url(code=ctx.workshop.join_code, **{TABLE_PARAM: row["short_code"]})[0]
