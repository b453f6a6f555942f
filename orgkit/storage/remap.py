"""A workshop's backup rows written into a database that may hold other workshops.

The rows keep their ids where those are free here and get fresh ones where another workshop
holds them; every reference is rewritten through the same table of old id -> new id, so a file
from a laptop's SQLite lands on a server's PostgreSQL beside other workshops. A reference is
resolved only within the file: a row naming a row the file does not hold (a hand-edited backup
pointing at another workshop's participant, theme or entry) refuses the whole file before
anything is written. The references come from the schema itself (foreign_keys), so a table a
migration adds is covered without being listed here.

Codes that must be unique across the database (join code, map links and short codes,
participant tokens) are kept unless another workshop holds them; then the caller's generator
gives a new one and the change is returned so that the facilitator is told.
"""
from __future__ import annotations

from collections.abc import Callable

from ..domain import ValidationError
from ..i18n import N_, msg
from . import history
from .database import Database

SHOWN_FOREIGN = 3  # rows named when a file refers outside its workshop
# Tables whose rows name ids inside their values (not as foreign keys): rewritten per row with
# the table of old id -> new id once the rows they name are written.
REWRITES = {"map_changes": history.remap_change}


def foreign_keys(db: Database) -> list[tuple[str, str, str]]:
    """Every foreign key of the schema as (table, column, parent table), in a stable order."""
    if db.engine == "sqlite":
        tables = [r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = "
                                               "'table' AND name NOT LIKE 'sqlite_%'")]
        found = {(t, r["from"], r["table"]) for t in tables
                 for r in db.query(f"PRAGMA foreign_key_list({t})")}
    else:
        found = {(r["t"], r["c"], r["p"]) for r in db.query(
            "SELECT kcu.table_name AS t, kcu.column_name AS c, ccu.table_name AS p "
            "FROM information_schema.table_constraints tc "
            "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = "
            "tc.constraint_name AND kcu.table_schema = tc.table_schema "
            "JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = "
            "tc.constraint_name AND ccu.table_schema = tc.table_schema "
            "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()")}
    return sorted(found)


def refuse_foreign_references(tables: dict[str, list[dict]],
                              keys: list[tuple[str, str, str]]) -> None:
    """Raise ValidationError naming the first rows that refer to a row the file does not
    hold; every id a row may name must be one of the file's own."""
    ids = {t: {r.get("id") for r in rows} for t, rows in tables.items()}
    foreign = [f"{table} row {number}: {column} {row[column]!s:.20}"
               for table, column, parent in keys
               for number, row in enumerate(tables.get(table) or [], start=1)
               if row.get(column) is not None and row[column] not in ids.get(parent, ())]
    if foreign:
        raise ValidationError(N_("Backup file"), msg(
            "has rows that refer outside this workshop ({rows}); nothing was restored.",
            rows="; ".join(foreign[:SHOWN_FOREIGN]) + ("; ..." if foreign[SHOWN_FOREIGN:] else "")))


Codes = dict[tuple[str, str], Callable[[], str] | None]
Changed = list[tuple[str, str, dict, str | None]]


def keep_codes(db: Database, table: str, row: dict, written: dict, codes: Codes,
               changed: Changed, own: int = 0) -> None:
    """Give `written` a new value for each code of `table` another row (not row `own`, the
    one being overwritten) already holds."""
    for (code_table, column), fresh in codes.items():
        if code_table == table and written.get(column) is not None and db.one(
                f"SELECT 1 AS x FROM {table} WHERE {column} = :v AND id <> :own",
                {"v": written[column], "own": own}):
            written[column] = fresh() if fresh else None
            changed.append((table, column, row, written[column]))


def write_rows(db: Database, order: list[str], tables: dict[str, list[dict]],
               workshop: tuple[int, int], keys: list[tuple[str, str, str]],
               with_id: set[str], codes: Codes, deferred: dict[str, str]) -> Changed:
    """Insert the rows of `order`'s tables (the workshop row itself already written, its old id
    -> new id given as `workshop`), remapping every reference; a table in `with_id` has an
    `id` column. A column in `codes` keeps its
    value unless taken, then gets the generator's value (None: cleared). `deferred` names
    self-references set once every row of the table exists. Returns the codes changed as
    (table, column, row as in the file, new value)."""
    new_id: dict[str, dict] = {"workshops": dict([workshop])}
    parents = {}
    for table, column, parent in keys:
        parents.setdefault(table, []).append((column, parent))
    changed = []
    for table in order:
        rows = tables.get(table) or []
        later = deferred.get(table)
        has_id = table in with_id
        mapping = new_id.setdefault(table, {})
        for row in rows:
            written = {**row, later: None} if later else dict(row)
            for column, parent in parents.get(table, ()):
                if column != later and written.get(column) is not None:
                    written[column] = new_id[parent][written[column]]
            if table in REWRITES:
                written = REWRITES[table](written, new_id)
            keep_codes(db, table, row, written, codes, changed)
            if has_id and db.one(f"SELECT 1 AS x FROM {table} WHERE id = :id", written):
                del written["id"]  # another workshop's row holds it: a fresh one
            names = ", ".join(written)
            values = ", ".join(":" + name for name in written)
            if has_id:
                mapping[row["id"]] = db.insert(
                    f"INSERT INTO {table} ({names}) VALUES ({values}) RETURNING id", written)
            else:
                db.execute(f"INSERT INTO {table} ({names}) VALUES ({values})", written)
        for row in rows if later else ():
            if row.get(later) is not None:
                db.execute(f"UPDATE {table} SET {later} = :v WHERE id = :id",
                           {"v": mapping[row[later]], "id": mapping[row["id"]]})
    return changed


def move_sequences(db: Database, tables: list[str]) -> None:
    """PostgreSQL: the next generated id of each table follows every id now in it (rows
    written with their own ids do not move a sequence); never backwards, so an id once given
    out is not given again. SQLite's AUTOINCREMENT follows inserted ids by itself."""
    if db.engine != "postgresql":
        return
    for table in tables:
        sequence = db.scalar(f"SELECT pg_get_serial_sequence('{table}', 'id') AS s")
        if sequence:
            db.scalar(f"SELECT setval('{sequence}', GREATEST((SELECT last_value FROM {sequence}), "
                      f"(SELECT COALESCE(MAX(id), 0) FROM {table})), true) AS v")
