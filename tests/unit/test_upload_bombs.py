"""Hostile uploads cost bounded work: each bomb (about 200 kB at most) is read in a fresh
subprocess that reports the memory and CPU time of the read, and the bound (100 MB, 1 CPU-second)
is asserted; each is refused with the limit named, never a traceback.
"""
import io
import json
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from orgkit import spreadsheet
from orgkit.domain import ValidationError
from orgkit.map.formats import read_tables

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.reliability

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/>{shared_type}</Types>')
SHARED_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships"><sheets><sheet name="Elements" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/>{shared}</Relationships>')
SHARED_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
              'openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>')


def raw_xlsx(rows_xml: str, dimension: str | None = None, shared: str | None = None) -> bytes:
    """A minimal workbook written by hand, so it can say what openpyxl would never write."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(
            shared_type=SHARED_TYPE if shared else ""))
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(
            shared=SHARED_REL if shared else ""))
        head = SHEET_HEAD.format(dimension=f'<dimension ref="{dimension}"/>' if dimension else "")
        archive.writestr("xl/worksheets/sheet1.xml", head + rows_xml + "</sheetData></worksheet>")
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?>'
                             '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                             f'main" count="1" uniqueCount="1"><si><t>{shared}</t></si></sst>')
    return out.getvalue()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sparse_to_xfd(dimension: str | None) -> bytes:
    header = '<row r="1">' + _inline("A1", "Label") + _inline("B1", "Type") + "</row>"
    rows = "".join(f'<row r="{n}">{_inline(f"XFD{n}", "x")}</row>' for n in range(2, 20_001))
    return raw_xlsx(header + rows, dimension)


BOMBS = {
    # 20,000 sparse rows to column XFD, declared in its dimension: a sheet as wide as Excel allows.
    "sparse_rows_to_xfd": (lambda: sparse_to_xfd("A1:XFD20000"), "bomb.xlsx",
                           "declares a sheet 16,384 columns wide; the limit is 100"),
    # The same rows with the dimension left out: refused on the cells' own references.
    "sparse_rows_no_dimension": (lambda: sparse_to_xfd(None), "bomb.xlsx",
                                 "has a cell in column 16,384; the limit is 100 columns"),
    # One 64 MB shared string in a 70 kB file.
    "one_64_mb_cell": (lambda: raw_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                                        "A1", "x" * (64 * 1024 * 1024)), "cell.xlsx",
                       "unpacks to 67 MB; the limit is 40 MB"),
    # A 20 MB inline cell: under the part limits, refused by the cell limit.
    "inline_20_mb_cell": (lambda: raw_xlsx(
        '<row r="1">' + _inline("A1", "Label") + '</row><row r="2">' +
        _inline("A2", "x" * (20 * 1024 * 1024)) + "</row>", "A1:A2"), "cell.xlsx",
                          "holds 20,971,520 characters; the limit is 32,767 per cell"),
    "json_deep": (lambda: b"[" * 100_000 + b"]" * 100_000, "deep.json",
                  "nests deeper than 12 levels"),
    "json_many": (lambda: json.dumps({"elements": [{} for _ in range(66_000)]}).encode()[:199_990]
                  + b"{}]}", "many.json", None),
    "csv_wide": (lambda: b"a," * 100_000 + b"\nx\n", "wide.csv", "columns; the limit is 100"),
    "csv_tall": (lambda: b"a\n" * 100_000, "tall.csv", "more than 20,000 rows"),
}

# Memory as the kernel counts it: the process's peak resident size (VmHWM) is reset just before
# the read (/proc/self/clear_refs) and read after it, so imports do not hide what the read costs.
MEASURE = """
import resource, sys
sys.path.insert(0, {root!r})
from orgkit.map.formats import read_tables
from orgkit.domain import ValidationError
import openpyxl, openpyxl.reader.excel

def resident(key):
    line = next(l for l in open("/proc/self/status") if l.startswith(key))
    return int(line.split()[1]) * 1024

data = open(sys.argv[1], "rb").read()
open("/proc/self/clear_refs", "w").write("5")
rss_before = resident("VmRSS")
before = resource.getrusage(resource.RUSAGE_SELF)
message = ""
try:
    read_tables([(sys.argv[2], data)], [])
except ValidationError as exc:
    message = str(exc)
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
print((resident("VmHWM") - rss_before) / 2**20, cpu, message, sep="\\t")
"""


def _measure(path: Path, name: str) -> tuple[float, float, str]:
    """(MB, CPU-seconds, refusal) of reading one upload in a fresh process."""
    result = subprocess.run([sys.executable, "-c", MEASURE.format(root=str(ROOT)), str(path),
                             name], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr  # no traceback escaped
    megabytes, cpu, message = result.stdout.rstrip("\n").split("\t")
    return float(megabytes), float(cpu), message


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_a_hostile_upload_costs_bounded_memory_and_cpu(bomb, tmp_path):
    build, filename, refusal = BOMBS[bomb]
    data = build()
    assert len(data) <= 210_000, len(data)  # each is a small file
    path = tmp_path / filename
    path.write_bytes(data)
    megabytes, cpu, message = _measure(path, filename)
    print(f"{bomb}: {len(data) / 1000:.0f} kB, {megabytes:.1f} MB, {cpu:.2f} CPU-s: {message}")
    assert megabytes < 100, megabytes
    assert cpu < 1.0, cpu
    if refusal:
        assert message.startswith("File: ") and refusal in message, message


def test_a_lone_surrogate_in_a_workbook_is_a_clear_message():
    header = '<row r="1">' + _inline("A1", "Label") + "</row>"
    data = raw_xlsx(header + '<row r="2">' + _inline("A2", "Ana &#55296;") + "</row>", "A1:A2")
    with pytest.raises(ValidationError, match=r"File: Sheet Elements cannot be read after row 1 "
                                              r"\(ParseError\)"):
        read_tables([("x.xlsx", data)], [])


def test_a_lone_surrogate_in_json_is_a_clear_message():
    data = b'{"elements": [{"label": "Ana \\ud800"}]}'
    with pytest.raises(ValidationError, match="lone UTF-16 surrogate"):
        read_tables([("x.json", data)], [])


def test_a_sheet_whose_dimension_lies_still_stops_at_the_row_limit():
    rows = "".join(f'<row r="{n}">{_inline(f"A{n}", "x")}</row>'
                   for n in range(1, spreadsheet.MAX_ROWS + 3))
    with pytest.raises(ValidationError, match="more than 20,000 rows"):
        read_tables([("x.xlsx", raw_xlsx(rows, "A1:A2"))], [])


def test_streamlit_and_the_core_refuse_an_upload_at_the_same_size():
    """Streamlit's server refuses a request body past server.maxUploadSize before our code runs,
    so a core limit above it would never be met: the config says spreadsheet.UPLOAD_MAX_MB, and
    the core takes exactly that much."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == spreadsheet.UPLOAD_MAX_MB
    spreadsheet.check_size(b"x" * spreadsheet.MAX_BYTES)
    with pytest.raises(ValidationError, match=f"the limit is {spreadsheet.UPLOAD_MAX_MB} MB"):
        spreadsheet.check_size(b"x" * (spreadsheet.MAX_BYTES + 1))
