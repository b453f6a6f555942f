"""Spreadsheet safety shared by every export and import (maps, boards, gap lists): formula cells
neutralised on the way out, and uploads read with bounded work on the way in.

A text cell that begins with = + - @ (or a tab or carriage return, which some spreadsheets skip
before parsing) could run as a formula when the file is opened: exports prefix such a cell with
an apostrophe, which spreadsheets show as text, and imports take that apostrophe off again so a
round trip gives back exactly what was exported.

An upload is hostile until proven otherwise: a 155 kB XLSX can declare 20,000 rows up to column
XFD (openpyxl then builds 327 million empty cells), a 70 kB one can inflate to one 64 MB cell, a
JSON file can nest a million brackets. So every limit below is checked before the expensive step
it protects: bytes before decoding; a workbook's member count, uncompressed sizes (as its zip
directory declares them; zipfile never inflates past a declared size) and each sheet's declared
dimensions before openpyxl loads it, which it then does in read-only streaming mode with rows and
columns capped; JSON's size before parsing and its depth and item count while walking it (also
the JSON a web page embeds, of which at most EMBEDDED_TRIES starts are decoded). A
refusal names the limit. Parse errors anywhere (also inside openpyxl's row iterator, where
`&#55296;` surfaces) and lone surrogates become a ValidationError naming the file, never a
traceback.
"""
from __future__ import annotations

import codecs
import csv
import html
import io
import json
import re
import zipfile

from .domain import ValidationError
from .i18n import N_, Message, msg

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Every uploaded file, in megabytes: Streamlit's server refuses a bigger request body before our
# code sees it (.streamlit/config.toml server.maxUploadSize, tested to agree) and every
# file_uploader is given this as its own limit, so the one limit a person meets is this one.
UPLOAD_MAX_MB = 10
MAX_BYTES = UPLOAD_MAX_MB * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
CELL_MAX = 32_767  # Excel's own limit for one cell
XLSX_UNZIPPED_MAX = 40 * 1024 * 1024  # every member of the workbook, inflated
XLSX_MEMBER_MAX = 25 * 1024 * 1024  # one sheet's XML, inflated (streamed)
XLSX_SHARED_STRINGS_MAX = 8 * 1024 * 1024  # openpyxl holds every shared string in memory
XLSX_MEMBERS_MAX = 200
XLSX_SHEETS_MAX = 20
JSON_MAX_BYTES = 4 * 1024 * 1024
JSON_DEPTH_MAX = 12
JSON_ITEMS_MAX = 400_000  # values of every kind, counted while walking the parsed document

ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx workbook is a zip archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls and other Office files
CONTROL_SHARE = 0.01  # text files carry almost no control characters; binary data is full of them
_SURROGATE = re.compile("[\ud800-\udfff]")
FILE = N_("File")  # the field every refusal of an upload names
THE_FILE = msg("The file")  # where a problem is, when the file has no sheets of its own
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?:?([A-Z]{1,3})?(\d+)?"')


def neutralise(value: object) -> object:
    """A cell value a spreadsheet will not run as a formula; other values pass unchanged.

    A text that already starts with quotes before a formula character gets one more quote, so
    unneutralise() gives every text back exactly ("'=x" goes out as "''=x")."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_START):
        return "'" + value
    return value


def unneutralise(value: object) -> object:
    """Undo neutralise() on an imported cell: one quote off a quoted formula character."""
    if isinstance(value, str) and value.startswith("'") and \
            value.lstrip("'").startswith(FORMULA_START):
        return value[1:]
    return value


class FormulaCell(str):
    """A spreadsheet formula found in an imported cell: never evaluated, reported as a problem."""


def not_a_table(why: Message) -> ValidationError:
    """The one answer for a file that is neither CSV text, an XLSX workbook nor JSON."""
    return ValidationError(FILE, msg("this is not a CSV, XLSX or JSON file ({why}).", why=why))


def check_size(data: bytes, limit: int = MAX_BYTES) -> None:
    if len(data) > limit:
        raise ValidationError(FILE, msg("is {size} MB; the limit is {limit} MB.",
                                        size=f"{len(data) / 1_000_000:.1f}",
                                        limit=limit // (1024 * 1024)))


def check_cell(value: object, where: Message | str) -> None:
    """A text cell within CELL_MAX and free of lone surrogates (which no database stores);
    `where` says where the cell is (a message, or a file's name as it is)."""
    if isinstance(value, str):
        if len(value) > CELL_MAX:
            raise ValidationError(FILE, msg("{where} holds {n:,} characters; the limit is "
                                            "{limit:,} per cell.", where=where, n=len(value),
                                            limit=CELL_MAX))
        if _SURROGATE.search(value):
            raise ValidationError(FILE, msg("{where} holds a broken character (a lone UTF-16 "
                                            "surrogate); retype that cell.", where=where))


def _check_row(row: list, number: int, where: Message | str) -> None:
    if len(row) > MAX_COLUMNS:
        raise ValidationError(FILE, msg("{where} row {number} has {n} columns; the limit is "
                                        "{limit}.", where=where, number=number, n=len(row),
                                        limit=MAX_COLUMNS))
    for value in row:
        check_cell(value, msg("{where} row {number}", where=where, number=number))


def _too_many_rows(where: Message | str) -> ValidationError:
    return ValidationError(FILE, msg("{where} has more than {limit:,} rows; split it into "
                                     "smaller files.", where=where, limit=MAX_ROWS))


# -- CSV -------------------------------------------------------------------------------------

def decode_text(data: bytes, notes: list[Message]) -> str:
    """The file as text: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode
    text"), else Windows-1252 with a note saying so. Anything else is refused as not a table:
    NUL bytes, an old .xls workbook, bytes no text encoding reads, or text full of control
    characters (Windows-1252 decodes almost any bytes, so a decode alone proves nothing)."""
    check_size(data)
    if data.startswith(OLE_MAGIC):
        raise not_a_table(msg("it is an old Excel .xls workbook; save it as .xlsx or CSV"))
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        elif b"\x00" in data:
            raise not_a_table(msg("it holds binary data (NUL bytes), not text"))
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise not_a_table(msg("it is not text in UTF-8, UTF-16 or Windows-1252")) from None
        notes.append(msg("The file is not UTF-8; it was read as Windows-1252 (Excel's "
                         "default). Check accented letters in the preview."))
    sample = text[:65_536]
    controls = sum(ch < " " and ch not in "\t\n\r" for ch in sample)
    if controls > CONTROL_SHARE * len(sample):
        raise not_a_table(msg("it holds binary data, not text"))
    return text


def read_csv(data: bytes, notes: list[Message],
             where: Message | str = THE_FILE) -> list[list[object]]:
    """CSV rows of a text file (see decode_text); the delimiter is , ; or tab. Blank rows count
    as rows (so numbers match the spreadsheet) but not toward MAX_ROWS."""
    text = decode_text(data, notes)
    # The header decides the delimiter: Excel writes ';' in some locales, tabs when pasted.
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, filled = [], 0
    try:
        for row in reader:
            rows.append(row)
            if any(row):
                filled += 1
                if filled > MAX_ROWS + 1:
                    raise _too_many_rows(where)
                _check_row(row, len(rows), where)
    except csv.Error as exc:
        # The csv module refuses a cell over csv.field_size_limit() (131,072 characters).
        raise ValidationError(FILE, msg("line {line} cannot be read as CSV ({detail}); the "
                                        "limit is {limit:,} characters per cell.",
                                        line=reader.line_num, detail=str(exc),
                                        limit=CELL_MAX)) from None
    return rows


# -- XLSX ------------------------------------------------------------------------------------

_UNREADABLE_WORKBOOK = msg("it is not a readable XLSX workbook; save it again as .xlsx or CSV")

def _column_number(letters: bytes | None) -> int:
    number = 0
    for ch in letters or b"A":
        number = number * 26 + ch - 64
    return number


def check_workbook(data: bytes) -> None:
    """Refuse a workbook whose zip directory or sheets declare more than we will ever read,
    before openpyxl sees it: members, inflated sizes, and each sheet's <dimension>."""
    check_size(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_a_table(_UNREADABLE_WORKBOOK) from None
    if len(members) > XLSX_MEMBERS_MAX:
        raise ValidationError(FILE, msg("is a workbook of {n} parts; the limit is {limit}.",
                                        n=len(members), limit=XLSX_MEMBERS_MAX))
    total = sum(m.file_size for m in members)
    if total > XLSX_UNZIPPED_MAX:
        raise ValidationError(FILE, msg("unpacks to {size} MB; the limit is {limit} MB for a "
                                        "workbook.", size=f"{total / 1_000_000:.0f}",
                                        limit=XLSX_UNZIPPED_MAX // (1024 * 1024)))
    sheets = [m for m in members if m.filename.startswith("xl/worksheets/")
              and m.filename.endswith(".xml")]
    if len(sheets) > XLSX_SHEETS_MAX:
        raise ValidationError(FILE, msg("has {n} sheets; the limit is {limit}.",
                                        n=len(sheets), limit=XLSX_SHEETS_MAX))
    for member in members:
        limit = XLSX_SHARED_STRINGS_MAX if member.filename.endswith("sharedStrings.xml") \
            else XLSX_MEMBER_MAX
        if member.file_size > limit:
            raise ValidationError(FILE, msg(
                "has a part ({part}) that unpacks to {size} MB; the limit is {limit} MB (a cell "
                "holds at most {cell:,} characters).", part=member.filename,
                size=f"{member.file_size / 1_000_000:.0f}", limit=limit // (1024 * 1024),
                cell=CELL_MAX))
    for member in sheets:
        try:
            with archive.open(member) as stream:
                head = stream.read(4096)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise not_a_table(msg("it is not a readable XLSX workbook; save it again")) from None
        found = _DIMENSION.search(head)
        if found:
            columns = _column_number(found.group(3) or found.group(1))
            rows = int(found.group(4) or found.group(2) or 1)
            if columns > MAX_COLUMNS:
                raise ValidationError(FILE, msg("declares a sheet {n:,} columns wide; the limit "
                                                "is {limit}.", n=columns, limit=MAX_COLUMNS))
            if rows > MAX_ROWS + 1:
                raise ValidationError(FILE, msg("declares a sheet of {n:,} rows; the limit is "
                                                "{limit:,}.", n=rows, limit=MAX_ROWS))
        else:
            _check_cell_references(archive, member)


def _check_cell_references(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """A sheet that declares no dimension is bounded by its cells' own references (r="XFD9"),
    scanned as bytes before openpyxl parses a row: a sparse sheet whose cells lie far right or
    far down costs a regular expression over its XML, not an empty cell per column."""
    columns = rows = 0
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 16):
                text = tail + chunk
                for letters, number in _CELL_REF.findall(text):
                    columns = max(columns, _column_number(letters))
                    rows = max(rows, int(number))
                tail = text[-40:]  # a reference cut by the chunk's end is found again
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise not_a_table(msg("it is not a readable XLSX workbook; save it again")) from None
    if columns > MAX_COLUMNS:
        raise ValidationError(FILE, msg("has a cell in column {column}; the limit is "
                                              "{limit} columns.", column=f"{columns:,}",
                                              limit=MAX_COLUMNS))
    if rows > MAX_ROWS + 1:
        raise ValidationError(FILE, msg("has a cell in row {row}; the limit is {limit} "
                                              "rows.", row=f"{rows:,}", limit=f"{MAX_ROWS:,}"))


def read_xlsx(data: bytes) -> dict[str, list[list[object]]]:
    """Every sheet's rows (at most MAX_ROWS + 1 and MAX_COLUMNS + 1 wide: one more than allowed,
    so a sheet whose dimension lies is still caught); formulas come back as FormulaCell."""
    check_workbook(data)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        raise not_a_table(_UNREADABLE_WORKBOOK) from None
    sheets = {}
    try:
        for sheet in book.worksheets[:XLSX_SHEETS_MAX]:
            rows, filled = [], 0
            where = msg("Sheet {name}", name=sheet.title)
            try:
                for row in sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1,
                                           values_only=True):
                    cells = [FormulaCell(v) if isinstance(v, str) and v.startswith("=") else v
                             for v in row]
                    while cells and cells[-1] is None:
                        cells.pop()
                    rows.append(cells)
                    if cells:
                        filled += 1
                        if filled > MAX_ROWS + 1:
                            raise _too_many_rows(where)
                        _check_row(cells, len(rows), where)
            except ValidationError:
                raise
            except Exception as exc:  # a ParseError, a bad number: inside openpyxl's iterator
                raise ValidationError(FILE, msg("{where} cannot be read after row {number} "
                                                "({detail}); save it again as .xlsx or CSV.",
                                                where=where, number=len(rows),
                                                detail=type(exc).__name__)) from None
            sheets[str(sheet.title)] = rows
    finally:
        book.close()
    return sheets


# -- JSON ------------------------------------------------------------------------------------

_JSON_KEY = msg("A JSON key")
_JSON_VALUE = msg("A JSON value")


def _too_deep() -> Message:
    return msg("nests deeper than {limit} levels.", limit=JSON_DEPTH_MAX)


def read_json(data: bytes) -> object:
    """A JSON document within JSON_MAX_BYTES, JSON_DEPTH_MAX levels and JSON_ITEMS_MAX values,
    with no lone surrogate in any string."""
    check_size(data, JSON_MAX_BYTES)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise ValidationError(FILE, _too_deep()) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise not_a_table(msg("it is not valid JSON: {detail}", detail=str(exc)[:80])) from None
    return _checked_json(document)


# Where a web page's script may start the document it embeds (Oligrapher's HTML export): an
# object whose first key is one of these. At most EMBEDDED_TRIES starts are decoded.
_EMBEDDED_START = re.compile(r'\{\s*"(?:graph|nodes|elements|domId|attributes|id|title)"')
EMBEDDED_TRIES = 20


def read_json_in_page(data: bytes, wanted: set[str]) -> object | None:
    """The first JSON object a web page (within MAX_BYTES) embeds that holds one of the `wanted`
    keys, under read_json's limits; None when there is none. A document in an attribute is
    HTML-escaped: the page is read as written, then unescaped."""
    check_size(data)
    text = data.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    for page in (text, html.unescape(text)):
        for start in list(_EMBEDDED_START.finditer(page))[:EMBEDDED_TRIES]:
            try:
                found, _end = decoder.raw_decode(page, start.start())
            except RecursionError:
                raise ValidationError(FILE, _too_deep()) from None
            except ValueError:
                continue
            if isinstance(found, dict) and wanted & set(found):
                return _checked_json(found)
    return None


def _checked_json(document: object) -> object:
    """A parsed document within JSON_DEPTH_MAX levels and JSON_ITEMS_MAX values, with no lone
    surrogate in any string."""
    stack, items = [(document, 1)], 0
    while stack:
        value, depth = stack.pop()
        items += 1
        if items > JSON_ITEMS_MAX:
            raise ValidationError(FILE, msg("holds more than {limit:,} values; the limit is "
                                            "that.", limit=JSON_ITEMS_MAX))
        if isinstance(value, (dict, list)):
            if depth > JSON_DEPTH_MAX:
                raise ValidationError(FILE, _too_deep())
            children = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in children:
                check_cell(key if isinstance(key, str) else None, _JSON_KEY)
                stack.append((child, depth + 1))
        else:
            check_cell(value, _JSON_VALUE)
    return document
