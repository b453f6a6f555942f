"""Importing a file into a map: the service over the pure readers (orgkit.map.formats) and
checks (orgkit.map.matching), reading and writing the map only through the map service
(orgkit.map.service), so its access check, revision guard and transaction hold here too.

An import of people and connections runs in three steps: `inspect_upload` reads the files and
proposes a mapping (remembered for this map and the file's shape, else guessed);
`preview_mapped` checks the file under a mapping against the map as it is now; `apply_import`
writes a preview with no problems in one transaction, only if the map is still at the revision
the preview was checked against, and remembers the mapping. Our own links and actions files go
through `preview_import` with their kind. Nothing is written before `apply_import`.
"""
from __future__ import annotations

from ..domain import Actor, ValidationError
from ..i18n import N_, msg, nmsg
from ..storage import Store
from . import service as maps
from .formats import KINDS, Inspection, Mapping, propose, read_tables
from .matching import ImportPreview, check_mapped
from .own_files import check_own_file


def inspect_upload(store: Store, actor: Actor, map_id: int,
                   files: list[tuple[str, bytes]]) -> Inspection:
    """Read uploaded files and propose a mapping (remembered for this map and shape, else
    guessed). Nothing is written."""
    maps.get_map(store, actor, map_id)
    notes: list = []
    left_out: list = []
    tables = read_tables(files, notes, left_out)
    return propose(tables, notes, lambda shape: maps.import_mapping(store, actor, map_id, shape),
                   left_out)


def preview_mapped(store: Store, actor: Actor, map_id: int, inspection: Inspection,
                   mapping: Mapping) -> ImportPreview:
    """Validate the inspected file under `mapping` against the map as it is now; nothing is
    written. Every problem is collected, sorted by sheet and row."""
    return check_mapped(inspection, mapping, maps.load_map(store, actor, map_id))


def preview_import(store: Store, actor: Actor, map_id: int, filename: str, data: bytes,
                   kind: str) -> ImportPreview:
    """Read and validate one file; nothing is written. Kind "entries" (or "kumu") is a file of
    people and connections under the remembered or guessed mapping (see inspect_upload);
    "links" and "actions" are our own strict files naming entries already on the map."""
    if kind in ("entries", "kumu"):
        inspection = inspect_upload(store, actor, map_id, [(filename, data)])
        return preview_mapped(store, actor, map_id, inspection, inspection.mapping)
    if kind not in KINDS:
        raise ValidationError(N_("Import"), msg("choose one of: {kinds}.", kinds=", ".join(KINDS)))
    view = maps.load_map(store, actor, map_id)
    notes: list = []
    return check_own_file(read_tables([(filename, data)], notes), kind, view, notes)


def apply_import(store: Store, actor: Actor, map_id: int, preview: ImportPreview):
    """Write a clean preview in one transaction; refuses one with problems. Returns a summary
    (a Message)."""
    maps.get_map(store, actor, map_id)
    if not preview.ok:
        raise ValidationError(N_("Import"), nmsg(
            "{n} row has a problem; fix the file and import it again. Nothing was saved.",
            "{n} rows have problems; fix the file and import it again. Nothing was saved.",
            len(preview.problems), n=len(preview.problems)))
    remember = None if preview.mapping is None else (preview.shape, preview.mapping.to_json())
    maps.import_rows(store, actor, map_id, preview.map_id, preview.revision, preview.entries,
                     [(u.entry_id, u.version, u.fields) for u in preview.updates],
                     preview.links, preview.actions, remember)
    return preview.summary()
