"""The facilitate page in AppTest: each control acts once, on what it names, and says what it did
beside itself; a rerun with no click writes nothing; a new board hides its vote counts until the
vote closes; boards come before team maps. The browser test
(tests/e2e/test_clicks_never_lost_browser.py) clicks the same controls with a projector tab open
and phones posting."""
import pytest
from conftest import DEMO_CODE, unisolated

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import PHASES, Actor, Role
from orgkit.storage import open_store
from orgkit.workshop import service as workshops


@pytest.fixture
def fresh(app_env):
    """(store, a fresh board in the collect phase with two items) on the AppTest's database."""
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    board = boards.create_board(store, facilitator, "What builds trust?")
    person = workshops.join(store, DEMO_CODE)[1]
    for text in ("Listen first", "Keep promises"):
        boards.add_item(store, person, board.id, text)
    yield store, facilitator, board
    store.close()


@pytest.fixture
def facilitate(open_page):
    return lambda: open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)


def _run(at):
    at = at.run()
    assert not at.exception
    return at


def _said(at, slot):
    """What board_parts.said shows beside a control, as read."""
    box = at.main.get_by_key(f"said_{slot}")
    return unisolated(" ".join(str(node.value) for node in box.children.values()))


def _board(store, facilitator, board):
    return boards.get_board(store, facilitator, board.id)


def test_each_phase_button_sets_the_phase_it_names_and_says_so_beside_it(fresh, facilitate):
    store, facilitator, board = fresh
    at = facilitate()
    # No widget that holds a phase of its own (the one there is the reader's language switch).
    assert [c.key for c in at.main.segmented_control] == ["orgkit_lang_switch"]
    for phase, label in [*reversed(PHASES.items())]:
        at.button(key=f"ctl{board.id}_phase_{phase}").click()
        at = _run(at)
        assert _board(store, facilitator, board).phase == phase
        assert f"Phase set to {label}." in _said(at, f"ctl{board.id}_phase")
        assert at.button(key=f"ctl{board.id}_phase_{phase}").proto.type == "primary"


def test_a_click_from_a_stale_page_sets_what_it_named_and_a_redraw_writes_nothing(
        fresh, facilitate):
    store, facilitator, board = fresh
    at = facilitate()  # drawn in collect
    boards.set_phase(store, facilitator, board.id, "discuss")  # another tab
    at.button(key=f"ctl{board.id}_phase_group").click()
    at = _run(at)
    assert _board(store, facilitator, board).phase == "group"  # the phase clicked, once
    boards.set_phase(store, facilitator, board.id, "vote")  # another tab again
    boards.set_locked(store, facilitator, board.id, True)
    for _ in range(3):  # the watchers' reruns: no click, no write
        at = _run(at)
    assert _board(store, facilitator, board).phase == "vote"
    assert _board(store, facilitator, board).locked
    # A "Lock" drawn before the board was locked elsewhere still only locks.
    boards.set_locked(store, facilitator, board.id, False)
    stale = facilitate()
    boards.set_locked(store, facilitator, board.id, True)
    stale.button(key=f"ctl{board.id}_lock_False").click()
    _run(stale)
    assert _board(store, facilitator, board).locked


def test_lock_timer_and_counts_say_beside_them_what_they_did(fresh, facilitate):
    store, facilitator, board = fresh
    key = f"ctl{board.id}"
    at = facilitate()
    at.button(key=f"{key}_lock_False").click()
    at = _run(at)
    assert "Board locked" in _said(at, f"{key}_lock")
    at.button(key=f"{key}_start").click()
    at = _run(at)
    assert "Timer started." in _said(at, f"{key}_timer")
    at.button(key=f"{key}_counts_True").click()  # a new board hides them: show them
    at = _run(at)
    assert "Vote counts show while people vote." in _said(at, f"{key}_counts")
    assert not _board(store, facilitator, board).hide_counts


def test_a_refused_click_says_why_beside_its_control(fresh, facilitate):
    _, _, board = fresh
    at = facilitate()
    at.button(key=f"group_{board.id}_submit").click()  # no item picked
    at = _run(at)
    assert "Items: pick at least one item to group." in _said(at, f"group_{board.id}")


def test_a_new_board_hides_vote_counts_until_the_vote_closes_unless_the_facilitator_chooses(
        fresh, facilitate):
    store, facilitator, _ = fresh
    at = facilitate()
    form = "create_board_0"
    assert at.checkbox(key=f"{form}_hide_counts").value  # the default
    at.text_input(key=f"{form}_prompt").set_value("Hidden until Discuss?")
    at.button(key=f"{form}_submit").click()
    at = _run(at)
    hidden = boards.latest_board(store, facilitator)
    assert hidden.prompt == "Hidden until Discuss?" and hidden.hide_counts
    for phase, shown in (("collect", False), ("vote", False), ("discuss", True)):
        boards.set_phase(store, facilitator, hidden.id, phase)
        assert _board(store, facilitator, hidden).votes_hidden is not shown
    form = "create_board_1"
    at.text_input(key=f"{form}_prompt").set_value("Counts live?")
    at.checkbox(key=f"{form}_hide_counts").uncheck()
    at.button(key=f"{form}_submit").click()
    _run(at)
    live = boards.latest_board(store, facilitator)
    assert live.prompt == "Counts live?" and not live.hide_counts and not live.votes_hidden


def test_boards_come_before_team_maps_and_no_two_buttons_say_group(fresh, facilitate):
    _, _, board = fresh
    at = facilitate()
    headings = [h.value for h in at.subheader]
    assert headings.index("Brainstorm boards") < headings.index("Team maps")
    labels = [b.label for b in at.main.button] + [b.label for b in at.main.form_submit_button]
    assert labels.count("Group") == 1  # the phase's button; grouping says what it does
    assert at.button(key=f"group_{board.id}_submit").label == "Put the items in this theme"
