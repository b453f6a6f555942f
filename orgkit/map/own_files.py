"""Our own links and actions files checked against a map, pure (no store): strict columns (our
field names or labels), naming entries already on the map. The import service
(orgkit.map.imports) calls `check_own_file`; a file of people and connections goes through the
mapping step instead (orgkit.map.matching), whose Problem and ImportPreview these share.
"""
from __future__ import annotations

from ..domain import LINK_KINDS, ValidationError
from ..i18n import msg
from ..spreadsheet import unneutralise
from ..validation import clean_choice
from . import model as map_model
from .formats import COLUMNS, REQUIRED, Table, empty_file, is_formula, normal_name
from .matching import FORMULA, ImportPreview, Problem


def _records(table: Table, columns: list[str], required: list[str],
             preview: ImportPreview) -> list[tuple[int, dict]]:
    """(row number, {column: value}) for non-blank rows; header problems go into the preview."""
    sheet = table.name
    if not table.rows:
        raise empty_file()
    lookup = {c.lower(): c for c in columns} | {map_model.LABELS.get(c, c).lower(): c
                                                for c in columns}
    mapped = [lookup.get(h.lower()) for h in table.header]
    unknown = [h for h, m in zip(table.header, mapped) if m is None and h]
    if unknown:
        preview.notes.append(msg("Ignored unknown columns: {columns}.",
                                 columns=", ".join(unknown)))
    twice = sorted({m for m in mapped if m and mapped.count(m) > 1}, key=mapped.index)
    for name in twice:
        named = [h for h, m in zip(table.header, mapped) if m == name]
        preview.problems.append(Problem(1, name, msg(
            "appears more than once in the header ({columns}); keep one.",
            columns=", ".join(named)), sheet))
    missing = [name for name in required if name not in mapped]
    for name in missing:
        preview.problems.append(Problem(1, name, msg("this column is missing from the "
                                                     "header."), sheet))
    if missing or twice:
        return []
    records = []
    for number, row in table.rows:
        cells = {column: value for column, value in zip(mapped, row) if column}
        formulas = [h for h, column in zip(table.header, mapped) if column and
                    is_formula(cells.get(column))]
        for header in formulas:
            preview.problems.append(Problem(number, header, FORMULA, sheet))
        if not formulas:
            records.append((number, {c: unneutralise(v) for c, v in cells.items()}))
    return records


def _problem(preview: ImportPreview, sheet: str, number: int, exc: ValidationError) -> None:
    preview.problems.append(Problem(number, exc.field, exc.problem, sheet))


class _Names:
    """Entry names of the map resolved to one entry each (compared as normal_name)."""

    def __init__(self, existing: list[dict]):
        self.ids: dict[str, list[object]] = {}
        for entry in existing:
            self.ids.setdefault(normal_name(entry["name"]), []).append(entry["id"])

    def resolve(self, name: object, field_: str) -> object:
        found = self.ids.get(normal_name(name), [])
        if not found:
            raise ValidationError(field_, msg("no entry is named '{name}'.",
                                              name=str(name or "")[:60]))
        if len(found) > 1:
            raise ValidationError(field_, msg("{n} entries are named '{name}'; rename one first.",
                                              n=len(found), name=str(name)[:60]))
        return found[0]


def _check_links(records, sheet, preview: ImportPreview, names: _Names, links: list[dict]) -> None:
    """Each row by map_model.check_link, against the map's `links` and the rows before it."""
    taken = map_model.taken_links(links)
    for number, record in records:
        try:
            kind = clean_choice(record.get("kind"), "kind", LINK_KINDS)
            source = names.resolve(record.get("source"), "source")
            target = names.resolve(record.get("target"), "target")
            key = map_model.check_link(taken, source, target, kind, fields=("target", "kind"))
        except ValidationError as exc:
            _problem(preview, sheet, number, exc)
            continue
        taken[key] = msg("duplicate link.")
        preview.links.append(key)


def _check_actions(records, sheet, preview: ImportPreview, names: _Names) -> None:
    for number, record in records:
        try:
            fields = map_model.clean_action(record)
            named = "" if record.get("entries") is None else str(record["entries"])
            involved = [names.resolve(n, "entries") for n in named.split(";") if n.strip()]
            map_model.require_subject(fields, involved)
        except ValidationError as exc:
            _problem(preview, sheet, number, exc)
            continue
        preview.actions.append((fields, involved))


def check_own_file(tables: list[Table], kind: str, view: map_model.MapView,
                   notes: list) -> ImportPreview:
    """Our own links or actions file (`kind`) checked against the map as `view` holds it."""
    preview = ImportPreview(view.map["id"], view.revision, notes=notes)
    chosen = next((t for t in tables if normal_name(t.name) == kind), tables[0])
    records = _records(chosen, COLUMNS[kind], REQUIRED[kind], preview)
    if kind == "links":
        _check_links(records, chosen.name, preview, _Names(view.entries), view.links)
    else:
        _check_actions(records, chosen.name, preview, _Names(view.entries))
    return preview
