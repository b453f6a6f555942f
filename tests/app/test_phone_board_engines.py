"""The phone's board in AppTest on both engines: votes within the board's limit, the phone's own
items with their edit window, all from the live fragment that a poll reruns."""
import time

from conftest import DEMO_CODE, own_chooser, unisolated, vote_labels

from orgkit.board import model as board_model
from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store
from orgkit.ui import escape


def _board(db_url, **settings):
    """A board whose counts show while voting (these tests read them; hidden is the default)."""
    settings.setdefault("votes_hidden", False)
    store = open_store(db_url)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    board = boards.create_board(store, facilitator, "Phone board?", **settings)
    return store, facilitator, board


def test_votes_stop_at_the_boards_limit_and_come_back_when_taken_back(open_page_each_engine,
                                                                      db_url):
    store, facilitator, board = _board(db_url, votes_per_participant=2)
    items = [boards.add_item(store, facilitator, board.id, f"Idea {n}")[0] for n in range(3)]
    at = open_page_each_engine("pages/1_join.py", code=DEMO_CODE, board=str(board.id))
    pills = at.pills(key=f"vote_{board.id}_0")
    for item in items:
        pills.set_value(item.id)
        at = at.run()
        pills = at.pills(key=f"vote_{board.id}_0")
    assert [t.value for t in at.toast] == [
        "You have used all 2 of your votes. Tap a voted item to take a vote back."]
    assert any("0 of 2 votes left" in m.value for m in at.markdown)
    assert sorted(i.votes for i in boards.snapshot(store, board.id).items) == [0, 1, 1]
    assert sum(label.startswith("✓ ") for label in vote_labels(at)) == 2
    pills.set_value(items[0].id)  # tapped again: the vote comes back
    at = at.run()
    assert any("1 of 2 votes left" in m.value for m in at.markdown)
    assert f"{escape('Idea 0')} · 0 votes" in vote_labels(at)


def test_own_items_show_with_an_edit_window_that_closes(open_page_each_engine, db_url):
    store, _, board = _board(db_url)
    at = open_page_each_engine("pages/1_join.py", code=DEMO_CODE, board=str(board.id))
    me = store.workshops.participant_by_token(at.query_params["p"])["id"]
    fresh = store.boards.add_item(board.id, text="Fresh idea", participant_id=me,
                                  created_at=time.time())[0]
    old = store.boards.add_item(board.id, text="Old idea", participant_id=me,
                                created_at=time.time() - board_model.EDIT_WINDOW_S - 1)[0]
    at = at.run()
    own = unisolated(next(h.proto.body for h in at.get("html")
                          if "<b>Your items</b>" in h.proto.body))
    assert "Fresh idea · <i>on the board</i>" in own and "Old idea · <i>on the board</i>" in own
    chooser = own_chooser(at, board.id)
    assert chooser.label == "Change or withdraw (2 minutes)"
    assert [unisolated(label) for label in chooser.options] == [escape("Fresh idea")]
    assert not any(b.key == f"withdraw_{fresh}" for b in at.button)  # until it is chosen
    at = chooser.set_value(fresh).run()
    next(b for b in at.button if b.key == f"withdraw_{fresh}").click()
    at = at.run()
    assert own_chooser(at, board.id) is None  # nothing left to change
    assert [i.text for i in boards.snapshot(store, board.id).shown()] == ["Old idea"]
    assert store.boards.item(old)["status"] == board_model.SHOWN


def test_a_big_board_lists_the_newest_and_keeps_the_phones_own_votes(open_page_each_engine,
                                                                   db_url):
    from orgkit.board.phone_list import PHONE_LIST_MAX

    store, facilitator, board = _board(db_url)
    at = open_page_each_engine("pages/1_join.py", code=DEMO_CODE, board=str(board.id))
    me = store.workshops.participant_by_token(at.query_params["p"])["id"]
    oldest = store.boards.add_item(board.id, text="The first idea", participant_id=None,
                                   created_at=1.0)[0]
    store.boards.insert_vote(board.id, oldest, me)
    for n in range(PHONE_LIST_MAX + 4):
        boards.add_item(store, facilitator, board.id, f"Later idea {n}")
    at = at.run()
    assert any(f"Showing the {PHONE_LIST_MAX} newest of {PHONE_LIST_MAX + 5} ideas" in c.value
               for c in at.caption)
    mine = next(p for p in at.pills if p.label == "Your votes")
    assert list(map(unisolated, mine.options)) == [f"✓ {escape('The first idea')} · 1 vote"]
    assert sum(len(p.options) for p in at.pills) == PHONE_LIST_MAX + 1
