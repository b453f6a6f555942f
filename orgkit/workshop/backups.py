"""A workshop's copies: the file a facilitator downloads, and the automatic copies the board
and map services keep before what cannot be undone by hand (an import applied to a map, a
board's votes reset, a board deleted).

A copy is one JSON document in storage.backups' format holding every row of the workshop (PIN
hash, contact details and private links included, so it is for the facilitator only). The last
AUTO_KEPT automatic copies per workshop are kept in the database. Putting a copy back is
orgkit.backup.service's job: it applies the capabilities' rules to the rows it writes, so it
sits above them, while this module, which they call, imports none of them.
"""
from __future__ import annotations

import json
import time

from ..domain import Actor, require_facilitator
from ..i18n import Message, from_stored, msg, to_stored
from ..storage import Store
from ..storage.backups import backup_document

AUTO_KEPT = 5
WORKSHOP = "workshop"  # a workshop's file never replaces a whole database, nor the reverse


def facilitator_of(actor: Actor) -> int:
    """The workshop a facilitator backs up or restores; everyone else is refused."""
    return require_facilitator(actor, msg("Only the facilitator can back up or restore the "
                                          "workshop."))


def workshop_backup(store: Store, actor: Actor) -> bytes:
    """The facilitator's workshop as a backup file (UTF-8 JSON)."""
    document = backup_document(store.db, store.backups.dump(facilitator_of(actor)), WORKSHOP)
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def backup_filename(title: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in title)[:40].strip("-") or "workshop"
    return f"orgkit-{safe.lower()}-{time.strftime('%Y%m%d-%H%M')}.json"


def auto_backup(store: Store, workshop_id: int, reason: Message) -> int:
    """Keep a copy of the workshop before a change that cannot be undone by hand; the last
    AUTO_KEPT are kept. Called inside the change's transaction, so the copy is what it changed.
    The reason is stored as its message, so the list reads in its reader's language."""
    document = backup_document(store.db, store.backups.dump(workshop_id), WORKSHOP)
    return store.backups.save_auto(workshop_id, to_stored(reason),
                                   json.dumps(document, ensure_ascii=False), AUTO_KEPT)


def automatic_backups(store: Store, actor: Actor) -> list[dict]:
    """The workshop's automatic backups, newest first: id, reason (a message), created_at,
    size."""
    return [{**row, "reason": from_stored(row["reason"])}
            for row in store.backups.autos(facilitator_of(actor))]
