"""Every page renders for every role (AppTest), and bad input on the home page is answered."""
import re
from pathlib import Path

import pytest
from conftest import DEMO_CODE, DEMO_MAP_TOKEN, unisolated

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["home.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]

ROLES = {
    "visitor": {},
    "participant": {"participant": True},
    "team_member": {"map": DEMO_MAP_TOKEN},
    "facilitator": {"facilitator": True},
}


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_for_every_role(open_page, path, role):
    at = open_page(path, **ROLES[role])
    assert not at.exception, [e.value for e in at.exception]
    assert at.title or at.markdown


def test_navigation_follows_the_role(open_page):
    def links(at):
        return {link.proto.label for link in at.sidebar.get("page_link")}

    assert "Projector" in links(open_page("pages/6_guide.py", facilitator=True))
    participant = links(open_page("pages/6_guide.py", participant=True))
    assert "Brainstorm (phone)" in participant and "Projector" not in participant
    team = links(open_page("pages/6_guide.py", map=DEMO_MAP_TOKEN))
    assert "Relationship map" in team and "Projector" not in team


def test_join_page_gives_the_phone_a_participant_token(open_page):
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    token = at.query_params["p"]
    assert token and unisolated(at.title[0].value).startswith("Riverbend")
    again = at.run()
    assert again.query_params["p"] == token  # a rerun (or reload) keeps the same identity


@pytest.mark.parametrize("params, message", [
    ({"code": "<script>"}, "Join code: must be 6 letters"),
    ({"code": "ZZZZZZ"}, "No workshop has the join code ZZZZZZ"),
    ({"map": "'; DROP TABLE maps;--"}, "Map link: is not a valid link"),
    ({"map": "no-such-map"}, "This map link is not valid"),
])
@pytest.mark.parametrize("path", ["pages/1_join.py", "pages/4_map.py", "pages/5_coverage.py"])
def test_garbage_query_parameters_get_a_clear_message(open_page, app_env, path, params, message):
    from orgkit.demo import ensure_demo
    from orgkit.storage import open_store

    store = open_store(app_env)
    ensure_demo(store)
    before = store.db.scalar("SELECT COUNT(*) FROM participants")
    at = open_page(path, **params)
    assert not at.exception
    assert any(message in w.value for w in at.warning), [w.value for w in at.warning]
    assert store.db.scalar("SELECT COUNT(*) FROM participants") == before  # nobody joined
    assert store.workshops.count() == 1


def _create(at, title, pin):
    at.text_input(key="create_title").set_value(title)
    at.text_input(key="create_pin").set_value(pin)
    at.button(key="create_submit").click()
    return at.run()


@pytest.mark.parametrize("title, pin, message", [
    ("", "long-enough", "Workshop title: is required"),
    ("x" * 500, "long-enough", "Workshop title: is 500 characters; the limit is 120"),
    ("Seminar", "12345", "PIN: must be at least 6 characters"),
])
def test_bad_workshop_input_is_named_and_nothing_is_created(open_page, app_env, title, pin,
                                                            message):
    from orgkit.storage import open_store

    at = _create(open_page("home.py"), title, pin)
    assert [e.value for e in at.error] == [message + "."]
    assert open_store(app_env).workshops.count() == 1  # only the demo


def test_creating_a_workshop_shows_its_join_code_and_unlocks_it(open_page, app_env):
    from orgkit.storage import open_store

    at = _create(open_page("home.py"), "Tenant seminar", "good-pin-1")
    assert not at.error
    (success,) = at.success
    created = open_store(app_env).workshops.db.one(
        "SELECT * FROM workshops WHERE title = 'Tenant seminar'")
    assert created["join_code"] in success.value
    assert created["id"] in at.session_state["orgkit_unlocked"]


def test_a_workshop_starts_from_a_saved_template_or_the_default_agenda(open_page, app_env):
    """The create form offers the saved agenda templates beside the default agenda; the new
    workshop's agenda is the chosen template's, step for step."""
    from orgkit.demo import ensure_demo
    from orgkit.domain import Actor, Role
    from orgkit.session import service as sessions
    from orgkit.storage import open_store

    store = open_store(app_env)
    ensure_demo(store)
    at = open_page("home.py")
    assert not [s for s in at.selectbox if s.key == "create_template"]  # nothing saved yet
    demo = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    steps = sessions.agenda(store, demo)
    sessions.remove_step(store, demo, steps[0].id)
    sessions.rename_step(store, demo, steps[1].id, "Our own words", "en")
    template = sessions.save_template(store, demo, "Short seminar")
    saved = sessions.agenda(store, demo)
    at = open_page("home.py")
    choice = at.selectbox(key="create_template")
    assert choice.options == ["The default agenda (the seminar)", "Short seminar"]
    assert choice.value is None  # the default, unless another is chosen
    choice.set_value(template)
    at = _create(at, "From the template", "good-pin-1")
    assert not at.error and not at.exception
    made = store.workshops.db.one("SELECT * FROM workshops WHERE title = 'From the template'")
    made_steps = sessions.agenda(store, Actor(Role.FACILITATOR, made["id"]))
    assert [(s.kind, s.title) for s in made_steps] == [(s.kind, s.title) for s in saved]
    assert made_steps[0].title["en"] == "Our own words"
    at = _create(open_page("home.py"), "With the default", "good-pin-2")
    plain = store.workshops.db.one("SELECT * FROM workshops WHERE title = 'With the default'")
    plain_steps = sessions.agenda(store, Actor(Role.FACILITATOR, plain["id"]))
    assert plain_steps[0].kind == "welcome" and len(plain_steps) == len(steps)


def test_joining_from_home_with_a_code_opens_the_phone_board(open_page):
    at = open_page("home.py")
    at.text_input(key="join_field").set_value(" partnr ")
    at.button(key="join_submit").click()
    at.run()
    assert not at.error and at.query_params["code"] == DEMO_CODE
    assert at.query_params["p"]  # the join page ran and gave this phone its token
    assert any(unisolated(t.value).startswith("Riverbend") for t in at.title)


@pytest.mark.parametrize("code, message", [
    ("", "Join code: is required"),
    ("abc", "Join code: must be 6 letters"),
    ("ZZZZZZ", "No workshop has the join code ZZZZZZ"),
])
def test_bad_join_code_on_home_is_answered(open_page, code, message):
    at = open_page("home.py")
    at.text_input(key="join_field").set_value(code)
    at.button(key="join_submit").click()
    at.run()
    assert any(message in e.value for e in at.error), [e.value for e in at.error]


def test_facilitator_unlock_form_accepts_the_pin_and_refuses_a_wrong_one(open_page):
    from conftest import DEMO_PIN

    at = open_page("pages/3_facilitate.py", code=DEMO_CODE)
    at.text_input(key="unlock_pin").set_value("wrong-pin")
    at.button(key="unlock_submit").click()
    at.run()
    assert any("PIN is not right" in e.value for e in at.error)
    at.text_input(key="unlock_pin").set_value(DEMO_PIN)
    at.button(key="unlock_submit").click()
    at.run()
    assert any("Unlocked" in s.value for s in at.success)


def test_handed_out_links_use_the_public_address(open_page, monkeypatch):
    monkeypatch.setenv("ORGKIT_PUBLIC_URL", "https://orgkit.example.org/")
    at = open_page("pages/3_facilitate.py", facilitator=True)
    at.session_state["reveal_link_1"] = True  # private links show only once revealed
    at.run()
    assert "https://orgkit.example.org/map?map=demo-northside" in [c.value for c in at.code]
    projector = open_page("pages/2_projector.py", facilitator=True)
    shown = " ".join(h.value for h in projector.html)
    # (The address is in pieces that break only after a "/": the text without its tags.)
    assert "https://orgkit.example.org/join" in re.sub(r"<[^>]+>", "", shown)


def test_user_text_quoted_in_an_error_cannot_become_markdown():
    from streamlit.testing.v1 import AppTest

    def page():
        from orgkit import ui
        from orgkit.domain import Conflict

        ui.show_error(Conflict("'![x](https://tracker.example/p.png) **Ana** <b>' was changed "
                               "by someone else since you loaded it: reload."))

    at = AppTest.from_function(page).run()
    (error,) = at.error
    assert "!\\[x\\](https:\u2060//tracker.example/p.png) \\*\\*Ana\\*\\* \\<b\\>" in error.value
    assert "was changed by someone else since you loaded it: reload." in error.value
