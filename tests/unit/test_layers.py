"""The architecture's one-way imports, checked on the source: only orgkit/ui imports streamlit,
and only orgkit/storage speaks SQL."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = sorted((ROOT / "orgkit").rglob("*.py"))
SQL = re.compile(r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"
                 r"CREATE\s+(TABLE|INDEX))\b", re.IGNORECASE)


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", [p for p in CORE if "ui" not in p.relative_to(ROOT).parts],
                         ids=_relative)
def test_core_modules_do_not_import_streamlit(path):
    source = path.read_text()
    assert not re.search(r"^\s*(import|from)\s+streamlit\b", source, re.MULTILINE)


@pytest.mark.parametrize("path", [p for p in CORE if "storage" not in p.relative_to(ROOT).parts]
                         + sorted((ROOT / "pages").glob("*.py")) + [ROOT / "home.py"],
                         ids=_relative)
def test_sql_lives_only_in_the_storage_package(path):
    assert not SQL.search(path.read_text())


@pytest.mark.parametrize("page", [ROOT / "home.py", *sorted((ROOT / "pages").glob("*.py"))],
                         ids=_relative)
def test_every_page_starts_with_one_call_into_orgkit_ui(page):
    """After its docstring and imports, a page's first statement is `ctx = ui.page(...)`."""
    body = [node for node in ast.parse(page.read_text()).body
            if not isinstance(node, (ast.Import, ast.ImportFrom))
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    first = body[0]
    assert isinstance(first, ast.Assign) and ast.unparse(first).startswith("ctx = ui.page(")
