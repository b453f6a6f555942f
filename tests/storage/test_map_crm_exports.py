"""A map's people for Action Network, NationBuilder and EveryAction: each file's columns against
the tool's documented list (tests/fixtures/crm/), names split as the tools expect, level, stage
and constituencies as tags, the point person and next step carried, and contact details only
when the exporter confirmed them, for the roles that may see them."""
import csv
import io
from pathlib import Path

import pytest

from orgkit.domain import Actor, PermissionDenied, Role
from orgkit.map import crm
from orgkit.map import service as maps

FIXTURES = Path(__file__).parents[1] / "fixtures" / "crm"


def documented(name: str) -> list[str]:
    """A fixture's documented headers: its lines that are not comments; for a "field | header"
    list, the header OrgKit writes for that documented field."""
    lines = [line.strip() for line in (FIXTURES / name).read_text().splitlines()]
    return [line.split("|")[-1].strip() for line in lines if line and not line.startswith("#")]


def test_every_fixture_names_its_source_and_the_day_it_was_read():
    for fixture in FIXTURES.glob("*.txt"):
        head = fixture.read_text()
        assert "2026-12-07" in head, fixture.name
        assert "http" in head or "NO documented column list" in head, fixture.name


@pytest.fixture
def team_map(importer):
    store, member, map_id = importer
    for raw in ({"name": "Rep. Denise Whitfield", "level": "decision_maker", "stance": -1,
                 "influence": 5, "contact": "office: denise@example.org, 555-010-2233",
                 "notes": "secret note", "point_person": "Dana", "stage": "contacted",
                 "next_step": "Ask for a meeting", "next_step_on": "2026-12-14"},
                {"name": "Ana María de la Cruz", "level": "impacted",
                 "constituencies": "Spanish-speaking tenants; Riverbend, east side",
                 "contact": "ask at the front desk", "stage": "engaged"},
                {"name": "Riverbend Care Workers Association", "level": "organization",
                 "stage": "identified"}):
        maps.create_entry(store, member, map_id, raw)
    return store, member, map_id


def rows(store, actor, map_id, tool, **kw) -> list[dict]:
    data = crm.crm_csv(store, actor, map_id, tool, with_contacts=kw.get("contacts", False),
                       language=kw.get("language", "en"))
    assert not data.startswith(b"\xef\xbb\xbf")  # no byte-order mark before the first header
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


@pytest.mark.parametrize("tool, fixture", [("action_network", "action_network.txt"),
                                           ("nationbuilder", "nationbuilder.txt"),
                                           ("everyaction", "everyaction.txt")])
def test_each_file_uses_only_the_tools_documented_columns(team_map, tool, fixture):
    store, member, map_id = team_map
    header = next(csv.reader(io.StringIO(crm.crm_csv(
        store, member, map_id, tool, with_contacts=True, language="en").decode())))
    assert header and set(header) <= set(documented(fixture)), set(header) - set(
        documented(fixture))


def test_names_are_split_as_the_tools_expect():
    assert crm.split_name("Rep. Denise Whitfield") == ("Rep.", "Denise", "Whitfield")
    assert crm.split_name("Ana María de la Cruz") == ("", "Ana María", "de la Cruz")
    assert crm.split_name("Commissioner Alicia Fontaine") == ("Commissioner", "Alicia",
                                                              "Fontaine")
    assert crm.split_name("Cher") == ("", "", "Cher")


def test_nationbuilder_rows_carry_tags_support_level_and_the_next_step(team_map):
    store, member, map_id = team_map
    by_last = {r["last_name"]: r for r in rows(store, member, map_id, "nationbuilder")}
    rep = by_last["Whitfield"]
    assert (rep["prefix"], rep["first_name"]) == ("Rep.", "Denise")
    assert rep["support_level"] == "4"  # leans against: 4 of 1 (very supportive) .. 5
    assert rep["tag_list"] == "Decision-makers, Contacted"
    assert "Point person: Dana." in rep["note"]
    assert "Next step: Ask for a meeting (due 2026-12-14)." in rep["note"]
    ana = by_last["de la Cruz"]
    assert ana["tag_list"] == "Impacted, Engaged, Spanish-speaking tenants, Riverbend, east side"
    group = by_last["Riverbend Care Workers Association"]  # a group's name is kept whole
    assert group["first_name"] == "" and group["support_level"] == ""


def test_action_network_and_everyaction_carry_point_person_and_next_step_columns(team_map):
    store, member, map_id = team_map
    (rep,) = [r for r in rows(store, member, map_id, "action_network")
              if r["last_name"] == "Whitfield"]
    assert (rep["first_name"], rep["level"], rep["stage"]) == ("Denise", "Decision-makers",
                                                                "Contacted")
    assert (rep["point_person"], rep["next_step"], rep["next_step_date"]) == (
        "Dana", "Ask for a meeting", "2026-12-14")
    (ana,) = [r for r in rows(store, member, map_id, "everyaction")
              if r["Last Name"] == "de la Cruz"]
    assert ana["Tags"] == "Impacted; Engaged; Spanish-speaking tenants; Riverbend; east side"


def test_contact_details_leave_only_when_confirmed_and_notes_never(team_map):
    store, member, map_id = team_map
    plain = crm.crm_csv(store, member, map_id, "nationbuilder", with_contacts=False,
                        language="en").decode()
    assert "denise@example.org" not in plain and "555-010-2233" not in plain
    confirmed = rows(store, member, map_id, "nationbuilder", contacts=True)
    rep = next(r for r in confirmed if r["last_name"] == "Whitfield")
    assert (rep["email"], rep["phone_number"]) == ("denise@example.org", "555-010-2233")
    everything = crm.crm_csv(store, member, map_id, "action_network", with_contacts=True,
                             language="en").decode()
    assert "front desk" not in everything  # only an address and a number leave, no free text
    assert "secret note" not in everything


def test_only_the_maps_team_and_facilitator_may_export(team_map):
    store, member, map_id = team_map
    for role in (Role.VISITOR, Role.PARTICIPANT):
        with pytest.raises(PermissionDenied):
            crm.crm_csv(store, Actor(role, member.workshop_id), map_id, "everyaction",
                        with_contacts=True, language="en")
    facilitator = Actor(Role.FACILITATOR, member.workshop_id)
    assert "denise@example.org" in crm.crm_csv(store, facilitator, map_id, "everyaction",
                                               with_contacts=True, language="en").decode()


def test_values_are_written_in_the_exporters_language_and_cells_neutralised(team_map):
    store, member, map_id = team_map
    maps.create_entry(store, member, map_id, {"name": "=HYPERLINK(1)", "level": "leader"})
    spanish = rows(store, member, map_id, "action_network", language="es")
    rep = next(r for r in spanish if r["last_name"] == "Whitfield")
    assert rep["stage"] == "Contactada" and rep["level"] != "Decision-makers"
    assert any(r["last_name"].startswith("'=") for r in spanish)
