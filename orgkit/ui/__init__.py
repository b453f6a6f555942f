"""The only part of OrgKit that imports streamlit: page setup, roles, navigation, shared widgets.

Every page starts with `ctx = ui.page("Title")`. That one call sets the page up, opens the store
(once per database URL, shared by all sessions), loads the demo into an empty database
where it is wanted (orgkit.demo.wanted), resolves
who is looking (from the URL and this session's facilitator unlocks) and draws the navigation for
that role. Pages are self-sufficient this way: a phone that arrives by a deep link to /join on a
freshly started server gets exactly what a visitor who came through the home page gets.

Query parameters: `code` (workshop join code), `p` (participant token), `map` (a team map's
private link token), `board` (a board id). A browser is remembered by the HttpOnly cookie that
orgkit/web.py sets (`device()`): a phone that scans the QR again is the same participant, and a
facilitator's unlock is kept in the database for that browser, in every tab, for a working day.
The PIN and the cookie never go into a URL; without the cookie (AppTest, `streamlit run home.py`)
an unlock lives in this browser session only and the URL token keeps a participant.
"""
from __future__ import annotations

import hashlib
import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import streamlit as st

from .. import demo, network
from ..domain import CODE_TYPED_MAX, Actor, OrgKitError, Role
from ..markdown import escape
from ..storage import Store, database_url, open_store
from ..web import DEVICE_COOKIE, valid_device
from ..workshop import service as workshops
from ..workshop.model import Workshop

# A file served by our own server: page_icon=":material/..." makes every browser fetch the icon
# from fonts.gstatic.com, which an offline venue lacks and which tells a third party who came.
PAGE_ICON = Path(__file__).with_name("icon.png")

PAGES = {
    # page file: (label, icon, roles that see it in the navigation)
    "home.py": ("Home", ":material/home:", set(Role)),
    "pages/1_join.py": ("Brainstorm (phone)", ":material/smartphone:", {Role.PARTICIPANT}),
    "pages/2_projector.py": ("Projector", ":material/present_to_all:", {Role.FACILITATOR}),
    "pages/3_facilitate.py": ("Facilitate", ":material/admin_panel_settings:",
                              {Role.FACILITATOR, Role.VISITOR}),
    "pages/4_map.py": ("Relationship map", ":material/hub:", {Role.FACILITATOR, Role.TEAM_MEMBER}),
    "pages/5_coverage.py": ("Coverage and gaps", ":material/insights:", set(Role)),
    "pages/6_guide.py": ("Organizing guide", ":material/menu_book:", set(Role)),
}


@dataclass
class Context:
    """What a page needs: the store, the workshop in view, who is looking."""

    store: Store
    actor: Actor
    workshop: Workshop | None = None
    map: dict | None = None
    participant_token: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def role(self) -> Role:
        return self.actor.role

    def link_params(self) -> dict[str, str]:
        """The query parameters that keep this person's identity on the next page."""
        params = {}
        if self.workshop is not None:
            params["code"] = self.workshop.join_code
        if self.participant_token and self.role is Role.PARTICIPANT:
            params["p"] = self.participant_token
        if self.map is not None and self.role is Role.TEAM_MEMBER:
            params["map"] = self.map["link_token"]
        return params


@st.cache_resource(show_spinner=False, max_entries=8)
def _open_store(url: str) -> Store:
    # Keyed by URL: each test's fresh database gets its own store, and a long-running server
    # keeps one pool of connections for all its sessions.
    store = open_store(url)
    if demo.wanted(url):
        demo.ensure_demo(store)
    return store


def store() -> Store:
    """The shared store for the configured database."""
    return _open_store(database_url())


# Every control a finger taps is at least 44 px tall (WCAG 2.5.5), on every page and screen.
TARGETS_CSS = """<style>
.stButton button, .stFormSubmitButton button, .stDownloadButton button, .stPageLink a,
[data-testid=stExpander] summary, [data-testid=stBaseButton-segmented_control],
[data-testid=stBaseButton-segmented_controlActive], [data-testid=stBaseButton-pills],
[data-testid=stBaseButton-pillsActive], .stSelectbox [data-baseweb=select] > div,
.stMultiSelect [data-baseweb=select] > div, .stTextInput input, .stNumberInput input,
.stDateInput input, .stNumberInput button {min-height:44px}
.stNumberInput button {min-width:44px}
</style>"""


def page(title: str, *, layout: str = "wide", sidebar: str = "auto") -> Context:
    """Set up a page: config, store, role from URL and session, role-aware navigation."""
    st.set_page_config(page_title=f"{title} · OrgKit", page_icon=str(PAGE_ICON), layout=layout,
                       initial_sidebar_state=sidebar)
    st.html(TARGETS_CSS)
    try:
        ctx = resolve(store())
    except OrgKitError as exc:  # the database cannot be reached: say so, never a traceback
        show_error(exc)
        st.stop()
    navigation(ctx)
    for problem in ctx.problems:
        st.warning(escape(problem))
    return ctx


def _param(name: str) -> str | None:
    value = st.query_params.get(name)  # never cut: each validator bounds its own work
    return value if isinstance(value, str) and value.strip() else None


def unlocked_workshops() -> set[int]:
    """Workshops unlocked in this session (the fallback when the browser sent no cookie)."""
    return st.session_state.setdefault("orgkit_unlocked", set())


def device() -> str | None:
    """This browser's remembered-device cookie, when it sent one we could have issued."""
    return valid_device(st.context.cookies.get(DEVICE_COOKIE))


def unlock_here(store_: Store, workshop_id: int) -> None:
    """The facilitator is unlocked in this session and, with a cookie, in this whole browser."""
    unlocked_workshops().add(workshop_id)
    if browser := device():
        workshops.remember_unlock(store_, Actor(Role.FACILITATOR, workshop_id), browser)


def is_unlocked(store_: Store, workshop_id: int) -> bool:
    if browser := device():
        return workshops.unlocked_on(store_, workshop_id, browser)
    return workshop_id in unlocked_workshops()


def resolve(store_: Store) -> Context:
    """Who is looking: facilitator (unlocked in this browser), team member (map link),
    participant (this browser's, else the URL's token), visitor."""
    ctx = Context(store=store_, actor=Actor(Role.VISITOR))
    map_token, code = _param("map"), _param("code")
    try:
        if map_token:
            ctx.workshop, ctx.map, ctx.actor = workshops.open_map(store_, map_token)
        elif code:
            ctx.workshop = workshops.find_by_code(store_, code)
            ctx.actor = Actor(Role.VISITOR, ctx.workshop.id)
            participant = workshops.participant(store_, ctx.workshop, device=device(),
                                                token=_param("p"))
            if participant is not None:
                ctx.participant_token = participant["token"]
                ctx.actor = Actor(Role.PARTICIPANT, ctx.workshop.id,
                                  participant_id=participant["id"])
    except OrgKitError as exc:
        ctx.problems.append(str(exc))
    if ctx.workshop is not None and is_unlocked(store_, ctx.workshop.id):
        ctx.actor = Actor(Role.FACILITATOR, ctx.workshop.id)
    return ctx


def navigation(ctx: Context) -> None:
    """Sidebar links for this role, carrying the identity parameters along."""
    params = ctx.link_params()
    with st.sidebar:
        st.markdown("### OrgKit")
        if ctx.workshop is not None:
            st.caption(f"{escape(ctx.workshop.title)} · code **{ctx.workshop.join_code}**")
            st.caption(f"You are here as: {ROLE_LABELS[ctx.role]}")
        for path, (label, icon, roles) in PAGES.items():
            if ctx.role in roles and (path == "home.py" or ctx.workshop is not None
                                      or path == "pages/6_guide.py"):
                st.page_link(path, label=label, icon=icon,
                             query_params=None if path == "home.py" else params)
        if ctx.role is Role.FACILITATOR:
            if st.button("Lock facilitator tools", key="nav_lock"):
                unlocked_workshops().discard(ctx.workshop.id)
                if browser := device():
                    workshops.forget_unlock(ctx.store, ctx.workshop.id, browser)
                st.rerun()
            _lock_watch(ctx.store, ctx.workshop.id)


# How soon a facilitator tab notices that another tab of the browser locked the tools.
LOCK_WATCH_S = 5


@st.fragment(run_every=LOCK_WATCH_S)
def _lock_watch(store_: Store, workshop_id: int) -> None:
    """A locked facilitator in one tab is locked in every tab: one indexed read every few seconds,
    and the page is drawn again (as who is looking now) only when the unlock is gone."""
    if not is_unlocked(store_, workshop_id):
        st.rerun(scope="app")


ROLE_LABELS = {
    Role.VISITOR: "visitor",
    Role.PARTICIPANT: "participant",
    Role.TEAM_MEMBER: "team member",
    Role.FACILITATOR: "facilitator",
}


def join_form(ctx: Context, key: str, *, help: str | None = None) -> Workshop | None:
    """The join-code form (home page, join page): the workshop the typed code names, once."""
    with st.form(key):
        code = st.text_input("Join code", max_chars=CODE_TYPED_MAX, placeholder="e.g. K7PX3M",
                             help=help, key=f"{key}_field")
        if st.form_submit_button("Join", type="primary", key=f"{key}_submit"):
            try:
                return workshops.find_by_code(ctx.store, code)
            except OrgKitError as exc:
                show_error(exc)
    return None


def unlock_form(ctx: Context, *, key: str = "unlock") -> None:
    """PIN entry for the facilitator; on success this browser session is unlocked."""
    if ctx.workshop is None:
        return
    with st.form(key, clear_on_submit=True):
        pin = st.text_input("Facilitator PIN", type="password", key=f"{key}_pin")
        if st.form_submit_button("Unlock facilitator tools", key=f"{key}_submit"):
            try:
                workshops.unlock(ctx.store, ctx.workshop.id, pin, source=client_source(),
                                 device=device())
            except OrgKitError as exc:
                show_error(exc)
            else:
                unlock_here(ctx.store, ctx.workshop.id)
                st.rerun()


def client_source() -> str:
    """Who is typing, for PIN throttling: this browser by its remembered-device cookie, else the
    client's address (behind the proxy named by ORGKIT_PUBLIC_URL, the address the proxy appended
    to X-Forwarded-For last; every browser on the server's own machine is one source). The cookie
    comes first because a venue's phones share one NAT address: by address alone, one guesser
    would slow down everybody in the room, the facilitator too."""
    if browser := device():
        return f"browser {browser}"
    if os.environ.get("ORGKIT_PUBLIC_URL", "").strip():
        forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    address = st.context.ip_address  # None for a browser on this machine
    return address if isinstance(address, str) and address else "this machine"


def submission_key(form: str, values: tuple) -> str:
    """One idempotency key per submitted form content: a double click (the same values sent
    twice) carries the same key, and the core returns the first row instead of a second."""
    state = f"{form}_submission"
    # A digest, not the values: a typed PIN is not kept in the session.
    digest = hashlib.sha256(repr(values).encode()).hexdigest()
    pending = st.session_state.get(state)
    if pending is None or pending["values"] != digest:
        pending = {"values": digest, "key": secrets.token_urlsafe(12)}
        st.session_state[state] = pending
    return pending["key"]


def mirrored(name: str, *stored: object) -> str:
    """The key of a widget that starts from stored values: it carries them (a short digest), so
    when they change elsewhere the widget is drawn anew with them instead of keeping what this
    session typed before (without a key, a widget's identity carried its value the same way)."""
    return f"{name}_{hashlib.sha256(repr(stored).encode()).hexdigest()[:12]}"


def _base_url() -> tuple[str, bool]:
    """The address of the app for a phone in the room, and whether a phone can reach it.

    ORGKIT_PUBLIC_URL wins (behind a proxy the browser's address may be an internal one). Else
    the address this browser opened the app at, except that a loopback one (the README's
    http://localhost:8501) is replaced by this machine's network address (orgkit.network);
    when the machine has none, the address is unreachable."""
    base = os.environ.get("ORGKIT_PUBLIC_URL", "").strip()
    if base:
        return base.rstrip("/"), True
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    path = parts.path.rsplit("/", 1)[0]
    netloc, reachable = parts.netloc, True
    if _is_loopback(parts.hostname or "localhost"):
        address = network.lan_address()
        reachable = address is not None
        if reachable:
            netloc = f"{address}:{parts.port}" if parts.port else address
    return f"{parts.scheme}://{netloc}{path}".rstrip("/"), reachable


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def join_url(**params: str) -> tuple[str, bool]:
    """The join page's address for phones (with `params`), and whether a phone can reach it."""
    base, reachable = _base_url()
    return f"{base}/join?{urlencode(params)}", reachable


def page_url(path: str, **params: str) -> str:
    """The full address of one of our pages, for a QR code or a link handed out by hand."""
    query = f"?{urlencode(params)}" if params else ""
    return f"{_base_url()[0]}/{path}{query}"


def show_error(exc: Exception) -> None:
    """A rule's message, as written for the person (user text in it inert); never a traceback."""
    st.error(escape(exc))
