"""The architecture's one-way imports, checked on the source: only orgkit/ui imports streamlit,
and only orgkit/storage speaks SQL; every widget the pages draw has a key; a service reaches
another capability's data only through that capability's service; no two modules, nor two
folders, import each other (counting imports inside functions); and no import runs up the layers
pages -> orgkit.ui -> services -> models -> domain, with orgkit.storage under the services."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
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


PACKAGES = ("board", "map", "coverage", "workshop", "session", "commitments")
MODELS = [ROOT / "orgkit" / package / "model.py" for package in PACKAGES]
# The store's repositories (`self.maps = MapRepo(...)`), read off the Store's source so a new one is
# covered the day it lands.
REPOSITORIES = frozenset(re.findall(r"self\.(\w+) = \w+Repo\(",
                                    (ROOT / "orgkit" / "storage" / "__init__.py").read_text()))
STREAMLIT_SIDE = [*sorted((ROOT / "orgkit" / "ui").glob("*.py")),
                  *sorted((ROOT / "pages").glob("*.py")), ROOT / "home.py"]


def _imported(path: Path) -> set[str]:
    """Every module a file imports, absolute, with a relative import resolved from its package."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[:len(parts) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_every_capability_has_a_model_and_a_service():
    for package in PACKAGES:
        assert {"model.py", "service.py"} <= {p.name for p in (ROOT / "orgkit" / package).iterdir()}


@pytest.mark.parametrize("model", MODELS, ids=_relative)
def test_a_model_imports_no_storage_no_service_and_no_streamlit(model):
    banned = [m for m in _imported(model)
              if m.startswith(("orgkit.storage", "orgkit.ui", "streamlit"))
              or m.endswith(".service") or ".service." in m]
    assert banned == []


@pytest.mark.parametrize("model", MODELS, ids=_relative)
def test_importing_a_model_loads_no_storage_and_no_streamlit(model):
    """What the model imports, all the way down (an import of a module that imports storage
    counts), in a fresh interpreter."""
    module = ".".join(model.relative_to(ROOT).with_suffix("").parts)
    probe = (f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith("
             "('orgkit.storage', 'orgkit.ui', 'streamlit')) or m.endswith('.service')))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    assert loaded == "[]"


def _repository_calls(path: Path) -> list[str]:
    """Every `<something>.<repository>` (`ctx.store.maps`, `store_.workshops`, `s.boards`), and
    `.db` / `.atomic`, on anything but a module the file imports (`maps.team_maps` is a service
    call): a page reaching past a service, whatever it calls the store."""
    tree = ast.parse(path.read_text())
    modules = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
               if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
    return [f"line {node.lineno}: {ast.unparse(node)}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in REPOSITORIES | {"db", "atomic"}
            and not (isinstance(node.value, ast.Name) and node.value.id in modules)]


@pytest.mark.parametrize("path", STREAMLIT_SIDE, ids=_relative)
def test_pages_and_the_ui_reach_data_only_through_services(path):
    assert _repository_calls(path) == []


# Every widget, and every container that keeps a state (open or closed, the open tab), by the
# name Streamlit gives its function; `st.form`'s key is its first argument.
WIDGETS = frozenset({
    "audio_input", "button", "camera_input", "chat_input", "checkbox", "color_picker",
    "data_editor", "date_input", "download_button", "expander", "feedback", "file_uploader",
    "form", "form_submit_button", "multiselect", "number_input", "pills", "plotly_chart",
    "popover", "radio", "segmented_control", "select_slider", "selectbox", "slider", "tabs",
    "text_area", "text_input", "time_input", "toggle"})


def _unkeyed_widgets(path: Path) -> list[str]:
    """`<anything>.<widget>(...)` with no key (or key=None): a widget keyed by its label and
    arguments loses its state when any of them changes, and two alike raise DuplicateWidgetID."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in WIDGETS:
            key = next((k.value for k in node.keywords if k.arg == "key"), None)
            if key is None and node.func.attr == "form" and node.args:
                key = node.args[0]
            if key is None or (isinstance(key, ast.Constant) and key.value is None):
                found.append(f"line {node.lineno}: {node.func.attr}")
    return found


@pytest.mark.parametrize("path", STREAMLIT_SIDE, ids=_relative)
def test_every_widget_has_a_key(path):
    assert _unkeyed_widgets(path) == []


# -- services, cycles and layers ---------------------------------------------------------------

# Which capability (folder) owns each repository of the store: only its own modules touch it, and
# another capability's service goes through that capability's service. Taking a workshop's
# copies (workshop/backups.py) and putting them back (backup/) share the backups repository.
REPOSITORY_OWNERS = {"workshops": {"workshop"}, "maps": {"map"}, "boards": {"board"},
                     "backups": {"workshop", "backup"}, "sessions": {"session"},
                     "commitments": {"commitments"}, "followup": {"followup"}}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in CORE}
PAGES = {_module_name(p): p for p in [ROOT / "home.py", *sorted((ROOT / "pages").glob("*.py"))]}


def _edges(path: Path) -> set[str]:
    """The orgkit modules a file imports, anywhere in it (inside functions too): `from x import
    y` counts as x.y when that is a module, else as x."""
    package = _module_name(path) if path.name == "__init__.py" else \
        _module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level \
                else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names = [f"{module}.{a.name}" if f"{module}.{a.name}" in MODULES else module
                     for a in node.names]
        else:
            continue
        found.update(n for n in names if n in MODULES)
    return found - {_module_name(path)}


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for name, path in {**MODULES, **PAGES}.items():
        graph.add_node(name)
        graph.add_edges_from((name, imported) for imported in _edges(path))
    return graph


def _folder(module: str) -> str:
    """A module's folder: orgkit.map.service -> orgkit.map; a module at the top stands alone."""
    return ".".join(module.split(".")[:2])


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    return sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)


def folder_graph(graph: nx.DiGraph) -> nx.DiGraph:
    folders = nx.DiGraph()
    folders.add_edges_from((_folder(a), _folder(b)) for a, b in graph.edges
                           if _folder(a) != _folder(b))
    return folders


def test_no_two_modules_import_each_other_even_inside_a_function():
    assert cycles(import_graph()) == []


def test_no_two_folders_import_each_other():
    assert cycles(folder_graph(import_graph())) == []


# The layers, top first. A module may import its own layer and any below; orgkit.storage is
# imported only by services (and itself) and imports only the domain.
PAGE, UI, SERVICE, STORAGE, MODEL, DOMAIN = "page", "ui", "service", "storage", "model", "domain"
RANK = {PAGE: 6, UI: 5, SERVICE: 4, STORAGE: 3, MODEL: 2, DOMAIN: 1}
# Modules that read or write through the store beside each capability's service.py.
SERVICE_LIKE = {"orgkit.map.imports", "orgkit.map.exports", "orgkit.map.crm",
                "orgkit.map.communities", "orgkit.workshop.backups", "orgkit.backup.service",
                "orgkit.backup.__main__", "orgkit.demo", "orgkit.stores", "orgkit.identity"}
DOMAIN_MODULES = {"orgkit", "orgkit.domain", "orgkit.i18n"}


def layer(module: str) -> str:
    if module in PAGES:
        return PAGE
    if module in DOMAIN_MODULES or (MODULES[module].name == "__init__.py"
                                    and not _edges(MODULES[module])):
        return DOMAIN  # a package's docstring
    if module == "orgkit.web" or module.startswith("orgkit.ui"):
        return UI  # the HTTP edge sits with the screens
    if module.startswith("orgkit.storage"):
        return STORAGE
    if module.endswith(".service") or module in SERVICE_LIKE:
        return SERVICE
    return MODEL  # pure: models, views, file formats, templates, validation


def arrows_up(graph: nx.DiGraph) -> list[str]:
    found = []
    for importer, imported in sorted(graph.edges):
        upper, lower = layer(importer), layer(imported)
        if lower == STORAGE and upper not in (SERVICE, STORAGE) \
                or upper == STORAGE and lower not in (STORAGE, DOMAIN) \
                or RANK[lower] > RANK[upper]:
            found.append(f"{importer} ({upper}) -> {imported} ({lower})")
    return found


def test_no_import_runs_up_the_layers():
    assert arrows_up(import_graph()) == []


def _store_reaches(path: Path) -> list[tuple[str, int]]:
    """(repository, line) for every `<anything>.<repository>` in a file."""
    return [(node.attr, node.lineno) for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Attribute) and node.attr in REPOSITORY_OWNERS]


def foreign_repositories(module: str) -> list[str]:
    """Repositories of another capability that a service module touches."""
    folder = _folder(module).rpartition(".")[2]
    return [f"line {line}: store.{repo} (owned by {'/'.join(sorted(REPOSITORY_OWNERS[repo]))})"
            for repo, line in _store_reaches(MODULES[module])
            if folder not in REPOSITORY_OWNERS[repo]]


def test_every_repository_has_an_owner():
    assert set(REPOSITORY_OWNERS) == REPOSITORIES


@pytest.mark.parametrize("module", sorted(m for m in MODULES
                                          if layer(m) == SERVICE and m.count(".") == 2),
                         ids=str)
def test_a_service_reaches_another_capabilitys_data_only_through_its_service(module):
    assert foreign_repositories(module) == []
