"""Files written the way peer tools write them (Kumu XLSX/CSV/JSON, Oligrapher, a news
investigation's relationship CSV) import through the mapping step, on real databases; re-imports
update; our own Kumu export comes back whole (a hypothesis round trip)."""
import json
import unicodedata

import pytest
from conftest import csv_file, entries_by_name, inspect_files, links_named, workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgkit.domain import LEVELS, LINK_KINDS, STAGES, STRENGTHS, Actor, Conflict, Role
from orgkit.map import model as map_model
from orgkit.map import service as maps
from orgkit.map import exports
from orgkit.map import formats
from orgkit.map import imports


def _import(importer, *files, mapping=None):
    store, member, map_id = importer
    inspection = inspect_files(importer, *files)
    preview = imports.preview_mapped(store, member, map_id, inspection,
                                    mapping or inspection.mapping)
    assert preview.ok, [str(p) for p in preview.problems]
    imports.apply_import(store, member, map_id, preview)
    return preview


KUMU_TUTORIAL = workbook({
    "Elements": [["Label", "Type", "Description", "Tags", "Website"],
                 ["Ana Ruiz", "Person", "Tenant organizer", "tenants|housing", "ana.example"],
                 ["Acme Holdings", "Company", "Owns 40 buildings\non the north side", "", ""],
                 ["Sen. Ortiz", "State Senator", "x" * 250, "", ""],
                 ["Texas", "State", "", "", ""],
                 ["Unknown thing", "", "", "", ""]],
    "Connections": [["From", "To", "Type", "direction"],
                    ["Ana Ruiz", "Acme Holdings|Sen. Ortiz", "", "directed"],
                    ["Acme Holdings", "Sen. Ortiz", "Donation", "directed"],
                    ["Acme Holdings", "Sen. Ortiz", "Donation", "directed"],
                    ["Sen. Ortiz", "Texas", "reports to", "undirected"]]})


def test_what_a_kumu_workbook_holds_is_shown_with_guessed_levels_and_kinds(importer):
    inspection = inspect_files(importer, ("tutorial.xlsx", KUMU_TUTORIAL))
    mapping = inspection.mapping
    assert (mapping.elements, mapping.connections) == ("Elements", "Connections")
    assert mapping.columns["Elements"] == {"Label": "name", "Type": "level",
                                           "Description": "description",
                                           "Tags": "constituencies", "Website": "extra"}
    assert mapping.columns["Connections"]["direction"] == "direction"
    assert inspection.types() == {"Person": 1, "Company": 1, "State Senator": 1, "State": 1,
                                  "": 1}
    assert mapping.levels == {"Person": "leader", "Company": "organization",
                              "State Senator": "decision_maker", "State": "organization",
                              "": "leader"}
    assert inspection.connection_types() == {"": 1, "Donation": 2, "reports to": 1}
    assert mapping.kinds == {"": "knows", "Donation": "funds", "reports to": "answers_to"}


def test_a_kumu_workbook_imports_as_it_comes(importer):
    store, _, map_id = importer
    preview = _import(importer, ("tutorial.xlsx", KUMU_TUTORIAL))
    assert preview.links_merged == 1
    entries = entries_by_name(store, map_id)
    assert entries["Acme Holdings"]["level"] == "organization"
    # Kumu's Description arrives whole in the description, long or short (issue 21).
    assert entries["Acme Holdings"]["description"] == "Owns 40 buildings\non the north side"
    assert entries["Sen. Ortiz"]["description"] == "x" * 250
    assert entries["Ana Ruiz"]["description"] == "Tenant organizer"
    assert entries["Ana Ruiz"]["source_type"] == "Person"
    assert entries["Ana Ruiz"]["constituencies"] == "tenants; housing"
    assert formats.extra_fields(entries["Ana Ruiz"]) == {"Website": "ana.example"}
    assert links_named(store, map_id) == [
        ("Acme Holdings", "funds", "Sen. Ortiz"), ("Ana Ruiz", "knows", "Acme Holdings"),
        ("Ana Ruiz", "knows", "Sen. Ortiz"), ("Sen. Ortiz", "answers_to", "Texas")]


def test_a_kumu_csv_pair_with_lowercase_headers_and_ids(importer):
    store, _, map_id = importer
    elements = csv_file([["id", "label", "type"], ["e1", "Maria", "Resident"],
                     ["e2", "Tenant Union", "organization"]])
    connections = csv_file([["from", "to", "type"], ["e1", "e2", "member"]])
    _import(importer, ("elements.csv", elements), ("connections.csv", connections))
    entries = entries_by_name(store, map_id)
    assert (entries["Maria"]["level"], entries["Maria"]["external_id"]) == ("impacted", "e1")
    assert links_named(store, map_id) == [("Maria", "member_of", "Tenant Union")]


def test_direction_controls_in_a_kumu_csv_are_removed_with_a_note_not_refused(importer):
    store, _, map_id = importer
    # "Ana \u202eexe.lagel" would read "Ana legal.exe"; a stray mark in a Type, a tag, an id.
    elements = csv_file([["id", "label", "type", "tags"],
                     ["e1", "Ana \u202eexe.lagel", "Resident\u2066", "north"],
                     ["e2\u202d", "Tenant Union", "organization", "\u202atenants\u202c"],
                     ["e3", "نور", "Resident", ""]])
    connections = csv_file([["from", "to", "type"], ["e1", "e2\u2069", "member"]])
    preview = _import(importer, ("elements.csv", elements), ("connections.csv", connections))
    assert ("Direction controls (U+202A-U+202E, U+2066-U+2069) were removed from 5 cells: they "
            "can make a name read as other text on screens.") in map(str, preview.notes)
    entries = entries_by_name(store, map_id)
    assert set(entries) == {"Ana exe.lagel", "Tenant Union", "نور"}  # right-to-left kept
    assert entries["Ana exe.lagel"]["level"] == "impacted"
    assert links_named(store, map_id) == [("Ana exe.lagel", "member_of", "Tenant Union")]


KUMU_JSON = json.dumps({
    "elements": [
        {"_id": "elem-a", "attributes": {"label": "Rev. Mayes", "element type": "Pastor",
                                         "tags": ["faith", "north"], "description": "Leads"}},
        {"_id": "elem-b", "attributes": {"label": "City Council", "element type": "Government",
                                         "district": 4}},
        {"_id": "elem-c", "attributes": {"label": "Council member Diaz",
                                         "element type": "Politician"}}],
    "connections": [
        {"_id": "conn-1", "from": "elem-a", "to": "elem-c", "direction": "mutual",
         "attributes": {"connection type": "advisor"}},
        {"_id": "conn-2", "from": "elem-c", "to": "elem-b", "attributes": {}}],
}).encode()


def test_a_kumu_project_json_resolves_connections_by_element_id(importer):
    store, _, map_id = importer
    _import(importer, ("project.json", KUMU_JSON))
    entries = entries_by_name(store, map_id)
    assert {n: e["level"] for n, e in entries.items()} == {
        "Rev. Mayes": "leader", "City Council": "organization",
        "Council member Diaz": "decision_maker"}
    assert entries["Rev. Mayes"]["constituencies"] == "faith; north"
    assert formats.extra_fields(entries["City Council"]) == {"district": "4"}
    assert links_named(store, map_id) == [("Council member Diaz", "knows", "City Council"),
                                     ("Rev. Mayes", "inner_circle", "Council member Diaz")]


OLIGRAPHER = json.dumps({"title": "Who funds the mayor", "graph": {
    "nodes": {"11": {"id": 11, "display": {"name": "Mayor Lee", "image": None}},
              "12": {"id": 12, "display": {"name": "Builders PAC"}}},
    "edges": {"5": {"id": 5, "node1_id": 12, "node2_id": 11,
                    "display": {"label": "Donation/Grant", "arrow": "1->2"}}},
    "captions": {}}}).encode()


def test_an_oligrapher_map_imports_nodes_and_edges(importer):
    store, _, map_id = importer
    inspection = inspect_files(importer, ("map.json", OLIGRAPHER))
    assert (inspection.mapping.elements, inspection.mapping.connections) == ("nodes", "edges")
    mapping = inspection.mapping
    mapping.levels[""] = "organization"  # the person maps the blank Type
    mapping.columns["nodes"]["image"] = "ignore"
    _import(importer, ("map.json", OLIGRAPHER), mapping=mapping)
    assert {n: e["level"] for n, e in entries_by_name(store, map_id).items()} == {
        "Mayor Lee": "organization", "Builders PAC": "organization"}
    assert links_named(store, map_id) == [("Builders PAC", "funds", "Mayor Lee")]


INVESTIGATION = csv_file([["source", "source type", "target", "target type", "relationship"],
                      ["Ana  Ruiz", "person", "Acme Holdings", "company", "employee"],
                      ["Acme Holdings", "company", "Mayor Lee", "politician", "donor"],
                      ["Acme Holdings", "company", "Mayor Lee", "politician", "donor"],
                      [unicodedata.normalize("NFD", "José Peña"), "person", "Acme Holdings",
                       "company", "knows"]])


def test_a_relationship_csv_creates_entities_from_its_rows(importer):
    store, member, map_id = importer
    maps.create_entry(store, member, map_id, {"name": "Ana Ruiz", "level": "impacted"})
    maps.create_entry(store, member, map_id, {"name": "José Peña", "level": "impacted"})
    inspection = inspect_files(importer, ("investigation.csv", INVESTIGATION))
    assert inspection.mapping.elements is None
    assert inspection.types() == {"person": 2, "company": 4, "politician": 2}
    preview = _import(importer, ("investigation.csv", INVESTIGATION))
    # Two spaces and a decomposed accent still find the entries stored as "Ana Ruiz" / "José Peña".
    assert sorted(entries_by_name(store, map_id)) == ["Acme Holdings", "Ana Ruiz", "José Peña",
                                               "Mayor Lee"]
    assert preview.links_merged == 1 and "1 repeated connections were merged" in " ".join(
        map(str, preview.notes))
    assert links_named(store, map_id) == [("Acme Holdings", "funds", "Mayor Lee"),
                                     ("Ana Ruiz", "answers_to", "Acme Holdings"),
                                     ("José Peña", "knows", "Acme Holdings")]


def test_a_name_at_two_levels_is_reported_once_and_resolved_in_the_mapping(importer):
    store, member, map_id = importer
    data = csv_file([["source", "source type", "target", "target type", "relationship"],
                 ["Acme", "company", "Lee", "person", ""],
                 ["Lee", "politician", "Bo", "person", ""],
                 ["Bo", "person", "Lee", "politician", ""]])
    inspection = inspect_files(importer, ("x.csv", data))
    preview = imports.preview_mapped(store, member, map_id, inspection, inspection.mapping)
    assert [str(p) for p in preview.problems] == [
        "x.csv, row 2 · target: 'Lee' is named at two levels: Community leaders and connectors "
        "(rows 2); Decision-makers (rows 3, 4). Choose its level in the mapping."]
    assert preview.two_levels == {"lee": ["leader", "decision_maker"]}
    inspection.mapping.name_levels["lee"] = "decision_maker"
    _import(importer, ("x.csv", data), mapping=inspection.mapping)
    assert entries_by_name(store, map_id)["Lee"]["level"] == "decision_maker"


def test_reimport_updates_adds_and_counts_unchanged_all_or_nothing(importer):
    store, member, map_id = importer
    first = workbook({"Elements": [["Label", "Type", "Stage", "Notes column"],
                                ["Ana", "Person", "Contacted", "a"], ["Bo", "Person", "", ""]]})
    _import(importer, ("people.xlsx", first))
    again = workbook({"Elements": [["Label", "Type", "Stage", "Notes column"],
                                ["Ana", "Person", "Engaged", "b"], ["Bo", "Person", "", ""],
                                ["Cy", "Company", "", ""]]})
    inspection = inspect_files(importer, ("people.xlsx", again))
    assert inspection.remembered
    preview = imports.preview_mapped(store, member, map_id, inspection, inspection.mapping)
    assert [(u.name, u.changed) for u in preview.updates] == [("Ana", ["Stage", "extra fields"])]
    assert preview.unchanged == 1 and [e["name"] for e in preview.entries] == ["Cy"]
    assert str(preview.summary()) == "1 entry, 0 links, 0 actions; 1 entry updated, 1 unchanged"
    ana = entries_by_name(store, map_id)["Ana"]
    maps.update_entry(store, member, map_id, ana["id"], ana["version"], {"role": "moved"})
    with pytest.raises(Conflict):  # tied to the map's revision: nothing is half applied
        imports.apply_import(store, member, map_id, preview)
    assert sorted(entries_by_name(store, map_id)) == ["Ana", "Bo"]
    _import(importer, ("people.xlsx", again))
    ana = entries_by_name(store, map_id)["Ana"]
    assert (ana["stage"], formats.extra_fields(ana), ana["role"]) == (
        "engaged", {"Notes column": "b"}, "moved")


def test_the_mapping_is_remembered_per_map_for_the_same_shape(importer):
    store, member, map_id = importer
    data = csv_file([["label", "type"], ["Ana", "Persona"]])
    inspection = inspect_files(importer, ("a.csv", data))
    assert inspection.mapping.levels == {"Persona": "leader"} and not inspection.remembered
    inspection.mapping.levels["Persona"] = "impacted"
    _import(importer, ("a.csv", data), mapping=inspection.mapping)
    later = inspect_files(importer, ("b.csv", csv_file([["Label", "Type"], ["Bo", "Persona"],
                                           ["Cy", "Empresa"]])))
    # A Type no word names is an organization by default (issue 21: not a community leader).
    assert later.remembered and later.mapping.levels == {"Persona": "impacted",
                                                         "Empresa": "organization"}


def test_problems_name_the_sheet_row_and_the_files_own_column_sorted_by_row(importer):
    store, member, map_id = importer
    data = workbook({"Elements": [["Label", "Type", "Estado"], ["Ana", "Person", "married"],
                               ["", "Person", ""], ["Bo", "Person", "Engaged"]]})
    inspection = inspect_files(importer, ("x.xlsx", data))
    inspection.mapping.columns["Elements"]["Estado"] = "stage"
    preview = imports.preview_mapped(store, member, map_id, inspection, inspection.mapping)
    assert [str(p) for p in preview.problems] == [
        "Elements, row 2 · Estado: 'married' is not one of: Identified, Contacted, "
        "One-on-one held, Engaged, Committed.",
        "Elements, row 3 · Label: is required."]


def test_unknown_columns_are_all_listed_in_the_note(importer):
    header = ["Label", "Type"] + [f"col {i}" for i in range(15)]
    rows = [header, ["Ana", "Person"] + ["v"] * 15]
    inspection = inspect_files(importer, ("x.csv", csv_file(rows)))
    store, member, map_id = importer
    preview = imports.preview_mapped(store, member, map_id, inspection, inspection.mapping)
    assert all(f"col {i}" in str(preview.notes[0]) for i in range(15))


def test_a_map_without_links_exports_a_kumu_workbook_that_imports_back(importer, store):
    _, member, map_id = importer
    maps.create_entry(store, member, map_id, {"name": "Ana", "level": "impacted"})
    data = exports.kumu_workbook(store, member, map_id)
    facilitator = Actor(Role.FACILITATOR, member.workshop_id)
    copy = maps.create_map(store, facilitator, "Copy")["id"]
    preview = imports.preview_import(store, facilitator, copy, "kumu.xlsx", data, "kumu")
    assert preview.ok and [e["name"] for e in preview.entries] == ["Ana"]


# -- the round trip OrgKit -> Kumu workbook -> OrgKit ---------------------------------------

_text = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
                max_size=30).map(lambda t: " ".join(t.split()))
_entry = st.fixed_dictionaries({
    "name": _text.filter(bool), "level": st.sampled_from(list(LEVELS)), "role": _text,
    "constituencies": st.lists(_text.filter(lambda t: t and not set(t) & set(";,|")),
                               max_size=3),
    "how_help": st.text(st.sampled_from("ab =+\n-é"), max_size=20),
    "is_gatekeeper": st.booleans(), "gatekeeper_why": _text, "point_person": _text,
    "next_step": _text, "next_step_on": st.one_of(st.none(), st.dates().map(str)),
    "strength": st.sampled_from(list(STRENGTHS)), "stage": st.sampled_from(list(STAGES)),
    "office": _text, "stance": st.one_of(st.none(), st.integers(-2, 2)),
    "influence": st.one_of(st.none(), st.integers(1, 5)), "willing_to_speak": st.booleans(),
    "trained": st.booleans(), "agenda": _text,
    "description": st.text(st.sampled_from("ab =*#\n-é"), max_size=3000)})


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(entries=st.lists(_entry, min_size=1, max_size=6), links=st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from(list(LINK_KINDS))),
    max_size=6))
def test_a_generated_map_survives_orgkit_kumu_orgkit_unchanged(importer, entries, links):
    store, member, _ = importer
    facilitator = Actor(Role.FACILITATOR, member.workshop_id)
    source = maps.create_map(store, facilitator, "Source")["id"]
    ids, seen = [], set()
    for raw in entries:
        if raw["level"] != "decision_maker":  # only decision-makers carry these
            raw = {**raw, "office": "", "agenda": "", "stance": None, "influence": None}
        fields = map_model.clean_entry({**raw, "constituencies": "; ".join(raw["constituencies"])})
        if (formats.normal_name(fields["name"]), fields["level"]) not in seen:
            seen.add((formats.normal_name(fields["name"]), fields["level"]))
            ids.append(store.maps.insert_entry(source, fields))
    kept = {(ids[s % len(ids)], ids[t % len(ids)], k) for s, t, k in links if
            ids[s % len(ids)] != ids[t % len(ids)]}
    store.maps.insert_links(source, sorted(kept))
    copy = maps.create_map(store, facilitator, "Copy")["id"]
    preview = imports.preview_import(store, facilitator, copy, "k.xlsx",
                                    exports.kumu_workbook(store, facilitator, source), "kumu")
    assert preview.ok, [str(p) for p in preview.problems]
    imports.apply_import(store, facilitator, copy, preview)

    def shape(map_id):
        rows = store.maps.entries(map_id)
        names = {e["id"]: (e["name"], e["level"]) for e in rows}
        shared = [f for f in map_model.ENTRY_FIELDS if f not in map_model.PRIVATE_FIELDS]
        return (sorted(tuple(e[f] for f in shared) for e in rows),
                sorted((names[l["source_id"]], l["kind"], names[l["target_id"]])
                       for l in store.maps.links(map_id)))

    assert shape(copy) == shape(source)
