"""Shared fixtures: a fresh real database per test (SQLite file or PostgreSQL database), a real
PostgreSQL 15 cluster started by this test session, a real Streamlit server, and Chromium.

Nothing here mocks our storage. The PostgreSQL cluster is created with initdb in a temporary
folder; as root (CI), the server runs as the unprivileged `postgres` user (or `nobody`). If the
cluster cannot start, PostgreSQL cases fail loudly: they never skip.
"""
from __future__ import annotations

import contextlib
import glob
import io
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orgkit.domain import Actor, Role  # noqa: E402
from orgkit.storage import Store, open_store  # noqa: E402

ENGINES = ["sqlite", "postgresql"]
_counter = itertools.count()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- PostgreSQL ------------------------------------------------------------------------------

def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found or not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (scripts/test installs it)")
    return found[-1]


class PostgresCluster:
    """A throwaway PostgreSQL cluster on a free loopback port."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="orgkit-pg-"))
        self.port = free_port()
        self.user_kwargs: dict = {}
        if os.geteuid() == 0:  # initdb refuses root: run the server as an unprivileged user
            account = next((n for n in ("postgres", "nobody") if _has_user(n)))
            entry = pwd.getpwnam(account)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
            self.user_kwargs = {"user": entry.pw_uid, "group": entry.pw_gid}
        data = self.dir / "data"
        self._run([_pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                   "-E", "UTF8", "--no-sync"])
        self._run([_pg_bin("pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"), "-w", "-t", "60",
                   "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                         "-c max_connections=300 -c fsync=off -c full_page_writes=off", "start"])
        self.data = data

    def _run(self, cmd: list[str]) -> None:
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=self.dir,
                                **self.user_kwargs)
        if result.returncode != 0:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            raise RuntimeError(f"{cmd[0]} failed: {result.stdout}\n{result.stderr}\n{log}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        import psycopg

        name = f"orgkit_test_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run([_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = PostgresCluster()  # raises (test errors) when the server cannot start
    yield cluster
    cluster.stop()


def joined(store: Store, board_id: int) -> int:
    """How many participants joined the board's workshop, as its projector counts them (the
    second figure of the poll every projector run reads)."""
    return store.boards.poll(board_id)[1]


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """An XLSX file written for a test: {sheet title: rows}, in order."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- hostile text ------------------------------------------------------------------------------

MEGABYTE = "x" * 1_000_000
# Pieces of what a person, a file or a link could carry: control, bidirectional and zero-width
# characters, lone surrogates, Markdown and HTML, Streamlit's directives, bare URLs, formula
# prefixes, a megabyte (tests/reliability/test_hostile_input.py, tests/unit/test_markdown.py).
HOSTILE_FRAGMENTS = [
    "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\r\n", "\t", "\u200b", "\u200d", "\ufeff",
    "\u2060", "\u3164", "\u2800", "\u202e", "\u2066", "\u061c", "\ud800", "\udfff", " ",
    "**bold**", "# heading", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "[click](http://evil.example)", "![img](http://evil.example/p.png)", ":material/warning:",
    ":red[alarm]", ":blue-background[x]", "http://evil.example", "www.evil.example",
    "=HYPERLINK(\"http://evil.example\")", "+1", "-2", "@SUM(A1)", "$x$", "`code`", "|a|b|",
    "Ana", "Tenants", "é", "e\u0301", "日本", "🙂", MEGABYTE,
]
# Query parameter values for every page (tests/reliability/test_hostile_pages.py); the first six
# are Markdown or Streamlit markup. (A lone surrogate cannot arrive in a URL: the server decodes
# the address as UTF-8 bytes.)
HOSTILE_PARAMS = ["[evil](http://evil.example)", "![evil](http://evil.example/x.png)",
                  "<b>evil</b>", ":material/warning:", ":red[evil]", "http://evil.example",
                  "# evil", "%ED%A0%80", "\u200b", "\x00", "=HYPERLINK(1)", "x" * 100_000,
                  "9" * 30, "-1", "PARTNR\u202e"]

# -- hostile text in HTML documents -----------------------------------------------------------

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


# -- databases -------------------------------------------------------------------------------

@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'orgkit.db'}"


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path) -> str:
    """A fresh, empty database URL: once for SQLite, once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'orgkit.db'}"
    return request.getfixturevalue("pg_cluster").new_database()


@pytest.fixture
def store(db_url) -> Store:
    """A migrated, empty store on each engine."""
    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def importer(store):
    """A team member of a fresh map, the one who imports files into it: (store, actor, map id)."""
    from orgkit.map import service as maps
    from orgkit.workshop import service as workshops

    workshop = workshops.create_workshop(store, "Seminar", None, "pin-123456")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    map_id = maps.create_map(store, facilitator, "Northside")["id"]
    return store, Actor(Role.TEAM_MEMBER, workshop.id, map_id=map_id), map_id


@pytest.fixture(autouse=True)
def _backups_in_tmp(tmp_path, monkeypatch):
    """Automatic backups (before a migration, a restore, a delete) go to the test's own folder:
    a PostgreSQL store's default folder is the project's data/backups."""
    monkeypatch.setenv("ORGKIT_BACKUP_DIR", str(tmp_path / "backups"))


@pytest.fixture
def app_env(sqlite_url, monkeypatch) -> str:
    """Point the app (AppTest or a server) at a fresh SQLite file; the demo loads on first use
    (ORGKIT_DEMO=1: a database named by ORGKIT_DATABASE_URL gets no demo unless asked)."""
    monkeypatch.setenv("ORGKIT_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("ORGKIT_DEMO", "1")  # a custom database URL gets no demo unless asked
    return sqlite_url


# -- a real Streamlit server and Chromium ---------------------------------------------------

class StreamlitServer:
    """`streamlit run app.py` on a free port with its own database; stopped after the test.

    `cpus` pins the server to those cores (taskset's list, e.g. "0"), so a load benchmark measures
    one core's worth of server while its client runs elsewhere; `port` restarts a server where
    its phones left it. The demo loads (ORGKIT_DEMO=1) unless `env` says otherwise."""

    def __init__(self, database_url: str, log_dir: Path, port: int | None = None, *,
                 cpus: str | None = None, env: dict[str, str] | None = None):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        env = {**os.environ, "ORGKIT_DATABASE_URL": database_url, "ORGKIT_DEMO": "1",
               **(env or {})}
        self.log = open(log_dir / f"streamlit-{self.port}.log", "a")
        pin = ["taskset", "-c", cpus] if cpus else []
        self.proc = subprocess.Popen(
            [*pin, sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {self.log.name}")

    def stop(self) -> None:
        self.proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(10)
        if self.proc.poll() is None:
            self.proc.kill()
        self.log.close()


@pytest.fixture
def server(sqlite_url, tmp_path):
    """A freshly started server: nobody has opened any page of it yet."""
    started = StreamlitServer(sqlite_url, tmp_path)
    yield started
    started.stop()


class ProxiedServers:
    """scripts/serve_many.py for real: N app processes behind Debian's nginx on one port."""

    def __init__(self, database_url: str, processes: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "serve_many.py"), "--processes",
             str(processes), "--listen", f"127.0.0.1:{self.port}", "--database-url",
             database_url, "--debug-upstream"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.banner = self.proc.stdout.readline()
        if "serving on" not in self.banner:
            self.stop()
            raise RuntimeError(f"serve_many did not start: {self.banner}")
        self.app_ports = self.banner.split("(ports ", 1)[1].split(")", 1)[0].split(", ")

    def stop(self) -> None:
        self.proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(20)
        if self.proc.poll() is None:
            self.proc.kill()


@pytest.fixture
def proxied(sqlite_url):
    started = ProxiedServers(sqlite_url)
    yield started
    started.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise RuntimeError("Chromium is missing: scripts/test installs Debian's chromium package")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def wait_for_run(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script, as its own browser tests do."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                           timeout=timeout)


@pytest.fixture
def keep_shot(tmp_path):
    """`keep_shot(page_or_locator, "name.png", full_page=...)` saves a screenshot (or, given a
    Path, an existing picture) under the test's tmp_path; with ORGKIT_SHOTS_DIR set it also copies
    it there, so a person can look at the pictures of a whole run in one folder."""
    keep_dir = os.environ.get("ORGKIT_SHOTS_DIR")

    def keep(source, name: str, **options) -> Path:
        path = tmp_path / name
        if isinstance(source, Path):
            shutil.copy(source, path)
        else:
            source.screenshot(path=str(path), **options)
        if keep_dir:
            Path(keep_dir).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(keep_dir) / name)
        return path

    return keep


@pytest.fixture
def run_waiter():
    """`wait(page)` blocks until the page's script run has ended."""
    return wait_for_run


# -- AppTest ---------------------------------------------------------------------------------

DEMO_CODE = "PARTNR"
DEMO_PIN = "demo-pin-2026"


def demo_facilitator(store: Store) -> Actor:
    """The facilitator of the demo workshop in `store`, loading the demo first if it is not there
    yet (the app would load it on its first run; a test that reads it first loads it itself)."""
    from orgkit.demo import ensure_demo

    ensure_demo(store)
    return Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])


def unlock_in_browser(page) -> None:
    """Type the demo's PIN into the page's unlock form and send it, as a facilitator does."""
    page.get_by_label("Facilitator PIN").fill(DEMO_PIN)
    page.get_by_role("button", name="Unlock facilitator tools").click()
DEMO_MAP_TOKEN = "demo-northside"


def _page_opener(database_url: str):
    """Run one page in AppTest as a role: `open(path, map=...)`, `facilitator=True` (this session
    unlocked the workshop) or `participant=True` (joined, token in the URL).

    AppTest starts at home.py (so page links resolve) and switches to the page; the database
    (ORGKIT_DATABASE_URL, set by the fixture) holds the demo."""
    from streamlit.testing.v1 import AppTest

    from orgkit.demo import ensure_demo
    from orgkit.storage import open_store
    from orgkit.workshop.service import join

    def run(path: str, *, facilitator: bool = False, participant: bool = False, **params: str):
        at = AppTest.from_file(str(ROOT / "home.py"), default_timeout=60)
        if facilitator or participant:
            store = open_store(database_url)
            ensure_demo(store)
            code = params.setdefault("code", DEMO_CODE)
            if facilitator:
                at.session_state["orgkit_unlocked"] = {store.workshops.by_code(code)["id"]}
            else:
                params["p"] = join(store, code)[2]
        if path != "home.py":
            at.switch_page(path)
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return run


@pytest.fixture
def device_cookie(monkeypatch):
    """`device_cookie(value)`: from then on, every AppTest run of the test comes from a browser
    that sends OrgKit's remembered-device cookie with that value (orgkit/web.py sets it on a real
    browser). AppTest cannot seed cookies, which Streamlit reads from the session's client, so
    this plays the client's handshake; everything of ours (ui.device, resolve) runs as it is."""
    from types import SimpleNamespace

    from streamlit.runtime import context

    from orgkit.web import DEVICE_COOKIE

    def send(value: str) -> None:
        client = SimpleNamespace(headers=[], cookies={DEVICE_COOKIE: value}, remote_ip=None)
        monkeypatch.setattr(context, "_get_client_context", lambda: client)

    return send


@pytest.fixture
def open_page(app_env):
    """AppTest of a page on a fresh SQLite file holding the demo (see _page_opener)."""
    return _page_opener(app_env)


@pytest.fixture
def open_page_each_engine(db_url, monkeypatch):
    """The same on a fresh database of each engine: the page test runs on SQLite and PostgreSQL."""
    monkeypatch.setenv("ORGKIT_DATABASE_URL", db_url)
    return _page_opener(db_url)
