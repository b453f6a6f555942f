"""Restores: a facilitator's workshop, and the operator's whole database.

A workshop comes back from its backup file (orgkit.workshop.backups writes it, storage.backups
holds the format) or one of its automatic copies, in one transaction, into this database or one
that holds other workshops (storage.remap: ids kept where free, references remapped, codes kept
unless taken); a newer schema, a damaged row or a row that refers outside the workshop is
refused whole. The rows are written as
OrgKit itself writes them, applying the capabilities' rules (an anonymous board's items carry no
author): that is why restoring sits here, above the capabilities, and taking a copy below them.

The operator's whole database goes to a file (SQLite online backup / pg_dump) and comes back
from one; before a migration storage copies it by itself (storage.backups.before_migration).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from .. import security
from ..board import model as board_model
from ..commitments import model as commitment_model
from ..domain import ID_MAX, Actor, ValidationError
from ..i18n import N_, Message, msg
from ..storage import Store
from ..storage.backups import (BACKUP_FILE, FORMAT, backup_document, backup_folder, restore_file,
                               write_file)
from ..validation import clean_int
from ..workshop.backups import WORKSHOP, facilitator_of

DATABASE = "database"  # what a whole-database backup file holds
# Checked before a backup is parsed. It bounds an automatic backup read back from the database;
# an uploaded file meets the upload limit (spreadsheet.UPLOAD_MAX_MB) first.
BACKUP_MAX_BYTES = 50 * 1024 * 1024


def _read(store: Store, data: bytes, scope: str) -> dict:
    """A backup file's document, refused before parsing when oversized, and checked whole."""
    if len(data) > BACKUP_MAX_BYTES:
        raise ValidationError(BACKUP_FILE, msg("is {size} MB; the limit is {limit} MB.",
                                               size=len(data) // 2**20,
                                               limit=BACKUP_MAX_BYTES // 2**20))
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(BACKUP_FILE, msg("is not an OrgKit backup (not readable "
                                               "JSON).")) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError(BACKUP_FILE, msg("is not an OrgKit backup."))
    if document.get("scope") != scope:
        raise ValidationError(BACKUP_FILE, msg("is a backup of a {found}, not of a {scope}.",
                                               found=f"{document.get('scope')!s:.20}",
                                               scope=scope))
    ours = backup_document(store.db, {}, scope)["schema"]
    if not isinstance(document.get("schema"), int) or document["schema"] > ours:
        raise ValidationError(BACKUP_FILE, msg("was made by a newer version of OrgKit; update "
                                               "this server first."))
    tables = store.backups.check(document.get("tables"))
    for number, row in enumerate(tables.get("commitments") or [], start=1):
        try:  # kinds, dates and limits, as the form would have checked them
            commitment_model.check_stored(row)
        except ValidationError as exc:
            raise ValidationError(BACKUP_FILE, msg("has a commitment (row {n}) that does not "
                                                   "fit: {problem}", n=number,
                                                   problem=exc.message)) from None
    return document


def restore_workshop(store: Store, actor: Actor, data: bytes) -> list[Message]:
    """Put the backup file's workshop into the facilitator's workshop (one transaction): its own
    earlier state, or a workshop moved from another database. Returns what had to change: a
    code another workshop here already holds is replaced, and the facilitator is told."""
    workshop_id = facilitator_of(actor)
    tables = _read(store, data, WORKSHOP)["tables"]
    if len(tables.get("workshops") or []) != 1:
        raise ValidationError(BACKUP_FILE, msg("is not a backup of one workshop."))
    with store.acting(actor.role.value):  # each map's history says who restored it
        changed = store.backups.replace_workshop(workshop_id, _as_written(tables), CODES)
    return [_code_note(column, row, new) for _table, column, row, new in changed]


# Codes unique across the database, kept on a restore unless another workshop holds them.
CODES = {("workshops", "join_code"): security.new_join_code,
         ("workshops", "idempotency_key"): None,
         ("maps", "link_token"): security.new_token,
         ("maps", "short_code"): security.new_map_code,
         ("participants", "token"): security.new_token}


def _code_note(column: str, row: dict, new: str | None) -> Message:
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


def restore_automatic(store: Store, actor: Actor, backup_id: object) -> list[Message]:
    """Restore one of the workshop's automatic backups."""
    workshop_id = facilitator_of(actor)
    row = store.backups.auto(clean_int(backup_id, N_("Backup"), low=1, high=ID_MAX))
    if row is None or row["workshop_id"] != workshop_id:
        raise ValidationError(N_("Backup"), msg("is not one of this workshop's backups."))
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
