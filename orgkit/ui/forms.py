"""Forms and answers every screen shares: the join-code and PIN forms, an error as the person
reads it, and the keys that make a double click count once and a mirrored widget follow its
stored value."""
from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Mapping

import streamlit as st
from babel import Locale

from ..domain import CODE_TYPED_MAX, OrgKitError, ValidationError
from ..i18n import LANGUAGES, Message, _
from ..markdown import escape
from ..workshop import service as workshops
from ..workshop.model import Workshop
from .identity import Context, device, unlock_here


def error_text(exc: OrgKitError) -> str:
    """A rule's message as the person reads it: a bad input names its field, then the problem."""
    if isinstance(exc, ValidationError):
        return _("{field}: {problem}", field=_(exc.field), problem=_(exc.problem))
    return _(exc.message)


def shown(value: Message | str | None) -> str:
    """A value from the core that is either our text (a Message) or a person's (as typed):
    the first rendered, the second never looked up as an id."""
    return _(value) if isinstance(value, Message) else (value or "")


def show_error(exc: OrgKitError) -> None:
    """A rule's message, as written for the person (user text in it inert); never a traceback."""
    st.error(escape(error_text(exc)))


def in_languages(field: Callable[..., str], label: str, key: str, language: str,
                 values: Mapping[str, str] | None = None, **options) -> str | dict[str, str]:
    """A text the facilitator writes for the room (a prompt, reference notes, the question
    bank): `field` (st.text_input, st.text_area) in the reader's language, then, collapsed unless
    it holds text, the same field for each other language. What the core takes: the text, or
    language -> text (the first field first) when another language was written."""
    values = values or {}
    first = field(label, key=key, value=values.get(language, ""), **options)
    others = [other for other in LANGUAGES if other != language]
    texts = {language: first}
    with st.expander(_("In another language (each reader sees theirs)"),
                     expanded=any(values.get(other) for other in others),
                     key=f"{key}_languages"):
        for other in others:
            name = Locale.parse(other).get_display_name(language)
            texts[other] = field(_("{label} ({language})", label=label, language=name),
                                 key=f"{key}_{other}", value=values.get(other, ""), **options)
    return texts if any(texts[other] for other in others) else first


def join_form(ctx: Context, key: str, *, help: str | None = None) -> Workshop | None:
    """The join-code form (home page, join page): the workshop the typed code names, once."""
    with st.form(key):
        code = st.text_input(_("Join code"), max_chars=CODE_TYPED_MAX,
                             placeholder=_("e.g. {code}", code="K7PX3M"), help=help,
                             key=f"{key}_field")
        if st.form_submit_button(_("Join"), type="primary", key=f"{key}_submit"):
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
        pin = st.text_input(_("Facilitator PIN"), type="password", key=f"{key}_pin")
        if st.form_submit_button(_("Unlock facilitator tools"), key=f"{key}_submit"):
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
