"""The page is served with `<html lang>` in the reader's language (orgkit/web.py): the language
this browser read last (the page's plain cookie), else the link's `lang`; other responses pass
untouched."""
import pytest
from conftest import through_edge

from orgkit.web import LANGUAGE_COOKIE

PAGE = b'<!doctype html><html lang="en"><head></head><body></body></html>'


def _serve(*, cookie=None, query=b"", content_type=b"text/html", encoding=None):
    async def inner(scope, receive, send):
        headers = [(b"content-type", content_type), (b"content-length", b"%d" % len(PAGE))]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": PAGE})

    headers = [(b"host", b"127.0.0.1:8501")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    scope = {"type": "http", "headers": headers, "scheme": "http", "path": "/join",
             "query_string": query}
    return through_edge(inner, scope, hosts=frozenset({"127.0.0.1"}))[1]["body"]


@pytest.mark.parametrize("options, lang", [
    ({}, b"en"),
    ({"query": b"code=PARTNR&lang=es"}, b"es"),
    ({"cookie": f"{LANGUAGE_COOKIE}=es"}, b"es"),
    ({"cookie": f"{LANGUAGE_COOKIE}=en", "query": b"lang=es"}, b"en"),  # the browser's choice
    ({"cookie": f"{LANGUAGE_COOKIE}=fr", "query": b"lang=xx"}, b"en"),
])
def test_the_page_is_served_in_the_readers_language(options, lang):
    body = _serve(**options)
    assert body == PAGE.replace(b'lang="en"', b'lang="' + lang + b'"')
    assert len(body) == len(PAGE)  # Content-Length still right


def test_only_a_plain_html_page_is_rewritten():
    assert _serve(query=b"lang=es", content_type=b"application/javascript") == PAGE
    assert _serve(query=b"lang=es", encoding=b"gzip") == PAGE
