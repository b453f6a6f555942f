"""Leads' reviews: each "Mark reviewed" of a map (or, map_id NULL, of the whole workshop), so
"since the last review" has a moment to compare with."""
from __future__ import annotations

from collections.abc import Callable

from .database import Database


class FollowupRepo:
    """SQL for map_reviews; `clock` is the map repository's (tests move one clock)."""

    def __init__(self, db: Database, clock: Callable[[], float]):
        self.db = db
        self.clock = clock

    def add_review(self, workshop_id: int, map_id: int | None) -> float:
        """Record that a lead reviewed a map (None: the whole workshop) now; returns when."""
        role, name = self.db.author
        at = self.clock()
        self.db.insert_row("map_reviews", {"workshop_id": workshop_id, "map_id": map_id,
                                           "reviewed_at": at, "role": role,
                                           "display_name": name})
        return at

    def reviews(self, workshop_id: int, map_id: int | None) -> list[dict]:
        """The reviews of one map (or of the whole workshop), newest first."""
        scope = "map_id = :m" if map_id is not None else "map_id IS NULL"
        return self.db.query(f"SELECT * FROM map_reviews WHERE workshop_id = :w AND {scope} "
                             "ORDER BY reviewed_at DESC, id DESC", {"w": workshop_id, "m": map_id})
