"""The facilitator's team maps: create one, and hand each out at its table.

Each map's handout is a QR code of its private link (one scan opens the map) and a short code a
person can type on the map page, drawn large enough to read off a phone held up at the table.
This screen is often mirrored to the projector: a handout stays hidden until its own expander is
opened (lazily: a closed one sends nothing), and the facilitator's own link to a map carries
only the map's id, which grants nothing without this session's unlock.
"""
from __future__ import annotations

import streamlit as st

from ..domain import LEVELS, OrgKitError
from ..i18n import _
from ..map import service as maps
from ..markdown import escape
from ..workshop import model as workshop_model
from .forms import show_error, submission_key
from .identity import Context
from .links import page_url, qr_image
from .map_parts import target_inputs
from .setup import MAP


def facilitator_maps(ctx: Context) -> None:
    """The workshop's team maps, each with its handout, and the form that creates one."""
    st.subheader(_("Team maps"))
    created = st.session_state.pop("created_map", None)
    if created:
        st.success(_("Created {name}. Open its handout below to give it to the team.",
                     name=escape(created)))
    for team_map in maps.team_maps(ctx.store, ctx.actor):
        st.page_link(MAP, label=escape(team_map["name"]), icon=":material/hub:",
                     query_params={"code": ctx.workshop.join_code, "m": str(team_map["id"])})
        hand = st.expander(_("Hand out at the table: QR code and map code"), on_change="rerun",
                           key=f"reveal_link_{team_map['id']}")
        if hand.open:
            with hand:
                _handout(ctx, team_map["id"])
    st.caption(_("Give each team its map: they scan the QR code or type the map code. Anyone "
                 "with either can edit that map and see its contact details."))
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


def _handout(ctx: Context, map_id: int) -> None:
    try:
        row = maps.handout(ctx.store, ctx.actor, map_id)
    except OrgKitError as exc:
        show_error(exc)
        return
    url = page_url("map", map=row["link_token"])
    code = workshop_model.format_map_code(row["short_code"])
    qr_col, code_col = st.columns([1, 1], vertical_alignment="center")
    qr_col.html(qr_image(url, _("QR code of the map of {name}", name=row["name"])))
    # The code is from our own alphabet (letters, digits, a dash): nothing to escape.
    code_col.markdown(_("Map code\n# {code}", code=code))
    code_col.caption(_("Scan the QR code with the phone's camera, or open {address} and type the "
                       "map code.", address=escape(page_url("map"))))
    st.code(url, language=None, wrap_lines=True)
