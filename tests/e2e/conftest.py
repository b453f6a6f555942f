"""The browser tier's machinery: a real Streamlit server (or two behind nginx) started for the
test, Chromium driven by Playwright, screenshots kept, and the demo facilitator's moves.

The load benchmarks start the same servers and browser (benchmarks/*.py import this module), so
what they measure is what these tests check.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import DEMO_CODE, DEMO_PIN, ROOT, free_port

from orgkit.domain import Actor, Role
from orgkit.storage import Store, open_store


class StreamlitServer:
    """`streamlit run app.py` on a free port with its own database; stopped after the test.

    `cpus` pins the server to those cores (taskset's list, e.g. "0"), so a load benchmark measures
    one core's worth of server while its client runs elsewhere; `port` restarts a server where
    its phones left it; `script` runs another app (a benchmark's floor). The demo loads
    (ORGKIT_DEMO=1) unless `env` says otherwise."""

    def __init__(self, database_url: str, log_dir: Path, port: int | None = None, *,
                 cpus: str | None = None, env: dict[str, str] | None = None,
                 script: str = "app.py"):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        env = {**os.environ, "ORGKIT_DATABASE_URL": database_url, "ORGKIT_DEMO": "1",
               **(env or {})}
        self.log = open(log_dir / f"streamlit-{self.port}.log", "a")
        pin = ["taskset", "-c", cpus] if cpus else []
        self.proc = subprocess.Popen(
            [*pin, sys.executable, "-m", "streamlit", "run", script,
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
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
    from playwright.sync_api import expect, sync_playwright

    if not os.path.exists(CHROMIUM):
        raise RuntimeError("Chromium is missing: scripts/test installs Debian's chromium package")
    # Playwright's assertions give up after 5 s, its waits after 30 s. In a full run a page's run
    # can take longer than 5 s (a table's save answer did, beside the untimed browser tests):
    # assertions wait as long as the waits. A timing the product owes is asserted with its own
    # bound, never with this default.
    expect.set_options(timeout=30_000)
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def wait_for_run(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script, as its own browser tests do."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]",
                           timeout=timeout)


# True once the page's main part has kept its height for ten frames in a row (checked each frame;
# its count lives on the window between checks).
STILL_JS = """() => {
  const height = document.querySelector('[data-testid=stMain]').scrollHeight;
  const still = window.__okStill ||= {last: -1, same: 0};
  still.same = height === still.last ? still.same + 1 : 0;
  still.last = height;
  return still.same >= 10;
}"""


def wait_still(page, timeout: float = 30_000) -> None:
    """Wait until the page stops growing (an expander opening animates its height): the
    browser's scroll anchoring moves what is under the pointer meanwhile, so a click aimed at a
    button can press it and be released on the element below (seen: a double click on Create
    board landing on the Board select's label). Bounded: a page that never settles fails here."""
    page.evaluate("() => { window.__okStill = null; }")
    page.wait_for_function(STILL_JS, polling="raf", timeout=timeout)


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


def demo_facilitator(store: Store) -> Actor:
    """The facilitator of the demo workshop in `store`, loading the demo first if it is not there
    yet (the app would load it on its first run; a test that reads it first loads it itself)."""
    from orgkit.demo import ensure_demo

    ensure_demo(store)
    return Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])


@pytest.fixture
def demo_room(server, sqlite_url):
    """The started server's demo store and its facilitator, for a test that moves the room."""
    store = open_store(sqlite_url)
    yield store, demo_facilitator(store)
    store.close()


def open_facilitate(browser, server, run_waiter, viewport=None, **context):
    """The Facilitate page in a new browser context (1920×1080 unless `viewport` says), unlocked
    with the demo's PIN and drawn; its context holds the facilitator's other tabs."""
    page = browser.new_context(viewport=viewport or {"width": 1920, "height": 1080},
                               **context).new_page()
    page.goto(f"{server.base}/facilitate?code={DEMO_CODE}")
    run_waiter(page)
    unlock_in_browser(page)
    run_waiter(page)
    page.get_by_text("Brainstorm boards").wait_for()
    return page


def unlock_in_browser(page) -> None:
    """Type the demo's PIN into the page's unlock form and send it, as a facilitator does."""
    page.get_by_label("Facilitator PIN").fill(DEMO_PIN)
    page.get_by_role("button", name="Unlock facilitator tools").click()

