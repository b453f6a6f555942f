"""A map's links (who knows, funds, answers to whom) and its actions and next steps: add, list,
update and remove, each answer of the map service shown (a refusal as its message)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ..bidi import isolate
from ..domain import ACTION_KINDS, ACTION_STATUSES, LINK_KINDS, STRENGTHS, OrgKitError
from ..i18n import N_, _, format_date, ngettext
from ..map import model as map_model
from ..map import service as maps
from .forms import mirrored, show_error, shown
from .identity import Context
from ..markdown import escape
from .map_parts import choice, flash, save_row, show_flash, state


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
        with save_row(ctx, "links"):
            if st.form_submit_button(_("Add link"), key=f"{form}_submit"):
                try:
                    maps.add_link(ctx.store, ctx.actor, map_id, source_id, target_id, link_kind)
                except OrgKitError as exc:
                    show_error(exc)
                else:
                    flash(ctx, _("Link added."), "links")
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
    with save_row(ctx, "link_remove"):
        if doomed is not None and st.button(_("Remove link"), key=state(ctx, "link_remove_go")):
            try:
                maps.delete_link(ctx.store, ctx.actor, map_id, doomed)
            except OrgKitError as exc:  # a refusal (the link went meanwhile, no right) is said
                show_error(exc)
            else:
                flash(ctx, _("Link removed."), "link_remove")
                st.rerun()


# A link seen from one entry: (kind, this entry is its source), in both directions, so a phone
# links "Ana is in the inner circle of the mayor" from either of the two.
RELATIONS = {
    "knows>": ("knows", True, N_("knows / connects to")),
    "inner_circle>": ("inner_circle", True, N_("is in the inner circle of")),
    "inner_circle<": ("inner_circle", False, N_("has in their inner circle")),
    "answers_to>": ("answers_to", True, N_("answers to")),
    "answers_to<": ("answers_to", False, N_("is answered to by")),
    "funds>": ("funds", True, N_("funds")),
    "funds<": ("funds", False, N_("is funded by")),
    "member_of>": ("member_of", True, N_("is a member of")),
    "member_of<": ("member_of", False, N_("has as a member")),
}


def link_from(ctx: Context, view: map_model.MapView, entry: dict) -> None:
    """Link this entry to another from the entry itself: the relationship (one tap), who (a
    select), and, when the other is not yet one of ours, how well our team knows them (asked
    here, so a chief of staff linked to the mayor makes the mayor reachable once we know the
    chief; one optional tap)."""
    others = {e["id"]: e for e in view.entries if e["id"] != entry["id"]}
    if not others:
        return
    name = escape(isolate(entry["name"]))  # in a label and in markdown: inert
    key = state(ctx, f"link_from_{entry['id']}")
    made = st.session_state.get(f"{key}_made", 0)  # a fresh set of fields after each link
    st.markdown("**" + _("Link {name} to someone on the map", name=name) + "**")
    relation = st.pills(_("{name} …", name=name), list(RELATIONS),
                        format_func=lambda r: _(RELATIONS[r][2]), key=f"{key}_kind_{made}")
    other = st.selectbox(_("Who"), list(others), index=None, key=f"{key}_other_{made}",
                         format_func=lambda i: isolate(others[i]["name"]),
                         placeholder=_("Choose someone on the map"))
    known = None
    if other is not None and others[other]["strength"] == "none":
        known = st.segmented_control(
            _("How well does our team know {name}?",
              name=escape(isolate(others[other]["name"]))),
            list(STRENGTHS), format_func=lambda k: _(STRENGTHS[k]), key=f"{key}_known_{made}",
            width="stretch")
    with save_row(ctx, f"link_{entry['id']}"):
        if st.button(_("Add link"), key=f"{key}_add_{made}", type="primary"):
            if relation is None or other is None:
                st.error(_("Choose the relationship and who it is with."))
                return
            kind, outgoing, _label = RELATIONS[relation]
            source, target = (entry["id"], other) if outgoing else (other, entry["id"])
            try:
                maps.add_link(ctx.store, ctx.actor, ctx.map["id"], source, target, kind,
                              known={other: known} if known and known != "none" else None)
            except OrgKitError as exc:
                show_error(exc)
            else:
                st.session_state[f"{key}_made"] = made + 1
                ends = {entry["id"]: name, other: escape(isolate(others[other]["name"]))}
                flash(ctx, _("Linked: {source} {kind} {target}.", source=ends[source],
                             kind=_(LINK_KINDS[kind]), target=ends[target]),
                      f"link_{entry['id']}")
                st.rerun()


STEPS_SHOWN = 5  # next steps listed with a "Plan" button each; the rest in a table below


def actions_section(ctx: Context, view: map_model.MapView) -> None:
    """The overdue and upcoming next steps, each entry's step with a button that plans it as an
    action (its text, date and entry filled in), the form that plans one, and the actions."""
    names = {e["id"]: isolate(e["name"]) for e in view.entries}
    actions = view.actions
    upcoming, overdue = map_model.next_steps(view.entries, actions)
    for title, steps in ((_("Overdue ({n})", n=len(overdue)), overdue),
                         (_("Upcoming ({n})", n=len(upcoming)), upcoming)):
        if steps:
            st.subheader(title)
            _steps(ctx, steps)
    st.subheader(_("Plan an action"))
    _action_form(ctx, names)
    if actions:
        _actions_list(ctx, actions, names)


def _steps(ctx: Context, steps: list[map_model.NextStep]) -> None:
    for i, step in enumerate(steps[:STEPS_SHOWN]):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(_("**{date}** · {step} · {who}", date=step.on,
                          step=escape(shown(step.what)), who=escape(isolate(step.who))),
                        width="stretch")
            if step.entry_id is not None:
                st.button(_("Plan it"), key=state(ctx, f"plan_{step.entry_id}_{step.on}_{i}"),
                          icon=":material/event:", on_click=_plan, args=(ctx, step))
    if len(steps) > STEPS_SHOWN:
        with st.expander(ngettext("{n} more", "{n} more", len(steps) - STEPS_SHOWN),
                         key=state(ctx, f"steps_more_{steps[0].on}")):
            st.dataframe(pd.DataFrame([{_("Date"): s.on, _("Step"): shown(s.what),
                                        _("Who"): s.who} for s in steps[STEPS_SHOWN:]]),
                         hide_index=True, width="stretch")


def _plan(ctx: Context, step: map_model.NextStep) -> None:
    # A button's callback: the action form below is drawn anew, filled in from the step.
    st.session_state[state(ctx, "plan_from")] = step
    st.session_state[state(ctx, "action_forms")] = st.session_state.get(
        state(ctx, "action_forms"), 0) + 1


def _action_form(ctx: Context, names: dict) -> None:
    """Plan an action: its kind in one tap; from a next step, its title, date and entry are
    filled in, so planning it is the kind and one more tap."""
    step = st.session_state.get(state(ctx, "plan_from"))
    form = state(ctx, f"action_form_{st.session_state.get(state(ctx, 'action_forms'), 0)}")
    with st.form(form):
        raw = {"kind": st.pills(_("Action"), list(ACTION_KINDS), default="one_on_one",
                                format_func=lambda k: _(ACTION_KINDS[k]), key=f"{form}_kind")}
        raw["title"] = st.text_input(_("Title"), key=f"{form}_title",
                                     value=shown(step.what) if step else "",
                                     placeholder=_("Say what it is, or choose the entries "
                                                   "involved."))
        involved = st.multiselect(_("Entries involved"), list(names), format_func=names.get,
                                  default=[step.entry_id] if step and step.entry_id in names
                                  else None, key=f"{form}_entries")
        due, status = st.columns(2)
        # A date to start from, not an empty field of segments: the step's, else today.
        raw["due_on"] = due.date_input(_("Date"), key=f"{form}_due_on",
                                       value=dt.date.fromisoformat(step.on) if step else "today")
        raw["status"] = status.selectbox(_("Status"), list(ACTION_STATUSES),
                                         format_func=lambda k: _(ACTION_STATUSES[k]),
                                         key=f"{form}_status")
        with st.expander(_("Turnout and outcome"), key=f"{form}_more"):
            raw["turnout"] = st.number_input(_("Turnout"), min_value=0,
                                             max_value=map_model.TURNOUT_MAX, step=1,
                                             key=f"{form}_turnout")
            raw["outcome"] = st.text_area(_("Outcome"), key=f"{form}_outcome")
        with save_row(ctx, "action"):
            if st.form_submit_button(_("Add action"), type="primary", key=f"{form}_submit"):
                try:
                    maps.create_action(ctx.store, ctx.actor, ctx.map["id"],
                                       raw | {"kind": raw["kind"] or "one_on_one"}, involved)
                except OrgKitError as exc:
                    show_error(exc)
                else:
                    st.session_state.pop(state(ctx, "plan_from"), None)
                    _plan_done(ctx)
                    flash(ctx, _("Action added."), "action")
                    st.rerun()


def _plan_done(ctx: Context) -> None:
    # A fresh, empty form after each action (not clear_on_submit, which empties it in the
    # browser at once, before the answer).
    key = state(ctx, "action_forms")
    st.session_state[key] = st.session_state.get(key, 0) + 1


def _actions_list(ctx: Context, actions: list[dict], names: dict) -> None:
    st.subheader(_("Actions"))
    st.dataframe(pd.DataFrame([{
        _("Date"): a["due_on"] or "", _("Action"): _(ACTION_KINDS[a["kind"]]),
        _("Title"): a["title"], _("Status"): _(ACTION_STATUSES[a["status"]]),
        _("Turnout"): a["turnout"], _("Outcome"): a["outcome"],
        _("Entries"): ", ".join(names[i] for i in a["entry_ids"] if i in names)}
        for a in actions]), hide_index=True, width="stretch")
    by_id = {a["id"]: a for a in actions}
    described = {i: _("{date} · {title}", date=format_date(a["due_on"]) or _("no date"),
                      title=a["title"] or _(ACTION_KINDS[a["kind"]]))
                 for i, a in by_id.items()}
    chosen = st.selectbox(_("Update an action"), [None, *by_id], key=state(ctx, "action_pick"),
                          format_func=lambda i: "—" if i is None else described[i])
    if chosen is None:
        show_flash(ctx, "action_update")  # "Action deleted." where the action was
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
        with save_row(ctx, "action_update"):
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
            flash(ctx, _("Action saved.") if save else _("Action deleted."), "action_update")
            st.rerun()
