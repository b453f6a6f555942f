"""Text the facilitator writes for the room in two languages (a board's prompt and reference
notes, the forum-question bank): each reader sees theirs, falling back to the other; what is
written in one language reads as before. On both engines."""
import pytest

from orgkit.board import export, service as boards
from orgkit.board.view import projector_pages
from orgkit.domain import Actor, Role, ValidationError
from orgkit.workshop import service as workshops

PROMPT = {"en": "What builds power in our neighborhood?",
          "es": "¿Qué construye poder en nuestro barrio?"}
NOTES = {"en": "One-on-one meetings\nVoter registration",
         "es": "Reuniones uno a uno\nRegistro de votantes"}


@pytest.fixture
def room(store):
    workshop = workshops.create_workshop(store, "Taller", None, "room-pin-123")
    return store, Actor(Role.FACILITATOR, workshop.id)


def test_each_reader_sees_the_prompt_and_reference_points_in_their_language(room):
    store, facilitator = room
    board = boards.create_board(store, facilitator, PROMPT, reference_notes=NOTES)
    assert board.prompt == PROMPT["en"]  # the first field's: what older readers go on reading
    assert board.prompt_in("es") == PROMPT["es"] and board.prompt_in("en") == PROMPT["en"]
    snap = boards.snapshot(store, board.id)
    spanish = snap.in_language("es")
    assert spanish.board.prompt == PROMPT["es"]
    assert [point.text for point in spanish.reveal] == ["Reuniones uno a uno",
                                                        "Registro de votantes"]
    assert [point.text for point in snap.in_language("en").reveal] == ["One-on-one meetings",
                                                                       "Voter registration"]
    # The reveal's matching and the facilitator's decisions stay on the first field's points.
    assert snap.board.reference_points == ("One-on-one meetings", "Voter registration")
    page = export.to_html(snap, "es")
    assert PROMPT["es"] in page and "Registro de votantes" in page
    assert PROMPT["en"] not in page


def test_a_text_written_in_one_language_falls_back_for_every_reader(room):
    store, facilitator = room
    board = boards.create_board(store, facilitator, {"es": PROMPT["es"], "en": ""},
                                reference_notes={"es": "", "en": NOTES["en"]})
    assert board.prompt == PROMPT["es"] and board.prompt_texts == ()  # one language: no JSON
    assert board.prompt_in("en") == PROMPT["es"]
    assert board.points_in("es") == ("One-on-one meetings", "Voter registration")
    plain = boards.create_board(store, facilitator, "Plain prompt")
    assert plain.prompt_in("es") == "Plain prompt"
    snap = boards.snapshot(store, plain.id)
    assert snap.in_language("es") is snap  # nothing to choose: the cached snapshot itself


def test_the_bilingual_projector_shows_both_prompts_and_our_words_in_both(room):
    store, facilitator = room
    board = boards.create_board(store, facilitator, PROMPT)
    snap = boards.snapshot(store, board.id).in_language("es+en")
    assert snap.board.prompt == f"{PROMPT['es']} / {PROMPT['en']}"
    (page,) = projector_pages(snap, 0, language="es+en")
    assert "Recoger / Collect" in page
    # Counts and the board's states in the reader's language only, so the side still fits.
    assert "0 aportes" in page and "0 items" not in page and "Votos ocultos" in page


def test_notes_in_two_languages_must_hold_the_same_points_and_nothing_is_saved(room):
    store, facilitator = room
    with pytest.raises(ValidationError) as refused:
        boards.create_board(store, facilitator, PROMPT,
                            reference_notes={"en": NOTES["en"], "es": "Reuniones uno a uno"})
    assert str(refused.value) == (
        "Reference notes: has 2 lines in EN and 1 in ES; write one line per entry in each "
        "language, in the same order.")
    with pytest.raises(ValidationError) as too_long:
        boards.create_board(store, facilitator, {"en": "Fine", "es": "x" * 301})
    assert str(too_long.value) == "Prompt: in ES: is 301 characters; the limit is 300."
    with pytest.raises(ValidationError) as unknown:
        boards.create_board(store, facilitator, {"en": "Fine", "fr": "Bien"})
    assert "a language OrgKit does not offer (fr)" in str(unknown.value)
    with pytest.raises(ValidationError):  # the first field is still the required one
        boards.create_board(store, facilitator, {"en": " ", "es": PROMPT["es"]})
    assert store.boards.latest_for_workshop(facilitator.workshop_id) is None


def test_the_forum_question_bank_in_two_languages(room):
    store, facilitator = room
    workshops.save_forum_questions(store, facilitator, {
        "es": "¿Financiará comidas para mayores?\n\n¿Se reunirá con nosotros?",
        "en": "Will you fund senior meals?\nWill you meet with us?"})
    assert workshops.forum_questions(store, facilitator, "en") == [
        "Will you fund senior meals?", "Will you meet with us?"]
    assert workshops.forum_questions(store, facilitator, "es")[1] == "¿Se reunirá con nosotros?"
    assert workshops.forum_questions(store, facilitator)[0] == "¿Financiará comidas para mayores?"
    assert workshops.forum_question_texts(store, facilitator)["en"].split("\n")[1] == (
        "Will you meet with us?")
    with pytest.raises(ValidationError):
        workshops.save_forum_questions(store, facilitator, {"en": "One?", "es": "¿Uno?\n¿Dos?"})
    assert len(workshops.forum_questions(store, facilitator)) == 2  # the bank as it was
    workshops.save_forum_questions(store, facilitator, "Only English?")
    assert workshops.forum_questions(store, facilitator, "es") == ["Only English?"]
    assert workshops.forum_question_texts(store, facilitator) == {}
