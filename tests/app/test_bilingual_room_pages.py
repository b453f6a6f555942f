"""The facilitator writes for the room in two languages and each reader sees theirs; the
bilingual projector writes our words in both."""
from conftest import DEMO_CODE

from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store
from orgkit.workshop import service as workshops


def _workshop(app_env):
    store = open_store(app_env)
    ensure_demo(store)
    return store, store.workshops.by_code(DEMO_CODE)["id"]


def test_a_board_written_in_two_languages_reads_in_each_phones_language(open_page, app_env):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    at.text_input(key="create_board_0_prompt").set_value("Who holds power over housing?")
    at.text_input(key="create_board_0_prompt_es").set_value("¿Quién tiene poder sobre la vivienda?")
    at.text_area(key="create_board_0_notes").set_value("The city council\nThe landlords")
    at.text_area(key="create_board_0_notes_es").set_value("El concejo municipal\nLos caseros")
    at.button(key="create_board_0_submit").click().run()
    assert not at.exception and not at.error
    store, workshop_id = _workshop(app_env)
    board = store.boards.latest_for_workshop(workshop_id)
    assert board["prompt"] == "Who holds power over housing?"
    spanish = open_page("pages/1_join.py", participant=True, lang="es")
    assert any("¿Quién tiene poder sobre la vivienda?" in m.value for m in spanish.markdown)
    english = open_page("pages/1_join.py", participant=True, lang="en")
    assert any("Who holds power over housing?" in m.value for m in english.markdown)
    assert not any("vivienda" in m.value for m in english.markdown)


def test_a_translation_with_other_lines_is_refused_naming_the_field(open_page, app_env):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    store, workshop_id = _workshop(app_env)
    before = store.boards.latest_for_workshop(workshop_id)["id"]
    at.text_input(key="create_board_0_prompt").set_value("Who decides?")
    at.text_area(key="create_board_0_notes").set_value("The council\nThe mayor")
    at.text_area(key="create_board_0_notes_es").set_value("El concejo")
    at.button(key="create_board_0_submit").click().run()
    assert [e.value for e in at.error] == [
        "Reference notes: has 2 lines in EN and 1 in ES; write one line per entry in each "
        "language, in the same order."]
    assert store.boards.latest_for_workshop(workshop_id)["id"] == before


def test_the_bilingual_projector_says_our_words_in_both_languages(open_page, app_env):
    at = open_page("pages/3_facilitate.py", code=DEMO_CODE, facilitator=True)
    at.toggle(key="nav_bilingual_projector").set_value(True).run()
    store, workshop_id = _workshop(app_env)
    assert workshops.get_workshop(store, workshop_id).bilingual_projector
    projector = open_page("pages/2_projector.py", code=DEMO_CODE, lang="es")
    block = next(h.value for h in projector.html if "ok-board" in h.value)
    assert "Únete con el código / Join with code" in block
    assert "Recoger / Collect" in block
    plain = workshops.set_bilingual_projector(store, Actor(Role.FACILITATOR, workshop_id), False)
    assert not plain.bilingual_projector
    block = next(h.value for h in open_page("pages/2_projector.py", code=DEMO_CODE,
                                            lang="es").html if "ok-board" in h.value)
    assert "Fase: " in block and " / Phase: " not in block


def test_the_question_bank_reads_in_each_readers_language(open_page, app_env):
    store, workshop_id = _workshop(app_env)
    workshops.save_forum_questions(store, Actor(Role.FACILITATOR, workshop_id), {
        "en": "Will you meet with us?", "es": "¿Se reunirá con nosotros?"})
    spanish = open_page("pages/6_guide.py", participant=True, lang="es")
    assert any("¿Se reunirá con nosotros?" in m.value for m in spanish.markdown)
    facilitator = open_page("pages/6_guide.py", code=DEMO_CODE, facilitator=True, lang="en")
    fields = {t.key: t.value for t in facilitator.text_area}
    assert "Will you meet with us?" in fields.values()
    assert "¿Se reunirá con nosotros?" in fields.values()
