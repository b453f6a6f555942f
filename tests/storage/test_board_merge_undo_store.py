"""Undoing a merge of two board items on real SQLite and PostgreSQL: the item and its votes come
back, within the votes each person has left since, and merges into a merged item are undone last
first."""
import pytest

from orgkit.board import model as board_model
from orgkit.board import service as boards
from orgkit.domain import Conflict


def test_undoing_a_merge_gives_the_item_and_its_votes_back(board_room):
    store, facilitator, board, participant = board_room
    alice, bob = participant(), participant()
    source = boards.add_item(store, alice, board.id, "Door knocking")[0].id
    target = boards.add_item(store, alice, board.id, "Knock on doors")[0].id
    boards.toggle_vote(store, alice, source)  # alice: source only -> carried to the target
    boards.toggle_vote(store, bob, source)    # bob: both -> one counts after the merge
    boards.toggle_vote(store, bob, target)
    boards.merge_items(store, facilitator, source, target)
    votes = {i.id: i.votes for i in boards.snapshot(store, board.id).items}
    assert votes == {source: 0, target: 2}
    boards.unmerge_item(store, facilitator, source)
    snap = boards.snapshot(store, board.id)
    assert {i.id: (i.status, i.votes) for i in snap.items} == {
        source: (board_model.SHOWN, 2), target: (board_model.SHOWN, 1)}
    with pytest.raises(Conflict, match="not merged"):
        boards.unmerge_item(store, facilitator, source)


def test_undo_respects_votes_spent_since_the_merge(board_room):
    store, facilitator, board, participant = board_room
    bob = participant()
    a, b, c = (boards.add_item(store, bob, board.id, t)[0].id for t in "ABC")
    boards.toggle_vote(store, bob, a)
    boards.toggle_vote(store, bob, b)
    boards.merge_items(store, facilitator, a, b)  # bob had both: one vote is free again
    boards.toggle_vote(store, bob, c)             # ... and spent on C (2 of 2)
    boards.unmerge_item(store, facilitator, a)
    assert {i.id: i.votes for i in boards.snapshot(store, board.id).items} == {a: 0, b: 1, c: 1}


def test_a_merge_into_a_merged_item_is_undone_last_first(board_room):
    store, facilitator, board, participant = board_room
    bob = participant()
    a, b, c = (boards.add_item(store, bob, board.id, t)[0].id for t in "ABC")
    boards.merge_items(store, facilitator, a, b)
    boards.merge_items(store, facilitator, b, c)
    with pytest.raises(Conflict, match="undo that merge first"):
        boards.unmerge_item(store, facilitator, a)
    boards.unmerge_item(store, facilitator, b)
    boards.unmerge_item(store, facilitator, a)
    assert all(i.status == board_model.SHOWN for i in boards.snapshot(store, board.id).items)
