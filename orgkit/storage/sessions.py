"""The guided session: a workshop's agenda steps, the room's step, and agenda templates.

One revision per workshop (`workshop_sessions.revision`) covers the room's step and the whole
agenda: every write bumps it first, in the same transaction, which also takes the row's lock on
PostgreSQL, so two moves or edits of one workshop run one after the other (on SQLite,
`BEGIN IMMEDIATE` already serialises writers). A poll reads that one row.

Title, text and content are stored as JSON text; orgkit.session decodes and checks them. Rules
(who may move, what a step holds) live in orgkit/session/; this module only stores.
"""
from __future__ import annotations

import json
import time

from .database import Database

STEP_COLUMNS = ("position", "kind", "title", "body", "duration_s", "content")


def _encoded(fields: dict) -> dict:
    return {name: json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list))
            else value for name, value in fields.items()}


def _decoded(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {**row, **{name: json.loads(row[name]) for name in ("title", "body", "content")}}


class SessionRepo:
    """SQL for agenda_steps, workshop_sessions and agenda_templates."""

    def __init__(self, db: Database):
        self.db = db

    # -- the room's step ---------------------------------------------------------------------

    def poll(self, workshop_id: int) -> dict | None:
        """(revision, current_step_id, step_started_at) in one indexed read; None before the
        workshop's agenda exists."""
        return self.db.one("SELECT revision, current_step_id, step_started_at FROM "
                           "workshop_sessions WHERE workshop_id = :w", {"w": workshop_id})

    def open(self, workshop_id: int) -> bool:
        """Create the workshop's session row; True when this call created it (the caller then
        writes the first agenda, in the same transaction)."""
        return self.db.one(
            "INSERT INTO workshop_sessions (workshop_id) VALUES (:w) "
            "ON CONFLICT (workshop_id) DO NOTHING RETURNING workshop_id",
            {"w": workshop_id}) is not None

    def bump(self, workshop_id: int) -> int:
        """Advance the workshop's revision, inside the transaction of the write."""
        return int(self.db.scalar(
            "UPDATE workshop_sessions SET revision = revision + 1 WHERE workshop_id = :w "
            "RETURNING revision", {"w": workshop_id}))

    def move(self, workshop_id: int, from_step: int | None, to_step: int | None,
             now: float) -> bool:
        """Set the room's step to `to_step` only if it is still `from_step` (None: not started);
        False when the room was elsewhere (a stale or repeated click)."""
        where = "current_step_id IS NULL" if from_step is None else "current_step_id = :f"
        return self.db.execute(
            "UPDATE workshop_sessions SET current_step_id = :t, step_started_at = :now, "
            f"revision = revision + 1 WHERE workshop_id = :w AND {where}",
            {"w": workshop_id, "f": from_step, "t": to_step,
             "now": None if to_step is None else now}) > 0

    # -- steps -------------------------------------------------------------------------------

    def steps(self, workshop_id: int) -> list[dict]:
        return [_decoded(row) for row in self.db.query(
            "SELECT * FROM agenda_steps WHERE workshop_id = :w ORDER BY position, id",
            {"w": workshop_id})]

    def step(self, step_id: int) -> dict | None:
        return _decoded(self.db.one("SELECT * FROM agenda_steps WHERE id = :id", {"id": step_id}))

    def insert_step(self, workshop_id: int, **fields) -> int:
        return self.db.insert_row("agenda_steps", {"workshop_id": workshop_id,
                                                   **_encoded(fields)})

    def update_step(self, step_id: int, **fields) -> None:
        assignments = ", ".join(f"{name} = :{name}" for name in fields if name in STEP_COLUMNS)
        self.db.execute(f"UPDATE agenda_steps SET {assignments} WHERE id = :id",
                        {**_encoded(fields), "id": step_id})

    def delete_step(self, step_id: int) -> None:
        self.db.execute("DELETE FROM agenda_steps WHERE id = :id", {"id": step_id})

    def set_order(self, step_ids: list[int]) -> None:
        """Positions 0, 1, 2 ... in the order given."""
        self.db.executemany("UPDATE agenda_steps SET position = :p WHERE id = :id",
                            [{"p": n, "id": step_id} for n, step_id in enumerate(step_ids)])

    def delete_steps(self, workshop_id: int) -> None:
        self.db.execute("DELETE FROM agenda_steps WHERE workshop_id = :w", {"w": workshop_id})

    # -- templates ---------------------------------------------------------------------------

    def save_template(self, name: str, data: str) -> int:
        """Insert or replace the template of this name; its id."""
        return int(self.db.scalar(
            "INSERT INTO agenda_templates (name, data, created_at) VALUES (:n, :d, :t) "
            "ON CONFLICT (name) DO UPDATE SET data = :d, created_at = :t RETURNING id",
            {"n": name, "d": data, "t": time.time()}))

    def templates(self) -> list[dict]:
        return self.db.query("SELECT id, name FROM agenda_templates ORDER BY name")

    def template(self, template_id: int) -> dict | None:
        return self.db.one("SELECT * FROM agenda_templates WHERE id = :id", {"id": template_id})
