"""The communities a team wants to reach: a short list the team sets on its map.

Entries carry the communities they reach as free tags; this list says which ones the team is
trying to reach, so the coverage heatmap can show a wanted community nobody on the map reaches
yet, and the gap finder can flag it. It is stored on the map row, "; "-joined like an entry's
tags, and compared with entries' tags ignoring case, so "seniors" on the list matches
"Seniors" on an entry.
"""
from __future__ import annotations

from ..domain import Actor
from ..storage import Store
from . import model as map_model
from . import service as maps

FIELD = "Communities we want to reach"
WANTED_MAX = 30


def clean_wanted(value: object) -> str:
    """A list, or text with one community per line (or ;-separated), each at most
    map_model.TAG_MAX characters (an entry's tag limit, so every wanted one can match), at most
    WANTED_MAX, repeats (ignoring case) dropped; returns them "; "-joined. The rules of an
    entry's tags (map_model.clean_tags), with lines as separators too."""
    if isinstance(value, str):
        value = value.replace("\r", ";").replace("\n", ";")
    return map_model.clean_tags(value, FIELD, limit=WANTED_MAX, noun="communities")


@maps.recorded
def set_wanted(store: Store, actor: Actor, map_id: int, value: object) -> list[str]:
    """Replace a map's wanted communities (its team or the facilitator only); returns them."""
    maps.get_map(store, actor, map_id)
    tags = clean_wanted(value)
    store.maps.set_wanted_constituencies(map_id, tags)
    return map_model.split_tags(tags)
