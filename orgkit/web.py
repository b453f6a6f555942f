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
- when `ORGKIT_PUBLIC_URL` is set, answers only requests whose Host is that URL's host or a
  loopback one (DNS rebinding), with a plain 421 otherwise.

Pure ASGI, no streamlit import: it is tested with Starlette's test client.
"""
from __future__ import annotations

import os
import re
import secrets
from urllib.parse import urlsplit

DEVICE_COOKIE = "orgkit_device"
DEVICE_MAX_AGE_S = 400 * 24 * 3600  # the longest a browser keeps a cookie (Chromium's cap)
_DEVICE_VALUE = re.compile(r"[A-Za-z0-9_-]{20,64}")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def valid_device(value: object) -> str | None:
    """The cookie's value if it is one we could have issued, else None."""
    return value if isinstance(value, str) and _DEVICE_VALUE.fullmatch(value) else None


def allowed_hosts(public_url: str | None = None) -> frozenset[str] | None:
    """The Host names the server answers, or None (any) when no public URL is configured."""
    public_url = os.environ.get("ORGKIT_PUBLIC_URL", "") if public_url is None else public_url
    host = urlsplit(public_url.strip()).hostname
    return None if not host else LOOPBACK_HOSTS | {host.lower()}


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


class EdgeMiddleware:
    """The cookie, the headers and the Host check, for HTTP and WebSocket scopes."""

    def __init__(self, app, *, hosts: frozenset[str] | None = None):
        self.app = app
        self.hosts = hosts if hosts is not None else allowed_hosts()

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = scope.get("headers", [])
        if self.hosts is not None:
            host = next((v.decode("latin-1") for k, v in headers if k == b"host"), "")
            if _host_name(host) not in self.hosts:
                return await _refuse(scope, receive, send)
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)
        new_cookie = None
        if valid_device(_cookie(headers, DEVICE_COOKIE)) is None:
            forwarded = next((v for k, v in headers if k == b"x-forwarded-proto"), b"")
            secure = "; Secure" if scope.get("scheme") == "https" or forwarded == b"https" else ""
            new_cookie = (f"{DEVICE_COOKIE}={secrets.token_urlsafe(24)}; Path=/; HttpOnly; "
                          f"SameSite=Lax; Max-Age={DEVICE_MAX_AGE_S}{secure}").encode()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS)
                if new_cookie:
                    extra.append((b"set-cookie", new_cookie))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(scope, receive, send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = b"This server does not answer for that host name.\n"
    await send({"type": "http.response.start", "status": 421,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})
