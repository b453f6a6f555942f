"""What the board and map repositories share: a workshop's table whose rows carry a revision.

Every write to a board or a map bumps its row's `revision` in the same transaction (see each
repository's docstring for why it bumps first), so readers key their caches by (row, revision).
The table name is the subclass's own constant, never input.
"""
from __future__ import annotations

from .database import Database


class RevisionedRepo:
    """get, for_workshop, revision and bump on the subclass's TABLE."""

    TABLE: str

    def __init__(self, db: Database):
        self.db = db

    def get(self, row_id: int) -> dict | None:
        return self.db.one(f"SELECT * FROM {self.TABLE} WHERE id = :id", {"id": row_id})

    def for_workshop(self, workshop_id: int) -> list[dict]:
        return self.db.query(f"SELECT * FROM {self.TABLE} WHERE workshop_id = :w ORDER BY id",
                             {"w": workshop_id})

    def revision(self, row_id: int) -> int | None:
        """The row's revision: one indexed read, the first thing every poll does."""
        return self.db.scalar(f"SELECT revision FROM {self.TABLE} WHERE id = :id", {"id": row_id})

    def bump(self, row_id: int) -> int:
        """Advance the row's revision, inside the transaction of the write."""
        return int(self.db.scalar(
            f"UPDATE {self.TABLE} SET revision = revision + 1 WHERE id = :id RETURNING revision",
            {"id": row_id}))
