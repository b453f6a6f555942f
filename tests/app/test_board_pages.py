"""The board pages in AppTest: a participant posts and votes from the phone view, the facilitator
creates and moderates boards, and the projector shows controls only when unlocked."""
import html
import re
import time

import pytest
from conftest import DEMO_CODE, joined, own_chooser, unisolated, vote_labels

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store
from orgkit.ui import escape

HOSTILE = "![](https://tracker.example/x.png) **bold** [x](javascript:alert(1))"


def _demo(app_env):
    store = open_store(app_env)
    ensure_demo(store)
    workshop = store.workshops.by_code(DEMO_CODE)
    facilitator = Actor(Role.FACILITATOR, workshop["id"])
    return store, facilitator, boards.latest_board(store, facilitator)


def _html(at) -> str:
    return unisolated("\n".join(h.proto.body for h in at.get("html")))


def _send(at, text):
    at.text_input(key="idea").set_value(text)
    at.button(key="idea_send").click()
    return at.run()


def test_participant_posts_an_item_once_even_when_sent_twice(open_page, app_env):
    store, facilitator, board = _demo(app_env)
    boards.set_phase(store, facilitator, board.id, "collect")
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    assert at.query_params["p"]
    at = _send(at, "**bold** idea")
    assert not at.exception
    assert "Sent: “**bold** idea”." in _html(at)
    at = _send(at, "**bold** idea")  # a double tap: the same submission again
    texts = [i.text for i in boards.snapshot(store, board.id).items]
    assert texts.count("**bold** idea") == 1
    # Shown literally: the Markdown characters are escaped, not interpreted.
    assert r"\*\*bold\*\* idea · 0 votes" in vote_labels(at)


def test_a_phone_sees_its_own_idea_at_once_and_the_rooms_list_after_the_refresh(
        open_page, app_env, monkeypatch):
    monkeypatch.setattr(boards, "VIEW_REFRESH_S", 60)
    store, facilitator, board = _demo(app_env)
    boards.set_phase(store, facilitator, board.id, "collect")
    at = open_page("pages/1_join.py", code=DEMO_CODE)
    at = _send(at, "A fresh idea")
    # Its own items come from the store: listed under "Your items" on the send's own rerun.
    assert "A fresh idea" in unisolated(_html(at))
    # The room's vote list follows the board at most once per VIEW_REFRESH_S for every phone.
    assert "A fresh idea · 0 votes" not in vote_labels(at)
    monkeypatch.setattr(boards, "VIEW_REFRESH_S", 0)  # the refresh is due
    assert "A fresh idea · 0 votes" in vote_labels(at.run())


def test_participant_sees_a_clear_message_for_a_blank_item(open_page, app_env):
    # (An idea over the limit is refused and kept in the field: test_text_limits_pages.py.)
    store, facilitator, board = _demo(app_env)
    boards.set_phase(store, facilitator, board.id, "collect")
    at = _send(open_page("pages/1_join.py", code=DEMO_CODE), "   ")
    assert any("Item: is required." in e.value for e in at.error)


def test_participant_votes_by_tapping_and_sees_votes_left(open_page, app_env):
    store, _, board = _demo(app_env)
    at = open_page("pages/1_join.py", code=DEMO_CODE)  # the demo board is in the vote phase
    assert any("3 of 3 votes left" in m.value for m in at.markdown)
    item = boards.snapshot(store, board.id).shown()[0]
    label = f"{escape(item.text)} · {item.votes} vote" + ("" if item.votes == 1 else "s")
    pills = next(p for p in at.pills if label in map(unisolated, p.options))
    pills.set_value(item.id).run()
    assert not at.exception
    assert any("2 of 3 votes left" in m.value for m in at.markdown)
    voted = f"✓ {escape(item.text)} · {item.votes + 1} vote" + ("" if item.votes == 0 else "s")
    assert voted in vote_labels(at)
    assert all(p.value is None for p in at.pills)  # a vote shows as its mark, not a selection


def test_facilitator_creates_a_board_with_its_settings(open_page, app_env):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    at.text_input(key="create_board_0_prompt").set_value("Who holds power here?")
    at.number_input(key="create_board_0_votes").set_value(5)
    at.checkbox(key="create_board_0_anonymous").check()
    at.button(key="create_board_0_submit").click()
    at = at.run()
    assert not at.exception
    store, facilitator, board = _demo(app_env)
    assert (board.prompt, board.votes_per_participant, board.anonymous) == (
        "Who holds power here?", 5, True)


def test_facilitator_sees_a_clear_message_for_an_empty_prompt(open_page):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    at.button(key="create_board_0_submit").click()
    at = at.run()
    assert any("Prompt: is required." in e.value for e in at.error)


def test_facilitator_hides_an_item_from_a_phone_friendly_control(open_page, app_env):
    store, _, board = _demo(app_env)
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    chosen = at.selectbox(key=f"mod_item_{board.id}").value
    item = next(i for i in boards.snapshot(store, board.id).items if i.id == chosen)
    at.button(key=f"mod_hide_{chosen}_{item.status}_{item.pinned}").click()
    at = at.run()
    assert not at.exception
    chosen_item = next(i for i in boards.snapshot(store, board.id).items if i.id == chosen)
    assert chosen_item.status == "hidden"


def test_projector_shows_code_and_board_and_no_controls_even_to_the_facilitator(open_page):
    # The projected page is for the room: the facilitator's controls are on Facilitate only.
    for unlocked in (False, True):
        at = open_page("pages/2_projector.py", code=DEMO_CODE, facilitator=unlocked)
        assert not at.exception
        assert "Join with code<br><b>PARTNR</b>" in _html(at)
        assert not at.expander and not at.main.button and not at.main.number_input


def test_projector_with_an_unknown_board_says_so(open_page):
    at = open_page("pages/2_projector.py", code=DEMO_CODE, board="999999")
    assert not at.exception
    assert any("does not exist" in e.value for e in at.error)


BAD_BOARDS = ["99999999999999999999999", "9223372036854775808", "-1", "0", "abc", "1e400",
              "nan", "2.5"]


@pytest.mark.parametrize("page", ["pages/1_join.py", "pages/2_projector.py"])
@pytest.mark.parametrize("board", BAD_BOARDS)
def test_garbage_board_parameter_gets_a_message_and_nobody_joins(open_page, app_env, page, board):
    store, _, projected = _demo(app_env)
    before = joined(store, projected.id)
    at = open_page(page, code=DEMO_CODE, board=board)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Board: this link does not name a board; open the board from the projector or the join "
        "link."]
    assert "p" not in at.query_params
    assert joined(store, projected.id) == before


def test_timer_started_by_the_facilitator_shows_on_the_projector(open_page, app_env):
    _, _, board = _demo(app_env)
    projector = open_page("pages/2_projector.py", code=DEMO_CODE)
    assert 'class="ok-timer"' not in _html(projector)
    facilitate = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    facilitate.button(key=f"ctl{board.id}_start").click()
    assert not facilitate.run().exception
    at = projector.run()
    timer = _html(at).split('class="ok-timer" role="timer">')[1].split("<")[0]
    assert timer in ("5:00", "4:59", "4:58"), timer


def test_hostile_reference_note_is_an_escaped_label_in_the_reveal(open_page, app_env):
    store, facilitator, _ = _demo(app_env)
    board = boards.create_board(store, facilitator, "Prompt?", reference_notes=HOSTILE)
    boards.add_item(store, facilitator, board.id, HOSTILE)
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    assert not at.exception
    reveal = next(s for s in at.selectbox if (s.key or "").startswith(f"reveal_{board.id}_0_"))
    assert unisolated(reveal.label) == escape(HOSTILE) + " (suggestion)"
    # Selectbox options are plain text: the item is listed as typed, not escaped twice.
    assert unisolated(reveal.options[1]).startswith(HOSTILE[:60])


def test_board_exports_are_built_only_when_clicked(open_page, monkeypatch):
    from orgkit.board import export as board_export

    built = []
    for name in ("to_csv", "to_xlsx", "to_html"):
        real = getattr(board_export, name)
        monkeypatch.setattr(board_export, name,
                            lambda snap, _real=real, _name=name: built.append(_name) or _real(snap))
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    assert not at.exception
    labels = {b.label for b in at.get("download_button")}
    assert {"Export CSV", "Export XLSX", "Export summary (HTML)"} <= labels
    assert built == []  # a rerun of the facilitator view builds no file


def _own_items_text(at):
    return unisolated(next(h.proto.body for h in at.get("html")
                           if "<b>Your items</b>" in h.proto.body))


def test_hostile_item_is_escaped_on_the_phone(open_page, app_env):
    store, facilitator, board = _demo(app_env)
    boards.set_phase(store, facilitator, board.id, "collect")
    at = _send(open_page("pages/1_join.py", code=DEMO_CODE), HOSTILE)
    assert not at.exception
    # HTML escaped where it is HTML, Markdown escaped where it is Markdown: never live markup.
    assert f"Sent: “{html.escape(HOSTILE)}”." in _html(at)
    assert html.escape(HOSTILE) in _own_items_text(at)
    assert escape(HOSTILE) + " · 0 votes" in vote_labels(at)
    shown = [m.value for m in at.markdown] + vote_labels(at)
    # No link or image syntax left: every ] before a ( is escaped.
    assert not any(re.search(r"(?<!\\)\]\(", value) for value in shown)


def test_participant_sees_own_items_with_their_status_after_the_edit_window(open_page, app_env):
    store, facilitator, _ = _demo(app_env)
    board = boards.create_board(store, facilitator, "Approval board", moderation="approval")
    at = open_page("pages/1_join.py", code=DEMO_CODE, participant=True, board=str(board.id))
    me = store.workshops.participant_by_token(at.query_params["p"])["id"]
    long_ago = time.time() - 3600
    ids = {text: store.boards.add_item(board.id, text=text, participant_id=me, status=status,
                                       created_at=long_ago)[0]
           for text, status in [("Waiting one", "pending"), ("Shown one", "visible"),
                                ("Hidden one", "hidden"), ("Taken back", "withdrawn")]}
    boards.merge_items(store, facilitator, store.boards.add_item(
        board.id, text="Merged one", participant_id=me, created_at=long_ago)[0], ids["Shown one"])
    at = at.run()
    assert not at.exception
    own = _own_items_text(at)
    assert "Waiting one · <i>waiting for the facilitator's approval</i>" in own
    assert "Shown one · <i>on the board</i>" in own
    assert "Hidden one · <i>hidden by the facilitator</i>" in own
    assert "Merged one · <i>merged into a similar item</i>" in own
    assert "Taken back" not in own
    assert own_chooser(at, board.id) is None


def test_own_item_can_be_changed_only_inside_the_edit_window(open_page, app_env):
    store, facilitator, board = _demo(app_env)
    boards.set_phase(store, facilitator, board.id, "collect")
    at = _send(open_page("pages/1_join.py", code=DEMO_CODE), "Fresh idea")
    assert [unisolated(label) for label in own_chooser(at, board.id).options] == ["Fresh idea"]
    assert "Fresh idea · <i>on the board</i>" in _own_items_text(at)


def test_hidden_vote_counts_leave_the_phone_and_the_projector(open_page, app_env):
    store, facilitator, board = _demo(app_env)
    facilitate = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    facilitate.button(key=f"ctl{board.id}_counts_False").click()
    assert not facilitate.run().exception
    assert boards.get_board(store, facilitator, board.id).votes_hidden  # the demo is voting
    at = open_page("pages/2_projector.py", code=DEMO_CODE)
    assert "Votes hidden" in _html(at) and 'class="ok-votes"' not in _html(at)
    phone = open_page("pages/1_join.py", code=DEMO_CODE)
    counted = re.compile(r" · \d+ votes?$")
    assert vote_labels(phone) and not any(counted.search(label) for label in vote_labels(phone))
    boards.set_votes_hidden(store, facilitator, board.id, False)
    assert all(counted.search(label) for label in vote_labels(phone.run()))


def test_phone_shows_the_reveal_once_the_facilitator_reveals_it(open_page, app_env):
    store, facilitator, _ = _demo(app_env)
    board = boards.create_board(store, facilitator, "Prompt?", reference_notes="Grow <leaders>")
    at = open_page("pages/1_join.py", code=DEMO_CODE, board=str(board.id))
    assert "Reference points" not in _html(at)
    boards.set_revealed(store, facilitator, board.id, True)
    assert "○ Grow &lt;leaders&gt;" in _html(at.run())


def test_participants_menu_has_no_facilitator_page(open_page):
    at = open_page("pages/1_join.py", code=DEMO_CODE, participant=True)
    labels = [link.label for link in at.get("page_link")]
    assert "Brainstorm (phone)" in labels and "Facilitate" not in labels
