"""The reveal's answers through the real store: suggestions stay the facilitator's until
confirmed, "confirm all" saves every point in one transaction or none, and undo makes a
confirmed point a suggestion again (the room no longer sees it)."""
import pytest

from orgkit.board import service as boards
from orgkit.board.view import reveal_lines
from orgkit.domain import Conflict, NotFound, ValidationError
from tests.storage.test_board_store import room  # noqa: F401  (the fixture)


def _answers(store, board):
    snap = boards.snapshot(store, board.id)
    return [(p.item_id, p.raised, p.confirmed) for p in snap.reveal], snap


def test_a_suggestion_is_not_shown_to_the_room_until_it_is_confirmed(room):  # noqa: F811
    store, facilitator, board, participant = room
    item, _ = boards.add_item(store, participant(), board.id, "Deep relationships with neighbours")
    answers, snap = _answers(store, board)
    assert answers == [(item.id, True, False), (None, False, False)]
    assert [line.mark for line in reveal_lines(snap)] == [None, None]  # a guess, not shown
    boards.decide_match(store, facilitator, board.id, 0, item.id)
    _, snap = _answers(store, board)
    assert [(str(line.mark), line.item) for line in reveal_lines(snap)] == [
        ("✔ raised", "Deep relationships with neighbours"), ("None", None)]


def test_confirm_all_saves_every_suggestion_at_once_and_undo_takes_one_back(room):  # noqa: F811
    store, facilitator, board, participant = room
    phone = participant()
    rel, _ = boards.add_item(store, phone, board.id, "Deep relationships with neighbours")
    lead, _ = boards.add_item(store, phone, board.id, "Grow new leaders on every block")
    revision = boards.snapshot(store, board.id).board.revision
    boards.confirm_matches(store, facilitator, board.id, {0: rel.id, 1: lead.id})
    answers, snap = _answers(store, board)
    assert answers == [(rel.id, True, True), (lead.id, True, True)]
    assert snap.board.revision == revision + 1  # one write: every screen redraws once
    boards.undo_match(store, facilitator, board.id, 1)
    answers, snap = _answers(store, board)
    assert answers == [(rel.id, True, True), (lead.id, True, False)]  # a suggestion again
    assert [line.item for line in reveal_lines(snap)] == ["Deep relationships with neighbours",
                                                          None]
    boards.undo_match(store, facilitator, board.id, 1)  # a second click changes nothing
    assert _answers(store, board)[0] == answers


def test_confirm_all_checks_every_point_before_saving_any(room):  # noqa: F811
    store, facilitator, board, participant = room
    rel, _ = boards.add_item(store, participant(), board.id, "Deep relationships")
    with pytest.raises(ValidationError, match="Reference point"):
        boards.confirm_matches(store, facilitator, board.id, {0: rel.id, 7: rel.id})
    other = boards.create_board(store, facilitator, "Another?", reference_notes="One")
    elsewhere, _ = boards.add_item(store, participant(), other.id, "Elsewhere")
    with pytest.raises(NotFound):
        boards.confirm_matches(store, facilitator, board.id, {0: rel.id, 1: elsewhere.id})
    assert [p.confirmed for p in boards.snapshot(store, board.id).reveal] == [False, False]
    with pytest.raises(ValidationError, match="Reference point"):
        boards.undo_match(store, facilitator, board.id, 2)


def test_an_item_hidden_after_it_was_confirmed_is_not_quoted_to_the_room(room):  # noqa: F811
    store, facilitator, board, participant = room
    rel, _ = boards.add_item(store, participant(), board.id, "Deep relationships")
    boards.decide_match(store, facilitator, board.id, 0, rel.id)
    boards.hide_item(store, facilitator, rel.id)
    assert reveal_lines(boards.snapshot(store, board.id))[0].item is None
    with pytest.raises(Conflict, match="no longer on the board"):  # nor confirmed once hidden
        boards.decide_match(store, facilitator, board.id, 1, rel.id)
