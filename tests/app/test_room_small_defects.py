"""Issue 22's small defects, through the pages: a joined phone is a participant in its own
sidebar and sees only the pages it can use; the home form starts the date at today and shows the
PIN rule; a long prompt is one line on the phone; the facilitator prints every handout at once."""
import datetime as dt
import html

import pytest

from conftest import DEMO_CODE

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import PIN_MIN, Actor, Role
from orgkit.map import service as maps
from orgkit.storage import open_store


def _sidebar(at) -> str:
    return "\n".join(str(getattr(node, "value", "")) + str(getattr(node, "proto", ""))
                     for node in _walk(at.sidebar))


def _walk(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def test_a_phone_that_joins_by_code_is_a_participant_in_its_sidebar_with_only_its_pages(
        open_page):
    at = open_page("pages/1_join.py", code=DEMO_CODE)  # the QR: the code, nobody yet
    assert at.query_params.get("p")
    sidebar = _sidebar(at)
    assert "You are here as: participant" in sidebar and "visitor" not in sidebar
    assert "Brainstorm (phone)" in sidebar
    assert "Facilitate" not in sidebar and "Coverage and gaps" not in sidebar


def test_the_new_workshop_form_starts_at_today_and_shows_the_pin_rule(open_page):
    at = open_page("home.py")
    assert at.date_input(key="create_date").value == dt.date.today()
    assert any(f"At least {PIN_MIN} characters" in c.value for c in at.caption)
    assert not at.text_input(key="create_pin").help


@pytest.mark.parametrize("prompt, folded", [
    ("Who is missing?", False),
    ("Who in our neighbourhood is most affected by the rent increases, and who do they already "
     "trust enough to talk to about it?", True)])
def test_a_long_prompt_is_one_line_on_the_phone_that_opens_to_the_whole_text(
        open_page, app_env, prompt, folded):
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    board = boards.create_board(store, facilitator, prompt)
    at = open_page("pages/1_join.py", code=DEMO_CODE, participant=True, board=str(board.id))
    details = [h.proto.body for h in at.get("html") if "ok-prompt" in h.proto.body
               and "<details" in h.proto.body]
    heading = [m.value for m in at.markdown if m.value.startswith("## ")]
    if folded:
        assert not heading and len(details) == 1
        assert html.escape(prompt) in details[0] and "Tap to read the whole prompt" in details[0]
    else:
        assert not details and prompt in heading[0]


def test_the_facilitator_prints_every_teams_handout_at_once(open_page, app_env):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    store = open_store(app_env)
    workshop = store.workshops.by_code(DEMO_CODE)
    facilitator = Actor(Role.FACILITATOR, workshop["id"])
    teams = maps.team_maps(store, facilitator)
    assert at.toggle(key="handouts_show").value is False  # hidden on a mirrored screen
    at.toggle(key="handouts_show").set_value(True).run()
    assert not at.error
    document = next(str(node.proto) for node in _walk(at.main)
                    if "Print all handouts" in str(getattr(node, "proto", "")))
    assert document.count('class=\\"handout\\"') == len(teams) >= 2
    for team in teams:
        assert team["name"] in document
        code = maps.handout(store, facilitator, team["id"])["short_code"]
        assert code[:4] in document
    assert "Who are you trying to reach?" in document and "break-after: page" in document
