"""Workshops, their facilitator-unlock bookkeeping, and participants."""
from __future__ import annotations

import time

from .database import Database


class WorkshopRepo:
    """SQL for the workshops and participants tables."""

    def __init__(self, db: Database):
        self.db = db

    def create(self, *, title: str, held_on: str | None, join_code: str, pin_hash: str,
               is_demo: bool = False, idempotency_key: str | None = None,
               language: str = "en") -> int:
        """Insert a workshop (the join code must be unused: UNIQUE) once per idempotency key;
        the same key again returns the first workshop's id."""
        return self.db.insert_once("workshops", {
            "title": title, "held_on": held_on, "join_code": join_code, "pin_hash": pin_hash,
            "is_demo": int(is_demo), "created_at": time.time(),
            "idempotency_key": idempotency_key, "language": language}, ("idempotency_key",))[0]

    def set_language(self, workshop_id: int, language: str) -> None:
        self.db.execute("UPDATE workshops SET language = :l WHERE id = :id",
                        {"l": language, "id": workshop_id})

    def set_bilingual_projector(self, workshop_id: int, on: bool) -> None:
        self.db.execute("UPDATE workshops SET bilingual_projector = :on WHERE id = :id",
                        {"on": int(on), "id": workshop_id})

    # -- each browser's language -------------------------------------------------------------

    def device_language(self, device_hash: str) -> str | None:
        return self.db.scalar("SELECT language FROM device_languages WHERE device_hash = :d",
                              {"d": device_hash})

    def remember_language(self, device_hash: str, language: str) -> None:
        self.db.execute(
            "INSERT INTO device_languages (device_hash, language, updated_at) VALUES (:d, :l, :t)"
            " ON CONFLICT (device_hash) DO UPDATE SET language = :l, updated_at = :t",
            {"d": device_hash, "l": language, "t": time.time()})

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
        with self.db.transaction():
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

    def reserve_source_attempt(self, workshop_id: int, source: str, *, now: float,
                               delay) -> float:
        """Count one attempt from `source`; return the seconds it must still wait (0: go on).

        Run inside the transaction that reserved the workshop-wide attempt, which holds the
        workshop's row: one source's parallel attempts are counted one after the other."""
        row = self.db.one("SELECT failures, blocked_until FROM unlock_attempts "
                          "WHERE workshop_id = :w AND source = :s", {"w": workshop_id, "s": source})
        if row is not None and row["blocked_until"] > now:
            return row["blocked_until"] - now
        failures = (row["failures"] if row else 0) + 1
        # A free try blocks nothing (0, not `now`): parallel attempts take their `now` before
        # they get the lock, so a later one in lock order may carry an earlier time.
        wait = delay(failures)
        self.db.execute(
            "INSERT INTO unlock_attempts (workshop_id, source, failures, blocked_until) "
            "VALUES (:w, :s, :f, :b) ON CONFLICT (workshop_id, source) "
            "DO UPDATE SET failures = :f, blocked_until = :b",
            {"w": workshop_id, "s": source, "f": failures, "b": now + wait if wait else 0.0})
        return 0.0

    def clear_unlock_attempts(self, workshop_id: int, source: str) -> None:
        """A right PIN: forget this source's wrong ones and the workshop's count, lift pauses."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE workshops SET failed_unlocks = 0, unlock_blocked_until = 0 WHERE id = :id",
                {"id": workshop_id})
            self.db.execute("DELETE FROM unlock_attempts WHERE workshop_id = :w AND source = :s",
                            {"w": workshop_id, "s": source})

    # -- participants ------------------------------------------------------------------------

    def add_participant(self, workshop_id: int, token: str, display_name: str = "",
                        device_hash: str | None = None) -> int | None:
        """A new participant's id; None when this browser already has one in the workshop (two
        tabs that joined at the same moment: the unique index lets one through)."""
        now = time.time()
        with self.db.transaction():
            row = self.db.one(
                "INSERT INTO participants (workshop_id, token, display_name, created_at, last_seen,"
                " device_hash) VALUES (:w, :t, :n, :now, :now, :d)"
                " ON CONFLICT (workshop_id, device_hash) DO NOTHING RETURNING id",
                {"w": workshop_id, "t": token, "n": display_name, "now": now, "d": device_hash})
        return None if row is None else int(row["id"])

    def participant_by_device(self, workshop_id: int, device_hash: str) -> dict | None:
        return self.db.one("SELECT * FROM participants WHERE workshop_id = :w AND device_hash = :d",
                           {"w": workshop_id, "d": device_hash})

    def claim_participant(self, participant_id: int, device_hash: str) -> bool:
        """Remember this browser for a participant that has none yet (and the browser has no
        participant in the workshop: the unique index refuses a second)."""
        with self.db.transaction():
            taken = self.db.scalar(
                "SELECT 1 FROM participants p JOIN participants q ON q.workshop_id = p.workshop_id"
                " WHERE p.id = :id AND q.device_hash = :d",
                {"id": participant_id, "d": device_hash})
            if taken:
                return False
            return self.db.execute(
                "UPDATE participants SET device_hash = :d WHERE id = :id AND device_hash IS NULL",
                {"d": device_hash, "id": participant_id}) > 0

    # -- unlocks remembered per browser ------------------------------------------------------

    def remember_unlock(self, workshop_id: int, device_hash: str, expires_at: float) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM facilitator_unlocks WHERE workshop_id = :w AND "
                            "device_hash = :d", {"w": workshop_id, "d": device_hash})
            self.db.execute(
                "INSERT INTO facilitator_unlocks (workshop_id, device_hash, expires_at) "
                "VALUES (:w, :d, :e)", {"w": workshop_id, "d": device_hash, "e": expires_at})

    def unlocked_on(self, workshop_id: int, device_hash: str, now: float) -> bool:
        return self.db.scalar(
            "SELECT 1 FROM facilitator_unlocks WHERE workshop_id = :w AND device_hash = :d "
            "AND expires_at > :now", {"w": workshop_id, "d": device_hash, "now": now}) is not None

    def unlocked_before(self, workshop_id: int, device_hash: str) -> bool:
        """Whether this browser ever unlocked the workshop (now, expired, or locked since)."""
        return self.db.scalar(
            "SELECT 1 FROM facilitator_unlocks WHERE workshop_id = :w AND device_hash = :d",
            {"w": workshop_id, "d": device_hash}) is not None

    def forget_unlock(self, workshop_id: int, device_hash: str) -> None:
        """Lock: the unlock ends now; the row stays as the record that this browser unlocked."""
        self.db.execute("UPDATE facilitator_unlocks SET expires_at = 0 WHERE workshop_id = :w "
                        "AND device_hash = :d", {"w": workshop_id, "d": device_hash})

    def participant(self, participant_id: int) -> dict | None:
        return self.db.one("SELECT * FROM participants WHERE id = :id", {"id": participant_id})

    def participant_by_token(self, token: str) -> dict | None:
        return self.db.one("SELECT * FROM participants WHERE token = :t", {"t": token})

    def rename_participant(self, participant_id: int, display_name: str) -> None:
        self.db.execute("UPDATE participants SET display_name = :n WHERE id = :id",
                        {"n": display_name, "id": participant_id})

    # -- candidate-forum question bank -------------------------------------------------------

    def forum_questions(self, workshop_id: int) -> list[dict]:
        return self.db.query(
            "SELECT id, text, texts, position FROM forum_questions WHERE workshop_id = :w "
            "ORDER BY position, id", {"w": workshop_id})

    def replace_forum_questions(self, workshop_id: int, texts: list[str],
                                local: list[str] | None = None) -> None:
        """Replace the whole bank in one transaction; `local` holds each question's texts by
        language as stored JSON ('{}' when written in one language)."""
        local = local or ["{}"] * len(texts)
        with self.db.transaction():
            self.db.execute("DELETE FROM forum_questions WHERE workshop_id = :w",
                            {"w": workshop_id})
            self.db.executemany(
                "INSERT INTO forum_questions (workshop_id, text, texts, position)"
                " VALUES (:w, :t, :l, :p)",
                [{"w": workshop_id, "t": text, "l": stored, "p": i}
                 for i, (text, stored) in enumerate(zip(texts, local, strict=True))])
