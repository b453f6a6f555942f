"""A map's history: every change to a map's content, appended in the transaction of the change.

`map_changes` is append-only. One row per change of one thing on a map: its `subject` (the map
itself, an entry, a link or an action) and that row's id, the `change` ("added", "changed",
"removed", or "restored": a backup was put back), when (`at`, epoch seconds) and by whom (the
role and, where there is one, the display name). `fields` holds the values after the change (all
of them when added, only those that moved when changed) and `before` the values before (those
that moved, or all of them when removed), as JSON objects. Bookkeeping columns (ids, map, version,
updated_at, revision, codes) are left out: they move on every write and say nothing about the map.
An action's `entry_ids` (who it involves) is one of its fields. orgkit.followup.model replays this
to rebuild a map as of any moment.

Who acts is set per thread by `Database.acting` (the services say who, once per call); a write
with nobody set is the system's (a migration, the demo).
"""
from __future__ import annotations

import json

SUBJECTS = ("map", "entry", "link", "action")
CHANGES = ("added", "changed", "removed", "restored")
SYSTEM = "system"
# The columns of each subject's table that the history keeps.
MAP_FIELDS = ("name", "issue", "target_impacted", "target_leader", "target_organization",
              "target_decision_maker", "wanted_constituencies")
LEFT_OUT = {"id", "map_id", "version", "updated_at"}


def kept(subject: str, row: dict) -> dict:
    """The fields of a row that its history keeps."""
    if subject == "map":
        return {name: row.get(name) for name in MAP_FIELDS if name in row}
    return {name: value for name, value in row.items() if name not in LEFT_OUT}


def moved(before: dict, after: dict) -> tuple[dict, dict]:
    """(old values, new values) of the fields of `after` whose value differs from `before`."""
    names = [name for name, value in after.items() if before.get(name) != value]
    return {n: before.get(n) for n in names}, {n: after[n] for n in names}


def encode(values: dict) -> str:
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


def decode(text: str | None) -> dict:
    return json.loads(text) if text else {}


# -- in backups ------------------------------------------------------------------------------

TABLES = {"map": "maps", "entry": "entries", "link": "links", "action": "actions"}


def remap_change(row: dict, new_id: dict[str, dict]) -> dict:
    """A history row written into another database (storage.remap): the ids it names follow
    their rows' new ids. A row the file no longer holds (removed before the backup) has no new id;
    its id is made negative, so it never meets a row given that id here."""
    def moved_id(table: str, old):
        if not isinstance(old, int) or isinstance(old, bool):
            return old
        return new_id.get(table, {}).get(old, old if old < 0 else -old)

    def values(text: str) -> str:
        data = decode(text)
        for column in ("source_id", "target_id"):
            if column in data:
                data[column] = moved_id("entries", data[column])
        if isinstance(data.get("entry_ids"), list):
            data["entry_ids"] = [moved_id("entries", i) for i in data["entry_ids"]]
        return encode(data)

    table = TABLES.get(row.get("subject"), "")
    return {**row, "subject_id": moved_id(table, row.get("subject_id")),
            "fields": values(row.get("fields") or "{}"),
            "before": values(row.get("before") or "{}")}


def damaged(row: dict) -> bool:
    """Whether a history row of a backup file cannot be read back (the restore refuses it)."""
    try:
        return (row.get("subject") not in SUBJECTS or row.get("change") not in CHANGES
                or not isinstance(row.get("at"), (int, float)) or isinstance(row.get("at"), bool)
                or not isinstance(decode(row.get("fields")), dict)
                or not isinstance(decode(row.get("before")), dict))
    except (TypeError, ValueError):
        return True
