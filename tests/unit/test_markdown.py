"""The one Markdown escaper (orgkit.markdown.escape): any text, escaped and then rendered by a
CommonMark renderer (with GitHub's tables and strikethrough), is paragraphs of exactly that text,
but for word joiners and whitespace; and nothing Streamlit would turn into an icon, a colour, a
formula or a link after Markdown (a directive, a shortcode, a bare URL, an e-mail) survives."""
import re

import pytest
from conftest import HOSTILE_FRAGMENTS, HOSTILE_PARAMS
from unit.conftest import html_outline
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from orgkit.markdown import WORD_JOINER, escape

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])

# What Streamlit reads in a string after Markdown: a backslash does not stop these.
STREAMLIT_MARKUP = [re.compile(pattern, re.IGNORECASE) for pattern in (
    r":[\w/-]+[:\[]",  # :material/icon:, :smile:, :red[...], :blue-background[...]
    r"(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:/",  # http://, https://, ftp://
    r"(mailto|xmpp):\S",
    r"www\.",
    r"[\w.+-]@[\w-]",  # an e-mail address
    r"(?<!\\)(\\\\)*\$",  # LaTeX: a $ not escaped
)]


def _shown(text: str) -> str:
    """What a reader sees of `text`: no word joiners, NUL as U+FFFD (what Markdown shows), any
    run of whitespace as one space."""
    return " ".join(text.replace(WORD_JOINER, "").replace("\x00", "\ufffd").split())


def assert_shown_as_written(text: str) -> None:
    escaped = escape(text)
    elements, rendered = html_outline(MARKDOWN.render(escaped))
    assert {tag for tag, _ in elements} <= {"p"}, escaped
    assert _shown(rendered) == _shown(text), escaped
    assert [p.pattern for p in STREAMLIT_MARKUP if p.search(escaped)] == [], escaped


MARKDOWN_HEAVY = st.text(alphabet=" \t\n\r\\`*_[]()<>|~$&#+-=.:!@/wW01xhtp\u00a0\u2060\x00",
                         max_size=40)
FRAGMENTS = [f for f in HOSTILE_FRAGMENTS + HOSTILE_PARAMS if len(f) < 1000]


@settings(max_examples=400, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.text(), MARKDOWN_HEAVY,
                      st.lists(st.sampled_from(FRAGMENTS + ["\n", "\n\n", "    ", "1. ", "- "]),
                               max_size=8).map("".join)))
@example(text="a\n\n    indented\n# heading\n===\n- item\n1) one\n> quote\n| a |\n| - |\n")
@example(text="two trailing spaces  \nand a trailing backslash\\\nend")
@example(text="1.")
@example(text="2)\tafter a tab")
@example(text="~~struck~~ and ~one~")
def test_escaped_text_renders_as_the_text_itself(text):
    assert_shown_as_written(text)


@pytest.mark.parametrize("text", HOSTILE_FRAGMENTS + HOSTILE_PARAMS, ids=lambda t: repr(t[:30]))
def test_every_hostile_string_of_the_tests_renders_as_itself(text):
    assert_shown_as_written(text)


@pytest.mark.parametrize("message", [
    "Team name: is required.",
    "Row 3: 2-3 p.m. (#1) +1, -2 = -1; 1.5 MB!",
    "Imported 2 entries, 1 link.",
])
def test_our_sentences_read_as_written(message):
    assert escape(message) == message


@pytest.mark.parametrize("text, escaped", [
    ("# big", "\\# big"), ("- item", "\\- item"), ("+ item", "\\+ item"), ("===", "\\==="),
    ("1. one", "1\\. one"), ("2) two", "2\\) two"), ("a # b - c 1. d", "a # b - c 1. d"),
    ("**b** <i>", "\\*\\*b\\*\\* \\<i\\>"), ("R&D", "R\\&D"), ("$x$", "\\$x\\$"),
    (":red[x]", f":{WORD_JOINER}red\\[x\\]"), ("ana@example.org", f"ana@{WORD_JOINER}example.org"),
    ("www.example.org", f"www{WORD_JOINER}.example.org"), ("  a  \n  b  ", "a\nb"),
])
def test_what_is_escaped_and_what_is_left_alone(text, escaped):
    assert escape(text) == escaped
