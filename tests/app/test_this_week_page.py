"""The lead's "This week" page (AppTest): the facilitator (whole workshop, or one map), the
holder of a map's private link (that map), and a participant (refused)."""
from conftest import DEMO_MAP_TOKEN

from orgkit.storage import open_store


def texts(at) -> str:
    return "\n".join(m.value for m in [*at.markdown, *at.subheader, *at.success, *at.info,
                                       *at.caption])


def links(at) -> list:
    return at.get("page_link")


def test_a_map_link_holder_sees_its_map_due_gaps_and_what_moved(open_page, app_env):
    at = open_page("pages/7_this_week.py", map=DEMO_MAP_TOKEN)
    assert not at.exception and not at.error
    shown = texts(at)
    assert "Our map: Northside Family Services" in shown
    assert "Overdue" in shown and "Call back about the parents' meeting" in " ".join(
        link.proto.label for link in links(at))
    assert "The gaps that matter most now" in shown and "What moved since" in shown
    # one click to the entry: the map page with the entry selected
    store = open_store(app_env)
    ernesto = store.db.one("SELECT id FROM entries WHERE name = 'Ernesto Villalobos'")["id"]
    link = next(x for x in links(at) if "Call back about" in x.proto.label)
    assert "map" in link.proto.page and f"entry={ernesto}" in link.proto.query_string
    assert len(at.get("plotly_chart")) == 4 and len(at.dataframe) == 4  # each with its table


def test_mark_reviewed_records_the_review_and_since_starts_there(open_page, app_env):
    at = open_page("pages/7_this_week.py", map=DEMO_MAP_TOKEN)
    at.button(key="week_mark_reviewed").click().run()
    assert not at.exception and not at.error
    assert "Marked reviewed" in texts(at)
    store = open_store(app_env)
    team_map = store.maps.by_token(DEMO_MAP_TOKEN)
    (review,) = store.followup.reviews(team_map["workshop_id"], team_map["id"])
    assert review["role"] == "team_member"
    assert "the last review" in at.radio(key=f"week_since_{team_map['id']}").options[0]
    assert "Nothing moved in this time." in texts(at)


def test_the_facilitator_sees_the_whole_workshop_and_can_pick_one_map(open_page):
    at = open_page("pages/7_this_week.py", facilitator=True)
    assert not at.exception and not at.error
    shown = texts(at)
    assert "Due" in shown and "The gaps that matter most now" in shown
    labels = " ".join(link.proto.label for link in links(at))
    assert "Northside Family Services" in labels and "Riverbend Tenants Union" in labels
    choice = at.selectbox(key="week_map")
    northside = next(o for o in choice.options if "Northside" in o)
    choice.select(northside).run()
    assert not at.exception and "Riverbend Tenants Union" not in " ".join(
        link.proto.label for link in links(at))


def test_a_participant_is_refused(open_page):
    at = open_page("pages/7_this_week.py", participant=True)
    assert not at.exception
    assert "leads' screen" in texts(at)
    assert not at.get("plotly_chart")
    assert not [x for x in links(at) if "entry=" in x.proto.query_string]
