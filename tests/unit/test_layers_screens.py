"""The screens' rules, checked on the source: no UI module over 400 lines and no module of ours
over 600; a page reads like a description of its screen.

A page (home.py, pages/*.py), after its docstring, its imports and `ctx = ui.page(...)`, is:

- zero or more guard clauses: an `if` with no `else` whose body ends in `st.stop()` (what the
  body draws before it stops is free: a title, a form, a call into the screen module);
- then exactly one statement, the last of the page: a call `<screen>.<function>(...)` of a module
  the page imported `from orgkit.ui import <screen>`, and that function exists there.

And a page imports at most one screen module: one module of orgkit.ui besides `ui` itself (the
package, whose `ui.page` every page calls first).
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "home.py", *sorted((ROOT / "pages").glob("*.py"))]
UI_MAX_LINES = 400
MODULE_MAX_LINES = 600


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines())


@pytest.mark.parametrize("path", sorted((ROOT / "orgkit" / "ui").glob("*.py")), ids=_relative)
def test_no_ui_module_is_over_400_lines(path):
    assert _lines(path) <= UI_MAX_LINES


@pytest.mark.parametrize("path", sorted((ROOT / "orgkit").rglob("*.py")), ids=_relative)
def test_no_module_is_over_600_lines(path):
    assert _lines(path) <= MODULE_MAX_LINES


def screen_modules(tree: ast.Module) -> set[str]:
    """The orgkit.ui modules a page imports, besides the package `ui` itself."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "orgkit.ui":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("orgkit.ui."):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[2] for alias in node.names
                         if alias.name.startswith("orgkit.ui."))
    return found


def _is_stop(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and ast.unparse(node.value) == "st.stop()"


def _is_guard(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and not node.orelse and _is_stop(node.body[-1])


def shape_problems(source: str) -> list[str]:
    """What keeps a page from the shape in this module's docstring (empty: it has it)."""
    tree = ast.parse(source)
    body = [node for node in tree.body
            if not isinstance(node, (ast.Import, ast.ImportFrom))
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    if not body or not ast.unparse(body[0]).startswith("ctx = ui.page("):
        return ["the first statement is not `ctx = ui.page(...)`"]
    *guards, last = body[1:] or [None]
    problems = [f"line {node.lineno}: not a guard clause: {ast.unparse(node)[:60]}"
                for node in guards if not _is_guard(node)]
    screens = screen_modules(tree)
    call = last.value if isinstance(last, ast.Expr) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name) and call.func.value.id in screens):
        problems.append("the page does not end in one call into its screen module: "
                        + (ast.unparse(last)[:60] if last is not None else "nothing"))
    return problems


@pytest.mark.parametrize("page", PAGES, ids=_relative)
def test_a_page_is_guard_clauses_then_one_call_into_its_screen(page):
    assert shape_problems(page.read_text()) == []


@pytest.mark.parametrize("page", PAGES, ids=_relative)
def test_a_page_calls_a_function_its_screen_module_has(page):
    last = ast.parse(page.read_text()).body[-1].value.func
    module = importlib.import_module(f"orgkit.ui.{last.value.id}")
    assert callable(getattr(module, last.attr, None))


@pytest.mark.parametrize("page", PAGES, ids=_relative)
def test_a_page_imports_at_most_one_screen_module(page):
    assert len(screen_modules(ast.parse(page.read_text()))) <= 1


PAGE = '"""Doc."""\nimport streamlit as st\nfrom orgkit import ui\nfrom orgkit.ui import phone\n' \
       'ctx = ui.page("Join")\n'


@pytest.mark.parametrize("source", [
    PAGE + 'phone.screen(ctx)\n',
    PAGE + 'if ctx.workshop is None:\n    st.title("x")\n    phone.join(ctx)\n    st.stop()\n'
           'phone.screen(ctx)\n',
])
def test_the_shape_check_passes_guard_clauses_then_one_call(source):
    assert shape_problems(source) == []


@pytest.mark.parametrize("source", [
    PAGE + 'st.title("x")\nphone.screen(ctx)\n',  # a statement outside a guard clause
    PAGE + 'phone.screen(ctx)\nphone.more(ctx)\n',  # two calls
    PAGE + 'if ctx.workshop is None:\n    st.title("x")\nphone.screen(ctx)\n',  # no stop
    PAGE + 'if ctx.map:\n    st.stop()\nelse:\n    st.title("x")\n    st.stop()\n'
           'phone.screen(ctx)\n',  # an else
    PAGE + 'board = phone.chosen(ctx)\nphone.screen(ctx, board)\n',  # an assignment
    PAGE + 'ui.join_form(ctx, "k")\n',  # a call, but not into a screen module
    PAGE,  # no call at all
])
def test_the_shape_check_finds_a_page_that_does_more(source):
    assert shape_problems(source) != []


def test_the_import_check_counts_each_way_of_importing_a_screen():
    tree = ast.parse("from orgkit import ui\nfrom orgkit.ui import phone\n"
                     "from orgkit.ui.map_page import screen\nimport orgkit.ui.guide\n")
    assert screen_modules(tree) == {"phone", "map_page", "guide"}
