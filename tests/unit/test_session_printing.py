"""What the steps print (orgkit.session.printing): the agenda, the definitions and the forum
questions as HTML documents in the reader's language, what people typed printed as written and
escaped."""
from orgkit.session import printing
from orgkit.session import definitions
from orgkit.session.model import Step

STEPS = [
    Step(2, 1, "power", {}, {}, None),
    Step(1, 0, "welcome", {"en": "Welcome <everyone>", "es": "Bienvenida"},
         {"en": "Why we are here"}, 600),
    Step(3, 2, "engage", {"es": "Solo en español"}, {}, 90),
]


def test_the_agenda_prints_every_step_in_order_with_its_duration_and_the_total():
    html = printing.agenda("Spring seminar", STEPS, "en")
    assert '<html lang="en">' in html and "<h1>Spring seminar</h1>" in html
    welcome, power, engage = (html.index(t) for t in ("Welcome &lt;everyone&gt;",
                                                      "<b>Who holds power</b>",
                                                      "<b>Solo en español</b>"))
    assert welcome < power < engage  # by position; a step without a title shows its kind
    assert "10 min" in html and "2 min" in html and "3 steps · about 12 minutes" in html
    assert "Why we are here" in html


def test_the_agenda_prints_in_the_readers_language():
    html = printing.agenda("Seminario", STEPS, "es")
    assert '<html lang="es">' in html and "<b>Bienvenida</b>" in html
    assert "Imprimir" in html and "Who holds power" not in html


def test_the_definitions_print_with_each_term_in_bold_in_both_languages():
    english = printing.definitions("en")
    assert "<h1>What we mean by organizing</h1>" in english
    assert "<b>Transformative organizing</b>: A long-term approach" in english
    assert "<b>Basebuilding</b>: People directly hurt" in english
    spanish = printing.definitions("es")
    assert '<html lang="es">' in spanish and "<b>Organización transformadora</b>" in spanish
    assert [term for term, _ in definitions.terms("en")] == [
        "Community-based organizing", "Transformative organizing", "Basebuilding"]


def test_the_forum_questions_print_as_typed_and_escaped():
    html = printing.forum_questions("Seminar <1>", ["Will you fund <b>clinics</b>?"], "en")
    assert "Will you fund &lt;b&gt;clinics&lt;/b&gt;?" in html and "Seminar &lt;1&gt;" in html
    assert "No questions yet." in printing.forum_questions("Seminar", [], "en")
