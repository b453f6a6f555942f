"""Backups: a workshop's rows (or every row) as plain data, written back whole; the automatic
copies kept in the database; and whole-database files for the operator.

One format serves every use: `{table: [rows]}`, each row `{column: value}`, values as the
driver returns them (ints, floats, text, NULL), the same on both engines. A workshop's rows are
selected by the conditions in WORKSHOP_TABLES, parents before children, so writing them back in
that order satisfies every foreign key. The one self-reference (an item merged into another
item) is written NULL first and set once every item exists.

Whole-database files: SQLite's online backup API (a consistent copy while the app runs) and, for
PostgreSQL, pg_dump's custom format restored with pg_restore.
"""
from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

from ..domain import ValidationError
from ..i18n import N_, msg
from . import history, remap
from .database import PROJECT_ROOT, Database
from .maps import MapRepo
from .migrations import applied_versions

_MAPS = "SELECT id FROM maps WHERE workshop_id = :w"
_BOARDS = "SELECT id FROM boards WHERE workshop_id = :w"
# Every table that holds workshop data, parents first, with the condition selecting the rows of
# workshop :w. A table added by a migration must be listed here or in NOT_BACKED_UP
# (tests/reliability/test_backups.py checks the schema against both).
WORKSHOP_TABLES = {
    "workshops": "id = :w",
    "participants": "workshop_id = :w",
    "forum_questions": "workshop_id = :w",
    "maps": "workshop_id = :w",
    "entries": f"map_id IN ({_MAPS})",
    "links": f"map_id IN ({_MAPS})",
    "actions": f"map_id IN ({_MAPS})",
    "action_entries": f"action_id IN (SELECT id FROM actions WHERE map_id IN ({_MAPS}))",
    "boards": "workshop_id = :w",
    "themes": f"board_id IN ({_BOARDS})",
    "items": f"board_id IN ({_BOARDS})",
    "votes": f"item_id IN (SELECT id FROM items WHERE board_id IN ({_BOARDS}))",
    "reveal_matches": f"board_id IN ({_BOARDS})",
    "merged_votes": f"item_id IN (SELECT id FROM items WHERE board_id IN ({_BOARDS}))",
    "import_mappings": f"map_id IN ({_MAPS})",
    "agenda_steps": "workshop_id = :w",
    "workshop_sessions": "workshop_id = :w",
    "map_members": f"map_id IN ({_MAPS})",
    "commitments": "workshop_id = :w",
    "map_changes": f"map_id IN ({_MAPS})",  # after every row its values name (storage.remap)
    "map_reviews": "workshop_id = :w",
}
SELF_REFERENCES = {"items": "merged_into"}
# Boards and maps carry a revision that views cache by (id, revision): a workshop restored into
# a running app moves them this far past the file's value, so no cached view of a revision used
# before the restore (or of a deleted board) is ever shown for the restored content.
REVISIONED = ("boards", "maps", "workshop_sessions")
REVISION_JUMP = 1_000_000
# Bookkeeping, not data: the schema version, the backups themselves, PIN-guessing counters, and
# which browsers are unlocked (a restored workshop asks for its PIN again), and each browser's
# language (a person's, kept across workshops); agenda templates are the database's, not a
# workshop's.
NOT_BACKED_UP = {"schema_migrations", "backups", "unlock_attempts", "facilitator_unlocks",
                 "device_languages", "agenda_templates"}
SCALARS = (type(None), bool, int, float, str)
BACKUP_FILE = N_("Backup file")  # the field a refused file's problems name


class BackupRepo:
    """SQL for dumping and restoring rows, and for the automatic backups table."""

    def __init__(self, db: Database, maps: MapRepo | None = None):
        self.db = db
        self.maps = maps or MapRepo(db)

    # -- the schema ----------------------------------------------------------------------------

    def tables(self) -> set[str]:
        if self.db.engine == "sqlite":
            rows = self.db.query("SELECT name FROM sqlite_master WHERE type = 'table' "
                                 "AND name NOT LIKE 'sqlite_%'")
            return {row["name"] for row in rows}
        rows = self.db.query("SELECT table_name AS name FROM information_schema.tables "
                             "WHERE table_schema = current_schema()")
        return {row["name"] for row in rows}

    def columns(self, table: str) -> list[str]:
        if self.db.engine == "sqlite":
            return [row["name"] for row in self.db.query(f"PRAGMA table_info({table})")]
        return [row["column_name"] for row in self.db.query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
            "AND table_schema = current_schema() ORDER BY ordinal_position", {"t": table})]

    # -- rows ----------------------------------------------------------------------------------

    def dump(self, workshop_id: int | None = None) -> dict[str, list[dict]]:
        """Every row of one workshop (or of the whole database), in a stable order."""
        out = {}
        with self.db.transaction():  # one consistent view of all tables
            present = self.tables()  # an older schema (before a migration) lacks later tables
            for table, condition in WORKSHOP_TABLES.items():
                if table not in present:
                    continue
                columns = self.columns(table)
                order = "id" if "id" in columns else ", ".join(columns)
                where = "" if workshop_id is None else f" WHERE {condition}"
                out[table] = self.db.query(f"SELECT * FROM {table}{where} ORDER BY {order}",
                                           {"w": workshop_id})
        return out

    def check(self, tables: object) -> dict[str, list[dict]]:
        """The rows of a backup file, checked against this schema: known tables and columns,
        plain values only. Raises ValidationError naming what does not fit."""
        if not isinstance(tables, dict):
            raise ValidationError(BACKUP_FILE, msg("is not an OrgKit backup."))
        for table, rows in tables.items():
            if table not in WORKSHOP_TABLES or not isinstance(rows, list):
                raise ValidationError(BACKUP_FILE, msg("has an unknown table {table}.",
                                                       table=repr(str(table)[:40])))
            columns = set(self.columns(table))
            for row in rows:
                if not isinstance(row, dict) or not set(row) <= columns:
                    raise ValidationError(BACKUP_FILE, msg(
                        "has a {table} row that does not fit this version of OrgKit.",
                        table=table))
                for value in row.values():
                    if not isinstance(value, SCALARS) or (
                            isinstance(value, str) and not _encodable(value)):
                        raise ValidationError(BACKUP_FILE, msg("has a damaged value in "
                                                               "{table}.", table=table))
        for number, row in enumerate(tables.get("map_changes") or [], start=1):
            if history.damaged(row):
                raise ValidationError(BACKUP_FILE, msg(
                    "has a damaged map history row ({n}): nothing was restored.", n=number))
        return tables

    def replace_workshop(self, workshop_id: int, tables: dict[str, list[dict]],
                         codes: remap.Codes) -> remap.Changed:
        """Put the file's workshop into workshop `workshop_id`, replacing its contents, in one
        transaction (storage.remap: ids kept where free, references remapped, codes kept
        unless taken; returns the codes changed). Its automatic backups survive: the workshop
        row is updated in place, only its contents are replaced."""
        keys = remap.foreign_keys(self.db)
        remap.refuse_foreign_references(tables, keys)
        order = list(WORKSHOP_TABLES)[1:]
        with_id = {t for t in order if "id" in self.columns(t)}
        with self.db.transaction():
            for table in reversed(order):
                self.db.execute(f"DELETE FROM {table} WHERE {WORKSHOP_TABLES[table]}",
                                {"w": workshop_id})
            (row,) = tables["workshops"]
            written = {name: value for name, value in row.items() if name != "id"}
            changed: remap.Changed = []
            remap.keep_codes(self.db, "workshops", row, written, codes, changed, own=workshop_id)
            sets = ", ".join(f"{name} = :{name}" for name in written)
            self.db.execute(f"UPDATE workshops SET {sets} WHERE id = :id",
                            {**written, "id": workshop_id})
            try:
                changed += remap.write_rows(self.db, order, tables, (row.get("id"), workshop_id),
                                            keys, with_id, codes, SELF_REFERENCES)
            except Exception as exc:
                _refuse_clash(exc)
            remap.move_sequences(self.db, sorted(with_id))
            for table in REVISIONED:
                self.db.execute(f"UPDATE {table} SET revision = revision + {REVISION_JUMP} "
                                f"WHERE {WORKSHOP_TABLES[table]}", {"w": workshop_id})
            self._history_restored(workshop_id)
        return changed

    def _history_restored(self, workshop_id: int | None, marked: bool = True) -> None:
        """Each restored map's history says so (`marked`: a workshop put back; a whole
        database moved to another server is the same database, its history as it was); a map
        the file brought no history for (an older file) starts its history with what it
        holds."""
        where = "" if workshop_id is None else " WHERE workshop_id = :w"
        for row in self.db.query(f"SELECT id FROM maps{where} ORDER BY id", {"w": workshop_id}):
            if self.maps.has_history(row["id"]):
                if marked:
                    self.maps.record_restore(row["id"])
            else:
                self.maps.record_baseline(row["id"])

    def replace_all(self, tables: dict[str, list[dict]]) -> None:
        """Replace every workshop with the rows of a whole-database dump, in one transaction."""
        with self.db.transaction():
            self.db.execute("DELETE FROM workshops")  # every other table cascades from it
            self._insert(tables)
            remap.move_sequences(self.db, [t for t in WORKSHOP_TABLES if "id" in self.columns(t)])
            self._history_restored(None, marked=False)

    def _insert(self, tables: dict[str, list[dict]]) -> None:
        try:
            for table in WORKSHOP_TABLES:
                rows = tables.get(table) or []
                later = SELF_REFERENCES.get(table)
                for row in rows:
                    row = {**row, later: None} if later else row
                    names = ", ".join(row)
                    self.db.execute(f"INSERT INTO {table} ({names}) VALUES "
                                    f"({', '.join(':' + n for n in row)})", row)
                for row in rows if later else ():
                    if row.get(later) is not None:
                        self.db.execute(f"UPDATE {table} SET {later} = :v WHERE id = :id",
                                        {"v": row[later], "id": row["id"]})
        except Exception as exc:
            _refuse_clash(exc)

    # -- automatic backups, kept in the database -----------------------------------------------

    def save_auto(self, workshop_id: int, reason: str, data: str, keep: int) -> int:
        with self.db.transaction():
            backup_id = self.db.insert_row("backups", {
                "workshop_id": workshop_id, "reason": reason, "created_at": time.time(),
                "data": data})
            self.db.execute(
                "DELETE FROM backups WHERE workshop_id = :w AND id NOT IN (SELECT id FROM "
                "(SELECT id FROM backups WHERE workshop_id = :w ORDER BY id DESC LIMIT :k) kept)",
                {"w": workshop_id, "k": keep})
        return backup_id

    def autos(self, workshop_id: int) -> list[dict]:
        """The workshop's automatic backups, newest first (without their data)."""
        return self.db.query(
            "SELECT id, reason, created_at, LENGTH(data) AS size FROM backups "
            "WHERE workshop_id = :w ORDER BY id DESC", {"w": workshop_id})

    def auto(self, backup_id: int) -> dict | None:
        return self.db.one("SELECT * FROM backups WHERE id = :id", {"id": backup_id})


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:  # a lone surrogate, which a JSON file can carry as \\ud800
        return False


def _refuse_clash(exc: Exception) -> None:
    """A row that breaks a constraint refuses the file in the reader's words; others raise."""
    import psycopg

    if isinstance(exc, (sqlite3.IntegrityError, psycopg.errors.IntegrityError)):
        raise ValidationError(BACKUP_FILE, msg(
            "does not fit this database (its rows clash with other data); nothing was "
            "restored.")) from None
    raise exc


# -- whole-database files, for the operator ----------------------------------------------------

def backup_folder(db: Database) -> Path:
    """ORGKIT_BACKUP_DIR, or `backups/` beside the SQLite file (data/backups for PostgreSQL)."""
    configured = os.environ.get("ORGKIT_BACKUP_DIR", "").strip()
    if configured:
        return Path(configured)
    return (db.path.parent if db.engine == "sqlite" else PROJECT_ROOT / "data") / "backups"


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, or the newest under /usr/lib/postgresql."""
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    found = shutil.which(name) or (installed[-1] if installed else None)
    if not found:
        raise RuntimeError(msg("{tool} is not installed (Debian: apt-get install "
                               "postgresql-client)", tool=name))
    return found


def write_file(db: Database, path: Path) -> Path:
    """A consistent copy of the whole database while the app runs: SQLite's online backup API
    into a .db file, or pg_dump's custom format (restore it with restore_file or pg_restore)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if db.engine == "sqlite":
        _sqlite_copy(db.path, path)
        return path
    subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}",
                    f"--dbname={db.dsn}"], check=True, capture_output=True)
    return path


def restore_file(db: Database, path: Path) -> None:
    """Replace the whole database with a file written by write_file."""
    db.close()  # pooled connections would keep the old pages or block pg_restore's DROPs
    if db.engine == "sqlite":
        _sqlite_copy(path, db.path)
        return
    subprocess.run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                    "--single-transaction", f"--dbname={db.dsn}", str(path)],
                   check=True, capture_output=True)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: page by page, consistent, while others read and write."""
    with contextlib.closing(sqlite3.connect(source)) as src, \
            contextlib.closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def before_migration(db: Database, number: int) -> Path | None:
    """A whole-database copy before migration `number` changes the schema, the last few kept.
    SQLite: an online-backup .db file; PostgreSQL: the rows as JSON (the app server may have no
    pg_dump), restorable with `python -m orgkit.backup restore`. None for a new database."""
    if "workshops" not in BackupRepo(db).tables():
        return None
    folder = backup_folder(db)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if db.engine == "sqlite":
        path = write_file(db, folder / f"before-migration-{stamp}-{number:03d}.db")
    else:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"before-migration-{stamp}-{number:03d}.json"
        document = backup_document(db, BackupRepo(db).dump(), "database")
        path.write_text(json.dumps(document), encoding="utf-8")
    keep_newest(folder, "before-migration-*", MIGRATION_BACKUPS_KEPT)
    return path


FORMAT = "orgkit-backup"
MIGRATION_BACKUPS_KEPT = 5


def backup_document(db: Database, tables: dict[str, list[dict]], scope: str) -> dict:
    """The file format: what it is, its scope ("workshop" or "database": a workshop's file must
    never replace a whole database), the schema version it was taken at, and the rows."""
    versions = applied_versions(db)
    return {"format": FORMAT, "scope": scope, "schema": versions[-1] if versions else 0,
            "taken_at": time.time(), "tables": tables}


def keep_newest(folder: Path, pattern: str, keep: int) -> None:
    """Delete all but the `keep` newest files matching pattern (names sort by time)."""
    for old in sorted(folder.glob(pattern))[:-keep]:
        old.unlink()
