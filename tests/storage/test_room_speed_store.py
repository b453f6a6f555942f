"""Issue 9 on real SQLite and PostgreSQL: a double click creates one workshop, board or map;
grouping many items at once, suggested groups, theme un-group and delete, undoing a merge; team
maps' short codes."""
import pytest

from orgkit.board import model as board_model
from orgkit.board import service as boards
from orgkit.domain import Actor, Conflict, NotFound, Role, ValidationError
from orgkit.map import service as maps
from orgkit.workshop import service as workshops


@pytest.fixture
def room(store):
    workshop = workshops.create_workshop(store, "Room", None, "room-pin-123")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    board = boards.create_board(store, facilitator, "What builds power?", votes_per_participant=2)

    def participant():
        return workshops.join(store, workshop.join_code)[1]

    return store, facilitator, board, participant


def _count(store, table):
    return store.db.scalar(f"SELECT COUNT(*) FROM {table}")


# -- one submitted form, one row ---------------------------------------------------------------

def test_two_submits_with_one_key_create_one_workshop(store):
    first = workshops.create_workshop(store, "Seminar", None, "pin-123456", "form-key-1")
    again = workshops.create_workshop(store, "Seminar", None, "pin-123456", "form-key-1")
    assert again == first and _count(store, "workshops") == 1
    other = workshops.create_workshop(store, "Seminar", None, "pin-123456", "form-key-2")
    assert other.id != first.id and _count(store, "workshops") == 2


def test_two_submits_with_one_key_create_one_board_and_one_map(room):
    store, facilitator, _, _ = room
    first = boards.create_board(store, facilitator, "Again?", idempotency_key="k1")
    assert boards.create_board(store, facilitator, "Again?", idempotency_key="k1").id == first.id
    assert len(boards.boards_for(store, facilitator)) == 2  # the fixture's board and this one
    made = maps.create_map(store, facilitator, "Northside", idempotency_key="m1")
    assert maps.create_map(store, facilitator, "Northside", idempotency_key="m1")["id"] == made["id"]
    assert _count(store, "maps") == 1
    # Without a key (scripts, the demo) every call creates.
    maps.create_map(store, facilitator, "Northside")
    maps.create_map(store, facilitator, "Northside")
    assert _count(store, "maps") == 3


# -- grouping ----------------------------------------------------------------------------------

def test_many_items_go_into_a_new_theme_in_one_call(room):
    store, facilitator, board, participant = room
    person = participant()
    ids = [boards.add_item(store, person, board.id, f"Idea {n}")[0].id for n in range(5)]
    theme = boards.group_items(store, facilitator, board.id, ids[:3], "Listening")
    snap = boards.snapshot(store, board.id)
    assert snap.themes == ((theme, "Listening"),)
    assert [i.theme_id for i in snap.items] == [theme, theme, theme, None, None]
    # A name that matches an existing theme (any case) files into it, not a twin.
    assert boards.group_items(store, facilitator, board.id, ids[3:], "listening") == theme
    assert len(boards.snapshot(store, board.id).themes) == 1


def test_grouping_refuses_nothing_picked_and_items_gone_and_saves_nothing(room):
    store, facilitator, board, participant = room
    person = participant()
    keep, gone = (boards.add_item(store, person, board.id, t)[0].id for t in ("Keep", "Gone"))
    boards.merge_items(store, facilitator, gone, keep)
    with pytest.raises(ValidationError, match="Items: pick at least one"):
        boards.group_items(store, facilitator, board.id, [], "Theme")
    with pytest.raises(Conflict, match="no longer on the board"):
        boards.group_items(store, facilitator, board.id, [keep, gone], "New theme")
    snap = boards.snapshot(store, board.id)
    assert snap.themes == () and all(i.theme_id is None for i in snap.items)
    with pytest.raises(ValidationError, match="Theme: is required"):
        boards.group_items(store, facilitator, board.id, [keep], "  ")


def test_ungroup_keeps_the_theme_and_delete_removes_it_keeping_the_items(room):
    store, facilitator, board, participant = room
    person = participant()
    ids = [boards.add_item(store, person, board.id, f"Idea {n}")[0].id for n in range(2)]
    theme = boards.group_items(store, facilitator, board.id, ids, "Trust")
    boards.ungroup_theme(store, facilitator, board.id, theme)
    snap = boards.snapshot(store, board.id)
    assert snap.themes == ((theme, "Trust"),) and all(i.theme_id is None for i in snap.items)
    boards.group_items(store, facilitator, board.id, ids, theme)
    boards.delete_theme(store, facilitator, board.id, theme)
    snap = boards.snapshot(store, board.id)
    assert snap.themes == () and [i.theme_id for i in snap.items] == [None, None]
    with pytest.raises(NotFound):
        boards.delete_theme(store, facilitator, board.id, theme)


def test_suggested_groups_gather_items_that_share_a_word(room):
    store, facilitator, board, participant = room
    person = participant()
    for text in ("Listening to tenants", "Deep listening sessions", "Trust takes time",
                 "Build trust first", "Food at meetings", "Listen before you speak"):
        boards.add_item(store, person, board.id, text)
    snap = boards.snapshot(store, board.id)
    text = {i.id: i.text for i in snap.items}
    offered = {g.name: sorted(text[i] for i in g.item_ids) for g in board_model.suggest_groups(snap)}
    # "Listen" and "listening" share a stem; "Food at meetings" shares nothing.
    assert offered == {"Listening": ["Deep listening sessions", "Listen before you speak",
                                     "Listening to tenants"],
                       "Trust": ["Build trust first", "Trust takes time"]}
    # Once grouped, items are not offered again; an existing theme is offered by its own name.
    boards.group_items(store, facilitator, board.id,
                       [i.id for i in snap.items if "rust" in i.text], "Trust and time")
    boards.add_item(store, person, board.id, "Trust the members")
    boards.add_item(store, person, board.id, "Members decide, trust them")
    offered = {g.name for g in board_model.suggest_groups(boards.snapshot(store, board.id))}
    assert offered == {"Listening", "Trust and time"}


def test_undoing_a_merge_gives_the_item_and_its_votes_back(room):
    store, facilitator, board, participant = room
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


def test_undo_respects_votes_spent_since_the_merge(room):
    store, facilitator, board, participant = room
    bob = participant()
    a, b, c = (boards.add_item(store, bob, board.id, t)[0].id for t in "ABC")
    boards.toggle_vote(store, bob, a)
    boards.toggle_vote(store, bob, b)
    boards.merge_items(store, facilitator, a, b)  # bob had both: one vote is free again
    boards.toggle_vote(store, bob, c)             # ... and spent on C (2 of 2)
    boards.unmerge_item(store, facilitator, a)
    assert {i.id: i.votes for i in boards.snapshot(store, board.id).items} == {a: 0, b: 1, c: 1}


def test_a_merge_into_a_merged_item_is_undone_last_first(room):
    store, facilitator, board, participant = room
    bob = participant()
    a, b, c = (boards.add_item(store, bob, board.id, t)[0].id for t in "ABC")
    boards.merge_items(store, facilitator, a, b)
    boards.merge_items(store, facilitator, b, c)
    with pytest.raises(Conflict, match="undo that merge first"):
        boards.unmerge_item(store, facilitator, a)
    boards.unmerge_item(store, facilitator, b)
    boards.unmerge_item(store, facilitator, a)
    assert all(i.status == board_model.SHOWN for i in boards.snapshot(store, board.id).items)


# -- promotion asks for the name and level --------------------------------------------------

def test_promotion_takes_the_name_the_facilitator_wrote(room):
    store, facilitator, board, participant = room
    team = maps.create_map(store, facilitator, "Northside")
    item = boards.add_item(store, participant(), board.id, "Pastor Ruiz, St. Mark's")[0]
    entry_id = boards.promote_item(store, facilitator, item.id, team["id"], "leader",
                                   "Pastor Ruiz")
    entry = store.maps.entry(entry_id)
    assert (entry["name"], entry["level"], entry["stage"]) == ("Pastor Ruiz", "leader",
                                                               "identified")


# -- team map short codes --------------------------------------------------------------------

def test_a_map_opens_by_its_short_code_typed_any_way(room):
    store, facilitator, _, _ = room
    team = maps.create_map(store, facilitator, "Northside")
    code = team["short_code"]
    assert len(code) == 8
    typed = f" {code[:4].lower()}-{code[4:]} "
    _, row, actor = workshops.open_map_by_code(store, typed)
    assert row["id"] == team["id"] and actor.map_id == team["id"]
    with pytest.raises(ValidationError, match="Map code: must be 8"):
        workshops.open_map_by_code(store, "ABC")
    with pytest.raises(NotFound, match="No team map has the code"):
        workshops.open_map_by_code(store, "AAAA-AAAA" if code != "AAAAAAAA" else "BBBBBBBB")


def test_a_map_made_before_short_codes_gets_one_when_handed_out(room):
    store, facilitator, _, _ = room
    old = store.maps.create(facilitator.workshop_id, "Old team", "old-team-token")
    assert store.maps.get(old)["short_code"] is None
    code = maps.handout(store, facilitator, old)["short_code"]
    assert len(code) == 8 and maps.handout(store, facilitator, old)["short_code"] == code
