"""Brainstorm boards: boards, themes, items, votes.

Every write to a board bumps `boards.revision` first, in the same transaction. Bumping first also
takes the board's row lock on PostgreSQL, so concurrent writes to one board are serialised and
checks such as the vote limit cannot race (on SQLite, `BEGIN IMMEDIATE` already serialises writers).

Rules (who may do what, limits, anonymity) live in orgkit/board/; this module only stores.
"""
from __future__ import annotations

import time

from .revisioned import RevisionedRepo


class BoardRepo(RevisionedRepo):
    """SQL for boards, themes, items and votes."""

    TABLE = "boards"

    def create(self, workshop_id: int, prompt: str, *, idempotency_key: str | None = None,
               **settings) -> int:
        """Insert a board once per (workshop, idempotency key): the same key again returns the
        first board's id."""
        return self.db.insert_once("boards", {
            "workshop_id": workshop_id, "prompt": prompt, **settings, "created_at": time.time(),
            "idempotency_key": idempotency_key}, ("workshop_id", "idempotency_key"))[0]

    def insert_theme(self, board_id: int, name: str) -> int:
        with self.db.transaction():
            self.bump(board_id)
            return self.db.insert_row("themes", {
                "board_id": board_id, "name": name, "created_at": time.time()})

    def add_item(self, board_id: int, *, text: str, participant_id: int | None,
                 author_name: str = "", status: str = "visible", theme_id: int | None = None,
                 idempotency_key: str | None = None, created_at: float | None = None,
                 from_floor: bool = False) -> tuple[int, bool]:
        """Insert an item once per idempotency key; return (item id, whether it is new)."""
        now = time.time()
        with self.db.transaction():
            self.bump(board_id)
            row = self.db.one(
                "INSERT INTO items (board_id, participant_id, author_name, text, status, theme_id,"
                " idempotency_key, created_at, updated_at, from_floor) VALUES (:b, :p, :a, :t,"
                " :s, :th, :k, :c, :u, :f) ON CONFLICT (board_id, idempotency_key) DO NOTHING"
                " RETURNING id",
                {"b": board_id, "p": participant_id, "a": author_name, "t": text, "s": status,
                 "th": theme_id, "k": idempotency_key, "c": created_at or now, "u": now,
                 "f": int(from_floor)})
            if row is not None:
                return int(row["id"]), True
            # The same submission arrived before (a double tap, a resend after a reconnect).
            return int(self.db.scalar(
                "SELECT id FROM items WHERE board_id = :b AND idempotency_key = :k",
                {"b": board_id, "k": idempotency_key})), False

    def insert_vote(self, board_id: int, item_id: int, participant_id: int) -> None:
        with self.db.transaction():
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
        return self.db.query("SELECT * FROM themes WHERE board_id = :b ORDER BY id",
                             {"b": board_id})

    # -- reads for the rules and the views ---------------------------------------------------

    def latest_for_workshop(self, workshop_id: int) -> dict | None:
        return self.db.one("SELECT * FROM boards WHERE workshop_id = :w ORDER BY id DESC LIMIT 1",
                           {"w": workshop_id})

    def poll(self, board_id: int) -> tuple[int, int] | None:
        """(revision, participants who joined the workshop) in one indexed read, or None."""
        row = self.db.one(
            "SELECT b.revision AS revision, (SELECT COUNT(*) FROM participants p"
            " WHERE p.workshop_id = b.workshop_id) AS participants FROM boards b WHERE b.id = :id",
            {"id": board_id})
        return None if row is None else (int(row["revision"]), int(row["participants"]))

    def item(self, item_id: int) -> dict | None:
        """One item with its vote count and its board's workshop."""
        return self.db.one(
            "SELECT i.*, b.workshop_id AS workshop_id, (SELECT COUNT(*) FROM votes v"
            " WHERE v.item_id = i.id) AS votes FROM items i JOIN boards b ON b.id = i.board_id"
            " WHERE i.id = :id", {"id": item_id})

    def display_name(self, participant_id: int) -> str:
        """The name a participant gave (blank when none), for authorship on named boards."""
        return self.db.scalar("SELECT display_name FROM participants WHERE id = :id",
                              {"id": participant_id}) or ""

    def theme(self, theme_id: int) -> dict | None:
        return self.db.one("SELECT * FROM themes WHERE id = :id", {"id": theme_id})

    def votes_by(self, board_id: int, participant_id: int) -> list[int]:
        """The ids of the items this participant has voted for on this board."""
        return [row["item_id"] for row in self.db.query(
            "SELECT v.item_id FROM votes v JOIN items i ON i.id = v.item_id"
            " WHERE i.board_id = :b AND v.participant_id = :p ORDER BY v.item_id",
            {"b": board_id, "p": participant_id})]

    def activity(self, board_id: int, participant_id: int) -> tuple[list[dict], list[int]]:
        """(the participant's own items with their vote counts, oldest first; ids of the items
        they voted for)."""
        own = self.db.query(
            "SELECT i.*, (SELECT COUNT(*) FROM votes v WHERE v.item_id = i.id) AS votes "
            "FROM items i WHERE i.board_id = :b AND i.participant_id = :p "
            "ORDER BY i.created_at, i.id", {"b": board_id, "p": participant_id})
        voted = self.db.query(
            "SELECT v.item_id FROM votes v JOIN items i ON i.id = v.item_id"
            " WHERE i.board_id = :b AND v.participant_id = :p",
            {"b": board_id, "p": participant_id})
        return own, [r["item_id"] for r in voted]

    def taking_part(self, board_id: int) -> int:
        """How many participants posted an item or cast a vote on this board."""
        return int(self.db.scalar(
            "SELECT COUNT(*) FROM (SELECT participant_id FROM items WHERE board_id = :b"
            " AND participant_id IS NOT NULL UNION SELECT v.participant_id FROM votes v"
            " JOIN items i ON i.id = v.item_id WHERE i.board_id = :b) AS people", {"b": board_id}))

    def matches(self, board_id: int) -> dict[int, dict]:
        """The facilitator's reveal decisions, by reference point number."""
        return {row["point"]: row for row in self.db.query(
            "SELECT point, item_id, raised FROM reveal_matches WHERE board_id = :b",
            {"b": board_id})}

    # -- writes: each bumps the revision first -----------------------------------------------

    def update_board(self, board_id: int, **fields) -> None:
        """Set board columns (names from our own code, never from user input)."""
        sets = ", ".join(f"{name} = :{name}" for name in fields)
        with self.db.transaction():
            self.bump(board_id)
            self.db.execute(f"UPDATE boards SET {sets} WHERE id = :id", {**fields, "id": board_id})

    def update_item(self, board_id: int, item_id: int, **fields) -> None:
        """Set item columns (names from our own code) and its updated_at."""
        fields["updated_at"] = time.time()
        sets = ", ".join(f"{name} = :{name}" for name in fields)
        with self.db.transaction():
            self.bump(board_id)
            self.db.execute(f"UPDATE items SET {sets} WHERE id = :id AND board_id = :board_id",
                            {**fields, "id": item_id, "board_id": board_id})

    def delete_vote(self, board_id: int, item_id: int, participant_id: int) -> None:
        with self.db.transaction():
            self.bump(board_id)
            self.db.execute("DELETE FROM votes WHERE item_id = :i AND participant_id = :p",
                            {"i": item_id, "p": participant_id})

    def delete_votes_on(self, board_id: int, item_id: int) -> None:
        with self.db.transaction():
            self.bump(board_id)
            self.db.execute("DELETE FROM votes WHERE item_id = :i", {"i": item_id})

    def merge_items(self, board_id: int, source_id: int, target_id: int) -> None:
        """Move the source's votes to the target (one per person) and mark the source merged.

        The source's votes are kept in merged_votes first (moved = carried to the target), so
        unmerge_item can give them back."""
        with self.db.transaction():
            self.bump(board_id)
            self.db.execute("DELETE FROM merged_votes WHERE item_id = :s", {"s": source_id})
            self.db.execute(
                "INSERT INTO merged_votes (item_id, participant_id, moved, created_at)"
                " SELECT :s, v.participant_id, CASE WHEN EXISTS (SELECT 1 FROM votes t"
                " WHERE t.item_id = :t AND t.participant_id = v.participant_id) THEN 0 ELSE 1 END,"
                " v.created_at FROM votes v WHERE v.item_id = :s",
                {"s": source_id, "t": target_id})
            self.db.execute(
                "INSERT INTO votes (item_id, participant_id, created_at)"
                " SELECT :t, participant_id, created_at FROM votes WHERE item_id = :s"
                " ON CONFLICT (item_id, participant_id) DO NOTHING",
                {"s": source_id, "t": target_id})
            self.db.execute("DELETE FROM votes WHERE item_id = :s", {"s": source_id})
            self.db.execute(
                "UPDATE items SET status = 'merged', merged_into = :t, updated_at = :u"
                " WHERE id = :s", {"s": source_id, "t": target_id, "u": time.time()})

    def merged_votes(self, board_id: int, source_id: int, target_id: int) -> list[dict]:
        """The votes a merged item brought, as its merge recorded them (oldest first), each with
        whether the person still votes for the target (`on_target`) and how many votes they hold
        on the board now (`held`): what board_model.votes_back decides from."""
        return self.db.query(
            "SELECT m.participant_id, m.moved, m.created_at, EXISTS (SELECT 1 FROM votes t"
            " WHERE t.item_id = :t AND t.participant_id = m.participant_id) AS on_target,"
            " (SELECT COUNT(*) FROM votes v JOIN items i ON i.id = v.item_id WHERE i.board_id = :b"
            " AND v.participant_id = m.participant_id) AS held"
            " FROM merged_votes m WHERE m.item_id = :s ORDER BY m.created_at",
            {"b": board_id, "s": source_id, "t": target_id})

    def unmerge_item(self, board_id: int, source_id: int, target_id: int,
                     back: list[dict]) -> None:
        """Put a merged item back on the board with the votes `back` (rows of merged_votes, as
        board_model.votes_back chose them): a vote carried to the target moves back from it."""
        with self.db.transaction():
            self.bump(board_id)
            for vote in back:
                person = {"t": target_id, "p": vote["participant_id"]}
                if vote["moved"]:
                    self.db.execute("DELETE FROM votes WHERE item_id = :t AND"
                                    " participant_id = :p", person)
                self.db.execute("INSERT INTO votes (item_id, participant_id, created_at)"
                                " VALUES (:s, :p, :c)",
                                {"s": source_id, "p": vote["participant_id"],
                                 "c": vote["created_at"]})
            self.db.execute("DELETE FROM merged_votes WHERE item_id = :s", {"s": source_id})
            self.db.execute("UPDATE items SET status = 'visible', merged_into = NULL,"
                            " updated_at = :u WHERE id = :s", {"s": source_id, "u": time.time()})

    def set_theme(self, board_id: int, item_ids: list[int], theme_id: int | None) -> None:
        """File several items of the board under one theme (None: no theme)."""
        with self.db.transaction():
            self.bump(board_id)
            now = time.time()
            self.db.executemany(
                "UPDATE items SET theme_id = :th, updated_at = :u WHERE id = :id AND board_id = :b",
                [{"th": theme_id, "u": now, "id": i, "b": board_id} for i in item_ids])

    def clear_theme(self, board_id: int, theme_id: int) -> None:
        """Take every item out of one theme."""
        with self.db.transaction():
            self.bump(board_id)
            self.db.execute("UPDATE items SET theme_id = NULL, updated_at = :u"
                            " WHERE board_id = :b AND theme_id = :th",
                            {"u": time.time(), "b": board_id, "th": theme_id})

    def delete_theme(self, board_id: int, theme_id: int) -> None:
        """Delete a theme; its items stay, in no theme."""
        with self.db.transaction():
            self.clear_theme(board_id, theme_id)
            self.db.execute("DELETE FROM themes WHERE id = :th AND board_id = :b",
                            {"th": theme_id, "b": board_id})

    def rename_theme(self, board_id: int, theme_id: int, name: str) -> None:
        with self.db.transaction():
            self.bump(board_id)
            self.db.execute("UPDATE themes SET name = :n WHERE id = :id AND board_id = :b",
                            {"n": name, "id": theme_id, "b": board_id})

    def reset_votes(self, board_id: int) -> None:
        with self.db.transaction():
            self.bump(board_id)
            self.db.execute("DELETE FROM votes WHERE item_id IN"
                            " (SELECT id FROM items WHERE board_id = :b)", {"b": board_id})

    def set_matches(self, board_id: int, decisions: dict[int, int | None]) -> None:
        """Record the facilitator's answers, point -> the item that raised it (None: not raised),
        replacing earlier ones, all or none."""
        with self.db.transaction():
            self.bump(board_id)
            for point, item_id in decisions.items():
                self.db.execute(
                    "INSERT INTO reveal_matches (board_id, point, item_id, raised) VALUES"
                    " (:b, :p, :i, :r) ON CONFLICT (board_id, point) DO UPDATE SET"
                    " item_id = excluded.item_id, raised = excluded.raised",
                    {"b": board_id, "p": point, "i": item_id, "r": int(item_id is not None)})

    def delete_match(self, board_id: int, point: int) -> None:
        """Forget the facilitator's answer for one point: it is a suggestion again."""
        with self.db.transaction():
            self.bump(board_id)
            self.db.execute("DELETE FROM reveal_matches WHERE board_id = :b AND point = :p",
                            {"b": board_id, "p": point})

    def delete(self, board_id: int) -> None:
        """Delete a board with its themes, items, votes and reveal decisions."""
        with self.db.transaction():
            # Items point at each other (merged_into) and at themes: clear votes and items first
            # so the order of cascades does not matter on either engine.
            self.db.execute("DELETE FROM votes WHERE item_id IN"
                            " (SELECT id FROM items WHERE board_id = :b)", {"b": board_id})
            self.db.execute("UPDATE items SET merged_into = NULL WHERE board_id = :b",
                            {"b": board_id})
            self.db.execute("DELETE FROM items WHERE board_id = :b", {"b": board_id})
            self.db.execute("DELETE FROM boards WHERE id = :b", {"b": board_id})
