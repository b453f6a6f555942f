"""Files in either language: a Kumu workbook is written in the exporter's language (its custom
headers and its Type, stage, strength and connection Type values), and the import maps either
language back to our stable keys, so a file written in Spanish imports into an English session
and back with nothing lost; a Spanish spreadsheet ("Nombre", "Nivel", "Etapa") imports without
changing the mapping."""
import io

from conftest import csv_file
from openpyxl import load_workbook

from orgkit.domain import Actor, Role
from orgkit.i18n import set_language_source
from orgkit.map import exports, imports
from orgkit.map import service as maps


def _fill(store, member, map_id):
    official = maps.create_entry(store, member, map_id, {
        "name": "Concejala Ruiz", "level": "decision_maker", "role": "Concejala",
        "constituencies": "Inquilinos; Familias", "stage": "one_on_one", "strength": "strong"})
    union = maps.create_entry(store, member, map_id, {"name": "Sindicato de inquilinos",
                                                      "level": "organization", "stage": "engaged"})
    leader = maps.create_entry(store, member, map_id, {"name": "Pastora Gómez",
                                                       "level": "leader", "stage": "committed"})
    maps.add_link(store, member, map_id, union, official, "funds")
    maps.add_link(store, member, map_id, leader, union, "member_of")


def _kept(store, map_id):
    entries = store.maps.entries(map_id)
    names = {e["id"]: e["name"] for e in entries}
    return (sorted((e["name"], e["level"], e["role"], e["constituencies"], e["stage"],
                    e["strength"]) for e in entries),
            sorted((names[l["source_id"]], l["kind"], names[l["target_id"]])
                   for l in store.maps.links(map_id)))


def test_a_spanish_kumu_workbook_imports_into_an_english_session_and_back(importer):
    store, member, map_id = importer
    _fill(store, member, map_id)
    spanish = exports.kumu_workbook(store, member, map_id, "es")
    book = load_workbook(io.BytesIO(spanish))
    rows = [[c.value for c in row] for row in book["Elements"].iter_rows()]
    assert rows[0][:5] == ["ID", "Label", "Type", "Description", "Tags"]  # Kumu's own names
    assert "Etapa" in rows[0] and "Fuerza de la relación" in rows[0]
    values = {v for row in rows[1:] for v in row}
    assert "Responsables de decisiones" in values and "Decision-makers" not in values
    kinds = [row[2].value for row in list(book["Connections"].iter_rows())[1:]]
    assert "funds" not in kinds and "Funds" not in kinds
    facilitator = Actor(Role.FACILITATOR, member.workshop_id)
    set_language_source(lambda: "en")  # an English session imports it
    try:
        copy = maps.create_map(store, facilitator, "Copia")["id"]
        preview = imports.preview_import(store, facilitator, copy, "kumu.xlsx", spanish, "kumu")
        assert preview.ok, [str(p) for p in preview.problems]
        imports.apply_import(store, facilitator, copy, preview)
        assert _kept(store, copy) == _kept(store, map_id)
        # ... and back: the copy written in English imports into a third map just the same.
        english = exports.kumu_workbook(store, facilitator, copy, "en")
        again = maps.create_map(store, facilitator, "Again")["id"]
        preview = imports.preview_import(store, facilitator, again, "kumu.xlsx", english, "kumu")
        assert preview.ok, [str(p) for p in preview.problems]
        imports.apply_import(store, facilitator, again, preview)
        assert _kept(store, again) == _kept(store, map_id)
    finally:
        set_language_source(None)


def test_a_spanish_spreadsheet_imports_with_the_guessed_mapping(importer):
    store, member, map_id = importer
    data = csv_file([["Nombre", "Nivel", "Etapa", "Fuerza de la relación", "Correo"],
                     ["María", "Personas directamente afectadas", "Contactada", "Débil",
                      "maria@example.org"],
                     ["Iglesia San Marcos", "Organización", "Identificada", "", ""],
                     ["Concejal Díaz", "Funcionario electo", "Comprometida", "Ninguna", ""]])
    preview = imports.preview_import(store, member, map_id, "mapa.csv", data, "entries")
    assert preview.ok, [str(p) for p in preview.problems]
    imports.apply_import(store, member, map_id, preview)
    got = {e["name"]: (e["level"], e["stage"], e["strength"], e["contact"])
           for e in store.maps.entries(map_id)}
    assert got["María"] == ("impacted", "contacted", "weak", "maria@example.org")
    assert got["Iglesia San Marcos"][0] == "organization"
    assert got["Concejal Díaz"][:2] == ("decision_maker", "committed")
