"""A map's links (who knows, funds, answers to whom) and its actions and next steps: add, list,
update and remove, each answer of the map service shown (a refusal as its message)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ..bidi import isolate
from ..domain import ACTION_KINDS, ACTION_STATUSES, LINK_KINDS, OrgKitError
from ..i18n import _
from ..map import model as map_model
from ..map import service as maps
from .forms import mirrored, show_error, shown
from .identity import Context
from .map_parts import choice, flash, state


def links_section(ctx: Context, view: map_model.MapView) -> None:
    """Add a link between two entries; list and remove links."""
    map_id = ctx.map["id"]
    names = {e["id"]: isolate(e["name"]) for e in view.entries}
    if len(names) < 2:
        st.info(_("Add at least two entries to link them."))
        return
    form = state(ctx, "link_form")
    with st.form(form, clear_on_submit=True):
        source, kind, target = st.columns(3)
        source_id = source.selectbox(_("From"), list(names), format_func=names.get,
                                     key=f"{form}_source")
        link_kind = kind.selectbox(_("Relationship"), list(LINK_KINDS),
                                   format_func=lambda k: _(LINK_KINDS[k]), key=f"{form}_kind")
        target_id = target.selectbox(_("To"), list(names), format_func=names.get, index=1,
                                     key=f"{form}_target")
        if st.form_submit_button(_("Add link"), key=f"{form}_submit"):
            try:
                maps.add_link(ctx.store, ctx.actor, map_id, source_id, target_id, link_kind)
            except OrgKitError as exc:
                show_error(exc)
            else:
                flash(ctx, _("Link added."))
                st.rerun()
    links = view.links
    if not links:
        return
    described = {l["id"]: _("{source} {kind} {target}", source=names[l["source_id"]],
                            kind=_(LINK_KINDS[l["kind"]]), target=names[l["target_id"]])
                 for l in links}
    st.dataframe(pd.DataFrame({_("Link"): list(described.values())}), hide_index=True,
                 width="stretch")
    doomed = st.selectbox(_("Remove a link"), [None, *described], key=state(ctx, "link_remove"),
                          format_func=lambda i: "—" if i is None else described[i])
    if doomed is not None and st.button(_("Remove link"), key=state(ctx, "link_remove_go")):
        try:
            maps.delete_link(ctx.store, ctx.actor, map_id, doomed)
        except OrgKitError as exc:  # a refusal (the link went meanwhile, no right) is a message
            show_error(exc)
        else:
            flash(ctx, _("Link removed."))
            st.rerun()


def actions_section(ctx: Context, view: map_model.MapView) -> None:
    """Plan an action, update one, and see the upcoming and overdue next steps."""
    map_id = ctx.map["id"]
    names = {e["id"]: isolate(e["name"]) for e in view.entries}
    actions = view.actions
    upcoming, overdue = map_model.next_steps(view.entries, actions)
    left, right = st.columns(2)
    for column, title, steps in ((left, _("Upcoming ({n})", n=len(upcoming)), upcoming),
                                 (right, _("Overdue ({n})", n=len(overdue)), overdue)):
        column.subheader(title)
        if steps:
            column.dataframe(pd.DataFrame([{_("Date"): s.on, _("Step"): shown(s.what),
                                            _("Who"): s.who} for s in steps]),
                             hide_index=True, width="stretch")
    st.subheader(_("Plan an action"))
    form = state(ctx, "action_form")
    with st.form(form, clear_on_submit=True):
        kind, title, due = st.columns([2, 3, 1])
        raw = {"kind": kind.selectbox(_("Action"), list(ACTION_KINDS),
                                      format_func=lambda k: _(ACTION_KINDS[k]),
                                      key=f"{form}_kind"),
               "title": title.text_input(_("Title"), key=f"{form}_title",
                                         help=_("Say what it is, or choose the entries "
                                                "involved.")),
               "due_on": due.date_input(_("Date"), value=None, key=f"{form}_due_on")}
        status, turnout = st.columns(2)
        raw["status"] = status.selectbox(_("Status"), list(ACTION_STATUSES),
                                         format_func=lambda k: _(ACTION_STATUSES[k]),
                                         key=f"{form}_status")
        raw["turnout"] = turnout.number_input(_("Turnout"), min_value=0,
                                              max_value=map_model.TURNOUT_MAX, step=1,
                                              key=f"{form}_turnout")
        involved = st.multiselect(_("Entries involved"), list(names), format_func=names.get,
                                  key=f"{form}_entries")
        raw["outcome"] = st.text_area(_("Outcome"), key=f"{form}_outcome")
        if st.form_submit_button(_("Add action"), key=f"{form}_submit"):
            try:
                maps.create_action(ctx.store, ctx.actor, map_id, raw, involved)
            except OrgKitError as exc:
                show_error(exc)
            else:
                flash(ctx, _("Action added."))
                st.rerun()
    if actions:
        _actions_list(ctx, actions, names)


def _actions_list(ctx: Context, actions: list[dict], names: dict) -> None:
    st.subheader(_("Actions"))
    st.dataframe(pd.DataFrame([{
        _("Date"): a["due_on"] or "", _("Action"): _(ACTION_KINDS[a["kind"]]),
        _("Title"): a["title"], _("Status"): _(ACTION_STATUSES[a["status"]]),
        _("Turnout"): a["turnout"], _("Outcome"): a["outcome"],
        _("Entries"): ", ".join(names[i] for i in a["entry_ids"] if i in names)}
        for a in actions]), hide_index=True, width="stretch")
    by_id = {a["id"]: a for a in actions}
    described = {i: _("{date} · {title}", date=a["due_on"] or _("no date"),
                      title=a["title"] or _(ACTION_KINDS[a["kind"]]))
                 for i, a in by_id.items()}
    chosen = st.selectbox(_("Update an action"), [None, *by_id], key=state(ctx, "action_pick"),
                          format_func=lambda i: "—" if i is None else described[i])
    if chosen is None:
        return
    action = by_id[chosen]
    form = state(ctx, f"action_update_{chosen}")
    # The fields' keys carry the action as stored: saved elsewhere, it is shown anew.
    field = mirrored(form, action["status"], action["outcome"], action["turnout"])
    with st.form(form):
        status = choice(_("Status"), ACTION_STATUSES, action["status"], f"{field}_status")
        outcome = st.text_area(_("Outcome"), value=action["outcome"], key=f"{field}_outcome")
        turnout = st.number_input(_("Turnout"), min_value=0, max_value=map_model.TURNOUT_MAX,
                                  value=action["turnout"], step=1, key=f"{field}_turnout")
        save = st.form_submit_button(_("Save action"), key=f"{form}_save")
        delete = st.form_submit_button(_("Delete action"), key=f"{form}_delete")
    try:
        if save:
            maps.update_action(ctx.store, ctx.actor, ctx.map["id"], chosen,
                               {"status": status, "outcome": outcome, "turnout": turnout})
        elif delete:
            maps.delete_action(ctx.store, ctx.actor, ctx.map["id"], chosen)
            st.session_state.pop(state(ctx, "action_pick"), None)
    except OrgKitError as exc:
        show_error(exc)
    else:
        if save or delete:
            flash(ctx, _("Action saved.") if save else _("Action deleted."))
            st.rerun()
