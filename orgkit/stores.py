"""The store as the screens get it: the database the deployment names (`database_url`), opened
with the demo loaded where it is wanted (orgkit.demo.wanted).

orgkit/ui reaches the store through this module and the services, never orgkit.storage itself;
`Store` is here for the screens' annotations.
"""
from __future__ import annotations

from . import demo
from .storage import Store, database_url, open_store

__all__ = ["Store", "database_url", "open_named"]


def open_named(url: str) -> Store:
    """Open (and migrate) the store at `url`, with the demo loaded when the URL wants it."""
    store = open_store(url)
    if demo.wanted(url):
        demo.ensure_demo(store)
    return store
