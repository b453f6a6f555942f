"""Import and export of a map's entries, links and actions as CSV or XLSX, and Kumu's format.

An import runs in two steps. `preview_import` reads the file, validates every row with the same
rules as the editor and returns an ImportPreview: the cleaned rows plus every problem (row number,
field, reason). `apply_import` writes a preview only when it has no problems, in one transaction:
a file is applied whole or not at all. A preview remembers the map and the map's revision it was
checked against; applying it to another map, or after anyone changed the map, is refused.

Rows are numbered as a spreadsheet shows them (the header is row 1). Links and actions name entries
by their name; a name must match exactly one entry of the map or of the same import.

Exports neutralise text cells that begin with = + - or @ (a leading apostrophe), so a spreadsheet
shows them instead of running them as formulas; imports strip that apostrophe again. Contact and
notes columns are exported only for those who may see them, and never to Kumu.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from . import backup, maps
from .domain import LEVELS, LINK_KINDS, Actor, Conflict, ValidationError
from .spreadsheet import neutralise, unneutralise
from .storage import Store
from .validation import clean_choice

MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
KINDS = ("entries", "links", "actions")

ENTRY_COLUMNS = list(maps.ENTRY_FIELDS)
LINK_COLUMNS = ["source", "kind", "target"]
ACTION_COLUMNS = ["kind", "title", "due_on", "status", "outcome", "turnout", "entries"]
COLUMNS = {"entries": ENTRY_COLUMNS, "links": LINK_COLUMNS, "actions": ACTION_COLUMNS}
REQUIRED = {"entries": ["name", "level"], "links": LINK_COLUMNS, "actions": ["kind"]}
KUMU_ELEMENTS = ["Label", "Type", "Description", "Tags", "Stage", "Strength"]
KUMU_CONNECTIONS = ["From", "To", "Type"]


@dataclass(frozen=True)
class Problem:
    """One bad row: its spreadsheet row number, the field, and why."""

    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row} · {self.field}: {self.reason}"


@dataclass
class ImportPreview:
    """A validated file, ready to apply when `problems` is empty."""

    map_id: int
    revision: int  # the map's revision the rows were checked against
    entries: list[dict] = field(default_factory=list)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    actions: list[tuple[dict, list[str]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (f"{len(self.entries)} entries, {len(self.links)} links, "
                f"{len(self.actions)} actions")


# -- reading files ---------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls and other Office files
CONTROL_SHARE = 0.01  # text files carry almost no control characters; binary data is full of them


def not_a_table(why: str) -> ValidationError:
    """The one answer for a file that is neither CSV text nor an XLSX workbook."""
    return ValidationError("File", f"this is not a CSV or XLSX file ({why}).")


def is_workbook(filename: str, data: bytes) -> bool:
    """An .xlsx by its name, or by its zip signature (a workbook saved with a .csv name)."""
    return filename.lower().endswith((".xlsx", ".xlsm")) or data.startswith(ZIP_MAGIC)


def decode_text(data: bytes, notes: list[str]) -> str:
    """The file as text: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode
    text"), else Windows-1252 with a note saying so. Anything else is refused as not a table:
    NUL bytes, an old .xls workbook, bytes no text encoding reads, or text full of control
    characters (Windows-1252 decodes almost any bytes, so a decode alone proves nothing)."""
    if data.startswith(OLE_MAGIC):
        raise not_a_table("it is an old Excel .xls workbook; save it as .xlsx or CSV")
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        elif b"\x00" in data:
            raise not_a_table("it holds binary data (NUL bytes), not text")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise not_a_table("it is not text in UTF-8, UTF-16 or Windows-1252") from None
        notes.append("The file is not UTF-8; it was read as Windows-1252 (Excel's default). "
                     "Check accented letters in the preview.")
    sample = text[:65_536]
    controls = sum(ch < " " and ch not in "\t\n\r" for ch in sample)
    if controls > CONTROL_SHARE * len(sample):
        raise not_a_table("it holds binary data, not text")
    return text


def read_csv(data: bytes, notes: list[str]) -> list[list[object]]:
    """CSV rows of a text file (see decode_text); the delimiter is , ; or tab."""
    text = decode_text(data, notes)
    # The header decides the delimiter: Excel writes ';' in some locales, tabs when pasted.
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [list(row) for row in reader]
    except csv.Error as exc:
        # The csv module refuses a cell over csv.field_size_limit() (131,072 characters); no
        # field of a map takes more than LONG_MAX, so the file is not what it should be.
        raise ValidationError("File", f"line {reader.line_num} cannot be read as CSV ({exc}); no "
                              f"cell of a map holds more than {maps.LONG_MAX} characters.") from None


def read_xlsx(data: bytes) -> dict[str, list[list[object]]]:
    """Every sheet's rows; formula cells come back as FormulaCell so they can be refused."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise not_a_table("it is not a readable XLSX workbook; save it again as .xlsx or "
                          "CSV") from None
    sheets = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows():
            rows.append([FormulaCell(c.value) if c.data_type == "f" else c.value for c in row])
            if len(rows) > MAX_ROWS + 1:
                break
        sheets[sheet.title] = rows
    book.close()
    return sheets


class FormulaCell(str):
    """A spreadsheet formula found in an imported cell: never evaluated, reported as a problem."""


def _records(rows: list[list[object]], columns: list[str], required: list[str],
             preview: ImportPreview) -> list[tuple[int, dict]]:
    """(row number, {column: value}) for non-blank rows; header problems go into the preview."""
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(v not in (None, "") for v in r)]
    if len(numbered) < 2:
        raise ValidationError("File", "is empty: it needs a header row and at least one row.")
    header = [str(h or "").strip() for h in numbered[0][1]]
    lookup = {c.lower(): c for c in columns} | {maps.LABELS.get(c, c).lower(): c for c in columns}
    mapped = [lookup.get(h.lower()) for h in header]
    unknown = [h for h, m in zip(header, mapped) if m is None and h]
    if unknown:
        preview.notes.append(f"Ignored unknown columns: {', '.join(unknown[:10])}.")
    twice = sorted({m for m in mapped if m and mapped.count(m) > 1}, key=mapped.index)
    for name in twice:
        named = [h for h, m in zip(header, mapped) if m == name]
        preview.problems.append(Problem(1, maps.LABELS.get(name, name), "appears more than once "
                                        f"in the header ({', '.join(named)}); keep one."))
    missing = [name for name in required if name not in mapped]
    for name in missing:
        preview.problems.append(Problem(1, name, "this column is missing from the header."))
    if missing or twice:
        return []
    if len(numbered) - 1 > MAX_ROWS:
        raise ValidationError("File", f"has more than {MAX_ROWS} rows; split it into smaller files.")
    records = []
    for number, row in numbered[1:]:
        cells = {column: value for column, value in zip(mapped, row) if column}
        formulas = [column for column, value in cells.items()
                    if isinstance(value, FormulaCell) or str(value or "").startswith("=")]
        for column in formulas:
            preview.problems.append(Problem(number, maps.LABELS.get(column, column),
                                            "is a formula; type the value itself instead."))
        if not formulas:
            records.append((number, {c: unneutralise(v) for c, v in cells.items()}))
    return records


def _problem(preview: ImportPreview, number: int, exc: ValidationError) -> None:
    preview.problems.append(Problem(number, exc.field, str(exc).split(": ", 1)[-1]))


# -- validating rows -------------------------------------------------------------------------

class _Names:
    """Entry names of the map (and of the import) resolved to one entry each."""

    def __init__(self, existing: list[dict]):
        self.ids: dict[str, list[object]] = {}
        for entry in existing:
            self.add(entry["name"], entry["id"])

    def add(self, name: str, ref: object) -> None:
        self.ids.setdefault(name.strip().lower(), []).append(ref)

    def resolve(self, name: object, field_: str) -> object:
        found = self.ids.get(str(name or "").strip().lower(), [])
        if not found:
            raise ValidationError(field_, f"no entry is named '{str(name or '')[:60]}'.")
        if len(found) > 1:
            raise ValidationError(field_, f"{len(found)} entries are named '{str(name)[:60]}'; "
                                  "rename one first.")
        return found[0]


def _check_entries(records, preview: ImportPreview, existing: list[dict]) -> None:
    seen = {(e["name"].lower(), e["level"]): "already on the map" for e in existing}
    for number, record in records:
        try:
            fields = maps.clean_entry(record)
        except ValidationError as exc:
            _problem(preview, number, exc)
            continue
        key = (fields["name"].lower(), fields["level"])
        if key in seen:
            preview.problems.append(Problem(number, "Name", f"duplicate: {seen[key]}."))
            continue
        seen[key] = f"same name and level as row {number}"
        preview.entries.append(fields)


def _check_links(records, preview: ImportPreview, names: _Names, links: list[dict]) -> None:
    """Each row by maps.check_link, against the map's `links` and the rows before it."""
    taken = maps.taken_links(links)
    for number, record in records:
        try:
            kind = clean_choice(record.get("kind"), "kind", LINK_KINDS)
            source = names.resolve(record.get("source"), "source")
            target = names.resolve(record.get("target"), "target")
            key = maps.check_link(taken, source, target, kind, fields=("target", "kind"))
        except ValidationError as exc:
            _problem(preview, number, exc)
            continue
        taken[key] = "duplicate link."
        preview.links.append(key)


def _check_actions(records, preview: ImportPreview, names: _Names) -> None:
    for number, record in records:
        try:
            fields = maps.clean_action(record)
            named = "" if record.get("entries") is None else str(record["entries"])
            involved = [names.resolve(n, "entries") for n in named.split(";") if n.strip()]
            maps.require_subject(fields, involved)
        except ValidationError as exc:
            _problem(preview, number, exc)
            continue
        preview.actions.append((fields, involved))


def preview_import(store: Store, actor: Actor, map_id: int, filename: str, data: bytes,
                   kind: str) -> ImportPreview:
    """Read and validate a CSV/XLSX file of one kind (entries, links, actions) or a Kumu
    workbook ('kumu'); nothing is written."""
    maps.get_map(store, actor, map_id)
    if not data:
        raise ValidationError("File", "is empty: it needs a header row and at least one row.")
    if len(data) > MAX_BYTES:
        raise ValidationError("File", f"is {len(data) // 1_000_000} MB; the limit is 20 MB.")
    # Read the revision before the entries: any write after this makes the preview stale.
    preview = ImportPreview(map_id, store.maps.revision(map_id))
    is_xlsx = is_workbook(filename, data)
    existing = store.maps.entries(map_id)
    if kind == "kumu":
        if not is_xlsx:
            raise ValidationError("File", "a Kumu import is an .xlsx workbook with Elements and "
                                  "Connections sheets.")
        _preview_kumu(read_xlsx(data), preview, existing, store.maps.links(map_id))
        return preview
    if kind not in KINDS:
        raise ValidationError("Import", f"choose one of: {', '.join(KINDS)}.")
    if is_xlsx:
        sheets = read_xlsx(data)
        rows = next((r for t, r in sheets.items() if t.lower() == kind), next(iter(sheets.values())))
    else:
        rows = read_csv(data, preview.notes)
    records = _records(rows, COLUMNS[kind], REQUIRED[kind], preview)
    if kind == "entries":
        _check_entries(records, preview, existing)
    elif kind == "links":
        _check_links(records, preview, _Names(existing), store.maps.links(map_id))
    else:
        _check_actions(records, preview, _Names(existing))
    return preview


def apply_import(store: Store, actor: Actor, map_id: int, preview: ImportPreview) -> str:
    """Write a clean preview in one transaction; refuses one with problems. Returns a summary."""
    maps.get_map(store, actor, map_id)
    if not preview.ok:
        raise ValidationError("Import", f"{len(preview.problems)} rows have problems; fix the "
                              "file and import it again. Nothing was saved.")
    with store.atomic():
        # The rows were checked against the entries of this map at this revision (names resolved
        # to ids, duplicates refused): once either moved, those checks no longer hold.
        if preview.map_id != map_id or store.maps.lock(map_id) != preview.revision:
            raise Conflict("The map changed since the preview: preview the file again.")
        backup.auto_backup(store, actor.workshop_id,
                           f"before an import into {store.maps.get(map_id)['name']}")
        new_ids = store.maps.insert_entries(map_id, preview.entries)
        # Links and actions may name entries of this same import ("new:<n>").
        ref = {f"new:{i}": entry_id for i, entry_id in enumerate(new_ids)}
        store.maps.insert_links(map_id, [(ref.get(s, s), ref.get(t, t), k)
                                         for s, t, k in preview.links])
        for fields, involved in preview.actions:
            store.maps.insert_action(map_id, fields, [ref.get(i, i) for i in involved])
    return preview.summary()


# -- Kumu ------------------------------------------------------------------------------------

def _preview_kumu(sheets: dict[str, list[list[object]]], preview: ImportPreview,
                  existing: list[dict], links: list[dict]) -> None:
    by_title = {title.lower(): rows for title, rows in sheets.items()}
    if "elements" not in by_title:
        raise ValidationError("File", "has no Elements sheet (Kumu's format: Elements and "
                              "Connections).")
    records = _records(by_title["elements"], KUMU_ELEMENTS, ["Label", "Type"], preview)
    translated = [(n, {"name": r.get("Label"), "level": r.get("Type"),
                       "role": r.get("Description"), "constituencies": r.get("Tags"),
                       "stage": r.get("Stage"), "strength": r.get("Strength")})
                  for n, r in records]
    _check_entries(translated, preview, existing)
    names = _Names(existing)
    for i, fields in enumerate(preview.entries):
        names.add(fields["name"], f"new:{i}")
    connections = by_title.get("connections")
    if connections and preview.ok:
        link_records = _records(connections, KUMU_CONNECTIONS, KUMU_CONNECTIONS, preview)
        _check_links([(n, {"source": r.get("From"), "target": r.get("To"), "kind": r.get("Type")})
                      for n, r in link_records], preview, names, links)


def kumu_workbook(store: Store, actor: Actor, map_id: int) -> bytes:
    """The map as a Kumu workbook: Elements (Label, Type, Description, Tags) and Connections
    (From, To, Type). No contact details or notes: the file leaves our tool."""
    entries = maps.list_entries(store, actor, map_id)
    names = {e["id"]: e["name"] for e in entries}
    elements = [[e["name"], LEVELS[e["level"]], e["role"], "|".join(maps.tags(e)),
                 maps.STAGES[e["stage"]], maps.STRENGTHS[e["strength"]]] for e in entries]
    connections = [[names[l["source_id"]], names[l["target_id"]], LINK_KINDS[l["kind"]]]
                   for l in maps.list_links(store, actor, map_id)]
    return _xlsx({"Elements": [KUMU_ELEMENTS, *elements],
                  "Connections": [KUMU_CONNECTIONS, *connections]})


# -- export ----------------------------------------------------------------------------------

def export_rows(store: Store, actor: Actor, map_id: int, kind: str) -> list[list[object]]:
    """Header plus rows for one kind; contact and notes only for those who may see them."""
    entries = maps.list_entries(store, actor, map_id)
    names = {e["id"]: e["name"] for e in entries}
    if kind == "entries":
        columns = [c for c in ENTRY_COLUMNS
                   if actor.can_see_contacts(map_id) or c not in maps.PRIVATE_FIELDS]
        body = [[e[c] for c in columns] for e in entries]
    elif kind == "links":
        columns = LINK_COLUMNS
        body = [[names[l["source_id"]], l["kind"], names[l["target_id"]]]
                for l in maps.list_links(store, actor, map_id)]
    else:
        columns = ACTION_COLUMNS
        body = [[a[c] for c in columns[:-1]] + [maps.TAG_SEPARATOR.join(
            names[i] for i in a["entry_ids"])] for a in maps.list_actions(store, actor, map_id)]
    return [columns, *([neutralise(v) for v in row] for row in body)]


def export_csv(store: Store, actor: Actor, map_id: int, kind: str) -> bytes:
    """One kind as UTF-8 CSV (with a BOM, so Excel reads accents right)."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows(export_rows(store, actor, map_id, kind))
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(store: Store, actor: Actor, map_id: int) -> bytes:
    """Entries, links and actions as three sheets of one workbook."""
    return _xlsx({kind.capitalize(): export_rows(store, actor, map_id, kind) for kind in KINDS})


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

