"""The guided session on each engine: the default agenda a workshop gets, moves that act once, the
agenda's edits (each bumping the workshop's one revision), the agenda file and templates."""
from __future__ import annotations

import json
import threading

import pytest

from orgkit.board import service as boards
from orgkit.demo import DEMO_PATH, ensure_demo
from orgkit.domain import Actor, Conflict, Role, ValidationError
from orgkit.i18n import LANGUAGES
from orgkit.session import service as sessions
from orgkit.session.agenda import AGENDA_FILE_MAX, STEP_TITLE_MAX, STEPS_MAX
from orgkit.session.model import STEP_KINDS
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

PIN = "agenda-pin-1"


@pytest.fixture
def room(store):
    """(store, facilitator, steps) of a fresh workshop whose facilitator opened the agenda."""
    workshop = workshops.create_workshop(store, "Seminar", None, PIN)
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    return store, facilitator, sessions.agenda(store, facilitator)


def test_a_new_workshop_gets_the_seminar_in_order_in_english_and_spanish(room):
    store, facilitator, steps = room
    assert [step.kind for step in steps] == list(STEP_KINDS)
    assert all(set(step.title) == set(LANGUAGES) and set(step.text) == set(LANGUAGES)
               for step in steps)
    terms = steps[1].content["terms"]
    assert [term["term"]["en"] for term in terms] == [
        "Community-based organizing", "Transformative organizing", "Basebuilding"]
    assert all(set(term["meaning"]) == set(LANGUAGES) for term in terms)
    assert sessions.room(store, facilitator.workshop_id).step_id is None  # not started
    assert sessions.agenda(store, facilitator) == steps  # once: a second look adds nothing


def test_the_demo_keeps_its_board_as_the_brainstorm_step(store):
    facilitator = Actor(Role.FACILITATOR, ensure_demo(store, DEMO_PATH))
    board = boards.latest_board(store, facilitator)
    brainstorm = next(s for s in sessions.agenda(store, facilitator) if s.kind == "brainstorm")
    assert brainstorm.content["board_id"] == board.id
    sessions.move(store, facilitator, None, brainstorm.id)
    assert [b.id for b in boards.boards_for(store, facilitator)] == [board.id]


def test_a_move_acts_once_and_a_stale_click_says_so(room):
    store, facilitator, steps = room
    workshop_id = facilitator.workshop_id
    sessions.move(store, facilitator, None, steps[0].id)
    first = sessions.room(store, workshop_id)
    sessions.move(store, facilitator, steps[0].id, steps[1].id)
    with pytest.raises(Conflict, match="already moved on"):  # the double tap of that Next
        sessions.move(store, facilitator, steps[0].id, steps[1].id)
    with pytest.raises(Conflict):  # a second Start from a stale tab
        sessions.move(store, facilitator, None, steps[0].id)
    now = sessions.room(store, workshop_id)
    assert now.step_id == steps[1].id and now.revision == first.revision + 1
    assert sessions.current(store, facilitator)[1] == steps[1]


def test_two_clicks_at_the_same_moment_move_the_room_one_step(room, db_url):
    store, facilitator, steps = room
    sessions.move(store, facilitator, None, steps[0].id)
    outcomes = []

    def click():
        other = open_store(db_url)
        try:
            sessions.move(other, facilitator, steps[0].id, steps[1].id)
            outcomes.append("moved")
        except Conflict:
            outcomes.append("refused")
        finally:
            other.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["moved", "refused", "refused", "refused"]
    assert sessions.room(store, facilitator.workshop_id).step_id == steps[1].id


def test_the_brainstorm_gets_one_board_and_the_reveal_shows_its_notes(room):
    store, facilitator, steps = room
    brainstorm, reveal = steps[2], steps[3]
    assert "board_id" not in brainstorm.content  # a fresh workshop has no board yet
    sessions.move(store, facilitator, None, brainstorm.id)
    board = boards.latest_board(store, facilitator)
    assert board.prompt == "What are key characteristics of community organizing?"
    assert "Leadership development" in board.reference_points and not board.revealed
    sessions.move(store, facilitator, brainstorm.id, reveal.id)
    assert boards.get_board(store, facilitator, board.id).revealed
    assert sessions.step_board(store, facilitator, sessions.current(store, facilitator)[1]) \
        == board.id
    sessions.move(store, facilitator, reveal.id, brainstorm.id)  # back, and on again
    sessions.move(store, facilitator, brainstorm.id, reveal.id)
    assert len(boards.boards_for(store, facilitator)) == 1


def test_a_spanish_workshop_s_board_asks_in_spanish(store):
    workshop = workshops.create_workshop(store, "Taller", None, PIN, language="es")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    brainstorm = sessions.agenda(store, facilitator)[2]
    sessions.move(store, facilitator, None, brainstorm.id)
    assert boards.latest_board(store, facilitator).prompt.startswith("¿Cuáles son")


def test_every_edit_bumps_the_revision_and_keeps_the_order(room):
    store, facilitator, steps = room
    workshop_id = facilitator.workshop_id

    def revision():
        return sessions.room(store, workshop_id).revision

    start = revision()
    added = sessions.add_step(store, facilitator, "definitions", "More words", "en")
    assert added.position == len(steps) and added.title == {"en": "More words"}
    renamed = sessions.rename_step(store, facilitator, steps[0].id, "Hola a todos", "es")
    assert renamed.title == {"en": "Welcome", "es": "Hola a todos"}
    assert sessions.set_duration(store, facilitator, steps[0].id, 12).duration_s == 720
    assert sessions.set_duration(store, facilitator, steps[0].id, "").duration_s is None
    sessions.shift_step(store, facilitator, steps[0].id, 1)
    sessions.shift_step(store, facilitator, steps[0].id, -1)
    sessions.shift_step(store, facilitator, steps[0].id, -1)  # first already: stays
    sessions.remove_step(store, facilitator, added.id)
    assert revision() == start + 8
    after = sessions.agenda(store, facilitator)
    assert [s.id for s in after] == [s.id for s in steps]
    assert [s.position for s in after] == list(range(len(steps)))


def test_the_step_the_room_is_on_cannot_be_removed(room):
    store, facilitator, steps = room
    sessions.move(store, facilitator, None, steps[0].id)
    with pytest.raises(Conflict, match="move to another step"):
        sessions.remove_step(store, facilitator, steps[0].id)
    assert len(sessions.agenda(store, facilitator)) == len(steps)


def test_bad_edits_name_the_field_and_the_limit_and_change_nothing(room):
    store, facilitator, steps = room
    before = sessions.room(store, facilitator.workshop_id).revision
    with pytest.raises(ValidationError, match=f"Step title: is {STEP_TITLE_MAX + 1} characters; "
                                              f"the limit is {STEP_TITLE_MAX}"):
        sessions.rename_step(store, facilitator, steps[0].id, "x" * (STEP_TITLE_MAX + 1), "en")
    with pytest.raises(ValidationError, match=r"Duration \(minutes\): must be a whole number "
                                              "from 0 to 240"):
        sessions.set_duration(store, facilitator, steps[0].id, 241)
    with pytest.raises(ValidationError, match="Step kind: 'lunch' is not one of"):
        sessions.add_step(store, facilitator, "lunch")
    for _ in range(STEPS_MAX - len(steps)):
        sessions.add_step(store, facilitator, "close")
    with pytest.raises(ValidationError, match=f"Agenda: has {STEPS_MAX} steps; the limit is"):
        sessions.add_step(store, facilitator, "close")
    assert sessions.room(store, facilitator.workshop_id).revision == \
        before + STEPS_MAX - len(steps)


def test_an_agenda_file_round_trips_into_another_workshop(room):
    store, facilitator, steps = room
    sessions.set_duration(store, facilitator, steps[0].id, 3)
    sessions.move(store, facilitator, None, steps[2].id)  # the brainstorm now has a board
    data = sessions.export_agenda(store, facilitator)
    assert "board_id" not in data.decode()  # this workshop's ids stay here
    other = Actor(Role.FACILITATOR, workshops.create_workshop(store, "Other", None, PIN).id)
    sessions.add_step(store, other, "close")
    imported = sessions.import_agenda(store, other, data)
    assert [(s.kind, s.title, s.text, s.duration_s) for s in imported] == [
        (s.kind, s.title, s.text, s.duration_s) for s in sessions.agenda(store, facilitator)]
    assert imported[1].content == steps[1].content


@pytest.mark.parametrize("change, problem", [
    (lambda d: d["steps"][2].update(kind="lunch"), "step 3: Step kind: 'lunch' is not one of"),
    (lambda d: d["steps"][0]["title"].update(en="x" * 121),
     "step 1: Step title: is 121 characters; the limit is 120"),
    (lambda d: d["steps"][0]["title"].update(fr="Bienvenue"),
     "step 1: Step title: fr is not one of our languages"),
    (lambda d: d["steps"][4].update(duration_min=9999),
     r"step 5: Duration \(minutes\): must be a whole number from 0 to 240"),
    (lambda d: d.update(steps=[]), "has 0 steps; an agenda has 1 to 40"),
    (lambda d: d.update(orgkit="board"), "is not an agenda file"),
])
def test_a_bad_agenda_file_is_refused_whole_naming_the_step_and_the_limit(room, change, problem):
    store, facilitator, steps = room
    document = json.loads(sessions.export_agenda(store, facilitator))
    change(document)
    with pytest.raises(ValidationError, match=f"Agenda file: .*{problem}"):
        sessions.import_agenda(store, facilitator, json.dumps(document).encode())
    assert sessions.agenda(store, facilitator) == steps


def test_an_oversized_or_broken_agenda_file_is_refused_before_it_is_read(room):
    store, facilitator, steps = room
    with pytest.raises(ValidationError, match=f"the limit is {AGENDA_FILE_MAX}"):
        sessions.import_agenda(store, facilitator, b" " * (AGENDA_FILE_MAX + 1))
    with pytest.raises(ValidationError, match="is not an agenda file"):
        sessions.import_agenda(store, facilitator, b"\xff\xfe{")
    assert sessions.agenda(store, facilitator) == steps


def test_the_agenda_cannot_be_replaced_while_the_session_runs(room):
    store, facilitator, steps = room
    data = sessions.export_agenda(store, facilitator)
    sessions.move(store, facilitator, None, steps[0].id)
    with pytest.raises(Conflict, match="end it before"):
        sessions.import_agenda(store, facilitator, data)


def test_a_new_workshop_starts_from_a_template_once_per_click(room):
    store, facilitator, steps = room
    sessions.rename_step(store, facilitator, steps[0].id, "Hello, neighbours", "en")
    sessions.remove_step(store, facilitator, steps[-1].id)
    template = sessions.save_template(store, facilitator, "Tenant seminar")
    assert sessions.templates(store, facilitator) == {template: "Tenant seminar"}
    made = [sessions.new_workshop_from_template(store, template, "Next month", None, PIN,
                                                idempotency_key="create-once")
            for _ in range(2)]
    assert made[0] == made[1]
    newer = sessions.agenda(store, Actor(Role.FACILITATOR, made[0].id))
    assert [s.title["en"] for s in newer][0] == "Hello, neighbours"
    assert [s.kind for s in newer] == list(STEP_KINDS)[:-1]
    assert sessions.save_template(store, facilitator, "Tenant seminar") == template  # replaced


def test_the_room_s_step_is_read_once_per_revision_for_every_session(room):
    store, facilitator, steps = room
    workshop_id = facilitator.workshop_id
    sessions.move(store, facilitator, None, steps[1].id)
    revision = sessions.room(store, workshop_id).revision
    first = sessions.room_step(store, workshop_id, revision)
    assert sessions.room_step(store, workshop_id, revision) is first  # the shared cache
    sessions.rename_step(store, facilitator, steps[1].id, "Words we use", "en")
    now = sessions.room(store, workshop_id)
    assert now.revision == revision + 1
    assert sessions.room_step(store, workshop_id, now.revision).title["en"] == "Words we use"
