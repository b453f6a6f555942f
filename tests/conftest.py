"""What the tiers share: a fresh real database per test (SQLite file or PostgreSQL database) on
a real PostgreSQL 15 cluster started by this test session, the demo's codes, hostile text, and
AppTest pages. What one tier alone uses lives in its own conftest.py (tests/e2e: the Streamlit
server and Chromium; tests/app; tests/storage; tests/unit).

Nothing here mocks our storage. The PostgreSQL cluster is created with initdb in a temporary
folder; as root (CI), the server runs as the unprivileged `postgres` user (or `nobody`). If the
cluster cannot start, PostgreSQL cases fail loudly: they never skip.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import glob
import csv
import io
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orgkit.bidi import FSI, PDI  # noqa: E402
from orgkit.storage import Store, open_store  # noqa: E402

ENGINES = ["sqlite", "postgresql"]
_counter = itertools.count()


def unisolated(text: str) -> str:
    """A screen's text as a reader sees it: without the isolation that orgkit.bidi puts around
    user text (<bdi> in HTML, FSI … PDI in labels), so a test can compare the words."""
    return text.replace("<bdi>", "").replace("</bdi>", "").replace(FSI, "").replace(PDI, "")


def vote_labels(at) -> list[str]:
    """The phone's tap-to-vote labels in AppTest, as read (not the own items' edit chooser)."""
    return [unisolated(label) for pills in at.pills if pills.key.startswith("vote_")
            for label in pills.options]


def own_chooser(at, board_id: int):
    """The phone's chooser of its own items still in their edit window (absent when none)."""
    return next((p for p in at.pills if p.key == f"own_edit_{board_id}"), None)


BROWSER_TIER = ROOT / "tests" / "e2e"
# How scripts/test (`-n 2 --dist loadgroup --no-loadscope-reorder`: the workers take the work in
# collection order) shares the two workers. The browser tests that time what they see (a poll,
# a click, a restart) are the group "browser": one at a time on one worker, queued first, so
# they run beside the light tiers; these modules of it come first within it, the ones with the
# tightest timing (a step within its poll + 2 s, a click under load) first, beside the CPU-bound
# tiers; its last ones run beside the untimed browser tests.
TIMED_FIRST = ["test_clicks_never_lost_browser", "test_default_agenda_browser",
               "test_guided_session_browser", "test_facilitator_speed_browser",
               "test_live_board", "test_proxy_browser", "test_restart_and_offline",
               "test_room_protocol", "test_board_screens_browser", "test_startup_offline",
               "test_whole_seminar_browser", "test_seminar_browser"]
# The browser modules that time nothing (fit grids, the coverage charts, the language switch,
# editing a map, screenshots) are in no group, queued last, largest first, so whichever worker is
# free takes the next of them (a worker starts a module-scoped server of its own). They fill the
# other worker's end while "browser" finishes. In a full run on the 2-core machine "browser" held
# 15 of its 15 min while the other worker was done after 11; with these out, both end together.
UNTIMED = ["test_projector_fit_browser", "test_room_steps_fit_browser", "test_coverage_browser",
           "test_language_switch_browser", "test_map_table_editing",
           "test_eight_weeks_browser", "test_deep_link", "test_map_guide_browser",
           "test_chart_png"]


def _queue_place(item: pytest.Item) -> tuple[int, int]:
    """Where an item goes in the run: timed browser modules, the rest of "browser", the other
    tiers, then the untimed browser modules (each list in its order)."""
    if BROWSER_TIER not in item.path.parents:
        return (2, 0)
    name = item.path.stem
    if name in UNTIMED:
        return (3, UNTIMED.index(name))
    return (0, TIMED_FIRST.index(name)) if name in TIMED_FIRST else (1, 0)


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the marks (it suffixes node ids)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The timed browser tests in the group "browser" (one at a time, on one worker), and every
    test in its place in the queue (_queue_place; the sort keeps each module's own order)."""
    for item in items:
        if BROWSER_TIER in item.path.parents and item.path.stem not in UNTIMED:
            item.add_marker(pytest.mark.xdist_group("browser"))
    items.sort(key=_queue_place)


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


# Where the cluster's files go: in memory (tmpfs) when the machine has room there. A full run
# creates over 500 databases (11 MB each with their log): on this machine's disk 100 of them took
# 40 s to create and migrate, in memory 10 s, and deleting them all at the end took 24 s (the
# teardown of a full run's last test). Each test's database is dropped after it (db_url), so
# the cluster stays under 60 MB.
MEMORY_DIR = Path("/dev/shm")
MEMORY_ROOM = 2 * 1024 ** 3


def _cluster_parent() -> str | None:
    """MEMORY_DIR if it is a writable folder with MEMORY_ROOM free, else None (the temp dir)."""
    try:
        if os.access(MEMORY_DIR, os.W_OK) and shutil.disk_usage(MEMORY_DIR).free >= MEMORY_ROOM:
            return str(MEMORY_DIR)
    except OSError:
        pass
    return None


class PostgresCluster:
    """A throwaway PostgreSQL cluster on a free loopback port."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="orgkit-pg-", dir=_cluster_parent()))
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
        self._run([_pg_bin("pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"),
                   "-w", "-t", "60",
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

    def drop_database(self, url: str) -> None:
        """Drop a database new_database made, closing whatever connections a test left open."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

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


# -- the demo, and what tests read and write ----------------------------------------------------

# The demo workshop's join code and PIN, and its team map's token (data/demo_workshop.json).
DEMO_CODE = "PARTNR"
DEMO_PIN = "demo-pin-2026"
DEMO_MAP_TOKEN = "demo-northside"


def joined(store: Store, board_id: int) -> int:
    """How many participants joined the board's workshop, as its projector counts them (the
    second figure of the poll every projector run reads)."""
    return store.boards.poll(board_id)[1]


def csv_file(rows) -> bytes:
    """A UTF-8 CSV file written for a test, from its rows."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def inspect_files(importer, *files):
    """An upload of `files` (name, bytes) inspected for the `importer` fixture's map."""
    from orgkit.map import imports

    store, member, map_id = importer
    return imports.inspect_upload(store, member, map_id, list(files))


def through_edge(inner, scope: dict, hosts=None) -> list[dict]:
    """The messages orgkit.web's EdgeMiddleware sends for one request `scope` to an ASGI stand-in
    app `inner`. In a thread of its own: the browser tests of a full run leave Playwright's event
    loop running in the test thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from orgkit.web import EdgeMiddleware

    sent: list[dict] = []

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, EdgeMiddleware(inner, hosts=hosts)(scope, receive, send)).result()
    return sent


def entries_by_name(store, map_id) -> dict[str, dict]:
    """A map's stored entries, by name."""
    return {e["name"]: e for e in store.maps.entries(map_id)}


def links_named(store, map_id) -> list[tuple[str, str, str]]:
    """A map's stored links as (source name, kind, target name), sorted."""
    names = {e["id"]: e["name"] for e in store.maps.entries(map_id)}
    return sorted((names[link["source_id"]], link["kind"], names[link["target_id"]])
                  for link in store.maps.links(map_id))


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

# -- databases -------------------------------------------------------------------------------

@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'orgkit.db'}"


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database URL: once for SQLite, once for PostgreSQL (dropped after the
    test, so that the cluster holds only the databases of the tests running)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'orgkit.db'}"
        return
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.new_database()
    yield url
    cluster.drop_database(url)


@pytest.fixture
def store(db_url) -> Store:
    """A migrated, empty store on each engine."""
    opened = open_store(db_url)
    yield opened
    opened.close()


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


# -- AppTest ---------------------------------------------------------------------------------

def page_opener(database_url: str):
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
def open_page(app_env):
    """AppTest of a page on a fresh SQLite file holding the demo (see page_opener)."""
    return page_opener(app_env)


def page_protos(at) -> str:
    """Every element of an AppTest page as its protobuf text, one string (quotes unescaped)."""
    parts = []

    def walk(node):
        if (proto := getattr(node, "proto", None)) is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts).replace("\\'", "'")


class Clock:
    """A clock a test moves (`clock.now = ...`), for a store's `clock=`."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def at_hour(day, hour: int = 10) -> float:
    """Epoch seconds of `hour` o'clock on `day` (local time, as the map's dates are read)."""
    return dt.datetime.combine(day, dt.time(hour)).timestamp()


def restored_dump(dump: dict) -> dict:
    """A workshop's dump as it was before a workshop restore: the cache revisions moved on by the
    jump, and each map's history without the line that says it was restored."""
    from orgkit.storage.backups import REVISION_JUMP, REVISIONED

    return {table: [{**row, "revision": row["revision"] - REVISION_JUMP} if table in REVISIONED
                    else row for row in rows
                    if table != "map_changes" or row["change"] != "restored"]
            for table, rows in dump.items()}
