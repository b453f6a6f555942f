"""Commitments: what each person in the room says they will do next.

Rows are read by the one who made them, by the workshop (its facilitator) and by the map whose
entry they name; which of those a person may read is the commitments service's rule, not this
module's. `signature` is what a poll reads first: a projector's view is rebuilt only when it moved.
"""
from __future__ import annotations

from collections.abc import Callable

from .database import Database

COLUMNS = ("map_id", "entry_id", "kind", "other_text", "with_whom", "due_on", "name",
           "show_name")


class CommitmentRepo:
    """SQL for the commitments table; `clock` is the map repository's (one clock per store,
    which tests move)."""

    def __init__(self, db: Database, clock: Callable[[], float]):
        self.db = db
        self.clock = clock

    def insert(self, workshop_id: int, participant_id: int, fields: dict,
               idempotency_key: str | None) -> tuple[int, bool]:
        """Insert once per (participant, idempotency key): (id, whether it is new)."""
        now = self.clock()
        row = {**{name: fields[name] for name in COLUMNS}, "workshop_id": workshop_id,
               "participant_id": participant_id, "idempotency_key": idempotency_key,
               "created_at": now, "updated_at": now}
        return self.db.insert_once("commitments", row, ("participant_id", "idempotency_key"))

    def update(self, commitment_id: int, participant_id: int, fields: dict) -> int:
        """Rewrite a person's own commitment; returns rows changed (0: not theirs or gone)."""
        assignments = ", ".join(f"{name} = :{name}" for name in COLUMNS)
        return self.db.execute(
            f"UPDATE commitments SET {assignments}, updated_at = :now "
            "WHERE id = :id AND participant_id = :p",
            {**{name: fields[name] for name in COLUMNS}, "now": self.clock(),
             "id": commitment_id, "p": participant_id})

    def delete(self, commitment_id: int, participant_id: int) -> int:
        return self.db.execute("DELETE FROM commitments WHERE id = :id AND participant_id = :p",
                               {"id": commitment_id, "p": participant_id})

    def set_done(self, commitment_id: int, kept: bool) -> int:
        """Mark a commitment kept now (or not kept: the mark taken back); returns rows changed."""
        at = self.clock()
        return self.db.execute(
            "UPDATE commitments SET done_at = :d, updated_at = :now WHERE id = :id",
            {"d": at if kept else None, "now": at, "id": commitment_id})

    def map_of(self, commitment_id: int) -> int | None:
        """The map whose entry the commitment names (None: it names none, or it is gone)."""
        return self.db.scalar("SELECT e.map_id FROM commitments c JOIN entries e ON "
                              "e.id = c.entry_id WHERE c.id = :id", {"id": commitment_id})

    def get(self, commitment_id: int) -> dict | None:
        return self.db.one("SELECT * FROM commitments WHERE id = :id", {"id": commitment_id})

    def count_of(self, participant_id: int) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM commitments WHERE participant_id = :p",
                                  {"p": participant_id}))

    def of_participant(self, participant_id: int) -> list[dict]:
        return self.db.query("SELECT * FROM commitments WHERE participant_id = :p "
                             "ORDER BY due_on, id", {"p": participant_id})

    def of_workshop(self, workshop_id: int, start: str | None = None,
                    end: str | None = None) -> list[dict]:
        """The workshop's commitments by date, with the name the person joined with; only
        those due from `start` to `end` (ISO dates, both included) when given."""
        return self.db.query(
            "SELECT c.*, p.display_name FROM commitments c "
            "JOIN participants p ON p.id = c.participant_id WHERE c.workshop_id = :w"
            f"{_due_between(start, end)} ORDER BY c.due_on, c.id",
            {"w": workshop_id, "s": start, "e": end})

    def naming_map(self, map_id: int, start: str | None = None,
                   end: str | None = None) -> list[dict]:
        """The commitments that name an entry of this map (due from `start` to `end`)."""
        return self.db.query(
            "SELECT c.* FROM commitments c JOIN entries e ON e.id = c.entry_id "
            f"WHERE e.map_id = :m{_due_between(start, end)} ORDER BY c.due_on, c.id",
            {"m": map_id, "s": start, "e": end})

    def signature(self, workshop_id: int) -> tuple:
        """(count, newest change, highest id) of the workshop's commitments: one indexed read
        that moves with every insert, edit and delete (the projector's cache key)."""
        row = self.db.one("SELECT COUNT(*) AS n, MAX(updated_at) AS t, MAX(id) AS i "
                          "FROM commitments WHERE workshop_id = :w", {"w": workshop_id})
        return (int(row["n"]), row["t"], row["i"])


def _due_between(start: str | None, end: str | None) -> str:
    """The conditions on due_on for a range whose ends may be open (PostgreSQL cannot type a
    NULL parameter compared in SQL, so an open end is left out instead)."""
    return (" AND c.due_on >= :s" if start else "") + (" AND c.due_on <= :e" if end else "")
