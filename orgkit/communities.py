"""The communities a team wants to reach: a short list the team sets on its map.

Entries carry the communities they reach as free tags; this list says which ones the team is
trying to reach, so the coverage heatmap can show a wanted community nobody on the map reaches
yet, and the gap finder can flag it. It is stored on the map row, "; "-joined like an entry's
tags, and compared with entries' tags ignoring case, so "seniors" on the list matches
"Seniors" on an entry.
"""
from __future__ import annotations

import re

from . import maps
from .coverage import wanted_of
from .domain import Actor, ValidationError
from .storage import Store
from .validation import clean_text

FIELD = "Communities we want to reach"
WANTED_MAX = 30
TAG_MAX = maps.TAG_MAX  # the same limit as an entry's tags, so every wanted one can match
_SEPARATORS = re.compile(r"[;,|\r\n]")  # a line each, or the separators entry tags accept


def clean_wanted(value: object) -> str:
    """A list, or text with one community per line (or ;-separated), each at most TAG_MAX
    characters, at most WANTED_MAX, repeats (ignoring case) dropped; returns them "; "-joined."""
    if isinstance(value, (list, tuple)):
        parts = [str(p) for p in value]
    else:
        parts = _SEPARATORS.split("" if value is None else str(value))
    kept: dict[str, str] = {}
    for part in parts:
        tag = clean_text(part, FIELD, max_len=TAG_MAX)
        kept.setdefault(tag.casefold(), tag)
    kept.pop("", None)
    if len(kept) > WANTED_MAX:
        raise ValidationError(FIELD, f"has {len(kept)} communities; the limit is {WANTED_MAX}.")
    return maps.TAG_SEPARATOR.join(kept.values())


def set_wanted(store: Store, actor: Actor, map_id: int, value: object) -> list[str]:
    """Replace a map's wanted communities (its team or the facilitator only); returns them."""
    maps.get_map(store, actor, map_id)
    tags = clean_wanted(value)
    store.maps.set_wanted_constituencies(map_id, tags)
    return wanted_of({"wanted_constituencies": tags})
