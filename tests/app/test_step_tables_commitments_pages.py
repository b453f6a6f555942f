"""The tables, commitments and close steps for every role, drawn as the agenda will draw them
(tests/app/step_page.py calls each module's projector / phone / facilitator with a Step) on a
fresh SQLite file holding the demo workshop."""
from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from conftest import DEMO_CODE, ROOT

from orgkit.board.wall import ANY_WALL, wall_named
from orgkit.commitments import service as commitments
from orgkit.demo import ensure_demo
from orgkit.domain import LEVELS, Actor, Role
from orgkit.i18n import languages_of, render
from orgkit.map import service as maps
from orgkit.map import worksheet
from orgkit.storage import open_store
from orgkit.ui import step_tables
from orgkit.workshop import service as workshops

SCRIPT = str(ROOT / "tests" / "app" / "step_page.py")
SOON = dt.date.today() + dt.timedelta(days=3)


@pytest.fixture
def room(app_env):
    """(store, facilitator, the demo's first map with its handout code, step(...))."""
    from streamlit.testing.v1 import AppTest

    store = open_store(app_env)
    ensure_demo(store)
    workshop_id = store.workshops.by_code(DEMO_CODE)["id"]
    facilitator = Actor(Role.FACILITATOR, workshop_id)
    team = maps.handout(store, facilitator, maps.team_maps(store, facilitator)[0]["id"])

    def step(kind: str, screen: str, *, token: str | None = None, unlocked: bool = False,
             **params: str):
        at = AppTest.from_file(SCRIPT, default_timeout=60)
        at.query_params.update({"code": DEMO_CODE, "kind": kind, "screen": screen, **params})
        if token:
            at.query_params["p"] = token
        if unlocked:
            at.session_state["orgkit_unlocked"] = {workshop_id}
        return at.run()

    return store, facilitator, team, step


def _phone(store):
    workshop, actor, token = workshops.join(store, DEMO_CODE)
    return actor, token


def _html(at) -> str:
    return "".join(str(node.proto) for node in at.get("html"))


def _fine(at) -> None:
    assert not at.exception and not at.error


# -- tables ------------------------------------------------------------------------------------

@pytest.mark.parametrize("bilingual", [False, True], ids=["english", "bilingual"])
def test_tables_projector_says_what_to_do_at_the_tables_beside_each_teams_progress(room,
                                                                                    bilingual):
    """How to join, then the worksheet's three steps in order (a question per level, the
    gatekeeper caution, the decision-makers), in English or, bilingual, in both languages;
    every team's name and counts; no person's name, no contact."""
    store, facilitator, team, step = room
    workshops.set_bilingual_projector(store, facilitator, bilingual)
    at = step("tables", "projector")
    _fine(at)
    shown = unescape("".join(node.proto.body for node in at.get("html")))
    for language in ("en", "es") if bilingual else ("en",):
        said = [render(text, language) for text in (
            step_tables.JOIN, worksheet.ROOM_STEPS[0],
            *(part for level in worksheet.HANDOUT_LEVELS
              for part in (LEVELS[level], worksheet.ROOM_QUESTION[level])),
            worksheet.ROOM_STEPS[1], worksheet.ROOM_CAUTION, worksheet.ROOM_STEPS[2],
            worksheet.ROOM_QUESTION["decision_maker"])]
        places = [shown.find(text) for text in said]
        assert -1 not in places and places == sorted(places), (language, places)
    assert ("Escanea la hoja de tu mesa" in shown) is bilingual
    teams = maps.team_maps(store, facilitator)
    assert all(each["name"] in shown for each in teams) and "9/12" in shown
    entries = [e for each in teams for e in maps.load_map(store, facilitator, each["id"]).entries]
    people = [e["name"] for e in entries if e["level"] != "organization"]
    contacts = [e["contact"] for e in entries if e["contact"]]
    assert people and contacts
    assert not any(text in shown for text in people + contacts)


@pytest.mark.parametrize("wall", ["1280x720", "1024x768", "1920x1080", None])
@pytest.mark.parametrize("language", ["en", "en+es"])
def test_crowded_tables_turn_in_even_pages_that_each_hold_a_screen(wall, language):
    """Up to a screen's worth of teams (by the window's class and the languages) hold one page;
    past it, pages as even as they can be, each a row short of a screen (for the page's line),
    every team once and in order."""
    shown = wall_named(wall)
    room = min(rows[len(languages_of(language))]
               for name, rows in step_tables.TEAMS_ON_A_SCREEN.items()
               if shown.name in (name, ANY_WALL.name))
    for count in range(1, 3 * room):
        teams = list(range(count))
        pages = step_tables.team_pages(teams, language, shown)
        assert [team for page in pages for team in page] == teams
        if count <= room:
            assert len(pages) == 1
        else:
            assert max(map(len, pages)) <= room - 1
            assert max(map(len, pages)) - min(map(len, pages)) <= 1
            assert len(pages) == -(-count // (room - 1))  # no more pages than needed


def test_a_phone_at_the_tables_joins_its_map_by_the_handout_code_and_fills_it(room):
    store, facilitator, team, step = room
    actor, token = _phone(store)
    at = step("tables", "phone", token=token)
    _fine(at)
    assert "Scan your table's handout or type its code" in at.subheader[0].value
    at.text_input(key="table_code_field").input("ZZZZ-ZZZZ")
    at.button(key="table_code_submit").click().run()
    assert "No team map has the code" in at.error[0].value
    at.text_input(key="table_code_field").input(team["short_code"].lower())
    at.button(key="table_code_submit").click().run()
    _fine(at)
    assert at.title[0].value == team["name"]  # the team's map, its entry form below
    assert any(w.key.startswith(f"map{team['id']}_") for w in at.text_input)
    assert maps.as_member(store, actor).map_id == team["id"]


def test_a_scanned_handout_brings_its_code_and_the_phone_joins_without_typing(room):
    store, facilitator, team, step = room
    actor, token = _phone(store)
    _fine(step("tables", "phone", token=token, table=team["short_code"]))
    assert maps.as_member(store, actor).map_id == team["id"]


def test_a_visitor_who_has_not_joined_is_asked_to_join_first(room):
    store, facilitator, team, step = room
    at = step("tables", "phone")
    _fine(at)
    assert "Join the workshop" in at.info[0].value


def test_the_facilitator_ends_every_tables_handout_in_one_click_and_can_open_them_again(room):
    store, facilitator, team, step = room
    actor, token = _phone(store)
    at = step("tables", "facilitator", unlocked=True)
    _fine(at)
    at.button(key="tables_end_handouts").click().run()
    _fine(at)
    assert "Every table's code is closed" in at.success[0].value
    assert maps.open_handouts(store, facilitator)[0] == 0
    phone = step("tables", "phone", token=token, table=team["short_code"])
    assert "closed the tables' codes" in phone.error[0].value
    at.button(key="tables_reopen_handouts").click().run()
    assert maps.open_handouts(store, facilitator)[0] == maps.open_handouts(store, facilitator)[1]


def test_a_participant_sees_no_handout_control(room):
    store, facilitator, team, step = room
    _actor, token = _phone(store)
    at = step("tables", "facilitator", token=token)
    assert not at.button and "Only the facilitator" in at.error[0].value


# -- commitments -------------------------------------------------------------------------------

def _commit(at, kind: str, *, due: dt.date = SOON, **fields) -> None:
    at.selectbox(key="commit_kind").set_value(kind)
    at.date_input(key="commit_due_on").set_value(due)
    for name, value in fields.items():
        widget = at.checkbox(key=f"commit_{name}") if name == "show_name" else \
            at.text_input(key=f"commit_{name}")
        widget.set_value(value) if name == "show_name" else widget.input(value)
    at.button(key="commit_save").click().run()


def test_a_phone_makes_edits_and_deletes_its_own_commitment(room):
    store, facilitator, team, step = room
    actor, token = _phone(store)
    at = step("commitments", "phone", token=token)
    _fine(at)
    _commit(at, "site_visit", with_whom="the food bank")
    _fine(at)
    assert "Saved" in at.success[0].value
    (row,) = commitments.mine(store, actor)
    assert (row["kind"], row["with_whom"], row["due_on"]) == ("site_visit", "the food bank",
                                                              SOON.isoformat())
    assert at.selectbox(key="commit_kind").value is None  # emptied for the next one
    at.button(key=f"commit_edit_{row['id']}").click().run()
    assert at.text_input(key="commit_with_whom").value == "the food bank"
    at.selectbox(key="commit_kind").set_value("capitol_trip")
    at.button(key="commit_save").click().run()
    _fine(at)
    assert [r["kind"] for r in commitments.mine(store, actor)] == ["capitol_trip"]
    assert at.get("download_button")  # "add to my calendar"
    at.button(key=f"commit_delete_{row['id']}").click().run()
    assert commitments.mine(store, actor) == []


def test_a_bad_commitment_names_its_field_and_saves_nothing(room):
    store, facilitator, team, step = room
    actor, token = _phone(store)
    at = step("commitments", "phone", token=token)
    _commit(at, "other")
    assert "What, in a few words: is required" in at.error[0].value
    assert commitments.mine(store, actor) == []


def test_a_member_chooses_with_whom_among_its_maps_entries(room):
    store, facilitator, team, step = room
    actor, token = _phone(store)
    maps.join_by_handout(store, actor, team["short_code"])
    entry = maps.load_map(store, facilitator, team["id"]).entries[0]
    at = step("commitments", "phone", token=token)
    at.selectbox(key="commit_entry_id").set_value(entry["id"])
    _commit(at, "one_on_one")
    _fine(at)
    (row,) = commitments.mine(store, actor)
    assert (row["entry_id"], row["map_id"], row["with_whom"]) == (entry["id"], team["id"],
                                                                  entry["name"])


def test_typed_text_survives_a_step_change_and_a_poll(room):
    store, facilitator, team, step = room
    _actor, token = _phone(store)
    at = step("commitments", "phone", token=token)
    at.text_input(key="commit_other_text").input("Clean the park").run()
    at.query_params["kind"] = "tables"  # the room moves on: the form is not drawn
    at.run()
    assert "commit_other_text" not in [w.key for w in at.text_input]
    at.query_params["kind"] = "commitments"  # and back
    at.run()
    assert at.text_input(key="commit_other_text").value == "Clean the park"


def test_the_projector_counts_by_kind_and_names_only_who_chose_to_show(room):
    store, facilitator, team, step = room
    for name, show in (("Rosa Hidden", False), ("Tom Shown", True)):
        actor, _token = _phone(store)
        commitments.add(store, actor, {"kind": "turnout", "due_on": SOON.isoformat(),
                                       "name": name, "show_name": show,
                                       "with_whom": "Secret Person"})
    at = step("commitments", "projector")
    _fine(at)
    shown = _html(at)
    assert "Tom Shown" in shown and "Rosa Hidden" not in shown and "Secret Person" not in shown
    assert "Community meeting turnout" in shown and ">2<" in shown


def test_the_facilitator_sees_every_commitment_with_names_and_their_count(room):
    store, facilitator, team, step = room
    actor, _token = _phone(store)
    commitments.add(store, actor, {"kind": "turnout", "due_on": SOON.isoformat(),
                                   "name": "Rosa Hidden"})
    at = step("commitments", "facilitator", unlocked=True)
    _fine(at)
    assert "1 commitment" in at.markdown[0].value
    assert "Rosa Hidden" in at.dataframe[0].value.to_csv()
    participant = step("commitments", "facilitator", token=_phone(store)[1])
    assert "Only the facilitator" in participant.error[0].value and not participant.dataframe


# -- close -------------------------------------------------------------------------------------

def test_close_shows_the_count_and_what_comes_next_and_each_phone_its_own(room):
    store, facilitator, team, step = room
    actor, token = _phone(store)
    commitments.add(store, actor, {"kind": "turnout", "due_on": SOON.isoformat()})
    projected = _html(step("close", "projector"))
    assert "commitment" in projected and "What comes next" in projected
    assert "Our next meeting" in _html(step("close", "projector", text="Our next meeting"))
    at = step("close", "phone", token=token)
    _fine(at)
    assert "Community meeting turnout" in _html(at)
    assert at.get("download_button") and not at.button  # no edit here
    lead = step("close", "facilitator", unlocked=True)
    _fine(lead)
    assert "1 commitment" in lead.markdown[0].value
    assert lead.button(key="tables_end_handouts")


@pytest.mark.parametrize("kind", ["tables", "commitments", "close"])
def test_a_projector_opened_without_a_workshop_says_so_and_never_shows_a_traceback(room, kind):
    store, facilitator, team, step = room
    at = step(kind, "projector", code="")
    assert not at.exception
    assert kind == "tables" or "Open a workshop first" in at.error[0].value
