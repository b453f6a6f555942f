"""Babel's extractor finds every marked message (orgkit/i18n.py), so the catalogs of the bilingual
issue can hold every text a person reads.

Checked on the source: every marker call that an AST walk finds in the files babel.cfg gives the
Python extractor must have a literal id, and that id must be among what Babel extracts from the
file. A marker given an f-string, a variable or text built in the call ("..." + x, a choice
between two literals) is reported with its file and line: Babel would skip it, or extract a
string nobody wrote. The markers and which of their arguments are ids are read from babel.cfg's
keywords, the one place that names them.
"""
import ast
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "babel.cfg"
# `_` also renders what was marked where it was written (a marked id, a Message), so a value
# passes through it; every other marker makes an id and takes only a literal.
RENDERS_MARKED = {"_"}


def config() -> tuple[list, dict]:
    """babel.cfg as Babel reads it: [(pattern, method)], {pattern: options}."""
    with CONFIG.open(encoding="utf-8") as file:
        return parse_mapping_cfg(file, str(CONFIG))


def markers() -> dict[str, tuple[int, ...]]:
    """Each marker of the Python files and the positions of its id arguments (0-based), from
    babel.cfg's keywords (`nmsg:1,2`: the singular and the plural)."""
    method_map, options_map = config()
    found: dict[str, tuple[int, ...]] = {}
    for pattern, method in method_map:
        if method == "python":
            for name, spec in options_map[pattern].get("keywords", {}).items():
                found[name] = tuple(n - 1 for n in (spec or (1,)))
    return found


def extract(root: Path) -> tuple[dict[str, set], dict[str, str]]:
    """What Babel extracts under `root` with babel.cfg (as `pybabel extract -F babel.cfg` does,
    default keywords included): ({file: its ids}, {file read: the method that read it})."""
    method_map, options_map = config()
    read: dict[str, str] = {}
    found: dict[str, set] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
            root, method_map, options_map,
            callback=lambda filename, method, options: read.__setitem__(filename, method)):
        found.setdefault(filename, set()).add(message)
    return found, read


def builds_text(node: ast.expr) -> bool:
    """Whether an expression makes text on the spot, so that no literal id reaches Babel."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp):  # "..." + x, "...%s" % x
        return builds_text(node.left) or builds_text(node.right)
    if isinstance(node, ast.IfExp):
        return builds_text(node.body) or builds_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(builds_text(value) for value in node.values)
    if isinstance(node, ast.Call):  # str(x), "...".format(x), template.format(x), ", ".join(x)
        func = node.func
        return ((isinstance(func, ast.Name) and func.id == "str")
                or (isinstance(func, ast.Attribute) and func.attr in {"format", "format_map",
                                                                     "join"}))
    return False


class MarkerCalls(ast.NodeVisitor):
    """The marker calls of one file: `ids` [(line, id)] with a literal id (a plural marker's id
    is the pair), `problems` [(line, why)] where the id is not a literal."""

    def __init__(self, names: dict[str, tuple[int, ...]]):
        self.names = names
        self.ids: list[tuple[int, str | tuple[str, ...]]] = []
        self.problems: list[tuple[int, str]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if node.name not in self.names:  # a marker's own body passes on its caller's id
            self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = (func.id if isinstance(func, ast.Name)
                else func.attr if isinstance(func, ast.Attribute) else None)
        if name in self.names:
            self._check(node, name)
        self.generic_visit(node)

    def _check(self, node: ast.Call, name: str) -> None:
        literals = []
        for position in self.names[name]:
            arg = node.args[position] if position < len(node.args) else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                literals.append(arg.value)
            elif name in RENDERS_MARKED and arg is not None and not isinstance(arg, ast.Starred) \
                    and not builds_text(arg):
                return  # a value marked where it was written
            else:
                given = ast.unparse(arg)[:60] if arg is not None else "no argument"
                self.problems.append((node.lineno, f"{name}() is given {given} as its id: an id "
                                                   "must be a literal string (values go in "
                                                   "{name} placeholders)"))
                return
        self.ids.append((node.lineno, literals[0] if len(literals) == 1 else tuple(literals)))


def unextracted(root: Path) -> list[str]:
    """Every marker call under `root` whose id Babel does not extract, as "file:line: why"."""
    names = markers()
    found, read = extract(root)
    problems = []
    for filename, method in sorted(read.items()):
        if method != "python":
            continue
        calls = MarkerCalls(names)
        calls.visit(ast.parse((root / filename).read_text(encoding="utf-8"), filename))
        problems += [f"{filename}:{line}: {why}" for line, why in calls.problems]
        problems += [f"{filename}:{line}: {message!r} is not among the ids Babel extracts"
                     for line, message in calls.ids if message not in found.get(filename, ())]
    return problems


def test_babel_reads_all_the_apps_python_and_templates():
    _found, read = extract(ROOT)
    python = {str(p.relative_to(ROOT)) for folder in ("orgkit", "pages")
              for p in (ROOT / folder).rglob("*.py")} | {"home.py"}
    templates = {str(p.relative_to(ROOT)) for p in (ROOT / "orgkit").rglob("*.html")}
    assert {name for name, method in read.items() if method == "python"} == python
    assert {name for name, method in read.items() if method == "jinja2"} == templates


def test_every_marker_has_a_literal_id_that_babel_extracts():
    assert set(markers()) == {"_", "ngettext", "N_", "msg", "nmsg"}
    problems = unextracted(ROOT)
    assert not problems, "\n".join(problems)


SAMPLE = '''\
from orgkit import i18n
from orgkit.i18n import N_, _, msg, ngettext, nmsg

LABEL = N_("Directly impacted people")
TOO_LONG = msg("is {n} characters; the limit is {limit}", n=3, limit=2)
ITEMS = nmsg("{n} item", "{n} items", 3)
TITLE = _("Coverage review")
GAPS = ngettext("{n} gap", "{n} gaps", 2)
DOTTED = i18n.msg("Moved to {name}", name=LABEL)
NESTED = _(msg("Nothing to show"))
JOINED = msg("Two lines "
             "written as one")
SHOWN = _(LABEL)
FROM_A_TABLE = _({"impacted": LABEL}["impacted"])


def ngettext(singular, plural, n):  # a marker's own body passes its caller's id on
    return nmsg(singular, plural, n)
'''
# Each a line of its own after SAMPLE: the check must report every one.
UNEXTRACTABLE = [
    '_(f"Hello {LABEL}")',
    "msg(LABEL)",
    'N_("Impacted " + LABEL)',
    '_("Yes" if LABEL else "No")',
    '_("{} items".format(3))',
    'nmsg("{n} item", PLURAL, 3)',
    "ngettext()",
]


def test_the_check_finds_every_literal_id_and_reports_every_built_one(tmp_path):
    (tmp_path / "orgkit").mkdir()
    lines = SAMPLE.splitlines()
    (tmp_path / "orgkit" / "sample.py").write_text("\n".join([*lines, *UNEXTRACTABLE]) + "\n")
    calls = MarkerCalls(markers())
    calls.visit(ast.parse(SAMPLE))
    assert [message for _line, message in calls.ids] == [
        "Directly impacted people", "is {n} characters; the limit is {limit}",
        ("{n} item", "{n} items"), "Coverage review", ("{n} gap", "{n} gaps"),
        "Moved to {name}", "Nothing to show", "Two lines written as one"]
    problems = unextracted(tmp_path)
    first = len(lines) + 1
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"orgkit/sample.py:{first + n}" for n in range(len(UNEXTRACTABLE))]
    assert "an id must be a literal string" in problems[0]


def test_templates_are_extracted_with_trans_blocks_and_calls(tmp_path):
    folder = tmp_path / "orgkit" / "handout" / "templates"
    folder.mkdir(parents=True)
    (folder / "sample.html").write_text(
        '<h1>{{ _("Coverage review") }}</h1>\n'
        "<p>{% trans date=today %}Prepared on {{ date }}{% endtrans %}</p>\n"
        "<p>{% trans count=gaps|length %}{{ count }} gap{% pluralize %}{{ count }} gaps"
        "{% endtrans %}</p>\n")
    found, _read = extract(tmp_path)
    assert found == {"orgkit/handout/templates/sample.html": {
        "Coverage review", "Prepared on %(date)s", ("%(count)s gap", "%(count)s gaps")}}


def test_a_template_the_extractor_cannot_read_fails_the_extraction(tmp_path):
    folder = tmp_path / "orgkit" / "handout" / "templates"
    folder.mkdir(parents=True)
    (folder / "broken.html").write_text("{% trans %}Never closed")
    with pytest.raises(Exception, match="unclosed translation block"):
        extract(tmp_path)
