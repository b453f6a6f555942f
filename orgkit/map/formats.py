"""The files a map is imported from, read into tables, and the mapping proposed for them: pure
(no store), so the import service (orgkit.map.imports) and the tests call it on bytes.

Our own CSV/XLSX, Kumu (XLSX, CSV, project JSON), Oligrapher (LittleSis) JSON and a single
relationship CSV are all read the same way: `read_tables` turns the files, with bounded work
(orgkit.spreadsheet), into Tables (a sheet, a CSV file, or a JSON list of elements/nodes or
connections/edges). `propose` decides which table holds the elements and which the connections
and proposes a Mapping: each column onto one of our fields (or kept as an extra field, or
ignored), each distinct element Type onto a level (guessed from its words: Person -> leader,
Company -> organization, Senator -> decision-maker; a blank Type -> leader, a Type no word names
-> organization) and each connection type onto a link kind (blank or unknown -> knows). A
relationship table (TrumpWorld's `Entity A Type, Entity A, ...`) is recognised by its headers;
`with_roles` lets the person make any table the elements or the connections. A mapping the
person confirmed before for a file of the same shape (its tables' columns) is offered again
instead of the guess.

The guessing tables (_ELEMENT_WORDS, LEVEL_WORDS, KIND_WORDS, ...) are words to match in other
tools' files, not text a person reads; the targets' labels (ELEMENT_TARGETS, ...) are marked ids.
Names are compared as `normal_name` says everywhere: NFC, spaces collapsed, case folded.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..domain import LEVELS, LINK_KINDS, ValidationError
from ..i18n import N_, msg, nmsg, spellings
from ..spreadsheet import (ZIP_MAGIC, FormulaCell, check_size, not_a_table, read_csv, read_json,
                           read_json_in_page, read_xlsx)
from ..validation import BIDI_CONTROLS
from . import model as map_model

KINDS = ("entries", "links", "actions")
FILES_MAX = 4  # a Kumu CSV pair, with room for a stray file
EXTRA_MAX = 40  # extra fields kept on one entry
EXTRA_NAME_MAX = 60

# Our own entries file: every field, and the Type a peer tool gave the entry (kept as text).
ENTRY_COLUMNS = [*map_model.ENTRY_FIELDS, "source_type"]
LINK_COLUMNS = ["source", "kind", "target"]
ACTION_COLUMNS = ["kind", "title", "due_on", "status", "outcome", "turnout", "entries"]
COLUMNS = {"entries": ENTRY_COLUMNS, "links": LINK_COLUMNS, "actions": ACTION_COLUMNS}
REQUIRED = {"links": LINK_COLUMNS, "actions": ["kind"]}

# What a column of an elements table can become. "level" is a Type mapped onto a level (its text
# is kept too, as "source_type"); EXTRA keeps the column on the entry as it is.
EXTRA, IGNORE = "extra", "ignore"
TYPE_LABEL = N_("Type in the source file")
ELEMENT_TARGETS = {"id": N_("The file's ID"), "name": N_("Name"),
                   "level": N_("Type (mapped to a level)"),
                   **{f: map_model.LABELS[f] for f in map_model.ENTRY_FIELDS
                      if f not in ("name", "level")},
                   "source_type": TYPE_LABEL,
                   EXTRA: N_("Keep as an extra field"), IGNORE: N_("Ignore")}
CONNECTION_TARGETS = {"from": N_("From"), "to": N_("To"), "kind": N_("Connection type"),
                      "from_type": N_("Type of From"), "to_type": N_("Type of To"),
                      "direction": N_("Direction (read, not needed)"), IGNORE: N_("Ignore")}
# The guessing tables: how other tools spell a column, most telling spelling first (a Kumu
# connection's "type" is its kind before its "label", a caption), English then Spanish (our own
# labels are read in every language already: orgkit.i18n.spellings). Data, easy to extend with the
# words of another language; compared as normal_name.
_ELEMENT_WORDS = {
    "id": ("id", "_id", "element id", "kumu id", "orgkit id"),
    "name": ("label", "name", "full name", "entity", "title", "display name", "etiqueta",
             "nombre", "nombre completo", "entidad", "título"),
    "level": ("type", "element type", "level", "category", "entity type", "types", "tipo",
              "nivel", "categoría", "tipo de elemento"),
    "description": ("description", "bio", "summary", "blurb", "descripción", "resumen"),
    "constituencies": ("tags", "keywords", "etiquetas", "palabras clave"),
    "contact": ("email", "e-mail", "correo", "correo electrónico"),
    "strength": ("strength", "fuerza"),
    "stage": ("etapa",),
}
_CONNECTION_WORDS = {
    "from": ("from", "source", "source name", "from name", "node1_id", "entity 1", "entity1",
             "entity a", "subject", "de", "desde", "origen"),
    "to": ("to", "target", "target name", "to name", "node2_id", "entity 2", "entity2",
           "entity b", "object", "a", "hacia", "hasta", "destino"),
    "kind": ("type", "connection type", "relationship", "relation", "kind", "connection",
             "relationship type", "category", "label", "tipo", "tipo de conexión", "relación",
             "tipo de relación"),
    "from_type": ("source type", "from type", "type of source", "entity 1 type",
                  "entity a type", "source_type", "from_type"),
    "to_type": ("target type", "to type", "type of target", "entity 2 type", "entity b type",
                "target_type", "to_type"),
    "direction": ("direction", "arrow", "directed"),
}
# Words of an element's Type -> a level, most specific first ("State senator" is an official).
LEVEL_WORDS = [
    ("decision_maker", ("official", "politician", "legislator", "lawmaker", "senator", "mayor",
                        "governor", "council", "representative", "commissioner", "judge",
                        "minister", "secretary", "elected", "decision", "president", "chair",
                        "alder", "supervisor", "sheriff", "regulator", "director",
                        "funcionari", "polític", "legislador", "senador", "alcald", "gobernador",
                        "concejal", "diputad", "comisionad", "juez", "ministr", "secretari",
                        "electo", "presidente")),
    ("organization", ("organization", "organisation", "org", "company", "corporation", "business",
                      "agency", "institution", "nonprofit", "non-profit", "ngo", "church", "school",
                      "union", "group", "foundation", "government", "state", "country", "city",
                      "county", "party", "committee", "department", "bank", "fund", "pac",
                      "university", "media", "coalition", "association", "club", "firm",
                      "congregation", "council", "network", "project", "campaign", "office",
                      "organizaci", "empresa", "agencia", "instituci", "iglesia", "escuela",
                      "sindicato", "grupo", "fundaci", "gobierno", "ciudad", "partido",
                      "comit", "departamento", "banco", "universidad", "coalici", "asociaci",
                      "congregaci", "red", "proyecto", "oficina")),
    ("impacted", ("impacted", "affected", "resident", "tenant", "member", "worker", "family",
                  "youth", "student", "parent", "community", "neighbor", "neighbour", "patient",
                  "afectad", "residente", "inquilin", "miembro", "trabajador", "familia",
                  "joven", "estudiante", "comunidad", "vecin", "paciente")),
    ("leader", ("person", "people", "individual", "leader", "connector", "organizer", "organiser",
                "activist", "pastor", "volunteer", "contact", "human", "líder", "lider",
                "conector", "organizador", "activista", "voluntari", "contacto")),
]
BLANK_TYPE_LEVEL = "leader"  # a person or group of a peer map with no Type: someone we know
# A Type none of the words above name (a ministry, a database, "acteur_mefsin"): most such Types
# are things, not people; the mapping step offers every Type to change.
UNKNOWN_TYPE_LEVEL = "organization"
KIND_WORDS = [
    ("funds", ("fund", "donat", "donor", "contribut", "grant", "pay", "financ", "sponsor", "invest",
               "transaction", "lobby")),
    ("answers_to", ("answers", "reports", "boss", "hierarch", "supervis", "subordinate",
                    "accountable", "appoint", "employ", "works for")),
    ("member_of", ("member", "belongs", "affiliat", "board", "position", "staff", "education",
                   "part of", "ownership", "owner")),
    ("inner_circle", ("inner", "family", "advis", "friend", "close", "spouse", "partner",
                      "ally", "trusted", "confidant", "married", "sibling", "parent", "child")),
    ("knows", ("know", "connect", "social", "professional", "generic", "contact", "colleague")),
]
# Influence as other tools write it in words -> our INFLUENCE_RANGE (1-5).
INFLUENCE_WORDS = {"very low": 1, "low": 2, "medium": 3, "moderate": 3, "mid": 3, "high": 4,
                   "very high": 5}
PIPE = "|"
LIST_SEPARATOR = re.compile(r"\s*\|\s*")


def normal_name(name: object) -> str:
    """A name as names are compared: NFC, runs of spaces made one, ends trimmed, case folded.
    ("Ana  Ruiz" and a decomposed "José" find the entries stored as "Ana Ruiz" / "José".)"""
    return " ".join(unicodedata.normalize("NFC", str(name or "")).split()).casefold()


@functools.lru_cache(maxsize=4096)  # asked once per row of a large file, for a few Types
def guess_level(type_text: str) -> str:
    """A level for an element Type, from our own vocabulary or the Type's words."""
    text = normal_name(type_text)
    if not text:
        return BLANK_TYPE_LEVEL
    if own := own_level(text):
        return own
    words = re.findall(r"(?:[^\W_]|-)+", text)  # letters with accents too: "líder"
    for level, stems in LEVEL_WORDS:
        if any(word.startswith(stem) for word in words for stem in stems):
            return level
    return UNKNOWN_TYPE_LEVEL


def own_level(type_text: str) -> str | None:
    """The level a Type names in our own vocabulary (key or label), if it does: such a Type is
    ours, not a peer tool's, and is not kept as the entry's Type."""
    text = normal_name(type_text)
    return next((key for key, label in LEVELS.items()
                 if text in (key, key.replace("_", " "), key.replace("_", "-"))
                 or text in spellings(label)), None)


@functools.lru_cache(maxsize=4096)
def guess_kind(type_text: str) -> str:
    """A link kind for a connection type: ours by key or label, else by its words, else knows."""
    text = normal_name(type_text)
    for key, label in LINK_KINDS.items():
        if text in (key, key.replace("_", " ")) or text in spellings(label):
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
    notes: list = field(default_factory=list)  # Messages (and the readers' notes)
    remembered: bool = False
    left_out: list = field(default_factory=list)  # Messages: what the reading left out, and why

    def types(self, mapping: Mapping | None = None) -> Counter:
        """Distinct element Types (as the file writes them, trimmed) with their counts: the
        elements' Type column, or (a relationship file) the Types beside each end."""
        mapping = mapping or self.mapping
        if mapping.elements:
            places = [(mapping.elements, "level")]
        elif mapping.connections:
            places = [(mapping.connections, "from_type"), (mapping.connections, "to_type")]
        else:
            places = []
        counts: Counter = Counter()
        for table, role in places:
            column = mapping.field_of(table, role)
            index = None if column is None else self.tables[table].column(column)
            counts.update(cell_text(row, index) for _, row in self.tables[table].rows)
        return counts

    def connection_types(self, mapping: Mapping | None = None) -> Counter:
        """Distinct connection types with their counts."""
        mapping = mapping or self.mapping
        if not mapping.connections:
            return Counter()
        column = mapping.field_of(mapping.connections, "kind")
        index = None if column is None else self.tables[mapping.connections].column(column)
        return Counter(cell_text(row, index) for _, row in self.tables[mapping.connections].rows)


def cell_text(row: list, index: int | None) -> str:
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


DATA_URI = re.compile(r"\s*data:", re.IGNORECASE)


def _flatten(item: object, images: Counter) -> dict[str, object]:
    """A JSON element, connection, node or edge as one row: its own values, then those of its
    `attributes` / `display` object; lists of scalars joined with |, other nested values kept as
    JSON text. An image written into the file (a data: URI, thousands of characters) is left
    out and counted in `images`: images arrive by reference (a URL) only."""
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
                value = json.dumps(value, ensure_ascii=False, sort_keys=True)
            if isinstance(value, str) and DATA_URI.match(value):
                images[str(key)] += 1
                continue
            row.setdefault(str(key), value)
    return row


_NOT_A_PROJECT = msg("a JSON file here is a Kumu project (elements, connections) or an "
                     "Oligrapher map (nodes, edges)")
def _embedded_json(data: bytes) -> object:
    """The map a web page embeds (Oligrapher's HTML export)."""
    document = read_json_in_page(data, {"graph", "nodes", "elements"})
    if document is None:
        raise not_a_table(msg("this web page holds no Oligrapher or Kumu map."))
    return document


def _json_tables(data: bytes, left_out: list, document: object = None) -> list[Table]:
    """Kumu project JSON (elements, connections) or an Oligrapher map (graph.nodes, .edges)."""
    document = read_json(data) if document is None else document
    if isinstance(document, dict) and isinstance(document.get("graph"), dict):
        document = {**document, **document["graph"]}
    if not isinstance(document, dict):
        raise not_a_table(_NOT_A_PROJECT)
    images: Counter = Counter()
    tables = []
    for name in ("elements", "connections", "nodes", "edges"):
        items = document.get(name)
        if isinstance(items, dict):
            items = list(items.values())
        if not isinstance(items, list):
            continue
        rows = [_flatten(item, images) for item in items]
        header: dict[str, None] = {}
        for row in rows:
            header.update(dict.fromkeys(row))
        # A JSON item's number (1-based) stands in for the row; the header takes number 0.
        tables.append(Table(name, list(header), [(n, [row.get(h) for h in header])
                                                 for n, row in enumerate(rows, start=1)]))
    if not tables:
        raise not_a_table(_NOT_A_PROJECT)
    if images:
        left_out.append(nmsg(
            "{n} image written into the file (a data: URI) was left out ({fields}): images "
            "arrive only as a link to where they are.",
            "{n} images written into the file (data: URIs) were left out ({fields}): images "
            "arrive only as a link to where they are.", sum(images.values()),
            n=sum(images.values()), fields=", ".join(images)))
    return tables


def empty_file() -> ValidationError:
    return ValidationError(N_("File"), msg("is empty: it needs a header row and at least one "
                                           "row."))


def read_tables(files: list[tuple[str, bytes]], notes: list,
                left_out: list | None = None) -> list[Table]:
    """Every table of the uploaded files (sheets of a workbook, a CSV, JSON lists, the map a web
    page embeds), with direction controls removed from its cells (and a note saying how many).
    What the reading leaves out is said in `left_out`."""
    left_out = [] if left_out is None else left_out
    if not files or not any(data for _, data in files):
        raise empty_file()
    if len(files) > FILES_MAX:
        raise ValidationError(N_("File"), msg("{n} files at once; the limit is {limit}.",
                                              n=len(files), limit=FILES_MAX))
    tables: list[Table] = []
    for filename, data in files:
        check_size(data)
        lower = filename.lower()
        if lower.endswith((".html", ".htm")) or data.lstrip()[:1] == b"<":
            tables += _json_tables(data, left_out, _embedded_json(data))
        elif lower.endswith(".json") or data.lstrip()[:1] in (b"{", b"["):
            tables += _json_tables(data, left_out)
        elif lower.endswith((".xlsx", ".xlsm")) or data.startswith(ZIP_MAGIC):
            tables += [_table(title, rows) for title, rows in read_xlsx(data).items()]
        else:
            tables.append(_table(filename, read_csv(data, notes, filename)))
    names = Counter(t.name for t in tables)
    for table in tables:  # two files may both hold "elements": name them apart
        if names[table.name] > 1:
            table.name = f"{table.name} ({tables.index(table) + 1})"
    if not any(t.rows for t in tables):
        raise empty_file()
    if cleaned := _without_direction_controls(tables):
        notes.append(nmsg("Direction controls (U+202A-U+202E, U+2066-U+2069) were removed from "
                          "{n} cell: they can make a name read as other text on screens.",
                          "Direction controls (U+202A-U+202E, U+2066-U+2069) were removed from "
                          "{n} cells: they can make a name read as other text on screens.",
                          cleaned, n=cleaned))
    return tables


def _without_direction_controls(tables: list[Table]) -> int:
    """Remove bidi controls from every text cell and header, in place; how many cells had any.

    A form refuses them in a one-line field (orgkit.validation); a file from another tool is
    cleaned instead, so one stray mark does not cost the whole import."""
    def clean(value: object) -> object:
        nonlocal cleaned
        if isinstance(value, str) and BIDI_CONTROLS.search(value):
            cleaned += 1
            return BIDI_CONTROLS.sub("", value)
        return value

    cleaned = 0
    for table in tables:
        table.header = [clean(name) for name in table.header]
        table.rows = [(number, [clean(value) for value in row]) for number, row in table.rows]
    return cleaned


def _guess_columns(table: Table, words: dict[str, tuple[str, ...]], targets: dict[str, str],
                   rest: str) -> dict[str, str]:
    """Each column onto a target: by our key or label (a column named twice stays twice, for the
    person to settle), else by the words of the peer tools, each target once: to the column
    spelt as its most telling word (the first in `words`)."""
    exact = {key: key for key in targets if key not in (EXTRA, IGNORE)} | {
        spelt: key for key, label in targets.items() if key not in (EXTRA, IGNORE)
        for spelt in spellings(label)}
    alias = {w: (key, rank) for key, spellings in words.items()
             for rank, w in enumerate(spellings)}
    mapped = {column: exact.get(normal_name(column), exact.get(normal_name(column).replace(
        "_", " "))) for column in table.header}
    taken = set(mapped.values())
    candidates = sorted((alias[normal_name(c)][1], n, c) for n, c in enumerate(table.header)
                        if mapped[c] is None and normal_name(c) in alias)
    for _rank, _n, column in candidates:
        key = alias[normal_name(column)][0]
        if key not in taken:
            mapped[column] = key
            taken.add(key)
    return {column: key or (rest if column else IGNORE) for column, key in mapped.items()}


def _roles(tables: list[Table]) -> tuple[Table | None, Table | None]:
    """(elements, connections): by the name the peer tool gives them, else by their columns."""
    def named(*names):
        return next((t for t in tables if normal_name(t.name).split(" (")[0].rsplit(".", 1)[0]
                     in names and t.header), None)

    def haslist_ends(table):
        guess = _guess_columns(table, _CONNECTION_WORDS, CONNECTION_TARGETS, IGNORE)
        return {"from", "to"} <= set(guess.values())

    connections = named("connections", "edges", "links") or next(
        (t for t in tables if t.header and haslist_ends(t)), None)
    elements = named("elements", "nodes", "entries") or next(
        (t for t in tables if t.header and t is not connections and not haslist_ends(t)), None)
    return elements, connections


def _shape(elements: Table | None, connections: Table | None) -> str:
    """A file's shape: its element and connection columns (case folded), hashed."""
    parts = [sorted(normal_name(c) for c in t.header) if t else None
             for t in (elements, connections)]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:24]


def is_formula(value: object) -> bool:
    """A workbook's formula, or CSV text a spreadsheet would run as one."""
    return isinstance(value, FormulaCell) or (isinstance(value, str) and value.startswith("="))


def list_ends(value: object) -> list[str]:
    """The names or IDs in a From/To cell: a | list makes one link per name."""
    return [part for part in LIST_SEPARATOR.split(str(value if value is not None else "").strip())
            if part]


def extra_json(extra: dict) -> str:
    return json.dumps(extra, ensure_ascii=False) if extra else ""


def extra_fields(entry: dict) -> dict[str, str]:
    """An entry's extra fields (kept from imported columns no field of ours holds)."""
    text = entry.get("extra") or ""
    return json.loads(text) if text else {}



def with_roles(inspection: Inspection, elements: str | None,
               connections: str | None) -> Mapping:
    """The inspection's mapping with the tables the person chose as elements and connections:
    a table keeps its columns' mapping while its role stays, else its columns are guessed for
    the new role (so any table can be the connections, its two ends chosen)."""
    old = inspection.mapping
    columns = {}
    for name, same, words, targets, rest in (
            (elements, old.elements, _ELEMENT_WORDS, ELEMENT_TARGETS, EXTRA),
            (connections, old.connections, _CONNECTION_WORDS, CONNECTION_TARGETS, IGNORE)):
        if name:
            columns[name] = (dict(old.columns[name]) if name == same else
                             _guess_columns(inspection.tables[name], words, targets, rest))
    mapping = Mapping(elements, connections, columns, dict(old.levels), dict(old.kinds),
                      dict(old.name_levels))
    mapping.levels = {t: old.levels.get(t) or guess_level(t) for t in inspection.types(mapping)}
    mapping.kinds = {t: old.kinds.get(t) or guess_kind(t)
                     for t in inspection.connection_types(mapping)}
    return mapping


def propose(tables: list[Table], notes: list,
            remembered: Callable[[str], str | None], left_out: list | None = None
            ) -> Inspection:
    """Which table holds the elements and which the connections, and a mapping for them: the one
    `remembered(shape)` gives (a Mapping's JSON) for a file of this shape, else the guess."""
    elements, connections = _roles(tables)
    if elements is None and connections is None:
        raise ValidationError(N_("File"), msg("holds no table with a header row."))
    columns = {}
    if elements:
        columns[elements.name] = _guess_columns(elements, _ELEMENT_WORDS, ELEMENT_TARGETS, EXTRA)
    if connections:
        columns[connections.name] = _guess_columns(connections, _CONNECTION_WORDS,
                                                   CONNECTION_TARGETS, IGNORE)
    mapping = Mapping(elements.name if elements else None,
                      connections.name if connections else None, columns)
    inspection = Inspection({t.name: t for t in tables}, _shape(elements, connections), mapping,
                            notes, left_out=list(left_out or []))
    known = remembered(inspection.shape)
    old = Mapping.from_json(known) if known else None
    if old:
        for table, own in ((elements, old.elements), (connections, old.connections)):
            if table and own in old.columns:
                mapping.columns[table.name] = {c: old.columns[own].get(c, t) for c, t in
                                               mapping.columns[table.name].items()}
        inspection.remembered = True
    mapping.levels = {t: guess_level(t) for t in inspection.types()}
    mapping.kinds = {t: guess_kind(t) for t in inspection.connection_types()}
    if old:
        mapping.levels.update({t: v for t, v in old.levels.items() if t in mapping.levels})
        mapping.kinds.update({t: v for t, v in old.kinds.items() if t in mapping.kinds})
        mapping.name_levels = dict(old.name_levels)
    return inspection
