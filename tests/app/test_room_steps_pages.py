"""The power, engage and report-back steps for every role (AppTest, the demo's three team maps):
the projector and a participant's phone show counts, offices, levels and communities and never
a person's name, a contact or an action's title; a team member's phone adds the team's own
decision-makers and actions; the facilitator sees the counts with who is missing."""
import json

import pytest
from conftest import DEMO_CODE, DEMO_MAP_TOKEN, ROOT, page_protos
from streamlit.testing.v1 import AppTest

from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.map import service as maps
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

SCRIPT = str(ROOT / "tests" / "app" / "room_step_script.py")
DEMO = json.loads((ROOT / "data" / "demo_workshop.json").read_text())
ENTRIES = [e for m in DEMO["maps"] for e in m["entries"]]
PEOPLE = [e["name"] for e in ENTRIES if e["level"] != "organization"]
PRIVATE = [e[f] for e in ENTRIES for f in ("contact", "notes") if e.get(f)]
TITLES = [a["title"] for m in DEMO["maps"] for a in m.get("actions", []) if a.get("title")]
KINDS = ["power", "engage", "report_back"]



@pytest.fixture
def step_page(app_env):
    store = open_store(app_env)
    ensure_demo(store)

    def run(kind: str, view: str, role: str):
        at = AppTest.from_file(SCRIPT, default_timeout=60)
        params = {"kind": kind, "view": view, "code": DEMO_CODE}
        if role == "facilitator":
            at.session_state["orgkit_unlocked"] = {store.workshops.by_code(DEMO_CODE)["id"]}
        elif role == "participant":
            params["p"] = workshops.join(store, DEMO_CODE)[2]
        elif role == "table_member":  # a phone that joined its table by the handout's code
            _w, actor, params["p"] = workshops.join(store, DEMO_CODE)
            facilitator = Actor(Role.FACILITATOR, actor.workshop_id)
            handout = maps.handout(store, facilitator, store.maps.by_token(DEMO_MAP_TOKEN)["id"])
            maps.join_by_handout(store, actor, handout["short_code"])
        elif role == "team_member":
            params = {"kind": kind, "view": view, "map": DEMO_MAP_TOKEN}
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        assert not at.error
        return page_protos(at)

    yield run
    store.close()


def assert_nobody_named(text: str) -> None:
    assert not [p for p in PEOPLE if p in text]
    assert not [p for p in PRIVATE if p in text]
    assert not [t for t in TITLES if t in text]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("view, role", [
    ("projector", "visitor"), ("projector", "facilitator"),  # the facilitator's laptop projects
    ("projector", "team_member"), ("phone", "participant"), ("phone", "visitor")])
def test_shared_step_screens_name_nobody(step_page, kind, view, role):
    text = step_page(kind, view, role)
    assert_nobody_named(text)
    assert "ok-room" in text


def test_power_projector_counts_offices_and_our_ties(step_page):
    text = step_page("power", "projector", "visitor")
    for words in ("Office", "Decision-makers", "Strong", "Through one of ours", "Nobody near",
                  "Links from our people", "Mayor", "Sheriff", "All offices"):
        assert words in text, words


def test_engage_projector_counts_actions_per_kind_with_next_dates(step_page):
    text = step_page("engage", "projector", "visitor")
    for words in ("One-on-one", "Voter-registration drive", "Planned", "Next date", "Done"):
        assert words in text, words


def test_report_back_projector_shows_levels_and_gaps_by_level_or_community(step_page):
    text = step_page("report_back", "projector", "visitor")
    for words in ("Coverage", "Top gaps", "Impacted", "Decision-maker out of reach",
                  "Mobile home residents"):
        assert words in text, words


@pytest.mark.parametrize("role", ["team_member", "table_member"])
def test_team_phone_shows_its_own_decision_makers_and_actions(step_page, role):
    team = DEMO["maps"][0]
    power = step_page("power", "phone", role)
    officials = [e["name"] for e in team["entries"] if e["level"] == "decision_maker"]
    assert all(name in power for name in officials)
    assert "Your team" in power and "The room" in power
    others = [e["name"] for m in DEMO["maps"][1:] for e in m["entries"]
              if e["level"] == "decision_maker"]
    assert not [name for name in others if name in power]
    engage = step_page("engage", "phone", role)
    planned = [a["title"] for a in team["actions"] if a.get("status", "planned") == "planned"]
    assert planned and all(title in engage for title in planned)


@pytest.mark.parametrize("kind, hint", [
    ("power", "Nobody of ours is near anyone at Mayor"),
    ("engage", "Who is missing"),
    ("report_back", "Who is missing"),
])
def test_facilitator_sees_counts_and_who_is_missing(step_page, kind, hint):
    text = step_page(kind, "facilitator", "facilitator")
    assert hint in text
    assert "ok-room" in text


@pytest.mark.parametrize("kind", ["power", "engage"])
def test_the_facilitator_can_print_the_forum_question_bank(step_page, kind):
    assert "Print the forum-question bank (HTML)" in step_page(kind, "facilitator", "facilitator")
