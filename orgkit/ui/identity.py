"""Who is looking: what the browser brought (query parameters, the remembered-device cookie,
this session's unlocks), handed to orgkit.identity.who_is_looking, which decides.

Query parameters: `code` (workshop join code), `p` (participant token), `map` (a team map's
private link token), `lang` (a language hint; the person's own choice wins). A browser is
remembered by the HttpOnly cookie that orgkit/web.py sets
(`device()`): a phone that scans the QR again is the same participant, and a facilitator's
unlock is kept in the database for that browser, in every tab, for a working day. The PIN and
the cookie never go into a URL; without the cookie (AppTest, `streamlit run home.py`) an unlock
lives in this browser session only and the URL token keeps a participant.

The reader's language is decided once per full run (identity.reader_language) and kept in the
session state, where i18n's language source reads it for every `_()`, fragment reruns included:
a poll reads a dictionary, never the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .. import i18n, identity
from ..domain import Actor, OrgKitError, Role
from ..i18n import DEFAULT_LANGUAGE, Message
from ..stores import Store
from ..web import DEVICE_COOKIE, valid_device
from ..workshop import service as workshops
from ..workshop.model import Workshop


@dataclass
class Context:
    """What a page needs: the store, the workshop in view, who is looking."""

    store: Store
    actor: Actor
    workshop: Workshop | None = None
    map: dict | None = None
    participant_token: str | None = None
    problems: list[Message] = field(default_factory=list)
    language: str = DEFAULT_LANGUAGE

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
        params["lang"] = self.language
        return params


def _param(name: str) -> str | None:
    value = st.query_params.get(name)  # never cut: each validator bounds its own work
    return value if isinstance(value, str) and value.strip() else None


def unlocked_workshops() -> set[int]:
    """Workshops unlocked in this session (the fallback when the browser sent no cookie)."""
    return st.session_state.setdefault("orgkit_unlocked", set())


def device() -> str | None:
    """This browser's remembered-device cookie, when it sent one we could have issued."""
    return valid_device(st.context.cookies.get(DEVICE_COOKIE))


def unlock_here(store: Store, workshop_id: int) -> None:
    """The facilitator is unlocked in this session and, with a cookie, in this whole browser."""
    unlocked_workshops().add(workshop_id)
    if browser := device():
        workshops.remember_unlock(store, Actor(Role.FACILITATOR, workshop_id), browser)


def lock_here(store: Store, workshop_id: int) -> None:
    """"Lock facilitator tools": in this session and, with a cookie, in every tab."""
    unlocked_workshops().discard(workshop_id)
    if browser := device():
        workshops.forget_unlock(store, workshop_id, browser)


def is_unlocked(store: Store, workshop_id: int) -> bool:
    """Unlocked in this browser (its cookie), else in this session when it sent none."""
    if browser := device():
        return workshops.unlocked_on(store, workshop_id, browser)
    return workshop_id in unlocked_workshops()


def resolve(store: Store) -> Context:
    """Who is looking, as identity.who_is_looking decides it from this browser's inputs, and
    the language they read."""
    workshop, map_row, actor, token, problems = identity.who_is_looking(
        store, map_token=_param("map"), code=_param("code"), participant_token=_param("p"),
        device=device(), unlocked=lambda workshop_id: is_unlocked(store, workshop_id))
    language = identity.reader_language(
        store, device=device(), chosen=st.session_state.get(CHOSEN_KEY), link=_param("lang"),
        browser=st.context.locale, workshop=workshop)
    st.session_state[LANGUAGE_KEY] = language
    return Context(store=store, actor=actor, workshop=workshop, map=map_row,
                   participant_token=token, problems=problems, language=language)


# -- the reader's language ---------------------------------------------------------------------

LANGUAGE_KEY = "orgkit_language"  # the language this session reads, decided in resolve()
CHOSEN_KEY = "orgkit_language_chosen"  # what this session's switch chose (a browser sans cookie)


def session_language() -> str | None:
    """i18n's language source: the running session's language (None outside a session)."""
    run = get_script_run_ctx(suppress_warning=True)
    if run is None:
        return None
    try:
        return run.session_state[LANGUAGE_KEY]
    except KeyError:
        return None


def choose_language(store: Store, language: str) -> None:
    """The person switched language: this session reads it at once, the browser keeps it (by
    its cookie) for the next visit, and the URL says it so a reload or a shared link keeps it."""
    language = i18n.normalise_language(language) or DEFAULT_LANGUAGE
    st.session_state[CHOSEN_KEY] = st.session_state[LANGUAGE_KEY] = language
    if browser := device():
        try:
            workshops.remember_language(store, browser, language)
        except OrgKitError:  # the database is away: this session still switches
            pass
    st.query_params["lang"] = language
