"""Issue 21: files shaped like the real ones other tools write (Kumu's documented examples and
backups, BuzzFeed News' TrumpWorld relationships, an Oligrapher map and its HTML page, a French
actors' map) arrive whole through the mapping step, and what does not arrive is listed."""
import io
import json

from conftest import csv_file, entries_by_name, inspect_files, links_named, workbook

from orgkit.domain import Actor, Role
from orgkit.map import exports, formats, imports
from orgkit.map import model as map_model
from orgkit.map import service as maps


def _preview(importer, *files, mapping=None):
    store, member, map_id = importer
    inspection = inspect_files(importer, *files)
    return imports.preview_mapped(store, member, map_id, inspection,
                                  mapping or inspection.mapping)


def _import(importer, *files, mapping=None):
    store, member, map_id = importer
    preview = _preview(importer, *files, mapping=mapping)
    assert preview.ok, [str(p) for p in preview.problems]
    imports.apply_import(store, member, map_id, preview)
    return preview


def _said(preview) -> str:
    return " ".join(map(str, [*preview.notes, *preview.left_out]))


# 2. Kumu's connection Type is the kind; its Label is a caption.
def test_a_kumu_connection_type_is_the_kind_and_its_label_a_caption(importer):
    store, _, map_id = importer
    book = workbook({"Elements": [["Label", "Type"], ["Ana", "Person"], ["Acme", "Company"]],
                     "Connections": [["From", "To", "Label", "Type"],
                                     ["Ana", "Acme", "", "Investor"]]})
    inspection = inspect_files(importer, ("kumu.xlsx", book))
    assert inspection.mapping.columns["Connections"]["Type"] == "kind"
    assert inspection.mapping.columns["Connections"]["Label"] == "ignore"
    _import(importer, ("kumu.xlsx", book))
    assert links_named(store, map_id) == [("Ana", "funds", "Acme")]


TRUMPWORLD = csv_file([["Entity A Type", "Entity A", "Entity B Type", "Entity B", "Connection"],
                   ["Organization", "4 SHADOW TREE LANE MEMBER CORP.", "Person", "DONALD J. TRUMP",
                    "Ownership"],
                   ["Person", "DONALD J. TRUMP", "Person", "MELANIA TRUMP", "Married"],
                   ["Federal Agency", "DEPARTMENT OF JUSTICE", "Person", "JEFF SESSIONS",
                    "Attorney General"]])


# 3. A relationship table is recognised from its headers, and its ends can be chosen.
def test_a_trumpworld_relationship_table_is_read_as_connections(importer):
    store, _, map_id = importer
    inspection = inspect_files(importer, ("trumpworld.csv", TRUMPWORLD))
    mapping = inspection.mapping
    assert (mapping.elements, mapping.connections) == (None, "trumpworld.csv")
    assert mapping.columns["trumpworld.csv"] == {
        "Entity A Type": "from_type", "Entity A": "from", "Entity B Type": "to_type",
        "Entity B": "to", "Connection": "kind"}
    _import(importer, ("trumpworld.csv", TRUMPWORLD))
    entries = entries_by_name(store, map_id)
    assert entries["DEPARTMENT OF JUSTICE"]["level"] == "organization"
    assert entries["DEPARTMENT OF JUSTICE"]["source_type"] == "Federal Agency"
    assert ("DONALD J. TRUMP", "inner_circle", "MELANIA TRUMP") in links_named(store, map_id)


def test_the_person_can_make_any_table_the_connections_and_choose_its_ends(importer):
    odd = csv_file([["Who", "Whom", "Why"], ["Ana", "Acme", "Employee"]])
    inspection = inspect_files(importer, ("odd.csv", odd))
    assert inspection.mapping.connections is None
    mapping = formats.with_roles(inspection, elements=None, connections="odd.csv")
    mapping.columns["odd.csv"].update(Who="from", Whom="to", Why="kind")
    store, member, map_id = importer
    preview = imports.preview_mapped(store, member, map_id, inspection, mapping)
    assert preview.ok and len(preview.links) == 1 and len(preview.entries) == 2


# 4. Long text arrives whole, not private, and leaves again as Kumu's Description.
def test_a_long_kumu_description_and_extra_field_arrive_whole_and_export_again(importer, store):
    _, member, map_id = importer
    description = "## Background\n\n" + "Long **Markdown** text. " * 150  # 3,615 characters
    book = workbook({"Elements": [["Label", "Type", "Description", "Notes from the field"],
                                  ["Ana", "Person", description, "y" * 2001]]})
    _import(importer, ("kumu.xlsx", book))
    ana = entries_by_name(store, map_id)["Ana"]
    assert ana["description"] == description.strip()
    assert formats.extra_fields(ana) == {"Notes from the field": "y" * 2001}
    assert "description" not in map_model.PRIVATE_FIELDS
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(exports.kumu_workbook(store, member, map_id)))["Elements"]
    rows = list(sheet.values)
    assert rows[1][rows[0].index("Description")] == description.strip()


# 5. The same label with different IDs: the ID is the identity.
def test_two_kumu_elements_with_one_label_and_two_ids_are_two_entries(importer):
    store, _, map_id = importer
    elements = csv_file([["ID", "Label", "Type"], ["e1", "Shame", "Emotion"],
                     ["e2", "Shame", "Emotion"], ["e3", "Pride", "Emotion"]])
    connections = csv_file([["From", "To", "Type"], ["e1", "e3", ""], ["e2", "e3", ""]])
    _import(importer, ("elements.csv", elements), ("connections.csv", connections))
    assert sorted(e["external_id"] for e in store.maps.entries(map_id)) == ["e1", "e2", "e3"]
    assert len(store.maps.links(map_id)) == 2


# 6. Names as long as Kumu's own backup example has them.
def test_a_139_character_label_arrives_whole(importer):
    store, _, map_id = importer
    name = ("The Coalition of Neighbourhood Associations, Tenant Unions and Faith Communities "
            "for Fair Housing in the Greater North Side Area (CNATUFC).")
    assert len(name) == 139
    _import(importer, ("elements.csv", csv_file([["Label", "Type"], [name, "Organization"]])))
    assert name in entries_by_name(store, map_id)


# 7. A connection names an element the elements table does not list: it is created.
def test_an_element_named_only_by_a_connection_is_created_and_listed(importer):
    store, _, map_id = importer
    book = workbook({"Elements": [["Label", "Type"], ["Ana", "Person"]],
                     "Connections": [["From", "To", "Type"], ["Ana", "Harbor Fund", "funds"]]})
    preview = _import(importer, ("kumu.xlsx", book))
    assert "Harbor Fund" in [e["name"] for e in preview.entries]
    assert "only by a connection" in _said(preview) and "Harbor Fund" in _said(preview)
    assert links_named(store, map_id) == [("Ana", "funds", "Harbor Fund")]


# 8 and 11. Nested attributes are kept as text; images that are data: URIs are left out (said).
OLIGRAPHER_GRAPH = {
    "nodes": {"1": {"id": "1", "name": "Mayor Lee", "image": "data:image/png;base64," + "A" * 9538,
                    "url": "https://littlesis.org/person/1", "scale": 1},
              "2": {"id": "2", "name": "Builders PAC", "image": "https://example.org/pac.png",
                    "location": {"lat": 1, "lng": 2}}},
    "edges": {"9": {"id": "9", "node1_id": "2", "node2_id": "1", "label": "Donation/Grant",
                    "arrow": "1->2"}},
    "captions": {}}


def test_nested_json_is_kept_as_text_and_data_uri_images_are_left_out_and_said(importer):
    store, _, map_id = importer
    data = json.dumps({"graph": OLIGRAPHER_GRAPH, "attributes": {"title": "Mayor"}}).encode()
    preview = _import(importer, ("map.json", data))
    entries = entries_by_name(store, map_id)
    assert json.loads(formats.extra_fields(entries["Builders PAC"])["location"]) == {
        "lat": 1, "lng": 2}
    assert formats.extra_fields(entries["Builders PAC"])["image"] == "https://example.org/pac.png"
    assert "image" not in formats.extra_fields(entries["Mayor Lee"])
    assert "1 image written into the file" in _said(preview)
    assert links_named(store, map_id) == [("Builders PAC", "funds", "Mayor Lee")]


def test_an_oligrapher_html_page_is_read_for_the_map_it_embeds(importer):
    store, _, map_id = importer
    page = ("<!DOCTYPE html><html><head><title>Mayor</title></head><body><div id=\"oligrapher\">"
            "</div><script>var oli = new Oligrapher({\"domId\": \"oligrapher\", \"graph\": "
            + json.dumps(OLIGRAPHER_GRAPH) + ", \"settings\": {}});</script></body></html>")
    _import(importer, ("mayor.html", page.encode()))
    assert sorted(entries_by_name(store, map_id)) == ["Builders PAC", "Mayor Lee"]


# 9. An unknown Type is an organization by default, offered, and kept on the entry.
def test_an_unknown_type_defaults_to_organization_and_the_type_is_kept(importer):
    store, _, map_id = importer
    actors = csv_file([["Label", "Type"], ["MEFSIN", "acteur_mefsin"], ["Base Sirene", "database"],
                   ["Claire", "Person"], ["Sans type", ""]])
    inspection = inspect_files(importer, ("acteurs.csv", actors))
    assert inspection.mapping.levels == {"acteur_mefsin": "organization",
                                         "database": "organization", "Person": "leader",
                                         "": "leader"}
    _import(importer, ("acteurs.csv", actors))
    entries = entries_by_name(store, map_id)
    assert (entries["MEFSIN"]["level"], entries["MEFSIN"]["source_type"]) == (
        "organization", "acteur_mefsin")
    assert entries["Sans type"]["source_type"] == ""


# 10. Influence words are read as numbers; a value that is neither is quoted.
def test_influence_words_are_read_as_numbers_and_a_bad_value_is_quoted(importer):
    store, _, map_id = importer
    good = csv_file([["Label", "Type", "Influence"], ["Ana", "Person", "High"],
                 ["Board", "Company", "low"]])
    _import(importer, ("elements.csv", good))
    entries = entries_by_name(store, map_id)
    assert (entries["Ana"]["influence"], entries["Board"]["influence"]) == (
        formats.INFLUENCE_WORDS["high"], formats.INFLUENCE_WORDS["low"])
    bad = csv_file([["Label", "Type", "Influence"], ["Eve", "Person", "Huge"]])
    preview = _preview(importer, ("elements.csv", bad))
    assert "'Huge'" in str(preview.problems[0])


# 12. Loops are left out, counted and said.
def test_loops_are_left_out_and_said(importer):
    store, _, map_id = importer
    book = workbook({"Elements": [["Label"], ["Ana"], ["Acme"]],
                     "Connections": [["From", "To"], ["Ana", "Ana"], ["Ana", "Acme"],
                                     ["Acme", "Acme"]]})
    preview = _import(importer, ("kumu.xlsx", book))
    assert "2 connections from an element to itself" in _said(preview)
    assert len(store.maps.links(map_id)) == 1


# 13. Every problem is listed, a formula's and a long name's alike.
def test_a_formula_row_does_not_hide_the_other_rows_problems(importer):
    data = csv_file([["name", "level", "role"], ["x" * 281, "leader", ""],
                 ["Anna", "leader", "=1+1"]])
    preview = _preview(importer, ("entries.csv", data))
    assert [(p.row, p.field) for p in preview.problems] == [(2, "name"), (3, "role")]
    assert "is 281 characters" in str(preview.problems[0])


# 14. One problem is "1 row has a problem".
def test_apply_refusal_counts_one_problem_in_the_singular(importer):
    store, member, map_id = importer
    preview = _preview(importer, ("e.csv", csv_file([["name", "level"], ["x" * 300, "leader"]])))
    try:
        imports.apply_import(store, member, map_id, preview)
    except Exception as exc:  # noqa: BLE001 - the message is what is checked
        assert "1 row has a problem" in str(exc)
    else:
        raise AssertionError("a preview with a problem was applied")


def test_columns_left_out_of_an_elements_table_are_listed(importer):
    elements = csv_file([["Label", "Type", "Secret"], ["Ana", "Person", "x"]])
    inspection = inspect_files(importer, ("e.csv", elements))
    inspection.mapping.columns["e.csv"]["Secret"] = "ignore"
    store, member, map_id = importer
    preview = imports.preview_mapped(store, member, map_id, inspection, inspection.mapping)
    assert "Secret" in _said(preview)


def test_the_relationship_benchmark_file_maps_whole(importer):
    from benchmarks.map_import import trumpworld_csv
    data = trumpworld_csv(3_380)
    inspection = inspect_files(importer, ("trumpworld.csv", data))
    assert inspection.mapping.connections and not inspection.mapping.elements
    store, member, map_id = importer
    preview = imports.preview_mapped(store, member, map_id, inspection, inspection.mapping)
    assert preview.ok and len(preview.links) + preview.links_merged + preview.loops == 3_380


# Round trips: Kumu's own example in, our Kumu workbook out, and in again (a fresh map, and the
# same map: unchanged).
KUMU_EXAMPLE = workbook({
    "Elements": [["ID", "Label", "Type", "Description", "Tags", "Image", "Influence"],
                 ["e1", "Shame", "Emotion", "## Shame\n\n" + "Long *text*. " * 300, "core|inner",
                  "https://example.org/shame.png", "High"],
                 ["e2", "Shame", "Emotion", "A second one", "", "", ""],
                 ["e3", "Ministry of Finance", "Ministère", "", "state", "", "medium"],
                 ["e4", "Claire Dubois", "Person", "", "", "", ""]],
    "Connections": [["From", "To", "Type", "Label"], ["e1", "e3", "Investor", "seed"],
                    ["e4", "e4", "", "self"], ["e4", "e2", "advisor", ""]]})


def test_kumus_example_survives_kumu_orgkit_kumu_orgkit_whole(importer, store):
    _, member, map_id = importer
    _import(importer, ("example.xlsx", KUMU_EXAMPLE))
    exported = exports.kumu_workbook(store, member, map_id)
    facilitator = Actor(Role.FACILITATOR, member.workshop_id)
    copy = maps.create_map(store, facilitator, "Copy")["id"]
    preview = imports.preview_import(store, facilitator, copy, "k.xlsx", exported, "kumu")
    assert preview.ok, [str(p) for p in preview.problems]
    imports.apply_import(store, facilitator, copy, preview)

    def shape(map_id):
        shared = [f for f in map_model.ENTRY_FIELDS if f not in map_model.PRIVATE_FIELDS]
        rows = store.maps.entries(map_id)
        names = {e["id"]: e["name"] for e in rows}
        return (sorted((*(e[f] for f in shared), e["source_type"], e["extra"]) for e in rows),
                sorted((names[l["source_id"]], l["kind"], names[l["target_id"]])
                       for l in store.maps.links(map_id)))

    assert shape(copy) == shape(map_id)
    again = imports.preview_import(store, member, map_id, "k.xlsx", exported, "kumu")
    assert again.ok and not again.entries and not again.updates and again.unchanged == 4
