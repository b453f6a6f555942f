"""Backups and restores: a facilitator's workshop, and the operator's whole database.

A workshop backup is one JSON document (storage.backups: the format) holding every row of the
workshop: its boards, items, votes and themes, its maps with entries, links and actions, its
participants and question bank, and the workshop row itself (PIN hash and join code included,
so a restore gives the workshop back exactly; the file holds contact details and private
links, so it is for the facilitator only). Restoring puts the workshop back as it was, in one
transaction, into this database or another one that holds other workshops (storage.remap: ids
kept where free, references remapped, codes kept unless taken). A newer schema, a damaged row
or a row that refers outside the workshop is refused whole.

Automatic backups are taken before what cannot be undone by hand (an import applied to a map, a
board's votes reset, a board deleted): the last AUTO_KEPT per workshop, kept in the database and
listed on the facilitator page. Before a migration the whole database is copied to a file
(storage.backups.before_migration).

The operator's command line (see the README's "Backups"):
    python -m orgkit.backup create [FILE]    whole database: SQLite online backup / pg_dump
    python -m orgkit.backup restore FILE     .db (SQLite), .dump (pg_restore) or .json (rows)
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from . import security
from .board import model as board_model
from .domain import ID_MAX, Actor, PermissionDenied, ValidationError
from .i18n import N_, Message, msg
from .storage import Store, open_store
from .storage.backups import FORMAT, backup_document, backup_folder, restore_file, write_file
from .validation import clean_int

AUTO_KEPT = 5
WORKSHOP, DATABASE = "workshop", "database"  # what a backup file holds
# Checked before a backup is parsed. It bounds an automatic backup read back from the database;
# an uploaded file meets the upload limit (spreadsheet.UPLOAD_MAX_MB) first.
BACKUP_MAX_BYTES = 50 * 1024 * 1024


def _facilitator(actor: Actor) -> int:
    if not actor.is_facilitator or actor.workshop_id is None:
        raise PermissionDenied("Only the facilitator can back up or restore the workshop.")
    return actor.workshop_id


def workshop_backup(store: Store, actor: Actor) -> bytes:
    """The facilitator's workshop as a backup file (UTF-8 JSON)."""
    workshop_id = _facilitator(actor)
    document = backup_document(store.db, store.backups.dump(workshop_id), WORKSHOP)
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def backup_filename(title: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in title)[:40].strip("-") or "workshop"
    return f"orgkit-{safe.lower()}-{time.strftime('%Y%m%d-%H%M')}.json"


def _read(store: Store, data: bytes, scope: str) -> dict:
    """A backup file's document, refused before parsing when oversized, and checked whole."""
    if len(data) > BACKUP_MAX_BYTES:
        raise ValidationError("Backup file", f"is {len(data) // 2**20} MB; the limit is "
                                             f"{BACKUP_MAX_BYTES // 2**20} MB.")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError("Backup file", "is not an OrgKit backup (not readable JSON).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError("Backup file", "is not an OrgKit backup.")
    if document.get("scope") != scope:
        raise ValidationError("Backup file", f"is a backup of a {document.get('scope')!s:.20}, "
                                             f"not of a {scope}.")
    ours = backup_document(store.db, {}, scope)["schema"]
    if not isinstance(document.get("schema"), int) or document["schema"] > ours:
        raise ValidationError("Backup file", "was made by a newer version of OrgKit; update "
                                             "this server first.")
    store.backups.check(document.get("tables"))
    return document


def restore_workshop(store: Store, actor: Actor, data: bytes) -> list[Message]:
    """Put the backup file's workshop into the facilitator's workshop (one transaction): its own
    earlier state, or a workshop moved from another database. Returns what had to change: a
    code another workshop here already holds is replaced, and the facilitator is told."""
    workshop_id = _facilitator(actor)
    tables = _read(store, data, WORKSHOP)["tables"]
    if len(tables.get("workshops") or []) != 1:
        raise ValidationError(N_("Backup file"), msg("is not a backup of one workshop."))
    changed = store.backups.replace_workshop(workshop_id, _as_written(tables), CODES)
    return [_code_note(table, column, row, new) for table, column, row, new in changed]


# Codes unique across the database, kept on a restore unless another workshop holds them.
CODES = {("workshops", "join_code"): security.new_join_code,
         ("workshops", "idempotency_key"): None,
         ("maps", "link_token"): security.new_token,
         ("maps", "short_code"): security.new_map_code,
         ("participants", "token"): security.new_token}


def _code_note(table: str, column: str, row: dict, new: str | None) -> Message:
    if column == "join_code":
        return msg("The join code {old} is used by another workshop here; this workshop's join "
                   "code is now {new}.", old=row[column], new=new)
    if column == "short_code":
        return msg("The code {old} of map {name} is used by another map here; its code is now "
                   "{new}.", old=row[column], name=row.get("name", ""), new=new)
    if column == "link_token":
        return msg("The private link of map {name} was in use here; hand out its new link.",
                   name=row.get("name", ""))
    if column == "token":
        return msg("A participant's link was in use here; {name} joins again with the code.",
                   name=row.get("display_name", ""))
    return msg("A key of the workshop was in use here and was cleared.")


def _as_written(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """A backup's rows as OrgKit itself writes them: an item of an anonymous board carries no
    author (board_model.stored_author), whatever a hand-edited or foreign file says, since no
    view filters names again on the way out."""
    anonymous = {b.get("id"): bool(b.get("anonymous")) for b in tables.get("boards") or []}
    items = [{**item, "author_name": board_model.stored_author(
                anonymous.get(item.get("board_id"), False), item.get("author_name") or "")}
             for item in tables.get("items") or []]
    return {**tables, "items": items} if "items" in tables else tables


def auto_backup(store: Store, workshop_id: int, reason: str) -> int:
    """Keep a copy of the workshop before a change that cannot be undone by hand; the last
    AUTO_KEPT are kept. Called inside the change's transaction, so the copy is what it changed."""
    document = backup_document(store.db, store.backups.dump(workshop_id), WORKSHOP)
    return store.backups.save_auto(workshop_id, reason, json.dumps(document, ensure_ascii=False),
                                   AUTO_KEPT)


def automatic_backups(store: Store, actor: Actor) -> list[dict]:
    """The workshop's automatic backups, newest first: id, reason, created_at, size."""
    return store.backups.autos(_facilitator(actor))


def restore_automatic(store: Store, actor: Actor, backup_id: object) -> list[Message]:
    """Restore one of the workshop's automatic backups."""
    workshop_id = _facilitator(actor)
    row = store.backups.auto(clean_int(backup_id, "Backup", low=1, high=ID_MAX))
    if row is None or row["workshop_id"] != workshop_id:
        raise ValidationError("Backup", "is not one of this workshop's backups.")
    return restore_workshop(store, actor, row["data"].encode("utf-8"))


# -- the operator's whole database -------------------------------------------------------------

def create_file(store: Store, path: Path | None = None) -> Path:
    """The whole database to a file: SQLite's online backup (.db) or pg_dump (.dump)."""
    if path is None:
        suffix = ".db" if store.db.engine == "sqlite" else ".dump"
        path = backup_folder(store.db) / f"orgkit-{time.strftime('%Y%m%d-%H%M%S')}{suffix}"
    return write_file(store.db, Path(path))


def restore_from_file(store: Store, path: Path) -> None:
    """Replace the whole database with a file: .db / .dump as written by create_file, or a
    .json of every row (a before-migration copy on PostgreSQL); a workshop's file is refused."""
    path = Path(path)
    if path.suffix == ".json":
        document = _read(store, path.read_bytes(), DATABASE)
        store.backups.replace_all(_as_written(document["tables"]))
        return
    restore_file(store.db, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orgkit.backup",
                                     description="Back up or restore the whole OrgKit database "
                                                 "named by ORGKIT_DATABASE_URL.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="write a backup file")
    create.add_argument("file", nargs="?", type=Path,
                        help="default: a dated file in ORGKIT_BACKUP_DIR or data/backups")
    restore = commands.add_parser("restore", help="replace the database with a backup file")
    restore.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    store = open_store()
    try:
        if args.command == "create":
            print(f"Backup written: {create_file(store, args.file)}")
        else:
            restore_from_file(store, args.file)
            print(f"Restored from {args.file}")
    except subprocess.CalledProcessError as exc:
        print(f"error: {exc.cmd[0]} failed: {exc.stderr.decode(errors='replace')}", file=sys.stderr)
        return 1
    except (ValidationError, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
