"""Maps and what is on them: entries, links, actions.

Every write to a map bumps `maps.revision` in the same transaction, so readers (charts, caches)
can key their work by (map, revision) and skip it when nothing moved; and every write to a map's
content appends what changed to its history (storage.history) in that same transaction, so the
history never misses a change nor records one that was rolled back. `clock` gives the time of
both (tests move it).
"""
from __future__ import annotations

from ..domain import now
from . import history
from .revisioned import RevisionedRepo

TARGET_COLUMNS = {
    "impacted": "target_impacted", "leader": "target_leader",
    "organization": "target_organization", "decision_maker": "target_decision_maker",
}


class MapRepo(RevisionedRepo):
    """SQL for maps, entries, links, actions and action_entries."""

    TABLE = "maps"

    def __init__(self, db):
        super().__init__(db)
        self.clock = now  # the app's clock (domain.now); a test may set its own

    # -- the history ---------------------------------------------------------------------------

    def _record(self, map_id: int, subject: str, subject_id: int | None, change: str,
                fields: dict, before: dict, at: float | None = None) -> None:
        self._record_many(map_id, [(subject, subject_id, change, fields, before, at)])

    def _record_many(self, map_id: int, changes: list[tuple]) -> None:
        """Append (subject, id, change, fields, before, at or None: now) rows to the history."""
        if not changes:
            return
        role, name = self.db.author
        now = self.clock()
        self.db.executemany(
            "INSERT INTO map_changes (map_id, at, subject, subject_id, change, fields, before, "
            "role, display_name) VALUES (:m, :at, :s, :i, :c, :f, :b, :r, :n)",
            [{"m": map_id, "at": now if at is None else at, "s": subject, "i": subject_id,
              "c": change, "f": history.encode(fields), "b": history.encode(before), "r": role,
              "n": name} for subject, subject_id, change, fields, before, at in changes])

    def _added(self, subject: str, row: dict) -> tuple:
        return (subject, row["id"], "added", history.kept(subject, row), {},
                row.get("created_at"))

    def _entries_by_id(self, map_id: int, ids) -> dict[int, dict]:
        wanted = {int(i) for i in ids}
        if not wanted:
            return {}
        listed = ", ".join(str(i) for i in sorted(wanted))  # ints only
        return {r["id"]: r for r in self.db.query(
            f"SELECT * FROM entries WHERE map_id = :m AND id IN ({listed})", {"m": map_id})}

    def changes(self, map_id: int) -> list[dict]:
        """The map's history, oldest first, `fields` and `before` decoded."""
        return [{**row, "fields": history.decode(row["fields"]),
                 "before": history.decode(row["before"])}
                for row in self.db.query("SELECT * FROM map_changes WHERE map_id = :m "
                                         "ORDER BY at, id", {"m": map_id})]

    def without_history(self) -> list[dict]:
        """Every map with nothing in its history yet."""
        return self.db.query("SELECT id FROM maps m WHERE NOT EXISTS (SELECT 1 FROM map_changes "
                             "c WHERE c.map_id = m.id) ORDER BY id")

    def has_history(self, map_id: int) -> bool:
        return self.db.one("SELECT 1 AS x FROM map_changes WHERE map_id = :m LIMIT 1",
                           {"m": map_id}) is not None

    def record_baseline(self, map_id: int) -> None:
        """Record what a map holds now as added, each row at its own created_at: for a map whose
        history began after it (made before history was kept, or restored from an older file)."""
        with self.db.transaction():
            row = self.get(map_id)
            involved = self.action_entries(map_id)
            self._record_many(map_id, [
                self._added("map", row),
                *(self._added("entry", e) for e in self.entries(map_id)),
                *(self._added("link", link) for link in self.links(map_id)),
                *(self._added("action", {**a, "entry_ids": involved.get(a["id"], [])})
                  for a in self.actions(map_id))])

    def record_restore(self, map_id: int) -> None:
        """Mark that a backup was put back into the map (its history came with the file)."""
        self._record(map_id, "map", map_id, "restored", {}, {})

    # -- maps ----------------------------------------------------------------------------------

    def create(self, workshop_id: int, name: str, link_token: str, *, issue: str = "",
               targets: dict[str, int] | None = None, short_code: str | None = None,
               idempotency_key: str | None = None) -> int:
        """Insert a map once per (workshop, idempotency key): the same key again returns the
        first map's id. The link token and the short code must be unused (UNIQUE)."""
        row = {"workshop_id": workshop_id, "name": name, "issue": issue,
               "link_token": link_token, "short_code": short_code,
               "idempotency_key": idempotency_key, "created_at": self.clock()}
        for level, value in (targets or {}).items():
            row[TARGET_COLUMNS[level]] = value
        with self.db.transaction():
            map_id, new = self.db.insert_once("maps", row, ("workshop_id", "idempotency_key"))
            if new:
                self._record_many(map_id, [self._added("map", self.get(map_id))])
            return map_id

    def by_short_code(self, short_code: str) -> dict | None:
        return self.db.one("SELECT * FROM maps WHERE short_code = :c", {"c": short_code})

    def short_code_taken(self, short_code: str) -> bool:
        return self.by_short_code(short_code) is not None

    def set_short_code(self, map_id: int, short_code: str) -> bool:
        """Give a map without one its short code; False when it already had one (kept)."""
        return bool(self.db.execute(
            "UPDATE maps SET short_code = :c WHERE id = :id AND short_code IS NULL",
            {"c": short_code, "id": map_id}))

    def by_token(self, link_token: str) -> dict | None:
        return self.db.one("SELECT * FROM maps WHERE link_token = :t", {"t": link_token})

    def insert_entry(self, map_id: int, fields: dict, *, created_at: float | None = None) -> int:
        """Insert one entry from already-validated fields."""
        return self.insert_entries(map_id, [{**fields, **(
            {"created_at": created_at} if created_at else {})}])[0]

    def insert_entries(self, map_id: int, rows: list[dict]) -> list[int]:
        """Insert many validated entries with one revision bump; returns their ids in order.

        A row may carry its own created_at (a generated or restored map); otherwise it is now."""
        if not rows:
            return []
        now = self.clock()
        with self.db.transaction():
            self.bump(map_id)
            ids = [self.db.insert_row("entries", {
                "created_at": now, **fields, "map_id": map_id, "updated_at": now})
                for fields in rows]
            written = self._entries_by_id(map_id, ids)
            self._record_many(map_id, [self._added("entry", written[i]) for i in ids])
            return ids

    def entry(self, entry_id: int) -> dict | None:
        return self.db.one("SELECT * FROM entries WHERE id = :id", {"id": entry_id})

    def _write_entry(self, map_id: int, entry_id: int, version: int, fields: dict,
                     before: dict | None) -> int:
        """The versioned UPDATE of one entry, recorded against the row as it was (`before`;
        callers hold the transaction and bump)."""
        assignments = ", ".join(f"{name} = :{name}" for name in fields)
        changed = self.db.execute(
            f"UPDATE entries SET {assignments}, version = version + 1, updated_at = :now "
            "WHERE id = :id AND map_id = :map_id AND version = :version",
            {**fields, "now": self.clock(), "id": entry_id, "map_id": map_id, "version": version})
        if changed and before is not None:
            old, new = history.moved(before, history.kept("entry", fields))
            if new:
                self._record(map_id, "entry", entry_id, "changed", new, old)
        return changed

    def update_entry(self, map_id: int, entry_id: int, version: int, fields: dict) -> int:
        """Write fields only if the entry is still at `version`; returns rows changed (0: it
        moved)."""
        with self.db.transaction():
            before = self._entries_by_id(map_id, [entry_id]).get(entry_id)
            changed = self._write_entry(map_id, entry_id, version, fields, before)
            if changed:
                self.bump(map_id)
            return changed

    def delete_entry(self, map_id: int, entry_id: int, version: int) -> int:
        """Delete the entry if still at `version` (its links and action ties go with it, and
        the history says so)."""
        with self.db.transaction():
            gone = self._entries_by_id(map_id, [entry_id]).get(entry_id)
            links = [link for link in self.links(map_id) if entry_id in
                     (link["source_id"], link["target_id"])]
            ties = {a: ids for a, ids in self.action_entries(map_id).items() if entry_id in ids}
            changed = self.db.execute(
                "DELETE FROM entries WHERE id = :id AND map_id = :m AND version = :v",
                {"id": entry_id, "m": map_id, "v": version})
            if changed:
                self.bump(map_id)
                self._record_many(map_id, [
                    *(("link", link["id"], "removed", {}, history.kept("link", link), None)
                      for link in links),
                    *(("action", a, "changed", {"entry_ids": [i for i in ids if i != entry_id]},
                       {"entry_ids": ids}, None) for a, ids in sorted(ties.items())),
                    ("entry", entry_id, "removed", {}, history.kept("entry", gone), None)])
            return changed

    def set_targets(self, map_id: int, targets: dict[str, int]) -> None:
        assignments = ", ".join(f"{TARGET_COLUMNS[level]} = :{level}" for level in targets)
        with self.db.transaction():
            self.bump(map_id)
            before = self.get(map_id)
            self.db.execute(f"UPDATE maps SET {assignments} WHERE id = :id",
                            {**targets, "id": map_id})
            self._record_map_change(map_id, before)

    def _record_map_change(self, map_id: int, before: dict) -> None:
        old, new = history.moved(history.kept("map", before),
                                 history.kept("map", self.get(map_id)))
        if new:
            self._record(map_id, "map", map_id, "changed", new, old)

    def insert_link(self, map_id: int, source_id: int, target_id: int, kind: str) -> int:
        with self.db.transaction():
            self.bump(map_id)
            row = {"source_id": source_id, "target_id": target_id, "kind": kind,
                   "created_at": self.clock()}
            link_id = self.db.insert_row("links", {**row, "map_id": map_id})
            self._record_many(map_id, [self._added("link", {**row, "id": link_id})])
            return link_id

    def insert_links(self, map_id: int, links: list[tuple[int, int, str]]) -> None:
        """Insert many (source, target, kind) links with one revision bump."""
        if not links:
            return
        now = self.clock()
        with self.db.transaction():
            self.bump(map_id)
            self.db.executemany(
                "INSERT INTO links (map_id, source_id, target_id, kind, created_at) "
                "VALUES (:m, :s, :t, :k, :now)",
                [{"m": map_id, "s": s, "t": t, "k": k, "now": now} for s, t, k in links])
            new = {(s, t, k) for s, t, k in links}
            self._record_many(map_id, [self._added("link", row) for row in self.links(map_id)
                                       if (row["source_id"], row["target_id"], row["kind"]) in new])

    def delete_link(self, map_id: int, link_id: int) -> None:
        with self.db.transaction():
            gone = self.db.one("SELECT * FROM links WHERE id = :id AND map_id = :m",
                               {"id": link_id, "m": map_id})
            if gone and self.db.execute("DELETE FROM links WHERE id = :id AND map_id = :m",
                                        {"id": link_id, "m": map_id}):
                self.bump(map_id)
                self._record(map_id, "link", link_id, "removed", {}, history.kept("link", gone))

    def insert_action(self, map_id: int, fields: dict, entry_ids: list[int]) -> int:
        now = self.clock()
        with self.db.transaction():
            self.bump(map_id)
            action_id = self.db.insert_row("actions", {
                **fields, "map_id": map_id, "created_at": now, "updated_at": now})
            self.db.executemany(
                "INSERT INTO action_entries (action_id, entry_id) VALUES (:a, :e)",
                [{"a": action_id, "e": entry_id} for entry_id in entry_ids])
            self._record_many(map_id, [self._added("action", {
                **self.action(action_id), "entry_ids": sorted(entry_ids)})])
            return action_id

    def action(self, action_id: int) -> dict | None:
        return self.db.one("SELECT * FROM actions WHERE id = :id", {"id": action_id})

    def update_action(self, map_id: int, action_id: int, fields: dict) -> None:
        assignments = ", ".join(f"{name} = :{name}" for name in fields)
        with self.db.transaction():
            self.bump(map_id)
            before = self.action(action_id)
            if self.db.execute(f"UPDATE actions SET {assignments}, updated_at = :now "
                               "WHERE id = :id AND map_id = :map_id",
                               {**fields, "now": self.clock(), "id": action_id,
                                "map_id": map_id}):
                old, new = history.moved(before, history.kept("action", fields))
                if new:
                    self._record(map_id, "action", action_id, "changed", new, old)

    def delete_action(self, map_id: int, action_id: int) -> None:
        with self.db.transaction():
            gone = self.action(action_id)
            involved = self.action_entries(map_id).get(action_id, [])
            if self.db.execute("DELETE FROM actions WHERE id = :id AND map_id = :m",
                               {"id": action_id, "m": map_id}):
                self.bump(map_id)
                self._record(map_id, "action", action_id, "removed", {},
                             {**history.kept("action", gone), "entry_ids": involved})

    def action_entries(self, map_id: int) -> dict[int, list[int]]:
        """Entry ids involved in each action of the map."""
        involved: dict[int, list[int]] = {}
        for row in self.db.query(
                "SELECT ae.action_id, ae.entry_id FROM action_entries ae "
                "JOIN actions a ON a.id = ae.action_id WHERE a.map_id = :m "
                "ORDER BY ae.action_id, ae.entry_id", {"m": map_id}):
            involved.setdefault(row["action_id"], []).append(row["entry_id"])
        return involved

    def entries(self, map_id: int) -> list[dict]:
        return self.db.query("SELECT * FROM entries WHERE map_id = :m ORDER BY id", {"m": map_id})

    def links(self, map_id: int) -> list[dict]:
        return self.db.query("SELECT * FROM links WHERE map_id = :m ORDER BY id", {"m": map_id})

    def actions(self, map_id: int) -> list[dict]:
        return self.db.query("SELECT * FROM actions WHERE map_id = :m "
                             "ORDER BY due_on IS NULL, due_on, id",
                             {"m": map_id})

    def entry_named(self, map_id: int, name: str) -> dict | None:
        """An entry of the map with this name, ignoring case (a promotion must not double it)."""
        return self.db.one("SELECT id, name, level FROM entries WHERE map_id = :m"
                           " AND LOWER(name) = LOWER(:n) ORDER BY id LIMIT 1",
                           {"m": map_id, "n": name})

    def import_mapping(self, map_id: int, shape: str) -> str | None:
        """The mapping remembered for files of this shape on this map (JSON text), if any."""
        return self.db.scalar("SELECT mapping FROM import_mappings WHERE map_id = :m AND "
                              "shape = :s", {"m": map_id, "s": shape})

    def remember_import_mapping(self, map_id: int, shape: str, mapping: str) -> None:
        """Keep (or replace) the mapping for files of this shape; call inside the import."""
        params = {"m": map_id, "s": shape, "j": mapping, "t": self.clock()}
        with self.db.transaction():
            if not self.db.execute("UPDATE import_mappings SET mapping = :j, updated_at = :t "
                                   "WHERE map_id = :m AND shape = :s", params):
                self.db.execute("INSERT INTO import_mappings (map_id, shape, mapping, "
                                "updated_at) VALUES (:m, :s, :j, :t)", params)

    def update_entries(self, map_id: int, changes: list[tuple[int, int, dict]]) -> int:
        """Write validated fields to many entries, each only if still at its version, with one
        revision bump; returns how many rows changed (fewer than asked: someone moved one)."""
        changed = 0
        with self.db.transaction():
            before = self._entries_by_id(map_id, [entry_id for entry_id, _, _ in changes])
            for entry_id, version, fields in changes:
                changed += self._write_entry(map_id, entry_id, version, fields,
                                             before.get(entry_id))
            if changes:
                self.bump(map_id)
        return changed

    def lock(self, map_id: int) -> int | None:
        """The map's revision, with its row held until the transaction ends (PostgreSQL; SQLite's
        IMMEDIATE transaction already holds the write lock), so a check against it stays true."""
        return self.db.scalar("UPDATE maps SET revision = revision WHERE id = :id "
                              "RETURNING revision", {"id": map_id})

    def shared_rows(self, workshop_id: int) -> list[dict]:
        """Every entry of a workshop with the columns a shared screen draws from: level, stage,
        strength, gatekeeper flag, constituencies, when it was added, and the name, which
        orgkit.map.model.shared_row keeps only where a shared screen may show it."""
        return self.db.query(
            "SELECT e.map_id, e.level, e.stage, e.strength, e.is_gatekeeper, e.constituencies, "
            "e.created_at, e.name "
            "FROM entries e JOIN maps m ON m.id = e.map_id WHERE m.workshop_id = :w "
            "ORDER BY e.map_id, e.id", {"w": workshop_id})

    def shared_actions_done(self, workshop_id: int) -> list[dict]:
        """The done actions of a workshop as counts per kind and day (due_on, or the moment of
        the last change when no date was set): no titles, outcomes or people."""
        # The day of an undated action is taken from updated_at in Python, in the server's time
        # zone, exactly as for one map; SQLite and PostgreSQL share no way to do that in SQL.
        undated = "CASE WHEN a.due_on IS NULL THEN a.updated_at END"
        return self.db.query(
            f"SELECT a.kind, a.status, a.due_on, {undated} AS updated_at, COUNT(*) AS n "
            "FROM actions a JOIN maps m ON m.id = a.map_id "
            "WHERE m.workshop_id = :w AND a.status = 'done' "
            f"GROUP BY a.kind, a.status, a.due_on, {undated} "
            "ORDER BY a.due_on, updated_at, a.kind", {"w": workshop_id})

    def set_wanted_constituencies(self, map_id: int, tags: str) -> None:
        """Store the communities the team wants to reach ("; "-joined, already validated)."""
        with self.db.transaction():
            self.bump(map_id)
            before = self.get(map_id)
            self.db.execute("UPDATE maps SET wanted_constituencies = :tags WHERE id = :id",
                            {"tags": tags, "id": map_id})
            self._record_map_change(map_id, before)


    # -- tables: who joined a map by its handout ------------------------------------------------

    def set_handouts_open(self, workshop_id: int, is_open: bool) -> int:
        """Open or end every map's handout access in a workshop; returns how many maps changed.
        The revision moves so that each map's members see the change at their next poll."""
        with self.db.transaction():
            ids = [row["id"] for row in self.db.query(
                "SELECT id FROM maps WHERE workshop_id = :w AND handout_open <> :o ORDER BY id",
                {"w": workshop_id, "o": int(is_open)})]
            for map_id in ids:
                self.bump(map_id)
            self.db.execute("UPDATE maps SET handout_open = :o WHERE workshop_id = :w",
                            {"w": workshop_id, "o": int(is_open)})
            return len(ids)

    def add_member(self, participant_id: int, map_id: int) -> None:
        """The participant is a member of this map (and of no other: one table per phone)."""
        params = {"p": participant_id, "m": map_id, "t": self.clock()}
        self.db.execute(
            "INSERT INTO map_members (participant_id, map_id, joined_at) VALUES (:p, :m, :t) "
            "ON CONFLICT (participant_id) DO UPDATE SET map_id = :m, joined_at = :t", params)

    def membership(self, participant_id: int) -> dict | None:
        """The map this participant joined by its handout, with its handout state."""
        return self.db.one(
            "SELECT m.id, m.workshop_id, m.name, m.revision, m.handout_open "
            "FROM map_members mm JOIN maps m ON m.id = mm.map_id "
            "WHERE mm.participant_id = :p", {"p": participant_id})

    def entry_names(self, map_id: int) -> list[dict]:
        """The map's entries as a picker lists them: id, name, level (nothing else)."""
        return self.db.query("SELECT id, name, level FROM entries WHERE map_id = :m "
                             "ORDER BY level, LOWER(name), id", {"m": map_id})
