"""The coverage page's form for the communities a team wants to reach (AppTest): the team and
the facilitator edit it, a saved community nobody reaches becomes a heatmap row and a gap, bad
input is refused with the field and the limit, and shared views have no form."""
import pytest
from conftest import DEMO_CODE, DEMO_MAP_TOKEN

from orgkit.coverage import model as coverage
from orgkit.storage import open_store


def wanted_box(at):
    return next(t for t in at.text_area if t.key.startswith("wanted_"))


def save(at, text):
    wanted_box(at).set_value(text)
    return next(b for b in at.button if b.label == "Save communities").click().run()


def stored(url, token=DEMO_MAP_TOKEN) -> list[str]:
    store = open_store(url)
    try:
        return coverage.wanted_of(store.maps.by_token(token))
    finally:
        store.close()


def test_team_saves_wanted_communities_and_an_unreached_one_becomes_a_gap(open_page, app_env):
    at = open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN)
    assert wanted_box(at).value.splitlines() == stored(app_env)  # the demo's list, one a line
    at = save(at, "Veterans\nSeniors on fixed income\nveterans")
    assert not at.exception and not at.error
    assert at.success[0].value == "Saved 2 communities."
    assert stored(app_env) == ["Veterans", "Seniors on fixed income"]
    assert wanted_box(at).value == "Veterans\nSeniors on fixed income"
    at.session_state["coverage_tab"] = "Gaps"
    at.run().selectbox(key="gap_kind").select("constituency_missing").run()
    cards = [m.value for m in at.markdown if m.value.startswith("**")]
    assert [c.split("**")[1] for c in cards][1:] == ["1. Veterans"]  # the count line, one gap


@pytest.mark.parametrize("text, says", [
    ("\n".join(f"Group {i}" for i in range(31)), "has 31 communities; the limit is 30"),
    ("z" * 61, "is 61 characters; the limit is 60"),
])
def test_a_bad_list_is_refused_with_the_field_and_the_limit(open_page, app_env, text, says):
    at = open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN)
    before = stored(app_env)
    at = save(at, text)
    assert not at.exception
    assert at.error[0].value == f"Communities we want to reach: {says}."
    assert stored(app_env) == before and not at.success


def test_facilitator_edits_the_chosen_map(open_page, app_env):
    at = open_page("pages/5_coverage.py", code=DEMO_CODE, facilitator=True)
    assert not at.text_area  # the workshop view comes first and has no form
    choice = at.selectbox(key="coverage_map")
    choice.select(next(o for o in choice.options if "Tenants Union" in o))
    at = save(at.run(), "Mobile home residents")
    assert not at.exception and not at.error
    assert stored(app_env, "demo-tenants-union") == ["Mobile home residents"]
    assert stored(app_env) != ["Mobile home residents"]  # the team map of Northside is untouched


def test_shared_view_lists_wanted_communities_but_has_no_form(open_page):
    at = open_page("pages/5_coverage.py", code=DEMO_CODE)
    assert not at.exception and not at.text_area
    heatmap = next(c for c in at.get("plotly_chart")
                   if "Who reaches each community" in c.proto.spec)
    assert "Refugee and immigrant families" in heatmap.proto.spec  # wanted, nobody reaches it
