"""Server CPU per projector poll, measured on a real server with real browsers polling.

benchmarks/board_poll.py times the poll's own work in-process. This one measures everything the
server spends on a poll: Streamlit's fragment rerun, the revision read, the cached block, protobuf
and the websocket send. It seeds a board with --items items, starts `streamlit run app.py`, opens
--projectors projector pages in Chromium (each polls every second), lets them run for --seconds,
and reads the server process's CPU time (utime + stime from /proc) over that window. Polls are
counted from the browser side: each poll's result arrives as websocket frames, and the page's
"script finished" frames are counted per second. CPU time is what the server burned, whatever
else the machine was doing, so the figure holds on a shared machine.

Run: python benchmarks/projector_load.py [--projectors 5] [--items 1000] [--seconds 20]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projectors", type=int, default=5)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()

    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer, wait_for_run
    from playwright.sync_api import sync_playwright
    from seeding import seeded_board

    folder = Path(tempfile.mkdtemp(prefix="orgkit-load-"))
    url = f"sqlite:///{folder / 'load.db'}"
    store, workshop, _, _ = seeded_board(url, args.items, phones=30)

    server = StreamlitServer(url, folder)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            frames = {"count": 0}
            pages = []
            for _ in range(args.projectors):
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.on("websocket", lambda ws: ws.on(
                    "framereceived",
                    lambda _payload: frames.__setitem__("count", frames["count"] + 1)))
                page.goto(f"{server.base}/projector?code={workshop.join_code}")
                wait_for_run(page, timeout=120_000)
                pages.append(page)
            # Playwright's sync API delivers events only while it is called: wait through it.
            pages[0].wait_for_timeout(3000)  # every projector is polling now
            frames["count"] = 0
            cpu_before, wall_before = cpu_seconds(server.proc.pid), time.monotonic()
            pages[0].wait_for_timeout(args.seconds * 1000)
            cpu = cpu_seconds(server.proc.pid) - cpu_before
            wall = time.monotonic() - wall_before
            received = frames["count"]
            browser.close()
        rss = rss_mb(server.proc.pid)
    finally:
        server.stop()
        store.close()

    expected_polls = args.projectors * wall  # run_every=1 s per projector
    print(f"{args.projectors} projectors, {args.items} items, {wall:.1f} s window")
    print(f"server CPU: {cpu:.2f} s = {100 * cpu / wall:.1f}% of one core; RSS {rss:.0f} MB")
    print(f"websocket frames received by the projectors: {received} "
          f"({received / expected_polls:.1f} per expected poll)")
    print(f"server CPU per poll: {1000 * cpu / expected_polls:.2f} ms "
          f"(over {expected_polls:.0f} polls at one per second per projector)")


if __name__ == "__main__":
    main()
