"""Workshops, their facilitator-unlock bookkeeping, and participants."""
from __future__ import annotations

import time

from .database import Database


class WorkshopRepo:
    """SQL for the workshops and participants tables."""

    def __init__(self, db: Database):
        self.db = db

    def create(self, *, title: str, held_on: str | None, join_code: str, pin_hash: str,
               is_demo: bool = False, idempotency_key: str | None = None) -> int:
        """Insert a workshop (the join code must be unused: UNIQUE) once per idempotency key;
        the same key again returns the first workshop's id."""
        return self.db.insert_once("workshops", {
            "title": title, "held_on": held_on, "join_code": join_code, "pin_hash": pin_hash,
            "is_demo": int(is_demo), "created_at": time.time(),
            "idempotency_key": idempotency_key}, ("idempotency_key",))[0]

    def get(self, workshop_id: int) -> dict | None:
        return self.db.one("SELECT * FROM workshops WHERE id = :id", {"id": workshop_id})

    def by_code(self, join_code: str) -> dict | None:
        return self.db.one("SELECT * FROM workshops WHERE join_code = :c", {"c": join_code})

    def by_key(self, idempotency_key: str) -> dict | None:
        return self.db.one("SELECT * FROM workshops WHERE idempotency_key = :k",
                           {"k": idempotency_key})

    def code_taken(self, join_code: str) -> bool:
        return self.by_code(join_code) is not None

    def demo(self) -> dict | None:
        return self.db.one("SELECT * FROM workshops WHERE is_demo = 1 ORDER BY id LIMIT 1")

    def count(self) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM workshops"))

    def reserve_unlock_attempt(self, workshop_id: int, *, now: float, max_failures: int,
                               lockout_s: float) -> bool:
        """Count one unlock attempt before the PIN is checked; False while unlocking is paused.

        Reserving first, in one statement, means parallel sessions cannot all pass the check and
        then all try a PIN: the attempt that reaches the limit starts the pause for the rest."""
        with self.db.atomic():
            attempts = self.db.scalar(
                "UPDATE workshops SET failed_unlocks = failed_unlocks + 1 "
                "WHERE id = :id AND unlock_blocked_until <= :now RETURNING failed_unlocks",
                {"id": workshop_id, "now": now})
            if attempts is None:
                return False
            if attempts >= max_failures:
                self.db.execute(
                    "UPDATE workshops SET failed_unlocks = 0, unlock_blocked_until = :t "
                    "WHERE id = :id", {"id": workshop_id, "t": now + lockout_s})
            return True

    def clear_unlock_attempts(self, workshop_id: int) -> None:
        """A right PIN: forget the wrong ones and lift any pause."""
        self.db.execute(
            "UPDATE workshops SET failed_unlocks = 0, unlock_blocked_until = 0 WHERE id = :id",
            {"id": workshop_id})

    # -- participants ------------------------------------------------------------------------

    def add_participant(self, workshop_id: int, token: str, display_name: str = "") -> int:
        now = time.time()
        return self.db.insert_row("participants", {
            "workshop_id": workshop_id, "token": token, "display_name": display_name,
            "created_at": now, "last_seen": now,
        })

    def participant_by_token(self, token: str) -> dict | None:
        return self.db.one("SELECT * FROM participants WHERE token = :t", {"t": token})

    def rename_participant(self, participant_id: int, display_name: str) -> None:
        self.db.execute("UPDATE participants SET display_name = :n WHERE id = :id",
                        {"n": display_name, "id": participant_id})

    def count_participants(self, workshop_id: int) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM participants WHERE workshop_id = :w",
                                  {"w": workshop_id}))

    # -- candidate-forum question bank -------------------------------------------------------

    def forum_questions(self, workshop_id: int) -> list[dict]:
        return self.db.query(
            "SELECT id, text, position FROM forum_questions WHERE workshop_id = :w "
            "ORDER BY position, id", {"w": workshop_id})

    def replace_forum_questions(self, workshop_id: int, texts: list[str]) -> None:
        """Replace the whole bank in one transaction."""
        with self.db.atomic():
            self.db.execute("DELETE FROM forum_questions WHERE workshop_id = :w", {"w": workshop_id})
            self.db.executemany(
                "INSERT INTO forum_questions (workshop_id, text, position) VALUES (:w, :t, :p)",
                [{"w": workshop_id, "t": text, "p": i} for i, text in enumerate(texts)])
