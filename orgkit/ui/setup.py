"""Page set-up: config, the shared store, the tap-target CSS, and the role-aware navigation.

`page()` is what every page calls first (as `ui.page`): it sets the page up, opens the store
(once per database URL, shared by all sessions, through orgkit.stores, which loads the demo
where it is wanted), resolves who is looking (orgkit.ui.identity) and draws the
navigation for that role. Pages are self-sufficient this way: a phone that arrives by a deep link
to /join on a freshly started server gets exactly what a visitor who came through the home page
gets.

It also draws the EN / ES switch and says the reader's language to the browser. On a page people
work on, the switch sits at the right of a strip along the bottom of the window (where a thumb
reaches on a phone) that the page's scrolling part ends above, so it never covers a control at
any scroll position; on a shared screen (the projector) it floats in the bottom corner, drawn only
under the facilitator's mouse or keyboard focus, so the room sees nothing that is not for it.
The browser is told the language too: `<html lang>` is set in the live document on every
run, so a switch updates it at once. Every widget is keyed, and Streamlit keys a keyed widget by
its key, not its label: a switch redraws every label in the other language and keeps what was
typed, even in a field not yet sent (the click that switches sends it first, as a blur).
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from babel import Locale

from .. import i18n, stores
from ..domain import OrgKitError, Role
from ..i18n import LANGUAGES, N_, _
from ..markdown import escape
from ..stores import Store
from ..web import LANGUAGE_COOKIE
from ..workshop import service as workshops
from . import emoji_scan
from .forms import show_error
from .identity import Context, choose_language, is_unlocked, lock_here, resolve, session_language

# `_()` anywhere in this process reads the running session's language (never one for all).
i18n.set_language_source(session_language)
emoji_scan.install()

# A file served by our own server: page_icon=":material/..." makes every browser fetch the icon
# from fonts.gstatic.com, which an offline venue lacks and which tells a third party who came.
PAGE_ICON = Path(__file__).with_name("icon.png")

# The page files, named once: links and switches between pages use these.
HOME, JOIN, PROJECTOR = "home.py", "pages/1_join.py", "pages/2_projector.py"
FACILITATE, MAP, COVERAGE = "pages/3_facilitate.py", "pages/4_map.py", "pages/5_coverage.py"
GUIDE, THIS_WEEK = "pages/6_guide.py", "pages/7_this_week.py"

PAGES = {
    # page file: (label, icon, roles that see it in the navigation)
    HOME: (N_("Home"), ":material/home:", set(Role)),
    JOIN: (N_("Brainstorm (phone)"), ":material/smartphone:", {Role.PARTICIPANT}),
    PROJECTOR: (N_("Projector"), ":material/present_to_all:", {Role.FACILITATOR}),
    FACILITATE: (N_("Facilitate"), ":material/admin_panel_settings:",
                 {Role.FACILITATOR, Role.VISITOR}),
    MAP: (N_("Relationship map"), ":material/hub:", {Role.FACILITATOR, Role.TEAM_MEMBER}),
    # A participant's phone is in the room for the brainstorm: the leads' coverage is not theirs.
    COVERAGE: (N_("Coverage and gaps"), ":material/insights:", set(Role) - {Role.PARTICIPANT}),
    GUIDE: (N_("Organizing guide"), ":material/menu_book:", set(Role)),
    # The leads' follow-up: the facilitator and whoever holds a map's private link.
    THIS_WEEK: (N_("This week"), ":material/event_upcoming:",
                {Role.FACILITATOR, Role.TEAM_MEMBER}),
}

ROLE_LABELS = {
    Role.VISITOR: N_("visitor"),
    Role.PARTICIPANT: N_("participant"),
    Role.TEAM_MEMBER: N_("team member"),
    Role.FACILITATOR: N_("facilitator"),
}


@st.cache_resource(show_spinner=False, max_entries=8)
def _open_store(url: str) -> Store:
    # Keyed by URL: each test's fresh database gets its own store, and a long-running server
    # keeps one pool of connections for all its sessions.
    return stores.open_named(url)


def store() -> Store:
    """The shared store for the configured database."""
    return _open_store(stores.database_url())


# Every control a finger taps is at least 44 px tall (WCAG 2.5.5), on every page and screen; no
# keyboard hints.
TARGETS_CSS = """<style>
.stButton button, .stFormSubmitButton button, .stDownloadButton button, .stPageLink a,
[data-testid=stExpander] summary, [data-testid=stBaseButton-segmented_control],
[data-testid=stBaseButton-segmented_controlActive], [data-testid=stBaseButton-pills],
[data-testid=stBaseButton-pillsActive], [data-testid=stButtonGroup] button,
.stSelectbox [data-baseweb=select] > div, [data-testid=stSelectbox] [data-baseweb=select] > div,
.stMultiSelect [data-baseweb=select] > div, .stTextInput input, .stNumberInput input,
.stDateInput input, .stNumberInput button {min-height:44px !important}
.stNumberInput button {min-width:44px}
/* Inside a select (react-aria's since Streamlit 1.5x), what a finger lands on (the typing field,
   the open arrow) is 44 px; a label's help icon takes a 44 px target around its drawn 17 px
   without moving it. */
:is([data-testid=stSelectbox], [data-testid=stMultiSelect])
  :is([role=combobox], [aria-haspopup=listbox]) {min-height:44px !important}
[data-testid=stTooltipHoverTarget] button:not([kind=elementToolbar])
  {min-width:44px; min-height:44px; margin:-13px}
/* A checkbox or toggle: its whole line is the target, and its box takes a finger too. */
[data-testid=stCheckbox] label {min-height:44px; align-items:center}
[data-testid=stCheckbox] input {min-height:44px}
/* Streamlit's "Press Enter to submit form" hint speaks of a keyboard a phone does not have (and
   crowds a narrow field); Enter (a phone keyboard's Go) still submits. */
[data-testid=InputInstructions] {display:none}
</style>"""


def page(title: str, *, layout: str = "wide", sidebar: str = "auto",
         shared_screen: bool = False) -> Context:
    """Set up a page: config, store, role from URL and session, role-aware navigation.
    `title` is a marked id (the page renders it); a `shared_screen` is seen by the room (the
    projector), which sees the language switch only under the facilitator's mouse."""
    st.set_page_config(page_title=_("{title} · OrgKit", title=_(title)),
                       page_icon=str(PAGE_ICON), layout=layout, initial_sidebar_state=sidebar)
    st.html(TARGETS_CSS)
    try:
        ctx = resolve(store())
    except OrgKitError as exc:  # the database cannot be reached: say so, never a traceback
        show_error(exc)
        st.stop()
    language_switch(ctx, shared_screen)
    navigation(ctx)
    for problem in ctx.problems:
        st.warning(escape(_(problem)))
    return ctx


SWITCH_KEY = "orgkit_lang_switch"
# A page people work on: the app's view (its scrolling main part and the sidebar) ends above a
# strip as tall as the switch and its margins, and the switch sits at the strip's right, in thumb
# reach on a phone and in the same place on every screen. Nothing scrolls under the strip, so
# the switch can cover no control at any scroll position (a fixed switch over the page covered the
# last vote pill a phone showed).
SWITCH_STRIP_PX = 56
SWITCH_CSS = """<style>
.st-key-orgkit_lang {position:fixed; z-index:999990; width:auto; padding:2px;
  background:var(--background-color, #fff); border-radius:10px}
.st-key-orgkit_lang [data-testid=stElementContainer]:has(.stHtml) {display:none}
[data-testid=stLayoutWrapper]:has(> .st-key-orgkit_lang) {margin-bottom:-1rem}
</style>"""
STRIP_CSS = """<style>
[data-testid=stAppViewContainer] {height:calc(100%% - %(strip)dpx) !important}
.st-key-orgkit_lang {left:0; right:0; bottom:0; height:%(strip)dpx; border-radius:0;
  padding:0 12px; justify-content:center; align-items:flex-end;
  border-top:1px solid rgba(49, 51, 63, .15)}
</style>""" % {"strip": SWITCH_STRIP_PX}
# A shared screen: the room's picture uses the whole window; the switch waits in the corner,
# transparent, until the facilitator's mouse comes over it or the Tab key reaches it (keyboard
# focus only: a button a click focused keeps its focus, and the room would see it after the click).
CORNER_CSS = """<style>
.st-key-orgkit_lang {bottom:12px; right:12px; box-shadow:0 1px 6px rgba(0,0,0,.25); opacity:0;
  transition:opacity .15s}
.st-key-orgkit_lang:hover, .st-key-orgkit_lang:has(:focus-visible) {opacity:1}
</style>"""


# The live document's lang, and a plain cookie the server reads to serve the next page in the
# same language (orgkit/web.py); `language` is one of i18n.LANGUAGES, never text from a person.
HTML_LANG_JS = ("<script>document.documentElement.lang = '{language}';"
                "document.cookie = '" + LANGUAGE_COOKIE + "={language}; path=/; "
                "max-age=34560000; SameSite=Lax';</script>")


def language_name(language: str) -> str:
    """A language named in itself ("English", "Español"), as a chooser lists it."""
    return Locale.parse(language).display_name.capitalize()


def language_switch(ctx: Context, shared_screen: bool = False) -> None:
    """EN / ES on every page: a tap switches at once and is remembered (identity)."""
    st.html(SWITCH_CSS + (CORNER_CSS if shared_screen else STRIP_CSS))
    st.session_state[SWITCH_KEY] = ctx.language  # before the widget: this run's language
    with st.container(key="orgkit_lang"):
        # The live document says the reader's language (screen readers, hyphenation,
        # translation offers); a run after a switch sets it again.
        st.html(HTML_LANG_JS.format(language=ctx.language), unsafe_allow_javascript=True)
        st.segmented_control(_("Language"), LANGUAGES, format_func=str.upper, key=SWITCH_KEY,
                             label_visibility="collapsed", on_change=_switched, args=(ctx,))


def _switched(ctx: Context) -> None:
    chosen = st.session_state.get(SWITCH_KEY)
    if chosen:  # tapping the chosen one again deselects it: the language stays
        choose_language(ctx.store, chosen)


def navigation(ctx: Context) -> None:
    """Sidebar links for this role, carrying the identity parameters along."""
    params = ctx.link_params()
    with st.sidebar:
        st.markdown("### " + _("OrgKit"))
        if ctx.workshop is not None:
            st.caption(_("{title} · code **{code}**", title=escape(ctx.workshop.title),
                         code=ctx.workshop.join_code))
            st.caption(_("You are here as: {role}", role=_(ROLE_LABELS[ctx.role])))
        for path, (label, icon, roles) in PAGES.items():
            if ctx.role in roles and (path in (HOME, GUIDE) or ctx.workshop is not None):
                st.page_link(path, label=_(label), icon=icon,
                             query_params=None if path == HOME else params)
        if ctx.role is Role.FACILITATOR:
            _workshop_language(ctx)
            _bilingual_projector(ctx)
            if st.button(_("Lock facilitator tools"), key="nav_lock"):
                lock_here(ctx.store, ctx.workshop.id)
                st.rerun()
            _lock_watch(ctx.store, ctx.workshop.id)


def _workshop_language(ctx: Context) -> None:
    """The facilitator changes the language the workshop's QR code and join link suggest."""
    key = "nav_workshop_language"
    st.session_state[key] = ctx.workshop.language
    st.selectbox(_("Workshop language (for new phones)"), LANGUAGES, format_func=language_name,
                 key=key, on_change=lambda: _set(ctx, workshops.set_workshop_language, key))


def _set(ctx: Context, setting, key: str) -> None:
    """A workshop setting changed by its widget `key`, through the workshop service."""
    try:
        setting(ctx.store, ctx.actor, st.session_state[key])
    except OrgKitError as exc:
        show_error(exc)


def _bilingual_projector(ctx: Context) -> None:
    """The facilitator has the projector write our words in every language at once."""
    key = "nav_bilingual_projector"
    st.session_state[key] = ctx.workshop.bilingual_projector
    st.toggle(_("Bilingual projector (our words in English and Spanish at once)"), key=key,
              on_change=lambda: _set(ctx, workshops.set_bilingual_projector, key))


# How soon a facilitator tab notices that another tab of the browser locked the tools.
LOCK_WATCH_S = 5


@st.fragment(run_every=LOCK_WATCH_S)
def _lock_watch(store_: Store, workshop_id: int) -> None:
    """A locked facilitator in one tab is locked in every tab: one indexed read every few seconds,
    and the page is drawn again (as who is looking now) only when the unlock is gone."""
    if not is_unlocked(store_, workshop_id):
        st.rerun(scope="app")
