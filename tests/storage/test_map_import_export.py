"""CSV/XLSX import and export of entries, links and actions, and Kumu's format, on real databases:
every failure listed in the issue is reported by row and field and saves nothing."""
import codecs
import csv
import io

import pytest
from conftest import workbook
from openpyxl import load_workbook

from orgkit.domain import Actor, Conflict, PermissionDenied, Role, ValidationError
from orgkit.map import service as maps
from orgkit.map import exports
from orgkit.map import formats
from orgkit.map import imports


def _csv(rows, encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def _preview(importer, data, kind="entries", filename="map.csv"):
    store, member, map_id = importer
    return imports.preview_import(store, member, map_id, filename, data, kind)


def test_a_clean_csv_previews_then_applies_whole(importer):
    store, member, map_id = importer
    data = _csv([["Name", "Level", "Stage", "constituencies", "contact"],
                 ["Maria", "impacted", "One-on-one held", "Parents; Tenants", "555-0101"],
                 ["Rev. Mayes", "Community leaders and connectors", "", "", ""]])
    preview = _preview(importer, data)
    assert preview.ok and len(preview.entries) == 2
    assert store.maps.entries(map_id) == []  # a preview writes nothing
    summary = imports.apply_import(store, member, map_id, preview)
    assert str(summary) == "2 entries, 0 links, 0 actions"
    rows = store.maps.entries(map_id)
    assert [(r["name"], r["level"], r["stage"]) for r in rows] == [
        ("Maria", "impacted", "one_on_one"), ("Rev. Mayes", "leader", "identified")]


@pytest.mark.parametrize("rows, expected", [
    ([["stage", "notes"], ["engaged", "x"]], [(1, "Name", "choose the column that holds")]),
    ([["Name", "Level"], ["Maria", "mayor"], ["", "impacted"], ["Ok", "impacted"]],
     [(3, "Name", "is required")]),
    ([["name", "level", "stage"], ["Maria", "impacted", "married"]],
     [(2, "stage", "'married' is not one of: Identified, Contacted, One-on-one held, Engaged")]),
    ([["name", "level"], ["Maria", "impacted"], ["maria", "impacted"]],
     [(3, "name", "duplicate: same name and level as row 2")]),
    ([["name", "level"], ["=HYPERLINK(\"http://x\")", "impacted"]],
     [(2, "name", "is a formula")]),
    ([["name", "level", "stance"], ["Maria", "impacted", "1"]], [(2, "stance", "only for")]),
    ([["name", "level"], ["x" * 201, "impacted"]], [(2, "name", "the limit is 200")]),
])
def test_bad_rows_are_all_reported_and_nothing_is_applied(importer, rows, expected):
    store, member, map_id = importer
    preview = _preview(importer, _csv(rows))
    got = [(p.row, p.field, str(p.reason)) for p in preview.problems]
    assert len(got) == len(expected), got
    for (row, field, reason), (erow, efield, ereason) in zip(got, expected):
        assert (row, field) == (erow, efield) and ereason in reason, got
    with pytest.raises(ValidationError, match="Nothing was saved"):
        imports.apply_import(store, member, map_id, preview)
    assert store.maps.entries(map_id) == []


def test_an_entry_already_on_the_map_is_updated_not_doubled(importer):
    store, member, map_id = importer
    maps.create_entry(store, member, map_id, {"name": "Maria", "level": "impacted"})
    preview = _preview(importer, _csv([["name", "level", "stage"], ["MARIA", "impacted", "engaged"],
                                   ["Maria", "leader", ""]]))
    assert preview.ok, preview.problems
    assert [(u.name, u.changed) for u in preview.updates] == [("MARIA", ["Name", "Stage"])]
    assert [e["name"] for e in preview.entries] == ["Maria"]  # the leader is someone else


def test_unknown_columns_are_kept_as_extra_fields_with_a_note(importer):
    store, member, map_id = importer
    preview = _preview(importer, _csv([["name", "level", "favourite colour"],
                                       ["Maria", "impacted", "red"]]))
    assert preview.ok and "favourite colour" in str(preview.notes[0])
    imports.apply_import(store, member, map_id, preview)
    assert formats.extra_fields(store.maps.entries(map_id)[0]) == {"favourite colour": "red"}


@pytest.mark.parametrize("data, filename, message", [
    (b"", "map.csv", "File: is empty"),
    (b"\n\n  \n", "map.csv", "File: is empty"),
    (b"name,level\n", "map.csv", "File: is empty"),
])
def test_empty_or_broken_files_are_refused_by_name(importer, data, filename, message):
    with pytest.raises(ValidationError, match=message):
        _preview(importer, data, filename=filename)


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4


@pytest.mark.parametrize("data, filename, why", [
    (PNG, "photo.csv", "binary data (NUL bytes)"),  # QA's case: it was called "empty"
    (b"name,level\nAna,impacted\x00\x01\x02\n", "map.csv", "binary data (NUL bytes)"),
    (b"\x81\x8d\x8f\x90\x9d" * 20, "map.csv", "not text in UTF-8, UTF-16 or Windows-1252"),
    (bytes(b for b in range(1, 256) if b not in b"\t\n\r\x81\x8d\x8f\x90\x9d") * 8, "map.csv",
     "binary data, not text"),  # read by Windows-1252, but full of control characters
    (codecs.BOM_UTF16_LE + "name,level\n".encode("utf-16-le") + b"\x00\xd8", "map.csv",
     "binary data, not text"),  # a UTF-16 BOM, then a broken surrogate
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "old.csv", "an old Excel .xls"),
    (b"PK\x03\x04 not really a workbook", "map.xlsx", "not a readable XLSX workbook"),
    (PNG, "photo.xlsx", "not a readable XLSX workbook"),
])
@pytest.mark.parametrize("kind", ["entries", "actions"])
def test_a_file_that_is_not_text_or_a_workbook_is_named_as_such(importer, data, filename, why,
                                                                 kind):
    store, _, map_id = importer
    with pytest.raises(ValidationError) as caught:
        _preview(importer, data, kind, filename=filename)
    assert str(caught.value).startswith("File: this is not a CSV, XLSX or JSON file (")
    assert why in str(caught.value)
    assert store.maps.entries(map_id) == [] and store.maps.actions(map_id) == []


def test_a_workbook_saved_with_a_csv_name_is_read_as_a_workbook(importer):
    data = workbook({"Entries": [["name", "level"], ["Maria", "impacted"]]})
    preview = _preview(importer, data, filename="map.csv")
    assert preview.ok and preview.entries[0]["name"] == "Maria"


def test_a_windows_1252_file_is_read_with_a_note(importer):
    preview = _preview(importer, _csv([["name", "level"], ["José Núñez", "impacted"]], "cp1252"))
    assert preview.ok and preview.entries[0]["name"] == "José Núñez"
    assert "not UTF-8" in str(preview.notes[0])


def test_semicolon_separated_csv_is_understood(importer):
    preview = _preview(importer, "name;level;constituencies\nAna;impacted;a, b\n".encode())
    assert preview.ok and preview.entries[0]["constituencies"] == "a; b"


def test_formula_cells_in_a_workbook_are_refused(importer):
    data = workbook({"Entries": [["name", "level", "role"], ["Maria", "impacted", "=1+1"],
                              ["Ana", "impacted", "Parent"]]})
    preview = _preview(importer, data, filename="map.xlsx")
    assert [(p.row, p.field) for p in preview.problems] == [(2, "role")]


def test_ten_thousand_rows_import_in_one_transaction(importer):
    store, member, map_id = importer
    rows = [["name", "level", "stage"]] + [[f"Person {i}", "impacted", "contacted"]
                                           for i in range(10_000)]
    preview = _preview(importer, _csv(rows))
    assert preview.ok and len(preview.entries) == 10_000
    revision = store.maps.revision(map_id)
    imports.apply_import(store, member, map_id, preview)
    assert len(store.maps.entries(map_id)) == 10_000
    assert store.maps.revision(map_id) == revision + 1


def test_links_and_actions_import_by_entry_name(importer):
    store, member, map_id = importer
    for name, level in [("Pastor", "leader"), ("Rep. Whitfield", "decision_maker")]:
        maps.create_entry(store, member, map_id, {"name": name, "level": level})
    links = _preview(importer, _csv([["source", "kind", "target"],
                                 ["Pastor", "is in the inner circle of", "rep. whitfield"],
                                 ["Pastor", "knows", "Nobody"]]), "links")
    assert [str(p) for p in links.problems] == [
        "map.csv, row 3 · target: no entry is named 'Nobody'."]
    links = _preview(importer, _csv([["source", "kind", "target"],
                                 ["Pastor", "inner_circle", "Rep. Whitfield"]]), "links")
    imports.apply_import(store, member, map_id, links)
    actions = _preview(importer, _csv([["kind", "title", "due_on", "turnout", "entries"],
                                   ["Site visit", "Lunch", "2026-06-01", "3",
                                    "Pastor; Rep. Whitfield"]]),
                       "actions")
    imports.apply_import(store, member, map_id, actions)
    (action,) = maps.load_map(store, member, map_id).actions
    assert action["kind"] == "site_visit" and len(action["entry_ids"]) == 2
    assert store.maps.links(map_id)[0]["kind"] == "inner_circle"


def test_a_link_already_on_the_map_is_a_bad_row_not_a_crash(importer):
    store, member, map_id = importer
    ids = [maps.create_entry(store, member, map_id, {"name": name, "level": level})
           for name, level in [("Pastor", "leader"), ("Rep. Whitfield", "decision_maker")]]
    maps.add_link(store, member, map_id, ids[0], ids[1], "inner_circle")
    links = _preview(importer, _csv([["source", "kind", "target"],
                                 ["Pastor", "inner_circle", "Rep. Whitfield"],
                                 ["Pastor", "knows", "Rep. Whitfield"]]), "links")
    assert [str(p) for p in links.problems] == [
        "map.csv, row 2 · kind: that link is already on the map."]
    with pytest.raises(ValidationError, match="Nothing was saved"):
        imports.apply_import(store, member, map_id, links)
    kumu = _preview(importer, workbook({"Elements": [["Label", "Type"], ["Maria", "impacted"]],
                                 "Connections": [["From", "To", "Type"],
                                                 ["Pastor", "Rep. Whitfield", "inner_circle"]]}),
                    "kumu", "kumu.xlsx")
    # A Kumu file naming a link the map has counts it unchanged (importing it again updates).
    assert kumu.ok and kumu.links == [] and kumu.links_unchanged == 1
    assert len(store.maps.links(map_id)) == 1


def test_an_imported_action_without_a_title_or_entries_is_a_problem(importer):
    store, member, map_id = importer
    maps.create_entry(store, member, map_id, {"name": "Pastor", "level": "leader"})
    actions = _preview(importer, _csv([["kind", "title", "due_on", "entries"],
                                   ["Site visit", "", "2026-06-01", ""],
                                   ["One-on-one", "", "", "Pastor"],
                                   ["Capitol trip", "Spring trip", "", ""]]), "actions")
    assert [(p.row, p.field) for p in actions.problems] == [(2, "Title")]
    with pytest.raises(ValidationError, match="Nothing was saved"):
        imports.apply_import(store, member, map_id, actions)
    assert store.maps.actions(map_id) == []


def test_exported_cells_that_look_like_formulas_are_neutralised(importer):
    store, member, map_id = importer
    maps.create_entry(store, member, map_id, {"name": "=cmd|' /C calc'!A0", "level": "impacted",
                                              "role": "+1 555", "how_help": "-flyers",
                                              "notes": "@SUM(A1)", "contact": "ok"})
    rows = list(csv.reader(io.StringIO(exports.export_csv(store, member, map_id, "entries")
                                       .decode("utf-8-sig"))))
    row = dict(zip(rows[0], rows[1]))
    assert row["name"] == "'=cmd|' /C calc'!A0" and row["role"] == "'+1 555"
    assert row["how_help"] == "'-flyers" and row["notes"] == "'@SUM(A1)" and row["contact"] == "ok"
    book = load_workbook(io.BytesIO(exports.export_xlsx(store, member, map_id)))
    cells = [c for row in book["Entries"].iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert "'=cmd|' /C calc'!A0" in [c.value for c in cells]
    # ... and an exported file imports back to the original text.
    other = maps.create_map(store, Actor(Role.FACILITATOR, member.workshop_id), "Copy")["id"]
    preview = imports.preview_import(store, Actor(Role.FACILITATOR, member.workshop_id), other,
                                    "x.csv", exports.export_csv(store, member, map_id, "entries"),
                                    "entries")
    assert preview.ok and preview.entries[0]["name"] == "=cmd|' /C calc'!A0"


def test_outsiders_cannot_export_and_the_facilitator_exports_contacts(importer):
    store, member, map_id = importer
    maps.create_entry(store, member, map_id, {"name": "Maria", "level": "impacted",
                                              "contact": "555-0101", "notes": "secret"})
    with pytest.raises(PermissionDenied):
        exports.export_csv(store, Actor(Role.VISITOR, member.workshop_id), map_id, "entries")
    exported = exports.export_csv(store, Actor(Role.FACILITATOR, member.workshop_id), map_id,
                                 "entries").decode("utf-8-sig")
    assert "contact" in exported.splitlines()[0] and "555-0101" in exported


def test_kumu_round_trip_keeps_elements_and_connections(importer):
    store, member, map_id = importer
    official = maps.create_entry(store, member, map_id, {
        "name": "Rep. Whitfield", "level": "decision_maker", "role": "Legislator",
        "constituencies": "Seniors; Workers", "contact": "555-0120", "stage": "engaged"})
    union = maps.create_entry(store, member, map_id, {"name": "Care workers local",
                                                      "level": "organization"})
    maps.add_link(store, member, map_id, union, official, "funds")
    maps.add_link(store, member, map_id, official, union, "answers_to")
    data = exports.kumu_workbook(store, member, map_id)
    book = load_workbook(io.BytesIO(data))
    assert [c.value for c in book["Elements"][1]][:5] == ["ID", "Label", "Type", "Description",
                                                          "Tags"]
    assert [c.value for c in book["Connections"][1]] == ["From", "To", "Type"]
    assert "555-0120" not in [c.value for row in book["Elements"].iter_rows() for c in row]
    facilitator = Actor(Role.FACILITATOR, member.workshop_id)
    copy = maps.create_map(store, facilitator, "Copy")["id"]
    preview = imports.preview_import(store, facilitator, copy, "kumu.xlsx", data, "kumu")
    assert preview.ok, preview.problems
    imports.apply_import(store, facilitator, copy, preview)
    strip = lambda e: (e["name"], e["level"], e["role"], e["constituencies"], e["stage"])  # noqa: E731
    assert sorted(map(strip, store.maps.entries(copy))) == sorted(
        map(strip, store.maps.entries(map_id)))
    names = {e["id"]: e["name"] for e in store.maps.entries(copy)}
    assert sorted((names[l["source_id"]], l["kind"], names[l["target_id"]])
                  for l in store.maps.links(copy)) == [
        ("Care workers local", "funds", "Rep. Whitfield"),
        ("Rep. Whitfield", "answers_to", "Care workers local")]


def test_a_kumu_file_with_a_bad_connection_imports_nothing(importer):
    store, member, map_id = importer
    data = workbook({"Elements": [["Label", "Type"], ["B", "leader"]],
                  "Connections": [["From", "To", "Type"], ["B", "", "knows"]]})
    preview = _preview(importer, data, "kumu", "kumu.xlsx")
    assert [str(p) for p in preview.problems] == ["Connections, row 2 · To: is blank."]
    with pytest.raises(ValidationError):
        imports.apply_import(store, member, map_id, preview)
    assert store.maps.entries(map_id) == []


def test_a_cell_too_long_for_csv_is_refused_by_name(importer):
    data = _csv([["name", "level", "notes"], ["Maria", "impacted", "x" * 140_000]])
    with pytest.raises(ValidationError, match=r"File: line 2 cannot be read as CSV .*field "
                                              r"larger than field limit.*32,767 characters"):
        _preview(importer, data)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_file_with_a_bom_is_read_as_unicode_text(importer, encoding):
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated.
    text = "name\tlevel\tconstituencies\nJosé Núñez\timpacted\tTenants\n"
    data = codecs.BOM_UTF16_BE + text.encode("utf-16-be") if encoding == "utf-16-be" \
        else text.encode("utf-16")  # Python writes the little-endian BOM first
    preview = _preview(importer, data)
    assert preview.ok, preview.problems
    assert preview.entries[0]["name"] == "José Núñez" and not preview.notes


def test_a_column_twice_in_the_header_is_a_problem(importer):
    preview = _preview(importer, _csv([["name", "level", "Stage", "stage"],
                                   ["Maria", "impacted", "engaged", "contacted"]]))
    assert [str(p) for p in preview.problems] == [
        "map.csv, row 1 · Stage: is chosen for more than one column (Stage, stage); keep one."]
    assert not preview.entries


def test_a_preview_applies_only_to_its_own_map(importer):
    store, member, map_id = importer
    facilitator = Actor(Role.FACILITATOR, member.workshop_id)
    other = maps.create_map(store, facilitator, "Other")["id"]
    maps.create_entry(store, member, map_id, {"name": "Pastor", "level": "leader"})
    maps.create_entry(store, member, map_id, {"name": "Rep", "level": "decision_maker"})
    preview = imports.preview_import(store, facilitator, map_id, "links.csv", _csv(
        [["source", "kind", "target"], ["Pastor", "knows", "Rep"]]), "links")
    with pytest.raises(Conflict, match="The map changed since the preview: preview the file "
                                       "again."):
        imports.apply_import(store, facilitator, other, preview)
    assert store.maps.links(other) == [] and store.maps.links(map_id) == []


def test_a_map_changed_after_the_preview_refuses_the_apply(importer):
    store, member, map_id = importer
    maps.create_entry(store, member, map_id, {"name": "Pastor", "level": "leader"})
    rep = maps.create_entry(store, member, map_id, {"name": "Rep", "level": "decision_maker"})
    preview = _preview(importer, _csv([["source", "kind", "target"], ["Pastor", "knows", "Rep"]]),
                       "links")
    maps.delete_entry(store, member, map_id, rep, 1)  # meanwhile, someone deletes an end
    revision = store.maps.revision(map_id)
    with pytest.raises(Conflict, match="preview the file again"):
        imports.apply_import(store, member, map_id, preview)
    assert store.maps.links(map_id) == [] and store.maps.revision(map_id) == revision
    fresh = _preview(importer, _csv([["name", "level"], ["Ana", "impacted"]]))
    applied = imports.apply_import(store, member, map_id, fresh)
    assert str(applied) == "1 entry, 0 links, 0 actions"
