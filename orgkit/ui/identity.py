"""Who is looking: what the browser brought (query parameters, the remembered-device cookie,
this session's unlocks), handed to orgkit.identity.who_is_looking, which decides.

Query parameters: `code` (workshop join code), `p` (participant token), `map` (a team map's
private link token). A browser is remembered by the HttpOnly cookie that orgkit/web.py sets
(`device()`): a phone that scans the QR again is the same participant, and a facilitator's
unlock is kept in the database for that browser, in every tab, for a working day. The PIN and
the cookie never go into a URL; without the cookie (AppTest, `streamlit run home.py`) an unlock
lives in this browser session only and the URL token keeps a participant.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from .. import identity
from ..domain import Actor, Role
from ..i18n import Message
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
    """Who is looking, as identity.who_is_looking decides it from this browser's inputs."""
    workshop, map_row, actor, token, problems = identity.who_is_looking(
        store, map_token=_param("map"), code=_param("code"), participant_token=_param("p"),
        device=device(), unlocked=lambda workshop_id: is_unlocked(store, workshop_id))
    return Context(store=store, actor=actor, workshop=workshop, map=map_row,
                   participant_token=token, problems=problems)
