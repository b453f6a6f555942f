"""Board rules on real databases (SQLite and PostgreSQL): limits, votes, moderation, anonymity,
idempotency, reveal, promotion, and 100 writers at once."""
import io
import threading
import time

import pytest
from openpyxl import load_workbook

from orgkit.board import export as board_export
from orgkit.board import model as board_model
from orgkit.board import service as boards
from orgkit.board.view import Join
from orgkit.domain import Actor, Conflict, NotFound, PermissionDenied, Role, ValidationError
from orgkit.map.model import ENTRY_NAME_MAX
from orgkit.workshop import service as workshops


@pytest.fixture
def room(store):
    """A workshop with a facilitator, an open board and two named participants."""
    workshop = workshops.create_workshop(store, "Board test", None, "board-pin-123")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    board = boards.create_board(store, facilitator, "What makes organizing work?",
                                reference_notes="Invest in relationships\nGrow leaders",
                                votes_per_participant=2)

    def participant(name=""):
        return workshops.join(store, workshop.join_code, display_name=name)[1]

    return store, facilitator, board, participant


@pytest.mark.parametrize("text, message", [
    ("", "Item: is required."),
    ("   \t ", "Item: is required."),
    ("x" * 281, "Item: is 281 characters; the limit is 280."),
    ("bell\x07", "Item: contains control characters"),
    ("line\nbreak", "Item: contains control characters"),
])
def test_bad_items_are_refused_with_the_field_and_limit(room, text, message):
    store, _, board, participant = room
    with pytest.raises(ValidationError) as err:
        boards.add_item(store, participant(), board.id, text)
    assert str(err.value).startswith(message)
    assert boards.snapshot(store, board.id).items == ()  # nothing half saved


def test_item_of_exactly_the_limit_is_accepted_and_stripped(room):
    store, _, board, participant = room
    item, new = boards.add_item(store, participant(), board.id, "  " + "x" * 280 + "  ")
    assert new and item.text == "x" * 280


def test_same_idempotency_key_stores_one_item(room):
    store, _, board, participant = room
    phone = participant()
    first, new_first = boards.add_item(store, phone, board.id, "Door knocking", "key-1")
    again, new_again = boards.add_item(store, phone, board.id, "Door knocking", "key-1")
    assert (new_first, new_again) == (True, False) and first.id == again.id
    assert len(boards.snapshot(store, board.id).items) == 1


def test_one_vote_per_participant_per_item_and_tapping_again_takes_it_back(room):
    store, _, board, participant = room
    phone = participant()
    item, _ = boards.add_item(store, phone, board.id, "Listen first")
    assert boards.toggle_vote(store, phone, item.id) is True
    assert boards.get_item(store, phone, item.id).votes == 1
    assert boards.toggle_vote(store, phone, item.id) is False
    assert boards.get_item(store, phone, item.id).votes == 0


def test_vote_limit_is_enforced_with_a_clear_message(room):
    store, _, board, participant = room
    phone = participant()
    ids = [boards.add_item(store, phone, board.id, f"idea {n}")[0].id for n in range(3)]
    boards.toggle_vote(store, phone, ids[0])
    boards.toggle_vote(store, phone, ids[1])
    snap = boards.snapshot(store, board.id)
    assert boards.own_activity(store, phone, snap.board.id).votes_left(snap.board) == 0
    with pytest.raises(Conflict, match="used all 2 of your votes"):
        boards.toggle_vote(store, phone, ids[2])
    assert boards.get_item(store, phone, ids[2]).votes == 0


def test_participant_cannot_hide_items_or_run_the_board(room):
    store, _, board, participant = room
    phone = participant()
    item, _ = boards.add_item(store, phone, board.id, "Mine")
    for action, args in [(boards.hide_item, (item.id,)), (boards.pin_item, (item.id,)),
                         (boards.reset_votes, (board.id,)), (boards.set_phase, (board.id, "vote")),
                         (boards.set_locked, (board.id, True)),
                         (boards.delete_board, (board.id, "DELETE"))]:
        with pytest.raises(PermissionDenied):
            action(store, phone, *args)
    assert boards.get_item(store, phone, item.id).status == board_model.SHOWN


def test_pre_approval_queue_holds_items_until_approved(room):
    store, facilitator, _, participant = room
    board = boards.create_board(store, facilitator, "Queue?", moderation="approval")
    phone = participant()
    item, _ = boards.add_item(store, phone, board.id, "Wait for me")
    assert item.status == board_model.PENDING
    assert boards.snapshot(store, board.id).shown() == []
    with pytest.raises(Conflict):
        boards.toggle_vote(store, phone, item.id)  # not on the board yet
    boards.approve_item(store, facilitator, item.id)
    assert [i.text for i in boards.snapshot(store, board.id).shown()] == ["Wait for me"]


def test_hide_and_unhide(room):
    store, facilitator, board, participant = room
    item, _ = boards.add_item(store, participant(), board.id, "Off topic")
    boards.hide_item(store, facilitator, item.id)
    assert boards.snapshot(store, board.id).shown() == []
    boards.unhide_item(store, facilitator, item.id)
    assert len(boards.snapshot(store, board.id).shown()) == 1


def test_merge_combines_votes_once_per_person(room):
    store, facilitator, board, participant = room
    ana, ben, cy = participant(), participant(), participant()
    keep, _ = boards.add_item(store, ana, board.id, "Build relationships")
    dup, _ = boards.add_item(store, ben, board.id, "Relationships!")
    boards.toggle_vote(store, ana, keep.id)
    boards.toggle_vote(store, ana, dup.id)   # ana voted for both: counts once after the merge
    boards.toggle_vote(store, cy, dup.id)
    boards.merge_items(store, facilitator, dup.id, keep.id)
    snap = boards.snapshot(store, board.id)
    assert [(i.id, i.votes) for i in snap.shown()] == [(keep.id, 2)]
    merged = next(i for i in snap.items if i.id == dup.id)
    assert merged.status == board_model.MERGED and merged.merged_into == keep.id
    with pytest.raises(ValidationError, match="Merge into"):
        boards.merge_items(store, facilitator, keep.id, keep.id)


NAME = "Rosa Ibarra"


def _every_view(store, board_id: int, item_id: int) -> dict[str, str]:
    """Everything the app writes or shows of a board's items, as text: the stored row, the item
    as read back, the projector's HTML, the phones' vote labels and the three exports."""
    snap = boards.snapshot(store, board_id)
    book = load_workbook(io.BytesIO(board_export.to_xlsx(snap)))
    return {
        "stored row": store.boards.item(item_id)["author_name"],
        "item": repr(boards.snapshot(store, board_id).items),
        "projector": boards.projector_screen(store, board_id, Join("http://x/join", ""))[0],
        "phone labels": repr(boards.phone_labels(store, board_id, snap.board.revision).labels),
        "CSV": board_export.to_csv(snap).decode("utf-8-sig"),
        "XLSX": repr([row for sheet in book for row in sheet.iter_rows(values_only=True)]),
        "HTML summary": board_export.to_html(snap),
    }


@pytest.mark.parametrize("named_by", ["join", "display name form"])
def test_a_named_participants_name_is_never_stored_or_shown_on_an_anonymous_board(room, named_by):
    store, facilitator, _, participant = room
    phone = participant(NAME if named_by == "join" else "")
    if named_by == "display name form":
        workshops.set_display_name(store, phone, NAME)
    anonymous = boards.create_board(store, facilitator, "Say it plainly?", anonymous=True)
    named = boards.create_board(store, facilitator, "Who said it?")
    hidden, _ = boards.add_item(store, phone, anonymous.id, "Rent is due")
    shown, _ = boards.add_item(store, phone, named.id, "Rent is due")
    assert hidden.author is None and shown.author == NAME
    leaks = {view: NAME in text for view, text in _every_view(store, anonymous.id,
                                                             hidden.id).items()}
    assert not any(leaks.values()), leaks
    # The same person on a named board: the row and the projector carry the name.
    views = _every_view(store, named.id, shown.id)
    assert views["stored row"] == NAME and NAME in views["projector"]


def test_named_board_shows_the_display_name(room):
    store, _, board, participant = room
    item, _ = boards.add_item(store, participant("Keisha"), board.id, "One-on-ones")
    assert item.author == "Keisha" and item.mine


def test_own_item_can_be_edited_and_withdrawn_within_two_minutes_only(room):
    store, _, board, participant = room
    phone, other = participant(), participant()
    item, _ = boards.add_item(store, phone, board.id, "Tyop")
    with pytest.raises(PermissionDenied):
        boards.edit_item(store, other, item.id, "Hijacked")
    boards.edit_item(store, phone, item.id, "Typo fixed")
    assert boards.get_item(store, phone, item.id).text == "Typo fixed"
    with pytest.raises(Conflict, match="2 minutes"):
        boards.edit_item(store, phone, item.id, "Late", now=item.created_at + 121)
    boards.toggle_vote(store, other, item.id)
    boards.withdraw_item(store, phone, item.id)
    assert boards.snapshot(store, board.id).shown() == []
    snap = boards.snapshot(store, board.id)
    assert boards.own_activity(store, other, board.id).votes_left(snap.board) == 2  # back


@pytest.mark.parametrize("phase, can_add, can_vote", [
    ("collect", True, True), ("group", True, True), ("vote", False, True),
    ("discuss", False, False)])
def test_phases_open_and_close_items_and_votes(room, phase, can_add, can_vote):
    store, facilitator, board, participant = room
    phone = participant()
    item, _ = boards.add_item(store, phone, board.id, "Early idea")
    boards.set_phase(store, facilitator, board.id, phase)
    for allowed, attempt in [(can_add, lambda: boards.add_item(store, phone, board.id, "Later")),
                             (can_vote, lambda: boards.toggle_vote(store, phone, item.id))]:
        if allowed:
            attempt()
        else:
            with pytest.raises(Conflict, match="closed"):
                attempt()


def test_locked_board_refuses_items_and_votes(room):
    store, facilitator, board, participant = room
    phone = participant()
    item, _ = boards.add_item(store, phone, board.id, "Before the lock")
    boards.set_locked(store, facilitator, board.id, True)
    with pytest.raises(Conflict, match="locked"):
        boards.add_item(store, phone, board.id, "After")
    with pytest.raises(Conflict, match="locked"):
        boards.toggle_vote(store, phone, item.id)


def test_every_write_bumps_the_revision(room):
    store, facilitator, board, participant = room
    phone = participant()
    seen = [store.boards.revision(board.id)]
    item, _ = boards.add_item(store, phone, board.id, "A")
    seen.append(store.boards.revision(board.id))
    boards.toggle_vote(store, phone, item.id)
    seen.append(store.boards.revision(board.id))
    theme = boards.create_theme(store, facilitator, board.id, "Trust")
    seen.append(store.boards.revision(board.id))
    boards.assign_theme(store, facilitator, item.id, theme)
    seen.append(store.boards.revision(board.id))
    assert seen == sorted(set(seen)), seen


def test_themes_are_created_renamed_and_assigned(room):
    store, facilitator, board, participant = room
    item, _ = boards.add_item(store, participant(), board.id, "Shared meals")
    theme = boards.create_theme(store, facilitator, board.id, "Belonging")
    boards.rename_theme(store, facilitator, board.id, theme, "Belonging and trust")
    boards.assign_theme(store, facilitator, item.id, theme)
    snap = boards.snapshot(store, board.id)
    assert snap.themes == ((theme, "Belonging and trust"),) and snap.items[0].theme_id == theme
    with pytest.raises(ValidationError, match="Theme: is required"):
        boards.create_theme(store, facilitator, board.id, "  ")


def test_reset_votes_and_delete_with_confirmation(room):
    store, facilitator, board, participant = room
    phone = participant()
    item, _ = boards.add_item(store, phone, board.id, "Vote me")
    boards.toggle_vote(store, phone, item.id)
    boards.reset_votes(store, facilitator, board.id)
    assert boards.get_item(store, phone, item.id).votes == 0
    with pytest.raises(ValidationError, match="Confirmation: type DELETE"):
        boards.delete_board(store, facilitator, board.id, "yes")
    boards.delete_board(store, facilitator, board.id, "delete")
    with pytest.raises(NotFound):
        boards.get_board(store, facilitator, board.id)


def test_reveal_suggests_by_shared_words_and_the_facilitator_corrects(room):
    store, facilitator, board, participant = room
    phone = participant()
    rel, _ = boards.add_item(store, phone, board.id, "Deep relationships with neighbours")
    other, _ = boards.add_item(store, phone, board.id, "Door knocking")
    snap = boards.snapshot(store, board.id)
    assert [(p.item_id, p.raised, p.confirmed) for p in snap.reveal] == [
        (rel.id, True, False), (None, False, False)]
    boards.decide_match(store, facilitator, board.id, 0, None)       # correct: not raised
    boards.decide_match(store, facilitator, board.id, 1, other.id)   # correct: raised by other
    snap = boards.snapshot(store, board.id)
    assert [(p.item_id, p.raised, p.confirmed) for p in snap.reveal] == [
        (None, False, True), (other.id, True, True)]
    with pytest.raises(ValidationError, match="Reference point"):
        boards.decide_match(store, facilitator, board.id, 5, None)


def test_promote_item_into_a_map_entry(room):
    store, facilitator, board, participant = room
    text = "Pastor Maria at St. Brigid, who runs the food pantry and knows every family " * 3
    item, _ = boards.add_item(store, participant(), board.id, text.strip()[:280])
    map_id = store.maps.create(facilitator.workshop_id, "Tenants", "tenant-map-token")
    entry_id = boards.promote_item(store, facilitator, item.id, map_id, "leader")
    entry = next(e for e in store.maps.entries(map_id) if e["id"] == entry_id)
    assert entry["level"] == "leader" and entry["stage"] == "identified"
    assert len(entry["name"]) <= ENTRY_NAME_MAX and entry["name"].endswith("…")
    with pytest.raises(ValidationError, match="Level"):
        boards.promote_item(store, facilitator, item.id, map_id, "mayor")


def test_other_workshops_items_are_not_found(room):
    store, _, board, participant = room
    item, _ = boards.add_item(store, participant(), board.id, "Ours")
    stranger_ws = workshops.create_workshop(store, "Other", None, "other-pin-123")
    stranger = workshops.join(store, stranger_ws.join_code)[1]
    with pytest.raises(NotFound):
        boards.toggle_vote(store, stranger, item.id)
    with pytest.raises(NotFound):
        boards.add_item(store, stranger, board.id, "Sneaky")


def test_own_activity_lists_own_items_with_status_and_own_votes(room):
    store, facilitator, board, participant = room
    boards.set_phase(store, facilitator, board.id, "collect")
    me, other = participant(), participant()
    kept, _ = boards.add_item(store, me, board.id, "Mine, kept")
    hidden, _ = boards.add_item(store, me, board.id, "Mine, hidden")
    gone, _ = boards.add_item(store, me, board.id, "Mine, withdrawn")
    theirs, _ = boards.add_item(store, other, board.id, "Theirs")
    boards.hide_item(store, facilitator, hidden.id)
    boards.withdraw_item(store, me, gone.id)
    boards.toggle_vote(store, me, theirs.id)
    own = boards.own_activity(store, me, board.id)
    assert [(i.text, i.status, i.mine) for i in own.items] == [
        ("Mine, kept", "visible", True), ("Mine, hidden", "hidden", True)]
    assert own.votes == {theirs.id}
    assert boards.own_activity(store, facilitator, board.id).items == ()


def test_phones_follow_a_flowing_board_at_most_once_per_refresh(room, monkeypatch):
    monkeypatch.setattr(boards, "VIEW_REFRESH_S", 60)
    store, facilitator, board, participant = room
    boards.set_phase(store, facilitator, board.id, "collect")
    me = participant()
    built = boards.revision(store, board.id)
    boards.shared_snapshot(store, board.id, built)  # a projector's poll builds the views
    boards.add_item(store, me, board.id, "Mine")
    live = boards.revision(store, board.id)
    assert boards.view_revision(store, board.id, live) == built  # younger than the refresh
    # What the phone did itself is never behind: its own items come from the store,
    assert [i.text for i in boards.own_activity(store, me, board.id).items] == ["Mine"]
    # and a phone that voted asks for a view at least as new as its vote.
    assert boards.view_revision(store, board.id, live, at_least=live) == live
    # Once the refresh is due, every phone moves to the live revision.
    due = time.monotonic() + boards.VIEW_REFRESH_S
    assert boards.view_revision(store, board.id, live, now=due) == live


def test_pending_item_stays_listed_for_its_author(room):
    store, facilitator, _, participant = room
    board = boards.create_board(store, facilitator, "Approve first", moderation="approval")
    me = participant()
    item, _ = boards.add_item(store, me, board.id, "Waiting")
    snap = boards.snapshot(store, board.id)
    assert snap.shown() == []
    assert [(i.id, i.status) for i in boards.own_activity(store, me, board.id).items] == [
        (item.id, "pending")]


HUGE = "99999999999999999999999"


@pytest.mark.parametrize("bad_id", [HUGE, str(2**63), "-5", "0", "text", "1e400", None])
def test_ids_from_urls_and_widgets_are_checked_before_the_database(room, bad_id):
    store, facilitator, board, participant = room
    item, _ = boards.add_item(store, facilitator, board.id, "An idea")
    theme = boards.create_theme(store, facilitator, board.id, "A theme")
    calls = {
        "Board": lambda: boards.get_board(store, facilitator, bad_id),
        "Item": lambda: boards.toggle_vote(store, participant(), bad_id),
        "Theme": lambda: boards.assign_theme(store, facilitator, item.id, bad_id or "x"),
        "Map": lambda: boards.promote_item(store, facilitator, item.id, bad_id, "leader"),
    }
    for field, call in calls.items():
        with pytest.raises(ValidationError) as err:
            call()
        assert str(err.value).startswith(f"{field}: "), err.value
    assert boards.get_item(store, facilitator, item.id).theme_id is None
    assert theme


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "2.5", HUGE])
def test_a_malformed_board_link_gets_a_plain_message(room, bad):
    store, facilitator, _, _ = room
    with pytest.raises(ValidationError) as err:
        boards.get_board(store, facilitator, bad)
    assert str(err.value) == ("Board: this link does not name a board; open the board from the "
                              "projector or the join link.")


def test_largest_bigint_id_is_simply_not_found(room):
    store, facilitator, board, _ = room
    for call in (lambda: boards.get_board(store, facilitator, 2**63 - 1),
                 lambda: boards.get_item(store, facilitator, str(2**63 - 1))):
        with pytest.raises(NotFound):
            call()


def test_own_item_is_edited_by_an_id_given_as_text(room):
    store, _, board, participant = room
    me = participant()
    item, _ = boards.add_item(store, me, board.id, "Frist")
    boards.edit_item(store, me, f"{item.id}.0", "First")
    assert boards.get_item(store, me, item.id).text == "First"


@pytest.mark.timeout(300)
def test_100_threads_adding_10_items_each_all_stored(room):
    store, _, board, participant = room
    phones = [participant() for _ in range(100)]
    errors = []

    def post(n, phone):
        try:
            for k in range(10):
                boards.add_item(store, phone, board.id, f"phone {n} item {k}", f"p{n}-k{k}")
        except Exception as exc:  # collected and asserted below
            errors.append(repr(exc))

    threads = [threading.Thread(target=post, args=(n, phone)) for n, phone in enumerate(phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    texts = {item.text for item in boards.snapshot(store, board.id).items}
    assert len(texts) == 1000
    assert store.boards.revision(board.id) >= 1000
