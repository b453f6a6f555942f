"""The HTTP edge (orgkit/web.py) as an ASGI middleware around a stand-in app: the remembered-
browser cookie, framing refused, the Host allow-list (loopback, the machine's own addresses,
ORGKIT_PUBLIC_URL's host)."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import through_edge

from orgkit.web import DEVICE_COOKIE, allowed_hosts, valid_device


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
    return through_edge(_inner, scope, hosts=hosts)


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


def test_without_a_public_url_a_foreign_host_is_refused_with_421_and_one_log_line(caplog):
    hosts = allowed_hosts("")
    assert hosts == {"localhost", "127.0.0.1", "::1"}
    with caplog.at_level("WARNING", logger="orgkit.web"):
        refused = _call(host="rebound.example:8501", hosts=hosts)
        _call(host="rebound.example:8501", hosts=hosts)
        closed = _call("websocket", host="rebound.example", hosts=hosts)
    assert refused[0]["status"] == 421 and closed == [{"type": "websocket.close", "code": 1008}]
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and "'rebound.example'" in lines[0] and "ORGKIT_PUBLIC_URL" in lines[0]
    assert _call("websocket", host="localhost:8501", hosts=hosts) == [
        {"type": "websocket.accept"}]


def test_the_machines_own_addresses_are_answered_as_the_interfaces_have_them_now(monkeypatch):
    """A laptop that joins another Wi-Fi gets a new address while the app runs: it is answered
    once the interfaces are read again (every REREAD_S seconds), the old one no longer."""
    from orgkit import network

    now, interfaces = [1000.0], [frozenset({"127.0.0.1", "10.0.0.5"})]
    monkeypatch.setattr(network, "interface_addresses", lambda: interfaces[0])
    monkeypatch.setattr(network.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(network, "_cache", None)

    def status(host: str) -> int:
        with ThreadPoolExecutor(1) as pool:  # the middleware reads the addresses per request
            return pool.submit(lambda: _call(host=f"{host}:8501", hosts=allowed_hosts(""))
                               [0]["status"]).result()

    assert (status("10.0.0.5"), status("172.20.1.9")) == (200, 421)
    interfaces[0] = frozenset({"127.0.0.1", "172.20.1.9"})  # the new Wi-Fi
    now[0] += 1
    assert status("172.20.1.9") == 421  # read a second ago: not yet
    now[0] += network.REREAD_S
    assert (status("172.20.1.9"), status("10.0.0.5")) == (200, 421)
