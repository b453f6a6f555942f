"""Addresses handed to phones: the join link, a page's full URL, and their QR codes.

ORGKIT_PUBLIC_URL wins (behind a proxy the browser's address may be an internal one). Else the
address this browser opened the app at, except that a loopback one (the README's
http://localhost:8501) is replaced by this machine's network address, as `streamlit run` prints
it ("Network URL"); when the machine has none, the address is unreachable from a phone.
"""
from __future__ import annotations

import functools
import html
import ipaddress
import os
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st

from .. import network


def _base_url() -> tuple[str, bool]:
    """The address of the app for a phone in the room, and whether a phone can reach it."""
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


@functools.lru_cache(maxsize=64)
def qr_image(url: str, alt: str) -> str:
    """An <img> of the URL's QR code as an SVG data URI (segno: no image libraries needed); `alt`
    is the rendered text a screen reader reads.

    st.html's sanitiser drops inline <svg>; an image with a data URI passes and scales crisply."""
    return f'<img src="{qr_data_uri(url)}" alt="{html.escape(alt)}">'


def qr_data_uri(url: str) -> str:
    """The URL's QR code as an SVG data URI, for an <img> here or in a printed document."""
    return segno.make(url, error="m").svg_data_uri(scale=7, dark="#111418", light="#ffffff")
