"""The HTTP edge of the app: a remembered-browser cookie and the headers a venue network needs.

Streamlit's script cannot set a cookie mid-session, but `streamlit.starlette.App` takes Starlette
middleware, so this ASGI middleware runs on every HTTP response and WebSocket handshake of the
server (app.py builds the App with it). It:

- gives each browser a random `orgkit_device` cookie (HttpOnly, SameSite=Lax, Secure behind
  HTTPS) the first time it loads a page; the script reads it back from `st.context.cookies`. A
  phone that scans the QR again is the same participant by it, and a facilitator's unlock lives in
  the database against its digest, so no secret ever sits in a URL a projector shows;
- refuses to be framed (`X-Frame-Options: DENY`, CSP `frame-ancestors 'none'`), sends
  `nosniff` and a same-origin referrer policy;
- serves the page as `<html lang>` the reader's language: the page's script keeps the language
  this browser read last in a plain `orgkit_lang` cookie (not a secret), a link may carry `lang`;
  the served document says the first of them (i18n.choose_language) before any script runs, and
  the script sets it again in the live document (orgkit/ui/setup.py);
- answers only requests whose Host is a loopback name, one of this machine's own addresses
  (orgkit.network, read again every few seconds so a laptop that changes Wi-Fi keeps working)
  or `ORGKIT_PUBLIC_URL`'s host: a name a page elsewhere rebinds to the laptop's address (DNS
  rebinding) gets a plain 421 on HTTP and a closed WebSocket, and the log says, once per name,
  which setting would admit it.

Pure ASGI, no streamlit import: it is tested with Starlette's test client.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from . import network
from .i18n import DEFAULT_LANGUAGE, choose_language

DEVICE_COOKIE = "orgkit_device"
LANGUAGE_COOKIE = "orgkit_lang"  # the language this browser read last; set by the page's script
SERVED_HTML_LANG = b'<html lang="en"'  # Streamlit's index.html; each code of ours has 2 letters
DEVICE_MAX_AGE_S = 400 * 24 * 3600  # the longest a browser keeps a cookie (Chromium's cap)
_DEVICE_VALUE = re.compile(r"[A-Za-z0-9_-]{20,64}")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
REFUSED_LOGGED_MAX = 100  # distinct refused names logged; a flood of names cannot fill the log
log = logging.getLogger(__name__)
_refused_logged: set[str] = set()  # once per name and process

SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def valid_device(value: object) -> str | None:
    """The cookie's value if it is one we could have issued, else None."""
    return value if isinstance(value, str) and _DEVICE_VALUE.fullmatch(value) else None


def allowed_hosts(public_url: str | None = None) -> frozenset[str]:
    """The Host names the server always answers: loopback, and ORGKIT_PUBLIC_URL's host when
    set (the machine's own addresses are added per request, as they are now)."""
    public_url = os.environ.get("ORGKIT_PUBLIC_URL", "") if public_url is None else public_url
    host = urlsplit(public_url.strip()).hostname
    return LOOPBACK_HOSTS | ({host.lower()} if host else set())


def _host_name(header: str) -> str:
    """The host part of a Host header ("[::1]:8501" -> "::1", "a.org:443" -> "a.org")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _cookie(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    for key, value in headers:
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                found, _, content = part.strip().partition("=")
                if found == name:
                    return content
    return None


def served_language(scope) -> str:
    """The language a page is served in: the one this browser read last, else the link's."""
    headers = scope.get("headers", [])
    query = parse_qs(scope.get("query_string", b"").decode("latin-1")[:2000])
    return choose_language(remembered=_cookie(headers, LANGUAGE_COOKIE),
                           link=(query.get("lang") or [None])[0])


class EdgeMiddleware:
    """The cookie, the headers and the Host check, for HTTP and WebSocket scopes."""

    def __init__(self, app, *, hosts: frozenset[str] | None = None,
                 addresses: Callable[[], frozenset[str]] = network.machine_addresses):
        self.app = app
        self.hosts = hosts if hosts is not None else allowed_hosts()
        self.addresses = addresses

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = scope.get("headers", [])
        host = _host_name(next((v.decode("latin-1") for k, v in headers if k == b"host"), ""))
        if host not in self.hosts and host not in self.addresses():
            self._log_refusal(host)
            return await _refuse(scope, receive, send)
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)
        new_cookie = None
        if valid_device(_cookie(headers, DEVICE_COOKIE)) is None:
            forwarded = next((v for k, v in headers if k == b"x-forwarded-proto"), b"")
            secure = "; Secure" if scope.get("scheme") == "https" or forwarded == b"https" else ""
            new_cookie = (f"{DEVICE_COOKIE}={secrets.token_urlsafe(24)}; Path=/; HttpOnly; "
                          f"SameSite=Lax; Max-Age={DEVICE_MAX_AGE_S}{secure}").encode()

        language = served_language(scope)
        if language != DEFAULT_LANGUAGE and "." not in scope.get("path", "").rsplit("/", 1)[-1]:
            # A page (no file extension): ask for it uncompressed, so its <html lang> can be said.
            scope = {**scope, "headers": [(k, v) for k, v in headers if k != b"accept-encoding"]}
        html = [False]  # whether this response is a page whose <html lang> we say

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS)
                if new_cookie:
                    extra.append((b"set-cookie", new_cookie))
                given = dict(message.get("headers", []))
                html[0] = (language != DEFAULT_LANGUAGE and b"content-encoding" not in given
                           and given.get(b"content-type", b"").startswith(b"text/html"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            elif html[0] and message["type"] == "http.response.body":
                # Same length (two letters for two), so Content-Length still holds.
                body = message.get("body", b"").replace(
                    SERVED_HTML_LANG, b'<html lang="' + language.encode() + b'"', 1)
                message = {**message, "body": body}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _log_refusal(host: str) -> None:
        if host in _refused_logged or len(_refused_logged) >= REFUSED_LOGGED_MAX:
            return
        _refused_logged.add(host)
        log.warning("Refused a request for host %r (answered with 421): this server answers "
                    "loopback names, this machine's own addresses and ORGKIT_PUBLIC_URL's host; "
                    "set ORGKIT_PUBLIC_URL to an address with that host to admit it.", host[:80])


async def _refuse(scope, receive, send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = b"This server does not answer for that host name.\n"
    await send({"type": "http.response.start", "status": 421,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})
