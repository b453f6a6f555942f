"""A file's rows checked against a map, pure (no store): what an import would add, update or
leave unchanged, and every problem with where it is.

`check_mapped` applies a Mapping (orgkit.map.formats) and validates every row with the same rules
as the editor (map_model.clean_entry). It matches each element with the map's entries (by the
file's ID, else by name and level, else by a name only one entry has) and sorts it into added,
updated (with the fields that change) or unchanged; the file's ID is an element's identity (two
elements of one label are two entries). An entity a connection names that no element or entry
is becomes a new entry (a relationship CSV's entries all come so). Duplicate connections are
merged and counted; one name found at two levels is reported once, to be resolved in the
mapping (`name_levels`).

Nothing is left out unsaid: what will not arrive (ignored columns and tables, loops, images
written into a file) is listed in `left_out` before anything is written. Every row is checked
even when others fail: only a problem of the mapping itself (a field chosen twice, no names)
stops the rows being read.

Our own links and actions files keep their strict columns (orgkit.map.own_files). A Problem
names the sheet (or file), the row as a spreadsheet shows it (the header is row 1, a JSON
item's number otherwise) and the file's own column name, or our field's marked label when the
problem is in no column; its reason is a Message. Problems are sorted by row; notes are
Messages too.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..domain import LEVELS, STAGES, STRENGTHS, ValidationError
from ..i18n import N_, Message, msg, nmsg
from ..spreadsheet import unneutralise
from ..validation import clean_choice, clean_int, clean_text
from . import model as map_model
from .formats import (CONNECTION_TARGETS, ELEMENT_TARGETS, EXTRA, EXTRA_MAX,
                      EXTRA_NAME_MAX, IGNORE, INFLUENCE_WORDS, TYPE_LABEL, Inspection,
                      Mapping, Table, cell_text, extra_fields, extra_json, guess_kind,
                      guess_level, is_formula, list_ends, normal_name, own_level)


@dataclass(frozen=True)
class Problem:
    """One bad row: where it is (sheet or file, row, the file's own column), and why."""

    row: int
    field: str  # the file's column name when the problem is in one, else our field's marked id
    reason: Message
    sheet: str = ""

    @property
    def message(self) -> Message:
        if self.sheet:
            return msg("{sheet}, row {row} · {field}: {reason}", sheet=self.sheet, row=self.row,
                       field=self.field, reason=self.reason)
        return msg("Row {row} · {field}: {reason}", row=self.row, field=self.field,
                   reason=self.reason)

    def __str__(self) -> str:  # English, for logs and tests
        return str(self.message)


# -- a preview under a mapping ---------------------------------------------------------------

@dataclass
class Update:
    """An entry of the map the file changes: which fields, and the whole new row."""

    entry_id: int
    version: int
    name: str
    fields: dict
    changed: list[str]  # marked labels of the fields that change


@dataclass
class ImportPreview:
    """A validated file, ready to apply when `problems` is empty."""

    map_id: int
    revision: int  # the map's revision the rows were checked against
    entries: list[dict] = field(default_factory=list)  # new entries
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0
    links: list[tuple[object, object, str]] = field(default_factory=list)
    links_merged: int = 0  # repeats of a connection within the file, merged into one
    links_unchanged: int = 0  # connections already on the map
    actions: list[tuple[dict, list[object]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    left_out: list[Message] = field(default_factory=list)  # what will not arrive, and why
    loops: int = 0  # connections from an element to itself, left out
    two_levels: dict[str, list[str]] = field(default_factory=dict)  # name -> its levels
    mapping: Mapping | None = None
    shape: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> Message:
        counts = dict(entries=nmsg("{n} entry", "{n} entries", len(self.entries)),
                      links=nmsg("{n} link", "{n} links", len(self.links)),
                      actions=nmsg("{n} action", "{n} actions", len(self.actions)))
        if self.updates or self.unchanged:
            return msg("{entries}, {links}, {actions}; {updated} updated, {unchanged} unchanged",
                       **counts, updated=nmsg("{n} entry", "{n} entries", len(self.updates)),
                       unchanged=self.unchanged)
        return msg("{entries}, {links}, {actions}", **counts)


def _choice(value: object, field_: str, vocab: dict[str, str]) -> str:
    """clean_choice, answering with the names the page shows (Engaged, One-on-one held)."""
    try:
        return clean_choice(value, field_, vocab)
    except ValidationError:
        raise ValidationError(field_, msg("'{value}' is not one of: {choices}.",
                                          value=str(value or "").strip()[:40],
                                          choices=_listed(vocab.values()))) from None


def _listed(ids) -> Message:
    """Marked labels as one list ("Identified, Contacted, ..."), each rendered by the screen."""
    parts = [Message(i) for i in ids]
    text = parts[0]
    for part in parts[1:]:
        text = msg("{first}, {rest}", first=text, rest=part)
    return text


class _Element:
    """One element of the file on its way to an entry: where it came from and its raw fields."""

    def __init__(self, sheet: str, row: int, raw: dict, extra: dict, file_id: str,
                 columns: dict[str, str]):
        self.sheet, self.row, self.raw, self.extra, self.file_id = sheet, row, raw, extra, file_id
        self.columns = columns  # our field's marked label -> the file's column, for problems
        self.ref: object = None  # an entry id, or "new:<n>" once it is added


FORMULA = msg("is a formula; type the value itself instead.")


def _element_rows(table: Table, mapping: Mapping, preview: ImportPreview
                  ) -> list[_Element] | None:
    """The elements of the table; None when the mapping itself has a problem (a field chosen
    twice, no names), which every row would share. A row's own problems go into the preview
    and the other rows are still read, so every problem is listed."""
    targets = mapping.columns.get(table.name, {})
    problems = len(preview.problems)
    seen = Counter(t for t in targets.values() if t not in (EXTRA, IGNORE))
    for target, count in seen.items():
        if count > 1:
            named = [c for c, t in targets.items() if t == target]
            preview.problems.append(Problem(1, ELEMENT_TARGETS[target], msg(
                "is chosen for more than one column ({columns}); keep one.",
                columns=", ".join(named)), table.name))
    if "name" not in seen:
        preview.problems.append(Problem(1, N_("Name"), msg("choose the column that holds the "
                                                           "names."), table.name))
    extra_columns = [c for c, t in targets.items() if t == EXTRA]
    if len(extra_columns) > EXTRA_MAX:
        preview.problems.append(Problem(1, N_("Extra fields"), msg(
            "{n} columns are kept as extra fields; the limit is {limit}. Ignore some.",
            n=len(extra_columns), limit=EXTRA_MAX), table.name))
    if len(preview.problems) > problems:
        return None
    if extra_columns:
        preview.notes.append(msg("Kept as extra fields on each entry ({table}): {columns}.",
                                 table=table.name, columns=", ".join(extra_columns)))
    ignored = [c for c, t in targets.items() if t == IGNORE and c]
    if ignored:
        preview.left_out.append(msg("Not imported from {table} (set to Ignore): {columns}.",
                                    table=table.name, columns=", ".join(ignored)))
    # A problem of a field names the file's column.
    labels = {ELEMENT_TARGETS.get(t, t): c for c, t in targets.items()} | {
        map_model.LABELS.get(t, t): c for c, t in targets.items()}
    index = {c: i for i, c in enumerate(table.header)}
    elements = []
    for number, row in table.rows:
        cells = {c: row[i] if i < len(row) else None for c, i in index.items()}
        formulas = [c for c, v in cells.items() if is_formula(v) and targets.get(c) != IGNORE]
        cells = {c: unneutralise(v) for c, v in cells.items()}
        for column in formulas:
            preview.problems.append(Problem(number, column, FORMULA, table.name))
        if formulas:
            continue
        raw, extra, file_id = {}, {}, ""
        for column, value in cells.items():
            target = targets.get(column, IGNORE)
            if target == IGNORE or value is None or value == "":
                continue
            if target == EXTRA:
                extra[column[:EXTRA_NAME_MAX]] = value
            elif target == "id":
                file_id = str(value).strip()
            else:
                raw[target] = value
        raw["level_type"] = cell_text(row, index.get(mapping.field_of(table.name, "level")))
        elements.append(_Element(table.name, number, raw, extra, file_id, labels))
    return elements


def _clean_extra(extra: dict) -> dict[str, str]:
    """Extra fields as text, each within DESCRIPTION_MAX: long text arrives whole (the column's
    own name in a problem)."""
    cleaned = {column: clean_text(value, column, max_len=map_model.DESCRIPTION_MAX,
                                  multiline=True)
               for column, value in extra.items()}
    return {k: v for k, v in cleaned.items() if v}


def _influence(raw: dict) -> None:
    """Influence in words (High, low) read as our number; a value that is neither is quoted."""
    value = raw.get("influence")
    if not isinstance(value, str) or map_model.blank(value):
        return
    if (word := normal_name(value)) in INFLUENCE_WORDS:
        raw["influence"] = INFLUENCE_WORDS[word]
        return
    low, high = map_model.INFLUENCE_RANGE
    try:
        clean_int(value, map_model.LABELS["influence"], low=low, high=high)
    except ValidationError:
        raise ValidationError(map_model.LABELS["influence"], msg(
            "'{value}' is not a number from {low} to {high}, nor one of: {words}.",
            value=value.strip()[:40], low=low, high=high,
            words=", ".join(INFLUENCE_WORDS))) from None


def _kept_type(element: _Element, raw: dict) -> str:
    """The Type the file gave the element, kept as text: its own column, else the text mapped
    onto a level unless that is one of our own levels."""
    said = raw.pop("source_type", None)
    if said is None:
        said = "" if own_level(element.raw["level_type"]) else element.raw["level_type"]
    return clean_text(said, TYPE_LABEL, max_len=map_model.TYPE_MAX)


def _level_of(element: _Element, mapping: Mapping) -> tuple[str, bool]:
    """The element's level, and whether the file said it (a Type, or a level chosen for the
    name) rather than the default for a blank Type."""
    chosen = mapping.name_levels.get(normal_name(element.raw.get("name")))
    if chosen:
        return chosen, True
    said = element.raw["level_type"]
    return mapping.levels.get(said, guess_level(said)), bool(said)


def _connection_rows(table: Table, mapping: Mapping, preview: ImportPreview
                     ) -> list[dict] | None:
    """The connections of the table; None when the mapping itself has a problem."""
    targets = mapping.columns.get(table.name, {})
    problems = len(preview.problems)
    for wanted in ("from", "to"):
        if mapping.field_of(table.name, wanted) is None:
            preview.problems.append(Problem(1, CONNECTION_TARGETS[wanted], msg(
                "choose the column that holds it."), table.name))
    seen = Counter(t for t in targets.values() if t != IGNORE)
    for target, count in seen.items():
        if count > 1:
            preview.problems.append(Problem(1, CONNECTION_TARGETS[target], msg(
                "is chosen for more than one column; keep one."), table.name))
    if len(preview.problems) > problems:
        return None
    ignored = [c for c, t in targets.items() if t == IGNORE and c]
    if ignored:
        preview.left_out.append(msg("Not imported from {table} (a link holds only its ends and its "
                                 "kind): {columns}.", table=table.name,
                                 columns=", ".join(ignored)))
    index = {t: table.column(c) for c, t in targets.items() if t != IGNORE}
    rows = []
    for number, row in table.rows:
        cells = {t: unneutralise(row[i]) if i < len(row) else None for t, i in index.items()}
        rows.append({"row": number, "sheet": table.name, **cells,
                     "kind_type": cell_text(row, index.get("kind")),
                     "columns": {t: c for c, t in targets.items()}})
    return rows


def check_mapped(inspection: Inspection, mapping: Mapping, view: map_model.MapView
                 ) -> ImportPreview:
    """The inspected file under `mapping` checked against the map as `view` holds it. Every
    problem is collected, sorted by sheet and row."""
    preview = ImportPreview(view.map["id"], view.revision, notes=list(inspection.notes),
                            left_out=list(inspection.left_out), mapping=mapping,
                            shape=inspection.shape)
    existing = view.entries
    elements_table = inspection.tables.get(mapping.elements or "")
    connections_table = inspection.tables.get(mapping.connections or "")
    unused = [t.name for t in inspection.tables.values() if t.rows and t not in
              (elements_table, connections_table)]
    if unused:
        preview.left_out.append(msg("Not imported (neither elements nor connections): {tables}.",
                                    tables=", ".join(unused)))
    elements = _element_rows(elements_table, mapping, preview) if elements_table else []
    connections = (_connection_rows(connections_table, mapping, preview)
                   if connections_table else [])
    if elements is None or connections is None:
        return preview
    known_ids = {e.get("external_id") for e in existing if e.get("external_id")} | {
        f"orgkit-{e['id']}" for e in existing}
    known_names = {normal_name(e["name"]) for e in existing}
    if elements_table is not None:
        known_ids |= _cells(elements_table, mapping, "id", str.strip)
        known_names |= _cells(elements_table, mapping, "name", normal_name)
    named = _elements_from_connections(connections, known_ids, known_names, mapping, preview)
    if elements_table is not None and named:
        preview.notes.append(msg(
            "{n} named only by a connection, not in {table}, will be added as new entries: "
            "{names}.", n=len(named), table=elements_table.name,
            names=", ".join(e.raw["name"] for e in named[:20]) + (" …" if len(named) > 20
                                                                  else "")))
    elements += named
    _match_and_check(elements, existing, mapping, preview)
    if connections:
        _check_connections(connections, elements, existing, view.links, mapping, preview)
    order = {name: i for i, name in enumerate(inspection.tables)}
    preview.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row))
    return preview


_NAME = map_model.LABELS["name"]


def _cells(table: Table, mapping: Mapping, target: str, normal) -> set[str]:
    """The non-blank cells of the column mapped onto `target` (as the rows read them: a cell a
    spreadsheet would run is neutralised in the file), as `normal` makes them."""
    column = mapping.field_of(table.name, target)
    if column is None:
        return set()
    index = table.column(column)
    return {normal(str(unneutralise(text))) for _, row in table.rows
            if (text := cell_text(row, index))}


def _elements_from_connections(connections: list[dict], known_ids: set[str],
                               known_names: set[str], mapping: Mapping,
                               preview: ImportPreview) -> list[_Element]:
    """The entities a connection names that nothing else does (no element, no entry, by ID or
    name): each name at either end, with the Type written next to it. A relationship file's
    entities all come from here; Kumu creates an element a connection names, and so do we."""
    found: dict[str, _Element] = {}
    levels: dict[str, dict[str, list[int]]] = {}
    for row in connections:
        for end, kind in (("from", "from_type"), ("to", "to_type")):
            type_text = unicodedata.normalize("NFC", str(row.get(kind) or "")).strip()
            whole = str(row.get(end) if row.get(end) is not None else "").strip()
            if whole in known_ids or normal_name(whole) in known_names:
                continue
            for name in list_ends(whole):
                key = normal_name(name)
                if key in known_names or name in known_ids:
                    continue
                if key not in found:
                    found[key] = _Element(row["sheet"], row["row"], {"name": name,
                                          "level_type": type_text}, {}, "",
                                          {_NAME: row["columns"].get(end, end)})
                level = mapping.levels.get(type_text, guess_level(type_text))
                levels.setdefault(key, {}).setdefault(level, []).append(row["row"])
    for key, by_level in levels.items():
        if len(by_level) > 1 and key not in mapping.name_levels:
            element = found[key]
            said = [msg("{level} (rows {rows}{more})", level=Message(LEVELS[level]),
                        rows=", ".join(map(str, rows[:5])), more=" …" if len(rows) > 5 else "")
                    for level, rows in by_level.items()]
            preview.two_levels[key] = list(by_level)
            preview.problems.append(Problem(element.row, element.columns[_NAME], msg(
                "'{name}' is named at two levels: {levels}. Choose its level in the mapping.",
                name=element.raw["name"][:60], levels=_joined(said)), element.sheet))
    return list(found.values())


def _match_and_check(elements: list[_Element], existing: list[dict], mapping: Mapping,
                     preview: ImportPreview) -> None:
    """Each element validated and sorted into added, updated or unchanged."""
    by_id = {f"orgkit-{e['id']}": e for e in existing} | {
        e["external_id"]: e for e in existing if e.get("external_id")}
    by_name_level: dict[tuple[str, str], list[dict]] = {}
    by_name: dict[str, list[dict]] = {}
    for entry in existing:
        by_name_level.setdefault((normal_name(entry["name"]), entry["level"]), []).append(entry)
        by_name.setdefault(normal_name(entry["name"]), []).append(entry)
    in_file: dict[tuple[str, str], int] = {}
    claimed: set[int] = set()
    for element in elements:
        raw = dict(element.raw)
        raw.pop("level_type")
        raw["level"], level_said = _level_of(element, mapping)
        name = normal_name(raw.get("name"))
        # The file's ID, else name and level, else a name only one entry has; an entry is
        # matched once (a second element of its name is a new entry, or a duplicate below).
        match = by_id.get(element.file_id) if element.file_id else None
        if match is None:
            candidates = by_name_level.get((name, raw["level"])) or (
                by_name.get(name, []) if len(by_name.get(name, [])) == 1 else [])
            match = candidates[0] if len(candidates) == 1 else None
        if match is not None and match["id"] in claimed:
            match = None
        if match is not None and not level_said:
            raw["level"] = match["level"]  # no Type in the file: the map's level stands
        try:
            for field_, vocab in (("stage", STAGES), ("strength", STRENGTHS)):
                if raw.get(field_) not in (None, ""):
                    raw[field_] = _choice(raw[field_], map_model.LABELS[field_], vocab)
            _influence(raw)
            extra = _clean_extra(element.extra)
            kept_type = _kept_type(element, raw)
            current = {} if match is None else {n: match[n] for n in map_model.ENTRY_FIELDS}
            fields = map_model.clean_entry({**current, **raw})
        except ValidationError as exc:
            preview.problems.append(Problem(element.row, element.columns.get(exc.field, exc.field),
                                            exc.problem, element.sheet))
            continue
        # The file's ID is an element's identity when it has one (Kumu's rule): two elements
        # of one label are two entries; else its name and level.
        key = (("id", element.file_id) if element.file_id else
               (normal_name(fields["name"]), fields["level"]))
        if key in in_file:
            twice = (msg("duplicate: same ID as row {row}.", row=in_file[key]) if element.file_id
                     else msg("duplicate: same name and level as row {row}.", row=in_file[key]))
            preview.problems.append(Problem(element.row, element.columns.get(_NAME, _NAME), twice,
                                            element.sheet))
            continue
        in_file[key] = element.row
        if match is None:
            element.ref = f"new:{len(preview.entries)}"
            preview.entries.append({**fields, "extra": extra_json(extra),
                                    "external_id": element.file_id, "source_type": kept_type})
            continue
        claimed.add(match["id"])
        element.ref = match["id"]
        merged_extra = {**extra_fields(match), **extra}
        changed = [map_model.LABELS[n] for n in map_model.ENTRY_FIELDS if fields[n] != match[n]
                   and not (fields[n] in (None, "") and match[n] in (None, ""))]
        if merged_extra != extra_fields(match):
            changed.append(N_("extra fields"))
        kept_type = kept_type or match.get("source_type") or ""
        if kept_type != (match.get("source_type") or ""):
            changed.append(TYPE_LABEL)
        own_id = element.file_id in ("", f"orgkit-{match['id']}")
        new_id = (match.get("external_id") or "") if own_id else element.file_id
        if new_id != (match.get("external_id") or ""):
            changed.append(N_("the file's ID"))
        if changed:
            preview.updates.append(Update(match["id"], match["version"], fields["name"],
                                          {**fields, "extra": extra_json(merged_extra),
                                           "external_id": new_id, "source_type": kept_type},
                                          changed))
        else:
            preview.unchanged += 1



class _RowProblem(Exception):
    """A connection names an element whose own row has a problem (already listed)."""


def _check_connections(connections: list[dict], elements: list[_Element], existing: list[dict],
                       links: list[dict], mapping: Mapping, preview: ImportPreview) -> None:
    """Each connection's ends resolved (the file's ID first, then the name) and its kind mapped;
    repeats within the file merged with a count; those already on the map counted unchanged; a
    loop (an element to itself) left out and counted. A connection to an element whose own row
    has a problem is passed over: that row's problem says enough."""
    ids: dict[str, list[object]] = {}
    names: dict[str, list[object]] = {}
    for element in elements:
        if element.file_id:
            ids.setdefault(element.file_id, []).append(element.ref)
    new_names = {}
    for element in elements:
        new_names.setdefault(normal_name(element.raw.get("name")), []).append(element.ref)
    for entry in existing:
        if entry.get("external_id"):
            ids.setdefault(entry["external_id"], []).append(entry["id"])
        ids.setdefault(f"orgkit-{entry['id']}", []).append(entry["id"])
        names.setdefault(normal_name(entry["name"]), []).append(entry["id"])
    for name, refs in new_names.items():  # an element that matched an entry is that entry
        names[name] = list(dict.fromkeys(names.get(name, []) + refs))
    on_map = {(l["source_id"], l["target_id"], l["kind"]) for l in links}
    kept: set[tuple] = set()

    def resolve(value: str, column: str) -> object:
        found = list(dict.fromkeys(ids.get(value) or names.get(normal_name(value), [])))
        if None in found:
            raise _RowProblem
        if not found:
            raise ValidationError(column, msg("no entry is named '{name}'.", name=value[:60]))
        if len(found) > 1:
            raise ValidationError(column, msg(
                "{n} entries are named '{name}' (at different levels); give the file an ID "
                "column, or rename one first.", n=len(found), name=value[:60]))
        return found[0]

    def ends(value: object) -> list[str]:
        whole = str(value if value is not None else "").strip()
        return [whole] if whole in ids or normal_name(whole) in names else list_ends(whole)

    loops: list[int] = []
    for row in connections:
        columns = row["columns"]
        kind = mapping.kinds.get(row["kind_type"], guess_kind(row["kind_type"]))
        try:
            sources = [resolve(v, columns["from"]) for v in ends(row.get("from"))]
            targets = [resolve(v, columns["to"]) for v in ends(row.get("to"))]
            if not sources or not targets:
                raise ValidationError(columns["to" if sources else "from"], msg("is blank."))
            keys = []
            for source in sources:
                for target in targets:
                    if source == target:
                        loops.append(row["row"])
                        continue
                    keys.append(map_model.check_link({}, source, target, kind,
                                                fields=(columns["to"], columns["to"])))
        except ValidationError as exc:
            preview.problems.append(Problem(row["row"], exc.field, exc.problem, row["sheet"]))
            continue
        except _RowProblem:
            continue
        for key in keys:
            if key in kept:
                preview.links_merged += 1
            elif key in on_map:
                kept.add(key)
                preview.links_unchanged += 1
            else:
                kept.add(key)
                preview.links.append(key)
    if preview.links_merged:
        preview.notes.append(msg("{n} repeated connections were merged into one link each.",
                                 n=preview.links_merged))
    if loops:
        preview.loops = len(loops)
        preview.left_out.append(nmsg(
            "{n} connection from an element to itself (row {rows}) was left out: a link joins "
            "two entries.", "{n} connections from an element to itself (rows {rows}) were left "
            "out: a link joins two entries.", len(loops), n=len(loops),
            rows=", ".join(map(str, loops[:10])) + (" …" if len(loops) > 10 else "")))


def _joined(parts: list[Message]) -> Message:
    """Messages as one, separated by semicolons."""
    text = parts[0]
    for part in parts[1:]:
        text = msg("{first}; {rest}", first=text, rest=part)
    return text
