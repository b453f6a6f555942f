"""The home screen: create a workshop (with the default agenda or from a saved agenda template),
join one by code, or open the demo. Nothing else."""
from __future__ import annotations

import streamlit as st

from .. import demo
from ..domain import JOIN_CODE_LENGTH, PIN_MIN, OrgKitError
from ..i18n import LANGUAGES, _
from ..markdown import escape
from ..session import service as sessions
from ..workshop import service as workshops
from .forms import join_form, show_error, submission_key
from .identity import Context, unlock_here
from .setup import FACILITATE, JOIN, MAP, language_name


def screen(ctx: Context) -> None:
    st.title(_("OrgKit"))
    st.write(_("Brainstorm live with the room, map the relationships your campaign needs, and "
               "see who is still missing."))
    join_tab, create_tab, demo_tab = st.tabs(
        [_("Join a workshop"), _("Create a workshop"), _("Try the demo")], key="home_tabs")
    with join_tab:
        _join(ctx)
    with create_tab:
        _create(ctx)
    with demo_tab:
        _demo(ctx)


def _join(ctx: Context) -> None:
    workshop = join_form(ctx, "join", help=_("The {n}-character code on the projector.",
                                             n=JOIN_CODE_LENGTH))
    if workshop is not None:
        st.switch_page(JOIN, query_params={"code": workshop.join_code})
    st.page_link(MAP, label=_("Open your team's map with its map code"),
                 icon=":material/hub:")


def _create(ctx: Context) -> None:
    with st.form("create"):
        title = st.text_input(_("Workshop title"), key="create_title",
                              placeholder=_("Community-based organizing seminar"))
        # Most workshops are created on the day (or days before): today is the nearest start.
        held_on = st.date_input(_("Date"), value="today", format="YYYY-MM-DD", key="create_date")
        pin = st.text_input(_("Facilitator PIN"), type="password", key="create_pin")
        # The rule in view, not in a tooltip a phone never shows.
        st.caption(_("At least {n} characters. You need it to moderate, export or reset.",
                     n=PIN_MIN))
        language = st.selectbox(_("Workshop language (for new phones)"), LANGUAGES,
                                index=LANGUAGES.index(ctx.language), format_func=language_name,
                                key="create_language")
        template = _agenda_choice(ctx)
        if st.form_submit_button(_("Create workshop"), type="primary", key="create_submit"):
            try:
                # One key per submitted form: a double click creates one workshop, not two.
                key = submission_key("create_workshop", (title, held_on, pin, template))
                if template is None:  # the default agenda, given on the facilitator's first look
                    created = workshops.create_workshop(ctx.store, title, held_on, pin, key,
                                                        language)
                else:
                    created = sessions.new_workshop_from_template(
                        ctx.store, template, title, held_on, pin, key, language)
            except OrgKitError as exc:
                show_error(exc)
            else:
                unlock_here(ctx.store, created.id)  # whoever set the PIN is the facilitator
                st.session_state["created_workshop"] = created
    created = st.session_state.get("created_workshop")
    if created is not None:
        st.success(_("Workshop created. Join code: **{code}**", code=created.join_code))
        st.page_link(FACILITATE, label=_("Open facilitator tools"),
                     icon=":material/admin_panel_settings:",
                     query_params={"code": created.join_code})


def _agenda_choice(ctx: Context) -> int | None:
    """The agenda the new workshop starts with: the default (None) or a saved template's id.
    Without saved templates there is nothing to choose, and no select is drawn."""
    names = sessions.template_names(ctx.store)
    if not names:
        return None
    return st.selectbox(_("Agenda"), [None, *names], key="create_template",
                        format_func=lambda t: _("The default agenda (the seminar)") if t is None
                        else names[t],
                        help=_("A template is an agenda a facilitator saved from a workshop."))


def _demo(ctx: Context) -> None:
    showcase = demo.showcase(ctx.store)
    if showcase is None:
        st.info(_("This database has no demo workshop."))
        return
    st.write(_("**{title}**: three team maps, a live brainstorm board and coverage charts, "
               "filled in so you can look around.", title=escape(showcase.title)))
    st.caption(_(demo.DEMO_PIN_NOTE))
    st.page_link(JOIN, label=_("Join the demo as a participant"),
                 icon=":material/smartphone:", query_params={"code": showcase.join_code})
    st.page_link(FACILITATE, label=_("Open the demo's facilitator tools"),
                 icon=":material/admin_panel_settings:",
                 query_params={"code": showcase.join_code})
    if showcase.map_token:
        st.page_link(MAP, label=_("Open a team map ({name})",
                                               name=escape(showcase.map_name)),
                     icon=":material/hub:", query_params={"map": showcase.map_token})
