"""Brainstorm boards: boards, themes, items, votes.

Every write to a board bumps `boards.revision` first, in the same transaction. Bumping first also
takes the board's row lock on PostgreSQL, so concurrent writes to one board are serialised and
checks such as the vote limit cannot race.
"""
from __future__ import annotations

import time

from .database import Database


class BoardRepo:
    """SQL for boards, themes, items and votes."""

    def __init__(self, db: Database):
        self.db = db

    def create(self, workshop_id: int, prompt: str, **settings) -> int:
        return self.db.insert_row("boards", {
            "workshop_id": workshop_id, "prompt": prompt, **settings, "created_at": time.time()})

    def get(self, board_id: int) -> dict | None:
        return self.db.one("SELECT * FROM boards WHERE id = :id", {"id": board_id})

    def for_workshop(self, workshop_id: int) -> list[dict]:
        return self.db.query("SELECT * FROM boards WHERE workshop_id = :w ORDER BY id",
                             {"w": workshop_id})

    def revision(self, board_id: int) -> int | None:
        """The board's revision: one indexed read, the first thing every poll does."""
        return self.db.scalar("SELECT revision FROM boards WHERE id = :id", {"id": board_id})

    def bump(self, board_id: int) -> int:
        """Advance the board's revision; call first inside the transaction of the write."""
        return int(self.db.scalar(
            "UPDATE boards SET revision = revision + 1 WHERE id = :id RETURNING revision",
            {"id": board_id}))

    def insert_theme(self, board_id: int, name: str) -> int:
        with self.db.atomic():
            self.bump(board_id)
            return self.db.insert_row("themes", {
                "board_id": board_id, "name": name, "created_at": time.time()})

    def insert_item(self, board_id: int, *, text: str, participant_id: int | None,
                    author_name: str = "", status: str = "visible", theme_id: int | None = None,
                    idempotency_key: str | None = None, created_at: float | None = None) -> int:
        now = time.time()
        with self.db.atomic():
            self.bump(board_id)
            return self.db.insert_row("items", {
                "board_id": board_id, "participant_id": participant_id, "author_name": author_name,
                "text": text, "status": status, "theme_id": theme_id,
                "idempotency_key": idempotency_key, "created_at": created_at or now,
                "updated_at": now})

    def insert_vote(self, board_id: int, item_id: int, participant_id: int) -> None:
        with self.db.atomic():
            self.bump(board_id)
            self.db.execute(
                "INSERT INTO votes (item_id, participant_id, created_at) VALUES (:i, :p, :t)",
                {"i": item_id, "p": participant_id, "t": time.time()})

    def items(self, board_id: int) -> list[dict]:
        """Items with their vote counts, oldest first."""
        return self.db.query(
            "SELECT i.*, (SELECT COUNT(*) FROM votes v WHERE v.item_id = i.id) AS votes "
            "FROM items i WHERE i.board_id = :b ORDER BY i.created_at, i.id", {"b": board_id})

    def themes(self, board_id: int) -> list[dict]:
        return self.db.query("SELECT * FROM themes WHERE board_id = :b ORDER BY id", {"b": board_id})
