"""The only part of OrgKit that imports streamlit: page setup, roles, navigation, shared widgets.

Every page starts with `ctx = ui.page("Title")`. That one call sets the page up, opens the store
(once per database URL, shared by all sessions), loads the demo into an empty database, resolves
who is looking (from the URL and this session's facilitator unlocks) and draws the navigation for
that role. Pages are self-sufficient this way: a phone that arrives by a deep link to /join on a
freshly started server gets exactly what a visitor who came through the home page gets.

Query parameters: `code` (workshop join code), `p` (participant token), `map` (a team map's
private link token), `board` (a board id). The facilitator PIN never goes into a URL: an unlock
lives in this browser session only.
"""
from __future__ import annotations

import hashlib
import html
import os
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import streamlit as st

from .. import workshops
from ..demo import ensure_demo
from ..domain import Actor, OrgKitError, Role
from ..storage import Store, database_url, open_store
from ..workshops import Workshop

PAGES = {
    # page file: (label, icon, roles that see it in the navigation)
    "app.py": ("Home", ":material/home:", set(Role)),
    "pages/1_join.py": ("Brainstorm (phone)", ":material/smartphone:", {Role.PARTICIPANT}),
    "pages/2_projector.py": ("Projector", ":material/present_to_all:", {Role.FACILITATOR}),
    "pages/3_facilitate.py": ("Facilitate", ":material/admin_panel_settings:",
                              {Role.FACILITATOR, Role.PARTICIPANT, Role.VISITOR}),
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
    ensure_demo(store)
    return store


def store() -> Store:
    """The shared store for the configured database."""
    return _open_store(database_url())


def page(title: str, *, layout: str = "wide", sidebar: str = "auto") -> Context:
    """Set up a page: config, store, role from URL and session, role-aware navigation."""
    st.set_page_config(page_title=f"{title} · OrgKit", page_icon=":material/hub:", layout=layout,
                       initial_sidebar_state=sidebar)
    ctx = resolve(store())
    navigation(ctx)
    for problem in ctx.problems:
        st.warning(escape_message(problem))
    return ctx


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value[:200] if isinstance(value, str) and value.strip() else None


def unlocked_workshops() -> set[int]:
    return st.session_state.setdefault("orgkit_unlocked", set())


def resolve(store_: Store) -> Context:
    """Who is looking: facilitator (unlocked here), team member (map link), participant, visitor."""
    ctx = Context(store=store_, actor=Actor(Role.VISITOR))
    map_token, code, token = _param("map"), _param("code"), _param("p")
    try:
        if map_token:
            ctx.workshop, ctx.map, ctx.actor = workshops.open_map(store_, map_token)
        elif code:
            ctx.workshop = workshops.find_by_code(store_, code)
            ctx.actor = Actor(Role.VISITOR, ctx.workshop.id)
            if token:
                participant = store_.workshops.participant_by_token(token)
                if participant and participant["workshop_id"] == ctx.workshop.id:
                    ctx.participant_token = token
                    ctx.actor = Actor(Role.PARTICIPANT, ctx.workshop.id,
                                      participant_id=participant["id"])
    except OrgKitError as exc:
        ctx.problems.append(str(exc))
    if ctx.workshop is not None and ctx.workshop.id in unlocked_workshops():
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
            if ctx.role in roles and (path == "app.py" or ctx.workshop is not None
                                      or path == "pages/6_guide.py"):
                st.page_link(path, label=label, icon=icon,
                             query_params=None if path == "app.py" else params)
        if ctx.role is Role.FACILITATOR and st.button("Lock facilitator tools", key="nav_lock"):
            unlocked_workshops().discard(ctx.workshop.id)
            st.rerun()


ROLE_LABELS = {
    Role.VISITOR: "visitor",
    Role.PARTICIPANT: "participant",
    Role.TEAM_MEMBER: "team member",
    Role.FACILITATOR: "facilitator",
}


def unlock_form(ctx: Context, *, key: str = "unlock") -> None:
    """PIN entry for the facilitator; on success this browser session is unlocked."""
    if ctx.workshop is None:
        return
    with st.form(key, clear_on_submit=True):
        pin = st.text_input("Facilitator PIN", type="password", max_chars=64)
        if st.form_submit_button("Unlock facilitator tools"):
            try:
                workshops.unlock(ctx.store, ctx.workshop.id, pin)
            except OrgKitError as exc:
                show_error(exc)
            else:
                unlocked_workshops().add(ctx.workshop.id)
                st.rerun()


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


def page_url(path: str, **params: str) -> str:
    """The full address of one of our pages, for a QR code or a link handed out by hand.

    ORGKIT_PUBLIC_URL wins (behind a proxy the browser's address may be an internal one);
    otherwise the address this browser opened the app at."""
    base = os.environ.get("ORGKIT_PUBLIC_URL", "").strip()
    if not base:
        parts = urlsplit(st.context.url or "http://localhost:8501/")
        base = f"{parts.scheme}://{parts.netloc}" + parts.path.rsplit("/", 1)[0]
    query = f"?{urlencode(params)}" if params else ""
    return f"{base.rstrip('/')}/{path}{query}"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape(text: object) -> str:
    """User text made safe for st.markdown / captions / labels: no Markdown, no HTML."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))


_MD_ACTIVE = re.compile(r"([\\`*_\[\]<>#|~$])")


def escape_message(text: object) -> str:
    """Our own sentences that may quote user text (an entry's name, a file's header): the
    characters that make links, images, HTML, emphasis or headings are escaped, and plain
    punctuation is left alone so the message reads (and tests) as written."""
    return _MD_ACTIVE.sub(r"\\\1", str(text))


def show_error(exc: Exception) -> None:
    """A rule's message, as written for the person (user text in it inert); never a traceback."""
    st.error(escape_message(exc))
