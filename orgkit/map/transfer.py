"""Import and export of a map: our own CSV/XLSX, Kumu (XLSX, CSV, project JSON), Oligrapher
(LittleSis) JSON and a single relationship CSV, with a mapping step instead of a refusal.

An import of people and connections runs in three steps:

1. `inspect_upload` reads the files with bounded work (orgkit.spreadsheet) into Tables (a sheet,
   a CSV file, or a JSON list of elements/nodes or connections/edges), decides which table holds
   the elements and which the connections, and proposes a Mapping: each column onto one of our
   fields (or kept as an extra field, or ignored), each distinct element Type onto a level
   (guessed from its words: Person -> leader, Company -> organization, Senator -> decision-maker)
   and each connection type onto a link kind (blank or unknown -> knows). A mapping the person
   confirmed before for a file of the same shape (its tables' columns) on this map is offered
   again instead of the guess.
2. `preview_mapped` applies a mapping and validates every row with the same rules as the editor
   (map_model.clean_entry). It matches each element with the map's entries (by the file's ID, else by
   name and level, else by a name only one entry has; names compared NFC, spaces collapsed,
   ignoring case) and sorts it into added, updated (with the fields that change) or unchanged.
   A file without an elements table (a relationship CSV) creates its entries from the
   connection rows. Duplicate connections are merged and counted; one name found at two levels
   is reported once, to be resolved in the mapping (`name_levels`).
3. `apply_import` writes a preview with no problems in one transaction, only if the map is still
   at the revision the preview was checked against, and remembers the mapping.

Our own links and actions files keep their strict columns (`preview_import` with kind "links" or
"actions"): they name entries already on the map. Problems name the sheet (or file), the row as
a spreadsheet shows it (the header is row 1, a JSON item's number otherwise) and the file's own
column name, and are sorted by row.

Exports neutralise text cells that begin with = + - or @ (a leading apostrophe); imports strip it
again. Every import and export passes maps.get_map first (the map's team or the facilitator), so
our own files carry every field; contact and notes never go to Kumu (the file leaves our tool),
every other field goes there as a custom field, so OrgKit -> Kumu workbook -> OrgKit gives the map
back.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .. import backup
from ..domain import LEVELS, LINK_KINDS, STAGES, STRENGTHS, Actor, Conflict, ValidationError
from ..spreadsheet import (ZIP_MAGIC, FormulaCell, check_size, neutralise, not_a_table, read_csv,
                           read_json, read_xlsx, unneutralise)
from ..storage import Store
from ..validation import clean_choice, clean_text
from . import model as map_model
from . import service as maps

KINDS = ("entries", "links", "actions")
FILES_MAX = 4  # a Kumu CSV pair, with room for a stray file
EXTRA_MAX = 40  # extra fields kept on one entry
EXTRA_NAME_MAX = 60

ENTRY_COLUMNS = list(map_model.ENTRY_FIELDS)
LINK_COLUMNS = ["source", "kind", "target"]
ACTION_COLUMNS = ["kind", "title", "due_on", "status", "outcome", "turnout", "entries"]
COLUMNS = {"entries": ENTRY_COLUMNS, "links": LINK_COLUMNS, "actions": ACTION_COLUMNS}
REQUIRED = {"links": LINK_COLUMNS, "actions": ["kind"]}

# What a column of an elements table can become. "description" lands in the role when it fits
# one line of SHORT_MAX, else in the notes; EXTRA keeps the column on the entry as it is.
EXTRA, IGNORE = "extra", "ignore"
ELEMENT_TARGETS = {"id": "The file's ID", "name": "Name", "level": "Type (mapped to a level)",
                   "description": "Description (role, or notes when long)",
                   **{f: map_model.LABELS[f] for f in map_model.ENTRY_FIELDS if f not in ("name", "level")},
                   EXTRA: "Keep as an extra field", IGNORE: "Ignore"}
CONNECTION_TARGETS = {"from": "From", "to": "To", "kind": "Connection type",
                      "from_type": "Type of From", "to_type": "Type of To",
                      "direction": "Direction (read, not needed)", IGNORE: "Ignore"}
_ELEMENT_WORDS = {
    "id": ("id", "_id", "element id", "kumu id", "orgkit id"),
    "name": ("label", "name", "full name", "entity", "title", "display name"),
    "level": ("type", "element type", "level", "category", "entity type", "types"),
    "description": ("description", "bio", "summary", "blurb"),
    "constituencies": ("tags", "keywords"),
    "contact": ("email", "e-mail"),
    "strength": ("strength",),
}
_CONNECTION_WORDS = {
    "from": ("from", "source", "source name", "from name", "node1_id", "entity 1", "entity1",
             "subject"),
    "to": ("to", "target", "target name", "to name", "node2_id", "entity 2", "entity2",
           "object"),
    "kind": ("type", "connection type", "relationship", "relation", "kind", "label",
             "relationship type", "category"),
    "from_type": ("source type", "from type", "type of source", "entity 1 type",
                  "source_type", "from_type"),
    "to_type": ("target type", "to type", "type of target", "entity 2 type", "target_type",
                "to_type"),
    "direction": ("direction", "arrow", "directed"),
}
# Words of an element's Type -> a level, most specific first ("State senator" is an official).
LEVEL_WORDS = [
    ("decision_maker", ("official", "politician", "legislator", "lawmaker", "senator", "mayor",
                        "governor", "council", "representative", "commissioner", "judge",
                        "minister", "secretary", "elected", "decision", "president", "chair",
                        "alder", "supervisor", "sheriff", "regulator", "director")),
    ("organization", ("organization", "organisation", "org", "company", "corporation", "business",
                      "agency", "institution", "nonprofit", "non-profit", "ngo", "church", "school",
                      "union", "group", "foundation", "government", "state", "country", "city",
                      "county", "party", "committee", "department", "bank", "fund", "pac",
                      "university", "media", "coalition", "association", "club", "firm",
                      "congregation", "council", "network", "project", "campaign", "office")),
    ("impacted", ("impacted", "affected", "resident", "tenant", "member", "worker", "family",
                  "youth", "student", "parent", "community", "neighbor", "neighbour", "patient")),
    ("leader", ("person", "people", "individual", "leader", "connector", "organizer", "organiser",
                "activist", "pastor", "volunteer", "contact", "human")),
]
BLANK_TYPE_LEVEL = "leader"  # a person or group of a peer map with no Type: someone we know
KIND_WORDS = [
    ("funds", ("fund", "donat", "donor", "contribut", "grant", "pay", "financ", "sponsor", "transaction",
               "lobby")),
    ("answers_to", ("answers", "reports", "boss", "hierarch", "supervis", "subordinate",
                    "accountable", "appoint", "employ", "works for")),
    ("member_of", ("member", "belongs", "affiliat", "board", "position", "staff", "education",
                   "part of", "ownership", "owner")),
    ("inner_circle", ("inner", "family", "advis", "friend", "close", "spouse", "partner",
                      "ally", "trusted", "confidant")),
    ("knows", ("know", "connect", "social", "professional", "generic", "contact", "colleague")),
]
PIPE = "|"
LIST_SEPARATOR = re.compile(r"\s*\|\s*")


def normal_name(name: object) -> str:
    """A name as names are compared: NFC, runs of spaces made one, ends trimmed, case folded.
    ("Ana  Ruiz" and a decomposed "José" find the entries stored as "Ana Ruiz" / "José".)"""
    return " ".join(unicodedata.normalize("NFC", str(name or "")).split()).casefold()


def guess_level(type_text: str) -> str:
    """A level for an element Type, from our own vocabulary or the Type's words."""
    text = normal_name(type_text)
    if not text:
        return BLANK_TYPE_LEVEL
    for key, label in LEVELS.items():
        if text in (key, label.casefold(), key.replace("_", " "), key.replace("_", "-")):
            return key
    words = re.findall(r"[a-z0-9-]+", text)
    for level, stems in LEVEL_WORDS:
        if any(word.startswith(stem) for word in words for stem in stems):
            return level
    return BLANK_TYPE_LEVEL


def guess_kind(type_text: str) -> str:
    """A link kind for a connection type: ours by key or label, else by its words, else knows."""
    text = normal_name(type_text)
    for key, label in LINK_KINDS.items():
        if text in (key, label.casefold(), key.replace("_", " ")):
            return key
    for kind, stems in KIND_WORDS:
        if any(stem in text for stem in stems):
            return kind
    return "knows"


# -- what a file holds -----------------------------------------------------------------------

@dataclass
class Table:
    """One sheet, CSV file or JSON list: its header and its rows as the file numbers them."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[object]]]

    def column(self, name: str) -> int:
        return self.header.index(name)


@dataclass(frozen=True)
class Problem:
    """One bad row: where it is (sheet or file, row, the file's own column), and why."""

    row: int
    field: str  # the file's column name when the problem is in one, else our field's label
    reason: str
    sheet: str = ""

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}" if self.sheet else f"Row {self.row}"
        return f"{where} · {self.field}: {self.reason}"


@dataclass
class Mapping:
    """The person's answers: which table is which, columns -> fields, Types -> levels,
    connection types -> link kinds, and the level of a name the file gives two levels."""

    elements: str | None
    connections: str | None
    columns: dict[str, dict[str, str]]
    levels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    name_levels: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Mapping":
        return cls(**json.loads(text))

    def field_of(self, table: str | None, wanted: str) -> str | None:
        """The file's column mapped onto `wanted` in a table, if any."""
        for column, target in self.columns.get(table or "", {}).items():
            if target == wanted:
                return column
        return None


@dataclass
class Inspection:
    """A read upload: its tables, its shape (for remembering), the proposed mapping, notes."""

    tables: dict[str, Table]
    shape: str
    mapping: Mapping
    notes: list[str] = field(default_factory=list)
    remembered: bool = False

    def types(self, mapping: Mapping | None = None) -> Counter:
        """Distinct element Types (as the file writes them, trimmed) with their counts: the
        elements' Type column, or (a relationship file) the Types beside each end."""
        mapping = mapping or self.mapping
        if mapping.elements:
            places = [(mapping.elements, "level")]
        else:
            places = [(mapping.connections, "from_type"), (mapping.connections, "to_type")]
        counts: Counter = Counter()
        for table, role in places:
            column = mapping.field_of(table, role)
            index = None if column is None else self.tables[table].column(column)
            counts.update(_cell_text(row, index) for _, row in self.tables[table].rows)
        return counts

    def connection_types(self, mapping: Mapping | None = None) -> Counter:
        """Distinct connection types with their counts."""
        mapping = mapping or self.mapping
        if not mapping.connections:
            return Counter()
        column = mapping.field_of(mapping.connections, "kind")
        index = None if column is None else self.tables[mapping.connections].column(column)
        return Counter(_cell_text(row, index) for _, row in self.tables[mapping.connections].rows)


def _cell_text(row: list, index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    return unicodedata.normalize("NFC", str(row[index])).strip()


def _table(name: str, rows: list[list[object]], first_row: int = 1) -> Table:
    """A Table from raw rows: the first non-blank row is the header; blank rows are skipped."""
    numbered = [(n, r) for n, r in enumerate(rows, start=first_row)
                if any(v not in (None, "") for v in r)]
    if not numbered:
        return Table(name, [], [])
    header = [str(h if h is not None else "").strip() for h in numbered[0][1]]
    return Table(name, header, [(n, list(r)) for n, r in numbered[1:]])


def _flatten(item: object, notes: set[str]) -> dict[str, object]:
    """A JSON element, connection, node or edge as one row: its own scalars, then those of its
    `attributes` / `display` object; lists of scalars joined with |."""
    if not isinstance(item, dict):
        return {}
    row: dict[str, object] = {}
    for source in (item, item.get("attributes"), item.get("display")):
        if not isinstance(source, dict):
            continue
        for key, value in source.items():
            if key in ("attributes", "display"):
                continue
            if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
                value = PIPE.join(str(v) for v in value if v is not None)
            elif isinstance(value, (dict, list)):
                notes.add(str(key))
                continue
            row.setdefault(str(key), value)
    return row


def _json_tables(data: bytes) -> list[Table]:
    """Kumu project JSON (elements, connections) or an Oligrapher map (graph.nodes, .edges)."""
    document = read_json(data)
    if isinstance(document, dict) and isinstance(document.get("graph"), dict):
        document = {**document, **document["graph"]}
    if not isinstance(document, dict):
        raise not_a_table("a JSON file here is a Kumu project (elements, connections) or an "
                          "Oligrapher map (nodes, edges)")
    skipped: set[str] = set()
    tables = []
    for name in ("elements", "connections", "nodes", "edges"):
        items = document.get(name)
        if isinstance(items, dict):
            items = list(items.values())
        if not isinstance(items, list):
            continue
        rows = [_flatten(item, skipped) for item in items]
        header: dict[str, None] = {}
        for row in rows:
            header.update(dict.fromkeys(row))
        # A JSON item's number (1-based) stands in for the row; the header takes number 0.
        tables.append(Table(name, list(header), [(n, [row.get(h) for h in header])
                                                 for n, row in enumerate(rows, start=1)]))
    if not tables:
        raise not_a_table("a JSON file here is a Kumu project (elements, connections) or an "
                          "Oligrapher map (nodes, edges)")
    return tables


def read_tables(files: list[tuple[str, bytes]], notes: list[str]) -> list[Table]:
    """Every table of the uploaded files (sheets of a workbook, a CSV, JSON lists)."""
    if not files or not any(data for _, data in files):
        raise ValidationError("File", "is empty: it needs a header row and at least one row.")
    if len(files) > FILES_MAX:
        raise ValidationError("File", f"{len(files)} files at once; the limit is {FILES_MAX}.")
    tables: list[Table] = []
    for filename, data in files:
        check_size(data)
        lower = filename.lower()
        if lower.endswith(".json") or data.lstrip()[:1] in (b"{", b"["):
            tables += _json_tables(data)
        elif lower.endswith((".xlsx", ".xlsm")) or data.startswith(ZIP_MAGIC):
            tables += [_table(title, rows) for title, rows in read_xlsx(data).items()]
        else:
            tables.append(_table(filename, read_csv(data, notes, filename)))
    names = Counter(t.name for t in tables)
    for table in tables:  # two files may both hold "elements": name them apart
        if names[table.name] > 1:
            table.name = f"{table.name} ({tables.index(table) + 1})"
    if not any(t.rows for t in tables):
        raise ValidationError("File", "is empty: it needs a header row and at least one row.")
    return tables


def _guess_columns(table: Table, words: dict[str, tuple[str, ...]], targets: dict[str, str],
                   rest: str) -> dict[str, str]:
    """Each column onto a target: by our key or label (a column named twice stays twice, for the
    person to settle), else by the words of the peer tools, each target once."""
    exact = {key: key for key in targets if key not in (EXTRA, IGNORE)} | {
        label.casefold(): key for key, label in targets.items() if key not in (EXTRA, IGNORE)}
    alias = {w: key for key, spellings in words.items() for w in spellings}
    mapped = {column: exact.get(normal_name(column), exact.get(normal_name(column).replace(
        "_", " "))) for column in table.header}
    taken = set(mapped.values())
    for column, key in mapped.items():
        if key is None:
            key = alias.get(normal_name(column))
            mapped[column] = key if key and key not in taken else (rest if column else IGNORE)
            taken.add(key)
    return mapped


def _roles(tables: list[Table]) -> tuple[Table | None, Table | None]:
    """(elements, connections): by the name the peer tool gives them, else by their columns."""
    def named(*names):
        return next((t for t in tables if normal_name(t.name).split(" (")[0].rsplit(".", 1)[0]
                     in names and t.header), None)

    def has_ends(table):
        guess = _guess_columns(table, _CONNECTION_WORDS, CONNECTION_TARGETS, IGNORE)
        return {"from", "to"} <= set(guess.values())

    connections = named("connections", "edges", "links") or next(
        (t for t in tables if t.header and has_ends(t)), None)
    elements = named("elements", "nodes", "entries") or next(
        (t for t in tables if t.header and t is not connections and not has_ends(t)), None)
    return elements, connections


def _shape(elements: Table | None, connections: Table | None) -> str:
    """A file's shape: its element and connection columns (case folded), hashed."""
    parts = [sorted(normal_name(c) for c in t.header) if t else None
             for t in (elements, connections)]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:24]


def inspect_upload(store: Store, actor: Actor, map_id: int,
                   files: list[tuple[str, bytes]]) -> Inspection:
    """Read uploaded files and propose a mapping (remembered for this map and shape, else
    guessed). Nothing is written."""
    maps.get_map(store, actor, map_id)
    notes: list[str] = []
    tables = read_tables(files, notes)
    elements, connections = _roles(tables)
    if elements is None and connections is None:
        raise ValidationError("File", "holds no table with a header row.")
    shape = _shape(elements, connections)
    columns = {}
    if elements:
        columns[elements.name] = _guess_columns(elements, _ELEMENT_WORDS, ELEMENT_TARGETS, EXTRA)
    if connections:
        columns[connections.name] = _guess_columns(connections, _CONNECTION_WORDS,
                                                   CONNECTION_TARGETS, IGNORE)
    mapping = Mapping(elements.name if elements else None,
                      connections.name if connections else None, columns)
    inspection = Inspection({t.name: t for t in tables}, shape, mapping, notes)
    remembered = store.maps.import_mapping(map_id, shape)
    if remembered:
        old = Mapping.from_json(remembered)
        for table, own in ((elements, old.elements), (connections, old.connections)):
            if table and own in old.columns:
                mapping.columns[table.name] = {c: old.columns[own].get(c, t) for c, t in
                                               mapping.columns[table.name].items()}
        inspection.remembered = True
    mapping.levels = {t: guess_level(t) for t in inspection.types()}
    mapping.kinds = {t: guess_kind(t) for t in inspection.connection_types()}
    if remembered:
        mapping.levels.update({t: v for t, v in old.levels.items() if t in mapping.levels})
        mapping.kinds.update({t: v for t, v in old.kinds.items() if t in mapping.kinds})
        mapping.name_levels = dict(old.name_levels)
    return inspection


# -- a preview under a mapping ---------------------------------------------------------------

@dataclass
class Update:
    """An entry of the map the file changes: which fields, and the whole new row."""

    entry_id: int
    version: int
    name: str
    fields: dict
    changed: list[str]  # labels of the fields that change


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
    notes: list[str] = field(default_factory=list)
    two_levels: dict[str, list[str]] = field(default_factory=dict)  # name -> its levels
    mapping: Mapping | None = None
    shape: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        text = (f"{len(self.entries)} entries, {len(self.links)} links, "
                f"{len(self.actions)} actions")
        if self.updates or self.unchanged:
            text += f"; {len(self.updates)} entries updated, {self.unchanged} unchanged"
        return text


def _choice(value: object, field_: str, vocab: dict[str, str]) -> str:
    """clean_choice, answering with the names the page shows (Engaged, One-on-one held)."""
    try:
        return clean_choice(value, field_, vocab)
    except ValidationError:
        raise ValidationError(field_, f"'{str(value or '').strip()[:40]}' is not one of: "
                              f"{', '.join(vocab.values())}.") from None


class _Element:
    """One element of the file on its way to an entry: where it came from and its raw fields."""

    def __init__(self, sheet: str, row: int, raw: dict, extra: dict, file_id: str,
                 columns: dict[str, str]):
        self.sheet, self.row, self.raw, self.extra, self.file_id = sheet, row, raw, extra, file_id
        self.columns = columns  # our label -> the file's column, for problem messages
        self.ref: object = None  # an entry id, or "new:<n>" once it is added


def _element_rows(table: Table, mapping: Mapping, preview: ImportPreview) -> list[_Element]:
    targets = mapping.columns.get(table.name, {})
    seen = Counter(t for t in targets.values() if t not in (EXTRA, IGNORE))
    for target, count in seen.items():
        if count > 1:
            named = [c for c, t in targets.items() if t == target]
            preview.problems.append(Problem(1, ELEMENT_TARGETS[target], "is chosen for more "
                                            f"than one column ({', '.join(named)}); keep one.",
                                            table.name))
    if "name" not in seen:
        preview.problems.append(Problem(1, "Name", "choose the column that holds the names.",
                                        table.name))
    extra_columns = [c for c, t in targets.items() if t == EXTRA]
    if len(extra_columns) > EXTRA_MAX:
        preview.problems.append(Problem(1, "Extra fields", f"{len(extra_columns)} columns are "
                                        f"kept as extra fields; the limit is {EXTRA_MAX}. "
                                        "Ignore some.", table.name))
    if not preview.ok:
        return []
    if extra_columns:
        preview.notes.append(f"Kept as extra fields on each entry ({table.name}): "
                             f"{', '.join(extra_columns)}.")
    labels = {**{map_model.LABELS.get(t, t): c for c, t in targets.items()},
              "Role in the community": mapping.field_of(table.name, "role") or
              mapping.field_of(table.name, "description") or "Role",
              "Notes": mapping.field_of(table.name, "notes") or
              mapping.field_of(table.name, "description") or "Notes"}
    index = {c: i for i, c in enumerate(table.header)}
    elements = []
    for number, row in table.rows:
        cells = {c: row[i] if i < len(row) else None for c, i in index.items()}
        formulas = [c for c, v in cells.items() if _is_formula(v) and targets.get(c) != IGNORE]
        cells = {c: unneutralise(v) for c, v in cells.items()}
        for column in formulas:
            preview.problems.append(Problem(number, column, "is a formula; type the value "
                                            "itself instead.", table.name))
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
        raw["level_type"] = _cell_text(row, index.get(mapping.field_of(table.name, "level")))
        elements.append(_Element(table.name, number, raw, extra, file_id, labels))
    return elements


def _is_formula(value: object) -> bool:
    """A workbook's formula, or CSV text a spreadsheet would run as one."""
    return isinstance(value, FormulaCell) or (isinstance(value, str) and value.startswith("="))


def _description(raw: dict) -> None:
    """Kumu's Description: the role when it fits one short line, else the notes."""
    text = raw.pop("description", None)
    if text is None or str(text).strip() == "":
        return
    text = str(text).strip()
    if "\n" in text or "\r" in text or len(text) > map_model.SHORT_MAX or raw.get("role"):
        raw["notes"] = "\n\n".join(p for p in (str(raw.get("notes") or "").strip(), text) if p)
    else:
        raw["role"] = text


def _clean_extra(extra: dict) -> dict[str, str]:
    """Extra fields as text, each within LONG_MAX (the column's own name in a problem)."""
    cleaned = {column: clean_text(value, column, max_len=map_model.LONG_MAX, multiline=True)
               for column, value in extra.items()}
    return {k: v for k, v in cleaned.items() if v}


def _level_of(element: _Element, mapping: Mapping) -> tuple[str, bool]:
    """The element's level, and whether the file said it (a Type, or a level chosen for the
    name) rather than the default for a blank Type."""
    chosen = mapping.name_levels.get(normal_name(element.raw.get("name")))
    if chosen:
        return chosen, True
    said = element.raw["level_type"]
    return mapping.levels.get(said, guess_level(said)), bool(said)


def _connection_rows(table: Table, mapping: Mapping, preview: ImportPreview) -> list[dict]:
    targets = mapping.columns.get(table.name, {})
    for wanted in ("from", "to"):
        if mapping.field_of(table.name, wanted) is None:
            preview.problems.append(Problem(1, CONNECTION_TARGETS[wanted], "choose the column "
                                            "that holds it.", table.name))
    seen = Counter(t for t in targets.values() if t != IGNORE)
    for target, count in seen.items():
        if count > 1:
            preview.problems.append(Problem(1, CONNECTION_TARGETS[target], "is chosen for more "
                                            "than one column; keep one.", table.name))
    if not preview.ok:
        return []
    ignored = [c for c, t in targets.items() if t == IGNORE and c]
    if ignored:
        preview.notes.append(f"Not imported from {table.name} (a link holds only its ends and "
                             f"its kind): {', '.join(ignored)}.")
    index = {t: table.column(c) for c, t in targets.items() if t != IGNORE}
    rows = []
    for number, row in table.rows:
        cells = {t: unneutralise(row[i]) if i < len(row) else None for t, i in index.items()}
        rows.append({"row": number, "sheet": table.name, **cells,
                     "kind_type": _cell_text(row, index.get("kind")),
                     "columns": {t: c for c, t in targets.items()}})
    return rows


def _ends(value: object) -> list[str]:
    """The names or IDs in a From/To cell: a | list makes one link per name."""
    return [part for part in LIST_SEPARATOR.split(str(value if value is not None else "").strip())
            if part]


def preview_mapped(store: Store, actor: Actor, map_id: int, inspection: Inspection,
                   mapping: Mapping) -> ImportPreview:
    """Validate the inspected file under `mapping` against the map as it is now; nothing is
    written. Every problem is collected, sorted by sheet and row."""
    maps.get_map(store, actor, map_id)
    preview = ImportPreview(map_id, store.maps.revision(map_id), notes=list(inspection.notes),
                            mapping=mapping, shape=inspection.shape)
    existing = store.maps.entries(map_id)
    elements_table = inspection.tables.get(mapping.elements or "")
    connections_table = inspection.tables.get(mapping.connections or "")
    elements = _element_rows(elements_table, mapping, preview) if elements_table else []
    connections = (_connection_rows(connections_table, mapping, preview)
                   if connections_table else [])
    if not preview.ok:
        return preview
    if elements_table is None:
        elements = _elements_from_connections(connections, existing, mapping, preview)
    _match_and_check(elements, existing, mapping, preview)
    if connections and preview.ok:
        _check_connections(connections, elements, existing, store.maps.links(map_id), mapping,
                           preview)
    order = {name: i for i, name in enumerate(inspection.tables)}
    preview.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row))
    return preview


def _elements_from_connections(connections: list[dict], existing: list[dict], mapping: Mapping,
                               preview: ImportPreview) -> list[_Element]:
    """A relationship file's entities: each name at either end, with the Type written next to
    it; names already on the map are left to match their entries."""
    on_map = {normal_name(e["name"]) for e in existing}
    found: dict[str, _Element] = {}
    levels: dict[str, dict[str, list[int]]] = {}
    for row in connections:
        for end, kind in (("from", "from_type"), ("to", "to_type")):
            type_text = unicodedata.normalize("NFC", str(row.get(kind) or "")).strip()
            for name in _ends(row.get(end)):
                key = normal_name(name)
                if key in on_map:
                    continue
                if key not in found:
                    found[key] = _Element(row["sheet"], row["row"], {"name": name,
                                          "level_type": type_text}, {}, "",
                                          {"Name": row["columns"].get(end, end)})
                level = mapping.levels.get(type_text, guess_level(type_text))
                levels.setdefault(key, {}).setdefault(level, []).append(row["row"])
    for key, by_level in levels.items():
        if len(by_level) > 1 and key not in mapping.name_levels:
            element = found[key]
            said = "; ".join(f"{LEVELS[level]} (rows {', '.join(map(str, rows[:5]))}"
                             f"{' …' if len(rows) > 5 else ''})" for level, rows in by_level.items())
            preview.two_levels[key] = list(by_level)
            preview.problems.append(Problem(element.row, element.columns["Name"],
                                            f"'{element.raw['name'][:60]}' is named at two "
                                            f"levels: {said}. Choose its level in the mapping.",
                                            element.sheet))
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
        _description(raw)
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
            for field_, vocab, label in (("stage", STAGES, "Stage"),
                                         ("strength", STRENGTHS, "Relationship strength")):
                if raw.get(field_) not in (None, ""):
                    raw[field_] = _choice(raw[field_], label, vocab)
            extra = _clean_extra(element.extra)
            current = {} if match is None else {n: match[n] for n in map_model.ENTRY_FIELDS}
            fields = map_model.clean_entry({**current, **raw})
        except ValidationError as exc:
            preview.problems.append(Problem(element.row, element.columns.get(exc.field, exc.field),
                                            str(exc).split(": ", 1)[-1], element.sheet))
            continue
        key = (normal_name(fields["name"]), fields["level"])
        if key in in_file:
            preview.problems.append(Problem(element.row, element.columns.get("Name", "Name"),
                                            f"duplicate: same name and level as row "
                                            f"{in_file[key]}.", element.sheet))
            continue
        in_file[key] = element.row
        if match is None:
            element.ref = f"new:{len(preview.entries)}"
            preview.entries.append({**fields, "extra": _extra_json(extra),
                                    "external_id": element.file_id})
            continue
        claimed.add(match["id"])
        element.ref = match["id"]
        merged_extra = {**_extra_of(match), **extra}
        changed = [map_model.LABELS[n] for n in map_model.ENTRY_FIELDS if fields[n] != match[n]
                   and not (fields[n] in (None, "") and match[n] in (None, ""))]
        if merged_extra != _extra_of(match):
            changed.append("extra fields")
        own_id = element.file_id in ("", f"orgkit-{match['id']}")
        new_id = (match.get("external_id") or "") if own_id else element.file_id
        if new_id != (match.get("external_id") or ""):
            changed.append("the file's ID")
        if changed:
            preview.updates.append(Update(match["id"], match["version"], fields["name"],
                                          {**fields, "extra": _extra_json(merged_extra),
                                           "external_id": new_id}, changed))
        else:
            preview.unchanged += 1


def _extra_json(extra: dict) -> str:
    return json.dumps(extra, ensure_ascii=False) if extra else ""


def _extra_of(entry: dict) -> dict[str, str]:
    """An entry's extra fields (kept from imported columns no field of ours holds)."""
    text = entry.get("extra") or ""
    return json.loads(text) if text else {}


extra_fields = _extra_of  # public name for the page and exports


def _check_connections(connections: list[dict], elements: list[_Element], existing: list[dict],
                       links: list[dict], mapping: Mapping, preview: ImportPreview) -> None:
    """Each connection's ends resolved (the file's ID first, then the name) and its kind mapped;
    repeats within the file merged with a count; those already on the map counted unchanged."""
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
        if not found:
            raise ValidationError(column, f"no entry is named '{value[:60]}'.")
        if len(found) > 1:
            raise ValidationError(column, f"{len(found)} entries are named '{value[:60]}' (at "
                                  "different levels); give the file an ID column, or rename "
                                  "one first.")
        return found[0]

    def ends(value: object) -> list[str]:
        whole = str(value if value is not None else "").strip()
        return [whole] if whole in ids or normal_name(whole) in names else _ends(whole)

    for row in connections:
        columns = row["columns"]
        kind = mapping.kinds.get(row["kind_type"], guess_kind(row["kind_type"]))
        try:
            sources = [resolve(v, columns["from"]) for v in ends(row.get("from"))]
            targets = [resolve(v, columns["to"]) for v in ends(row.get("to"))]
            if not sources or not targets:
                raise ValidationError(columns["to" if sources else "from"], "is blank.")
            keys = []
            for source in sources:
                for target in targets:
                    keys.append(map_model.check_link({}, source, target, kind,
                                                fields=(columns["to"], columns["to"])))
        except ValidationError as exc:
            preview.problems.append(Problem(row["row"], exc.field, str(exc).split(": ", 1)[-1],
                                            row["sheet"]))
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
        preview.notes.append(f"{preview.links_merged} repeated connections were merged into "
                             "one link each.")


# -- our own links and actions files ---------------------------------------------------------

def _records(table: Table, columns: list[str], required: list[str],
             preview: ImportPreview) -> list[tuple[int, dict]]:
    """(row number, {column: value}) for non-blank rows; header problems go into the preview."""
    sheet = table.name
    if not table.rows:
        raise ValidationError("File", "is empty: it needs a header row and at least one row.")
    lookup = {c.lower(): c for c in columns} | {map_model.LABELS.get(c, c).lower(): c for c in columns}
    mapped = [lookup.get(h.lower()) for h in table.header]
    unknown = [h for h, m in zip(table.header, mapped) if m is None and h]
    if unknown:
        preview.notes.append(f"Ignored unknown columns: {', '.join(unknown)}.")
    twice = sorted({m for m in mapped if m and mapped.count(m) > 1}, key=mapped.index)
    for name in twice:
        named = [h for h, m in zip(table.header, mapped) if m == name]
        preview.problems.append(Problem(1, name, "appears more than once in the header "
                                        f"({', '.join(named)}); keep one.", sheet))
    missing = [name for name in required if name not in mapped]
    for name in missing:
        preview.problems.append(Problem(1, name, "this column is missing from the header.",
                                        sheet))
    if missing or twice:
        return []
    records = []
    for number, row in table.rows:
        cells = {column: value for column, value in zip(mapped, row) if column}
        formulas = [h for h, column in zip(table.header, mapped) if column and
                    _is_formula(cells.get(column))]
        for header in formulas:
            preview.problems.append(Problem(number, header, "is a formula; type the value "
                                            "itself instead.", sheet))
        if not formulas:
            records.append((number, {c: unneutralise(v) for c, v in cells.items()}))
    return records


def _problem(preview: ImportPreview, sheet: str, number: int, exc: ValidationError) -> None:
    preview.problems.append(Problem(number, exc.field, str(exc).split(": ", 1)[-1], sheet))


class _Names:
    """Entry names of the map resolved to one entry each (compared as normal_name)."""

    def __init__(self, existing: list[dict]):
        self.ids: dict[str, list[object]] = {}
        for entry in existing:
            self.ids.setdefault(normal_name(entry["name"]), []).append(entry["id"])

    def resolve(self, name: object, field_: str) -> object:
        found = self.ids.get(normal_name(name), [])
        if not found:
            raise ValidationError(field_, f"no entry is named '{str(name or '')[:60]}'.")
        if len(found) > 1:
            raise ValidationError(field_, f"{len(found)} entries are named '{str(name)[:60]}'; "
                                  "rename one first.")
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
        taken[key] = "duplicate link."
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


def preview_import(store: Store, actor: Actor, map_id: int, filename: str, data: bytes,
                   kind: str) -> ImportPreview:
    """Read and validate one file; nothing is written. Kind "entries" (or "kumu") is a file of
    people and connections under the remembered or guessed mapping (see inspect_upload);
    "links" and "actions" are our own strict files naming entries already on the map."""
    if kind in ("entries", "kumu"):
        inspection = inspect_upload(store, actor, map_id, [(filename, data)])
        return preview_mapped(store, actor, map_id, inspection, inspection.mapping)
    if kind not in KINDS:
        raise ValidationError("Import", f"choose one of: {', '.join(KINDS)}.")
    maps.get_map(store, actor, map_id)
    # Read the revision before the entries: any write after this makes the preview stale.
    preview = ImportPreview(map_id, store.maps.revision(map_id))
    tables = read_tables([(filename, data)], preview.notes)
    chosen = next((t for t in tables if normal_name(t.name) == kind), tables[0])
    records = _records(chosen, COLUMNS[kind], REQUIRED[kind], preview)
    existing = store.maps.entries(map_id)
    if kind == "links":
        _check_links(records, chosen.name, preview, _Names(existing), store.maps.links(map_id))
    else:
        _check_actions(records, chosen.name, preview, _Names(existing))
    return preview


def apply_import(store: Store, actor: Actor, map_id: int, preview: ImportPreview) -> str:
    """Write a clean preview in one transaction; refuses one with problems. Returns a summary."""
    maps.get_map(store, actor, map_id)
    if not preview.ok:
        raise ValidationError("Import", f"{len(preview.problems)} rows have problems; fix the "
                              "file and import it again. Nothing was saved.")
    with store.atomic():
        # The rows were checked against the entries of this map at this revision (names resolved
        # to ids, matches and duplicates decided): once either moved, those checks no longer hold.
        if preview.map_id != map_id or store.maps.lock(map_id) != preview.revision:
            raise Conflict("The map changed since the preview: preview the file again.")
        backup.auto_backup(store, actor.workshop_id,
                           f"before an import into {store.maps.get(map_id)['name']}")
        new_ids = store.maps.insert_entries(map_id, preview.entries)
        if store.maps.update_entries(map_id, [(u.entry_id, u.version, u.fields)
                                              for u in preview.updates]) != len(preview.updates):
            raise Conflict("The map changed since the preview: preview the file again.")
        # Links and actions may name entries of this same import ("new:<n>").
        ref = {f"new:{i}": entry_id for i, entry_id in enumerate(new_ids)}
        store.maps.insert_links(map_id, [(ref.get(s, s), ref.get(t, t), k)
                                         for s, t, k in preview.links])
        for fields, involved in preview.actions:
            store.maps.insert_action(map_id, fields, [ref.get(i, i) for i in involved])
        if preview.mapping is not None:
            store.maps.remember_import_mapping(map_id, preview.shape, preview.mapping.to_json())
    return preview.summary()


# -- Kumu ------------------------------------------------------------------------------------

KUMU_ELEMENTS = ["ID", "Label", "Type", "Description", "Tags"]
KUMU_CONNECTIONS = ["From", "To", "Type"]
# Every other field we hold, as a Kumu custom field under the label the page shows.
KUMU_CUSTOM = [f for f in map_model.ENTRY_FIELDS
               if f not in ("name", "level", "role", "constituencies", *map_model.PRIVATE_FIELDS)]


def _kumu_value(entry: dict, name: str) -> object:
    value = entry[name]
    if name in map_model.FLAGS:
        return "yes" if value else "no"
    if name == "stage":
        return STAGES[value]
    if name == "strength":
        return STRENGTHS[value]
    return "" if value is None else value


def kumu_workbook(store: Store, actor: Actor, map_id: int) -> bytes:
    """The map as a Kumu workbook: Elements (ID, Label, Type, Description, Tags, then every other
    field and the extra fields as custom fields) and Connections (From, To, Type). No contact
    details or notes: the file leaves our tool. A connection names an entry by its ID when two
    entries share its name or the name holds a | (Kumu's list separator)."""
    view = maps.load_map(store, actor, map_id)
    entries = view.entries
    ids = {e["id"]: e.get("external_id") or f"orgkit-{e['id']}" for e in entries}
    counts = Counter(normal_name(e["name"]) for e in entries)
    ends = {e["id"]: e["name"] if counts[normal_name(e["name"])] == 1 and PIPE not in e["name"]
            else ids[e["id"]] for e in entries}
    custom = [map_model.LABELS[f] for f in KUMU_CUSTOM]
    taken = {normal_name(c) for c in KUMU_ELEMENTS + custom}
    extra_columns = list(dict.fromkeys(k for e in entries for k in _extra_of(e)
                                       if normal_name(k) not in taken))
    elements = [[ids[e["id"]], e["name"], LEVELS[e["level"]], e["role"], PIPE.join(map_model.tags(e)),
                 *(_kumu_value(e, f) for f in KUMU_CUSTOM),
                 *(_extra_of(e).get(k, "") for k in extra_columns)] for e in entries]
    connections = [[ends[l["source_id"]], ends[l["target_id"]], LINK_KINDS[l["kind"]]]
                   for l in view.links]
    return _xlsx({"Elements": [KUMU_ELEMENTS + custom + extra_columns, *elements],
                  "Connections": [KUMU_CONNECTIONS, *connections]})


# -- export ----------------------------------------------------------------------------------

def export_rows(store: Store, actor: Actor, map_id: int, kind: str) -> list[list[object]]:
    """Header plus rows for one kind, every field (only the team and the facilitator get here)."""
    return _rows(maps.load_map(store, actor, map_id), kind)


def _rows(view: map_model.MapView, kind: str) -> list[list[object]]:
    entries = view.entries
    names = {e["id"]: e["name"] for e in entries}
    if kind == "entries":
        columns = ENTRY_COLUMNS
        extra_columns = list(dict.fromkeys(k for e in entries for k in _extra_of(e)
                                           if k not in columns))
        body = [[e[c] for c in columns] + [_extra_of(e).get(k, "") for k in extra_columns]
                for e in entries]
        columns = columns + extra_columns
    elif kind == "links":
        columns = LINK_COLUMNS
        body = [[names[l["source_id"]], l["kind"], names[l["target_id"]]]
                for l in view.links]
    else:
        columns = ACTION_COLUMNS
        body = [[a[c] for c in columns[:-1]] + [map_model.TAG_SEPARATOR.join(
            names[i] for i in a["entry_ids"])] for a in view.actions]
    return [columns, *body]


def export_csv(store: Store, actor: Actor, map_id: int, kind: str) -> bytes:
    """One kind as UTF-8 CSV (with a BOM, so Excel reads accents right), every cell neutralised
    once (as _xlsx does for a workbook)."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows([neutralise(v) for v in row]
                              for row in export_rows(store, actor, map_id, kind))
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(store: Store, actor: Actor, map_id: int) -> bytes:
    """Entries, links and actions as three sheets of one workbook, from one read of the map."""
    view = maps.load_map(store, actor, map_id)
    return _xlsx({kind.capitalize(): _rows(view, kind) for kind in KINDS})


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            # Written as plain strings (never formulas): openpyxl would treat a leading "=" as one.
            sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
