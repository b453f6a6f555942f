"""The coverage page per role (AppTest): shared views carry no contact details, notes or names
of individuals; a team sees its own map in full, and the facilitator can choose any map."""
import datetime as dt
import json

import pytest
from conftest import DEMO_CODE, DEMO_MAP_TOKEN, ROOT

DEMO = json.loads((ROOT / "data" / "demo_workshop.json").read_text())
ENTRIES = [e for m in DEMO["maps"] for e in m["entries"]]
CONTACTS = [e["contact"] for e in ENTRIES if e.get("contact")]
NOTES = [e["notes"] for e in ENTRIES if e.get("notes")]
PEOPLE = [e["name"] for e in ENTRIES if e["level"] != "organization"]


def page_text(at) -> str:
    """Every string the page sends: elements, labels, tables and chart specs."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts).replace("\\'", "'")


def assert_private_nothing(text: str, *, names: bool) -> None:
    assert not [c for c in CONTACTS if c in text]
    assert not [n for n in NOTES if n in text]
    if names:
        assert not [p for p in PEOPLE if p in text]


@pytest.mark.parametrize("role, params", [
    ("visitor", {"code": DEMO_CODE}),
    ("participant", {"code": DEMO_CODE, "p": "set-below"}),
])
def test_shared_view_shows_totals_and_organization_names_only(open_page, app_env, role, params):
    if role == "participant":
        from orgkit.demo import ensure_demo
        from orgkit.storage import open_store
        from orgkit.workshop import service as workshops
        store = open_store(app_env)
        ensure_demo(store)
        _, _, params["p"] = workshops.join(store, DEMO_CODE)
    at = open_page("pages/5_coverage.py", **params)
    assert not at.exception and not at.error
    text = page_text(at)
    assert "Northside Branch Library" in text  # organizations may be named
    assert "Every team" in text and "Entries on all maps" in text
    assert f"You are here as: {role}" in text
    for title in WORKSHOP_CHARTS:
        assert title in text, title
    assert set(download_choices(at, "ws_download")) == {
        f"{title} ({kind})" for title in WORKSHOP_CHARTS
        for kind in ("chart, HTML", "picture, PNG")}
    assert len(at.get("download_button")) == 1  # one menu, one button
    assert_private_nothing(text, names=True)
    assert not at.dataframe  # no gap list with names
    assert not [c for c in download_choices(at, "ws_download") if "People for" in c]


# Every chart of the workshop view, by its title (the spec of each plotly chart is in the page).
WORKSHOP_CHARTS = ("Every team's map by level", "Coverage by level", "Ladder of engagement",
                   "Relationship strength by level", "Gatekeepers",
                   "Who reaches each community", "Activity per week")


def download_choices(at, key) -> list[str]:
    """What the page's download menu offers, as the reader reads it."""
    menu = at.selectbox(key=f"{key}_choice")
    return list(menu.options)


def open_tab(at, key, label):
    """Switch a state-tracking st.tabs to `label`, as a click would, and rerun."""
    at.session_state[key] = label
    return at.run()


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_team_member_sees_own_map_gaps_and_downloads(open_page):
    at = open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN)
    assert not at.exception and not at.error
    labels = [t.label for t in at.tabs]
    assert labels[0].startswith("Our map: Northside") and "Whole workshop" in labels
    # another team's map stays closed
    assert not any("Riverbend Tenants Union" in t for t in labels)
    assert "Kind of gap" not in {s.label for s in at.selectbox}  # the gap list waits for its tab
    # The page opens on what to do: the top gaps, then the charts.
    headings = [h.value for h in at.subheader]
    assert headings.index("What to do first") < headings.index("Coverage at a glance")
    assert "**1. Refugee and immigrant families**" in markdown(at)  # the most urgent gap first
    choices = download_choices(at, "map_download")
    assert {"Coverage by level (chart, HTML)", "Network (picture, PNG)",
            "The gap list (CSV)", "The review report (HTML)",
            "People for NationBuilder (people import, CSV)"} <= set(choices)
    assert len(at.get("download_button")) == 1  # ten buttons became one menu
    # The one button names the file it gives, so a click before the rerun cannot mislead.
    at.selectbox(key="map_download_choice").set_value("coverage.png").run()
    assert [b.proto.label for b in at.get("download_button")] == [
        "Download coverage-by-level.png"]
    at.button(key="see_all_gaps").click().run()  # "See all 16 gaps" opens the Gaps tab
    assert "Kind of gap" in {s.label for s in at.selectbox}
    at = open_tab(at, "coverage_tab", "Gaps")
    text = markdown(at)
    assert "Ernesto Villalobos" in text  # his call-back is overdue in the demo
    assert "Tenants in subsidized housing" in text  # only through gatekeepers
    assert_private_nothing(page_text(at), names=False)
    for tab in ("Network", "Power grid", "Activity"):
        at = open_tab(at, "coverage_tab", tab)
        assert not at.exception and download_choices(at, "map_download") == choices, tab
        assert_private_nothing(page_text(at), names=False)
    at = open_tab(at, "coverage_scope", "Whole workshop")
    assert not at.exception and "Entries on all maps" in page_text(at)
    assert len(download_choices(at, "ws_download")) == 2 * len(WORKSHOP_CHARTS)


def gap_headings(at) -> list[str]:
    return [m.value.removeprefix("#### ") for m in at.markdown if m.value.startswith("#### ")]


def test_gaps_are_grouped_by_kind_with_counts_and_filter_by_kind_level_and_point_person(open_page):
    at = open_tab(open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN), "coverage_tab", "Gaps")
    headings = gap_headings(at)
    assert "Overdue next step (3)" in headings and "Stuck at contacted (2)" in headings
    assert "direct tie to our team" in " ".join(c.value for c in at.caption)
    assert {s.label for s in at.selectbox} >= {"Kind of gap", "Level", "Point person"}
    at.selectbox(key="gap_kind").select("overdue").run()
    assert gap_headings(at) == ["Overdue next step (3)"]
    assert "3 of 16 gaps" in markdown(at)
    at.selectbox(key="gap_owner").select("Luis").run()
    assert "1 of 16 gaps" in markdown(at) and "Ernesto Villalobos" in markdown(at)
    at.selectbox(key="gap_kind").select("All").run()
    at.selectbox(key="gap_owner").select("All").run()
    at.selectbox(key="gap_level").select("organization").run()
    cards = markdown(at)
    assert "Riverbend Housing Authority" in cards and "Ernesto Villalobos" not in cards


def test_a_gap_step_becomes_the_entry_next_step_in_one_click(open_page, app_env):
    from orgkit.coverage import service as coverage_service
    from orgkit.domain import Actor, Role
    from orgkit.storage import open_store

    at = open_tab(open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN), "coverage_tab", "Gaps")
    # The step's button is keyed by its gap's rank in the map's gap list (the order shown).
    store = open_store(app_env)
    team_map = store.maps.by_token(DEMO_MAP_TOKEN)
    view = coverage_service.load_map(store, Actor(Role.TEAM_MEMBER, team_map["workshop_id"],
                                                  map_id=team_map["id"]), team_map["id"])
    (vernon,) = [e["id"] for e in view["entries"] if e["name"] == "Vernon Oakes"]
    rank = next(r for r, g in enumerate(view["gaps"], 1) if g.people and g.people[0] == vernon)
    button = at.button(key=f"gap_step_{rank}")
    assert button.label == "Make this Vernon Oakes's next step"
    button.click().run()
    assert not at.exception and not at.error
    assert "Saved as Vernon Oakes's next step" in " ".join(s.value for s in at.success)
    (row,) = [e for e in store.db.query("SELECT * FROM entries WHERE name = 'Vernon Oakes'")]
    assert row["next_step"] == "Dana: ask Vernon Oakes for a one-on-one, and set the date."
    assert row["next_step_on"] == (dt.date.today() + dt.timedelta(days=7)).isoformat()
    assert row["point_person"] == "Dana"  # the owner stays the point person
    assert "Stuck at contacted (1)" in gap_headings(at)  # he is no longer stuck


def test_network_tab_names_cut_points_focuses_on_one_person_and_lists_metrics(open_page):
    at = open_tab(open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN), "coverage_tab", "Network")
    assert not at.exception
    headings = [h.value for h in at.subheader]
    assert "3 people or groups hold the network together" in headings
    cuts = at.table[0].value  # who holds it together: a table whose cells wrap
    assert "Commissioner Alicia Fontaine" in set(cuts["Who"])
    assert "Gregory Paley" in set(cuts["Decision-makers lost"])
    people = at.dataframe[0].value  # everyone
    assert list(people.columns) == ["Name", "Level", "Links", "On shortest paths",
                                    "Within two links", "Direct tie", "Cut point"]
    assert len(people) == 23
    assert people["On shortest paths"].max() > 1  # a percentage, not 0.087
    focus = at.selectbox(key="network_focus")
    paley = next(o for o in focus.options if o.startswith("Gregory Paley"))
    focus.select(paley).run()
    assert not at.exception
    assert "Around Gregory Paley" in page_text(at)
    assert "Commissioner Alicia Fontaine (a direct tie)" in markdown(at)
    assert "of shortest paths between others" in " ".join(c.value for c in at.caption)


def test_choosing_a_person_in_the_people_table_focuses_the_drawing(open_page):
    at = open_tab(open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN), "coverage_tab", "Network")
    people = at.dataframe[0].value
    row = list(people["Name"]).index("Gregory Paley")
    # What the browser sends when a row is chosen (st.dataframe, selection_mode="single-row").
    at.session_state["people_table"] = {"selection": {"rows": [row], "columns": [],
                                                      "cells": []}}
    at.run()
    assert not at.exception
    focus = at.selectbox(key="network_focus")
    assert focus.options[focus.index].startswith("Gregory Paley")
    assert "Around Gregory Paley" in page_text(at)
    at.selectbox(key="network_focus").select_index(0).run()  # the list still chooses freely
    assert "Around Gregory Paley" not in page_text(at)


def test_people_for_a_crm_carry_contact_details_only_when_confirmed(open_page):
    at = open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN)
    menu = at.selectbox(key="map_download_choice")
    menu.select("crm.nationbuilder").run()
    box = at.checkbox(key="map_download_contacts")
    assert box.value is False and "they leave OrgKit" in box.label
    assert not at.exception


def test_power_grid_tab_lists_everyone_placed_with_what_to_do(open_page):
    at = open_tab(open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN), "coverage_tab",
                  "Power grid")
    grid = at.dataframe[0].value
    assert set(grid["What to do"]) <= set(coverage_quadrants())
    row = grid[grid["Name"] == "Sen. Howard Lindqvist"].iloc[0]
    assert (row["What to do"], row["From us"]) == ("Opponents to watch", "Direct tie to our team")
    assert "One of ours" not in page_text(at)


def coverage_quadrants():
    from orgkit.coverage.model import QUADRANTS
    return QUADRANTS.values()


def test_facilitator_chooses_between_workshop_and_any_map(open_page):
    at = open_page("pages/5_coverage.py", code=DEMO_CODE, facilitator=True)
    assert not at.exception
    choice = at.selectbox(key="coverage_map")
    assert choice.value is None and "Kind of gap" not in {s.label for s in at.selectbox}
    tenants = next(o for o in choice.options if "Tenants Union" in o)
    choice.select(tenants)
    at = open_tab(at.run(), "coverage_tab", "Gaps")
    assert not at.exception and not at.error
    assert "Mayor Elaine Brooks" in markdown(at)
    assert_private_nothing(page_text(at), names=False)


def test_without_a_workshop_the_page_asks_for_one(open_page):
    at = open_page("pages/5_coverage.py")
    assert not at.exception
    assert "Open a workshop" in at.info[0].value
