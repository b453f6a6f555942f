"""A gap's "Make this X's next step" never overwrites a person's own next step silently: it shows
what is there and replaces or adds only on an explicit choice, undone in one click (issue 20,
"Defects found")."""
from conftest import DEMO_MAP_TOKEN

from orgkit.coverage import service as coverage_service
from orgkit.domain import Actor, Role
from orgkit.storage import open_store

ERNESTO_STEP = "Call back about the parents' meeting"


def open_gaps(open_page):
    at = open_page("pages/5_coverage.py", map=DEMO_MAP_TOKEN)
    at.session_state["coverage_tab"] = "Gaps"
    return at.run()


def ernesto(store):
    return store.db.one("SELECT * FROM entries WHERE name = 'Ernesto Villalobos'")


def overdue_rank(store, name="Ernesto Villalobos") -> int:
    team_map = store.maps.by_token(DEMO_MAP_TOKEN)
    view = coverage_service.load_map(store, Actor(Role.TEAM_MEMBER, team_map["workshop_id"],
                                                  map_id=team_map["id"]), team_map["id"])
    (who,) = [e["id"] for e in view["entries"] if e["name"] == name]
    return next(r for r, g in enumerate(view["gaps"], 1)
                if g.kind == "overdue" and g.people[0] == who)


def texts(at) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.info, *at.success, *at.caption])


def test_a_gap_step_never_overwrites_a_persons_own_next_step_on_one_click(open_page, app_env):
    at = open_gaps(open_page)
    store = open_store(app_env)
    rank = overdue_rank(store)
    at.button(key=f"gap_step_{rank}").click().run()
    assert not at.exception and not at.error
    assert ernesto(store)["next_step"] == ERNESTO_STEP  # nothing written yet
    assert ERNESTO_STEP in texts(at)  # what is there is shown before any choice
    labels = {b.label for b in at.button if b.key and b.key.startswith("gap_")}
    assert {"Replace it", "Add to it", "Keep it"} <= labels


def test_replacing_a_next_step_is_an_explicit_choice_and_undone_in_one_click(open_page, app_env):
    at = open_gaps(open_page)
    store = open_store(app_env)
    rank = overdue_rank(store)
    before = ernesto(store)
    at.button(key=f"gap_step_{rank}").click().run()
    at.button(key=f"gap_replace_{rank}").click().run()
    assert not at.exception and not at.error
    replaced = ernesto(store)
    assert replaced["next_step"] == "Luis: do it this week, or set a new date."
    at.button(key="gap_undo_button").click().run()
    assert not at.exception and not at.error
    undone = ernesto(store)
    assert (undone["next_step"], undone["next_step_on"]) == (before["next_step"],
                                                             before["next_step_on"])


def test_adding_to_a_next_step_keeps_the_persons_own_words_first(open_page, app_env):
    at = open_gaps(open_page)
    store = open_store(app_env)
    rank = overdue_rank(store)
    at.button(key=f"gap_step_{rank}").click().run()
    at.button(key=f"gap_add_{rank}").click().run()
    assert not at.exception and not at.error
    added = ernesto(store)["next_step"]
    assert added.startswith(ERNESTO_STEP) and "do it this week" in added


def test_keeping_a_next_step_writes_nothing(open_page, app_env):
    at = open_gaps(open_page)
    store = open_store(app_env)
    rank = overdue_rank(store)
    before = ernesto(store)
    at.button(key=f"gap_step_{rank}").click().run()
    at.button(key=f"gap_keep_{rank}").click().run()
    assert not at.exception and ernesto(store)["version"] == before["version"]
