"""Choosing the facilitator's text for a reader, and our words in two languages at once."""
from orgkit.i18n import both, dump_texts, in_each, load_texts, msg, nmsg, pick_text, render


def test_a_reader_gets_their_language_then_the_default_then_any():
    texts = {"en": "Who decides?", "es": "¿Quién decide?"}
    assert pick_text(texts, "es") == "¿Quién decide?"
    assert pick_text(texts, "fr") == "Who decides?"
    assert pick_text({"es": "¿Quién decide?"}, "en") == "¿Quién decide?"
    assert pick_text({"es": ""}, "en") == "" == pick_text({}, "es")


def test_a_combined_language_writes_each_text_once_reader_first():
    assert both("es") == "es+en" and both("en") == "en+es"
    assert in_each({"en": "Who?", "es": "¿Quién?"}, "es+en") == "¿Quién? / Who?"
    assert in_each({"en": "Who?"}, "es+en") == "Who?"  # one text is not shown twice
    assert render(msg("Votes hidden"), "es+en") == "Votos ocultos / Votes hidden"
    assert render(nmsg("{n} item", "{n} items", 3), "en+es") == "3 items / 3 aportes"
    assert render(msg("{clock}", clock="4:59"), "es+en") == "4:59"


def test_stored_texts_read_back_and_anything_else_reads_as_none():
    assert load_texts(dump_texts({"es": "Hola", "en": ""})) == {"es": "Hola"}
    for stored in ("{}", "", "not json", "[1]", '{"fr": "x", "es": 3}', None):
        assert load_texts(stored) == {}
