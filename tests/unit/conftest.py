"""What the unit tests of our HTML documents (worksheet, coverage review, projector, board
summary) share: text that tries to break out of a document, and the document as a browser's
parser reads it; and a stand-in second language for the texts we draw."""
import pytest

from orgkit import i18n

# Typed into a field to break out of an HTML document (an element, an attribute in either quote)
# or into the template language; without ; , or | so that one string stays one constituency tag.
HOSTILE_HTML = ("<script>alert(1)</script> \"><img src=x onerror=alert(1)> "
                "' onmouseover='alert(1)' {{ 7*7 }} {% if true %}x{% endif %} {# gone #} Q&A &lt")


def html_outline(document: str) -> tuple[list[tuple], str]:
    """An HTML document as a browser's parser reads it: its elements in order (tag and
    attributes) and its text, entities decoded and whitespace collapsed."""
    from html.parser import HTMLParser

    elements, text = [], []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            elements.append((tag, tuple(attrs)))

        def handle_data(self, data):
            text.append(data)

    reader = Reader(convert_charrefs=True)
    reader.feed(document)
    reader.close()
    return elements, " ".join(" ".join(text).split())


@pytest.fixture
def stand_in_spanish(monkeypatch):
    """A stand-in catalog (the real ones come with the bilingual issue): "es" brackets each id it
    translates ("[es:...]"), so our words show in the reader's language and what people typed
    does not, and a name that went through the catalog would show as "[es:Ana]"."""
    monkeypatch.setattr(i18n, "_translate", lambda text, language:
                        text if language == "en" else f"[{language}:{text}]")
    monkeypatch.setattr(i18n, "_translate_plural", lambda one, many, n, language:
                        i18n._translate(one if n == 1 else many, language))
