"""Every text a person reads is marked for the catalog (orgkit/i18n.py), so that Babel's extractor
finds all of it and the bilingual issue can translate all of it. Checked on the source:

- a string literal (or f-string) passed to a streamlit call in orgkit/ui, pages/ or home.py,
  as an argument or a text keyword (label, help, placeholder, ...);
- a string literal passed to an error of ours (`raise ValidationError(...)`, any `*Error`,
  `PermissionDenied`, `NotFound`, `Locked`, `Unavailable`, `Conflict`);
- a string literal given to a view's text field (keywords `text=`, `label=`, `title=`, ...) or a
  vocabulary table's label (a module-level ALL_CAPS dict whose values are English phrases);
- text written in a Jinja2 template outside `{% trans %}` and `{{ _(...) }}`.

Marked means wrapped in `_()`, `ngettext()`, `N_()`, `msg()` or `nmsg()`. A literal that no
person reads (a CSS block, a key, a URL, a file name) has no letters, or is listed in NOT_TEXT
with its reason.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MARKERS = frozenset({"_", "ngettext", "N_", "msg", "nmsg"})
LETTERS = re.compile(r"[A-Za-z]{2,}")

# Streamlit calls that draw text, and the keywords through which they take it.
ST_TEXT_CALLS = frozenset({
    "title", "header", "subheader", "markdown", "write", "caption", "text", "info", "success",
    "warning", "error", "toast", "metric", "button", "download_button", "form_submit_button",
    "link_button", "page_link", "checkbox", "toggle", "radio", "selectbox", "multiselect",
    "select_slider", "slider", "text_input", "text_area", "number_input", "date_input",
    "time_input", "file_uploader", "pills", "segmented_control", "tabs", "expander",
    "popover", "dialog", "spinner", "status", "set_page_config", "progress", "badge"})
ST_TEXT_KEYWORDS = frozenset({"label", "help", "placeholder", "body", "page_title", "text",
                              "caption", "value_label", "title"})
# A view's text fields in the core: a literal here is a sentence a screen would draw.
VIEW_TEXT_KEYWORDS = frozenset({"text", "label", "title", "message", "caption", "hint", "note",
                                "help", "headline", "sentence", "next_step", "reason", "why",
                                "summary", "heading", "subtitle", "detail", "alt"})
ERRORS = re.compile(r"(Error|PermissionDenied|NotFound|Locked|Unavailable|Conflict)$")

# Literals with letters that no person reads, each with the reason.
NOT_TEXT: dict[str, str] = {
    # orgkit/storage/backups.py WORKSHOP_TABLES: the SQL condition selecting a workshop's rows
    "id = :w": "SQL", "workshop_id = :w": "SQL", "map_id IN ()": "SQL", "board_id IN ()": "SQL",
    "action_id IN (SELECT id FROM actions WHERE map_id IN ())": "SQL",
    "item_id IN (SELECT id FROM items WHERE board_id IN ())": "SQL",
}

STREAMLIT_SIDE = [*sorted((ROOT / "orgkit" / "ui").glob("*.py")),
                  *sorted((ROOT / "pages").glob("*.py")), ROOT / "home.py"]
CORE = [p for p in sorted((ROOT / "orgkit").rglob("*.py"))
        if "ui" not in p.relative_to(ROOT).parts and p.name != "i18n.py"]
TEMPLATES = sorted((ROOT / "orgkit").rglob("templates/*.html"))


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _unmarked(node: ast.AST | None) -> list[ast.AST]:
    """The pieces of text in an argument that are not marked: a literal with letters, an f-string
    with letters in its literal parts, the same inside a list, tuple, dict value or conditional;
    anything inside a marker call is marked."""
    if node is None:
        return []
    if isinstance(node, ast.Call) and _call_name(node) in MARKERS:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node] if LETTERS.search(node.value) and node.value not in NOT_TEXT else []
    if isinstance(node, ast.JoinedStr):
        parts = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return [node] if LETTERS.search(parts) and parts not in NOT_TEXT else []
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [bad for item in node.elts for bad in _unmarked(item)]
    if isinstance(node, ast.Dict):
        return [bad for value in node.values for bad in _unmarked(value)]
    if isinstance(node, ast.IfExp):
        return _unmarked(node.body) + _unmarked(node.orelse)
    if isinstance(node, ast.BinOp):  # "a " + "b", "x %s" % y
        return _unmarked(node.left) + _unmarked(node.right)
    return []


def _where(found: list[ast.AST]) -> list[str]:
    return [f"line {node.lineno}: {ast.unparse(node)[:70]}" for node in found]


def unmarked_in_streamlit_calls(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ST_TEXT_CALLS:
            for arg in node.args:
                found += _unmarked(arg)
            for keyword in node.keywords:
                if keyword.arg in ST_TEXT_KEYWORDS or keyword.arg == "options":
                    found += _unmarked(keyword.value)
    return _where(found)


def unmarked_in_core(source: str) -> list[str]:
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ERRORS.search(_call_name(node)):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                found += _unmarked(arg)
        elif isinstance(node, ast.Call):
            found += [bad for k in node.keywords if k.arg in VIEW_TEXT_KEYWORDS
                      for bad in _unmarked(k.value)]
    for node in tree.body:  # vocabulary tables: NAME = {"key": "A label a person reads"}
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id.lstrip("_").isupper() for t in targets):
                found += [bad for value in node.value.values
                          if isinstance(value, (ast.Constant, ast.JoinedStr))
                          for bad in _unmarked(value)
                          if " " in ast.unparse(bad) or ast.unparse(bad)[1:2].isupper()]
    return _where(found)


_TEMPLATE_CODE = re.compile(r"{%-?\s*trans\b.*?endtrans\s*-?%}|{{.*?}}|{%.*?%}|{#.*?#}"
                            r"|<style.*?</style>|<script.*?</script>|<[^>]*>|&\w+;", re.DOTALL)


def unmarked_in_template(text: str) -> list[str]:
    return [line.strip() for line in _TEMPLATE_CODE.sub("\n", text).splitlines()
            if LETTERS.search(line)]


@pytest.mark.parametrize("path", STREAMLIT_SIDE, ids=_relative)
def test_text_drawn_by_a_screen_is_marked(path):
    assert unmarked_in_streamlit_calls(path.read_text()) == []


@pytest.mark.parametrize("path", CORE, ids=_relative)
def test_text_leaving_the_core_is_marked(path):
    assert unmarked_in_core(path.read_text()) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=_relative)
def test_template_text_is_marked(path):
    assert unmarked_in_template(path.read_text()) == []


@pytest.mark.parametrize("source", [
    'st.button("Send", key="send")',
    'col.caption(f"{n} items")',
    'st.radio("x", options=["Yes", _("No")], key="r")',
    'st.success("Saved " + name)',
])
def test_the_screen_check_finds_an_unmarked_literal(source):
    assert unmarked_in_streamlit_calls(source) != []


@pytest.mark.parametrize("source", [
    'st.button(_("Send"), key="send_button", type="primary")',
    'st.markdown("---")',
    'col.caption(ngettext("{n} item", "{n} items", n))',
])
def test_the_screen_check_passes_marked_text(source):
    assert unmarked_in_streamlit_calls(source) == []


@pytest.mark.parametrize("source", [
    'raise ValidationError("Name", "is too long")',
    'raise ValidationError(N_("Name"), f"is {n} long")',
    'raise PermissionDenied("Only the facilitator can do this.")',
    'Gap(kind="k", text="Nobody here")',
    'LEVELS = {"impacted": "Directly impacted people"}',
])
def test_the_core_check_finds_an_unmarked_literal(source):
    assert unmarked_in_core(source) != []


@pytest.mark.parametrize("source", [
    'raise ValidationError(N_("Name"), msg("is {n} long", n=n))',
    'raise PermissionDenied(msg("Only the facilitator can do this."))',
    'LEVELS = {"impacted": N_("Directly impacted people")}',
    'WORDS = {"name": ("name", "label")}',
])
def test_the_core_check_passes_marked_text(source):
    assert unmarked_in_core(source) == []


def test_the_template_check_finds_bare_text_and_passes_trans_blocks():
    assert unmarked_in_template("<h1>{{ title }}</h1><p>Who is missing</p>") == ["Who is missing"]
    assert unmarked_in_template("<p>{% trans %}Who is missing{% endtrans %}</p>"
                                "<p>{{ _('Level') }}</p><style>body{font:x}</style>") == []
