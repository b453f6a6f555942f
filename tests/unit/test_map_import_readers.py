"""The import's readers on hostile and real-shaped input, without a store: a web page that
embeds a map is read under JSON's limits; the guessing tables pick the most telling column."""
import pytest

from orgkit.domain import ValidationError
from orgkit.map import formats
from orgkit.spreadsheet import JSON_DEPTH_MAX, read_json_in_page


def test_a_page_embedding_a_deeply_nested_map_is_refused_by_name_not_a_traceback():
    deep = '{"graph": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(ValidationError) as info:
        read_json_in_page(f"<script>var m = {deep};</script>".encode(), {"graph"})
    assert str(info.value).startswith("File:")
    nested = '{"graph": ' + "[" * (JSON_DEPTH_MAX + 1) + "]" * (JSON_DEPTH_MAX + 1) + "}"
    with pytest.raises(ValidationError):
        read_json_in_page(f"<script>{nested}</script>".encode(), {"graph"})


def test_a_page_without_a_map_says_so():
    with pytest.raises(ValidationError, match="holds no Oligrapher or Kumu map"):
        formats.read_tables([("page.html", b"<html><body>{\"id\": 1}</body></html>")], [])


def test_an_html_escaped_map_in_an_attribute_is_found():
    page = b'<div data-map="{&quot;graph&quot;: {&quot;nodes&quot;: []}}"></div>'
    assert read_json_in_page(page, {"graph"}) == {"graph": {"nodes": []}}


@pytest.mark.parametrize("header, kind", [
    (["From", "To", "Label", "Type"], "Type"),  # Kumu: Type is the kind, Label a caption
    (["From", "To", "Label"], "Label"),  # only a Label: it is the kind
    (["Entity A Type", "Entity A", "Entity B Type", "Entity B", "Connection"], "Connection"),
])
def test_the_connection_kind_is_the_most_telling_column(header, kind):
    table = formats.Table("c", header, [])
    guess = formats._guess_columns(table, formats._CONNECTION_WORDS, formats.CONNECTION_TARGETS,
                                   formats.IGNORE)
    assert [c for c, t in guess.items() if t == "kind"] == [kind]


@pytest.mark.parametrize("text", ["acteur_mefsin (1)", "snake_case_name", "a_b c_d", "__init__",
                                  "_x_ a_*b*_c", "![x](https://t.e/p.png) **b** <b> a_b"])
def test_a_mapping_label_reads_as_written_and_makes_no_markup(text):
    from markdown_it import MarkdownIt

    from orgkit.markdown import WORD_JOINER, escape
    from orgkit.ui.map_import import _INERT_UNDERSCORE

    label = _INERT_UNDERSCORE.sub("_", escape(text))
    rendered = MarkdownIt("commonmark").renderInline(label)
    assert "<em>" not in rendered and "<strong>" not in rendered and "<a " not in rendered
    assert "<img" not in rendered and "<b>" not in rendered
    if "_" in text and not set(text) & set("*[]<>!"):
        assert "\\" not in label.replace(WORD_JOINER, "") or text.startswith("_")
