"""The coverage page per role (AppTest): shared views carry no contact details, notes or names
of individuals; a team sees its own map in full, and the facilitator can choose any map."""
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
        from orgkit import workshops
        from orgkit.demo import ensure_demo
        from orgkit.storage import open_store
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
    assert chart_downloads(at) == ["Download chart (HTML)", "PNG"] * len(WORKSHOP_CHARTS)
    assert_private_nothing(text, names=True)
    assert not at.dataframe  # no gap list with names


# Every chart of the workshop view, by its title (the spec of each plotly chart is in the page).
WORKSHOP_CHARTS = ("Every team's map by level", "Coverage by level", "Ladder of engagement",
                   "Relationship strength by level", "Gatekeepers",
                   "Who reaches each community", "Activity per week")


def chart_downloads(at) -> list[str]:
    """The labels of the per-chart download buttons on the page."""
    return [e.label for e in at.get("download_button") if e.label in ("Download chart (HTML)", "PNG")]


def open_tab(at, key, label):
    """Switch a state-tracking st.tabs to `label`, as a click would, and rerun."""
    at.session_state[key] = label
    return at.run()


def test_team_member_sees_own_map_gaps_and_downloads(open_page):
    at = open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN)
    assert not at.exception and not at.error
    labels = [t.label for t in at.tabs]
    assert labels[0].startswith("Our map: Northside") and "Whole workshop" in labels
    assert not any("Riverbend Tenants Union" in t for t in labels)  # another team's map stays closed
    assert not at.dataframe  # only the open tab runs: the gap list waits for its tab
    downloads = {e.label for e in at.get("download_button")}
    assert chart_downloads(at) == ["Download chart (HTML)", "PNG"] * 5  # the Coverage tab's charts
    at = open_tab(at, "coverage_tab", "Gaps")
    gaps = at.dataframe[0].value
    assert "Ernesto Villalobos" in set(gaps["About"])  # his call-back is overdue in the demo
    assert "Tenants in subsidized housing" in set(gaps["About"])  # only through gatekeepers
    assert_private_nothing(page_text(at), names=False)
    downloads |= {e.label for e in at.get("download_button")}
    assert {"Download the gap list (CSV)", "Download the review report (HTML)"} <= downloads
    for tab in ("Network", "Power grid", "Activity"):
        at = open_tab(at, "coverage_tab", tab)
        assert not at.exception and len(chart_downloads(at)) == 2, tab
        assert_private_nothing(page_text(at), names=False)
    at = open_tab(at, "coverage_scope", "Whole workshop")
    assert not at.exception and "Entries on all maps" in page_text(at)
    assert len(chart_downloads(at)) == 2 * len(WORKSHOP_CHARTS)  # HTML and PNG each


def test_facilitator_chooses_between_workshop_and_any_map(open_page):
    at = open_page("pages/5_coverage.py", code=DEMO_CODE, facilitator=True)
    assert not at.exception
    choice = at.selectbox[0]
    assert choice.value is None and not at.dataframe  # the safe view comes first
    tenants = next(o for o in choice.options if "Tenants Union" in o)
    choice.select(tenants)
    at = open_tab(at.run(), "coverage_tab", "Gaps")
    assert not at.exception and not at.error
    assert "Mayor Elaine Brooks" in set(at.dataframe[0].value["About"])
    assert_private_nothing(page_text(at), names=False)


def test_without_a_workshop_the_page_asks_for_one(open_page):
    at = open_page("pages/5_coverage.py")
    assert not at.exception
    assert "Open a workshop" in at.info[0].value
