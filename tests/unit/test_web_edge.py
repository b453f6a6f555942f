"""The HTTP edge (orgkit/web.py) as an ASGI middleware around a stand-in app: the remembered-
browser cookie, framing refused, the Host allow-list from ORGKIT_PUBLIC_URL."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from orgkit.web import DEVICE_COOKIE, EdgeMiddleware, allowed_hosts, valid_device


async def _inner(scope, receive, send):
    if scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-app", b"1")]})
    await send({"type": "http.response.body", "body": b"page"})


def _call(scope_type="http", *, host="127.0.0.1:8501", cookie=None, hosts=None, scheme="http",
          forwarded=None):
    headers = [(b"host", host.encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    if forwarded:
        headers.append((b"x-forwarded-proto", forwarded.encode()))
    scope = {"type": scope_type, "headers": headers, "scheme": scheme, "path": "/"}
    sent = []

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    # A thread of its own: the browser tests of a full run leave Playwright's loop running here.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, EdgeMiddleware(_inner, hosts=hosts)(scope, receive, send)).result()
    return sent


def _headers(sent) -> dict[bytes, list[bytes]]:
    found: dict[bytes, list[bytes]] = {}
    for key, value in sent[0].get("headers", []):
        found.setdefault(key, []).append(value)
    return found


def test_a_new_browser_gets_an_httponly_device_cookie_and_framing_is_refused():
    headers = _headers(_call())
    cookie = headers[b"set-cookie"][0].decode()
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    assert cookie.startswith(f"{DEVICE_COOKIE}=") and valid_device(value)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert headers[b"x-frame-options"] == [b"DENY"]
    assert headers[b"content-security-policy"] == [b"frame-ancestors 'none'"]
    assert headers[b"x-app"] == [b"1"]  # the app's own headers are kept


def test_a_remembered_browser_keeps_its_cookie():
    headers = _headers(_call(cookie=f"other=1; {DEVICE_COOKIE}={'a' * 32}"))
    assert b"set-cookie" not in headers and headers[b"x-frame-options"] == [b"DENY"]


@pytest.mark.parametrize("value", ["", "short", "x" * 65, "bad;value!!!!!!!!!!!!!!!!!"])
def test_a_forged_or_mangled_cookie_is_replaced(value):
    assert b"set-cookie" in _headers(_call(cookie=f"{DEVICE_COOKIE}={value}"))


def test_behind_https_the_cookie_is_secure():
    assert b"Secure" in _headers(_call(forwarded="https"))[b"set-cookie"][0]


def test_with_a_public_url_only_its_host_and_loopback_are_answered():
    hosts = allowed_hosts("https://orgkit.example.org/spring")
    assert hosts == {"orgkit.example.org", "localhost", "127.0.0.1", "::1"}
    assert _call(host="orgkit.example.org", hosts=hosts)[0]["status"] == 200
    assert _call(host="localhost:8501", hosts=hosts)[0]["status"] == 200
    assert _call(host="[::1]:8501", hosts=hosts)[0]["status"] == 200
    refused = _call(host="evil.example:8501", hosts=hosts)  # DNS rebinding
    assert refused[0]["status"] == 421 and b"host name" in refused[1]["body"]
    assert _call("websocket", host="evil.example", hosts=hosts)[0] == {
        "type": "websocket.close", "code": 1008}


def test_without_a_public_url_any_host_is_answered():
    assert allowed_hosts("") is None
    assert _call(host="192.0.2.7:8501", hosts=None)[0]["status"] == 200
