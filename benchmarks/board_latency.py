"""Submit-to-visible latency on the projector: 10 phone pages post items in Chromium against a
freshly started `streamlit run app.py`; the projector (1 s poll) records when each item appears.

Each phone stamps Date.now() as it presses Enter; a MutationObserver on the projector page stamps
Date.now() the first time the item's text is on screen. Both pages run in the same browser on this
machine, so the clocks are the same. Phones take turns (round robin) so every phone page posts.

Run: python benchmarks/board_latency.py [--items 50] [--phones 10]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

OBSERVE_JS = """() => {
  window.__seen = {};
  const scan = () => document.querySelectorAll('.ok-text').forEach(el => {
    if (!(el.textContent in window.__seen)) window.__seen[el.textContent] = Date.now(); });
  new MutationObserver(scan).observe(document.body, {childList: true, subtree: true});
  scan();
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--phones", type=int, default=10)
    args = parser.parse_args()

    from conftest import DEMO_CODE
    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, StreamlitServer, wait_for_run
    from playwright.sync_api import sync_playwright

    from orgkit.board import service as boards
    from orgkit.demo import ensure_demo
    from orgkit.domain import Actor, Role
    from orgkit.storage import open_store

    folder = Path(tempfile.mkdtemp(prefix="orgkit-latency-"))
    url = f"sqlite:///{folder / 'latency.db'}"
    store = open_store(url)
    ensure_demo(store)
    workshop = store.workshops.by_code(DEMO_CODE)
    boards.create_board(store, Actor(Role.FACILITATOR, workshop["id"]), "Latency benchmark",
                        votes_per_participant=3)
    server = StreamlitServer(url, folder)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
            projector = browser.new_page(viewport={"width": 1920, "height": 1080})
            projector.goto(f"{server.base}/projector?code={DEMO_CODE}")
            wait_for_run(projector)
            projector.get_by_text("No items yet").wait_for()
            projector.evaluate(OBSERVE_JS)
            phones = []
            for _ in range(args.phones):
                phone = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
                phone.goto(f"{server.base}/join?code={DEMO_CODE}")
                wait_for_run(phone)
                phone.wait_for_url("**p=*")
                phones.append(phone)
            sent: dict[str, float] = {}
            for n in range(args.items):
                phone = phones[n % len(phones)]
                text = f"Latency item {n}"
                field = phone.get_by_label("Your idea")
                field.fill(text)
                sent[text] = phone.evaluate("() => Date.now()")
                field.press("Enter")
                time.sleep(0.25)  # a room's pace, and time for the other pages to run
            deadline = time.time() + 30
            while time.time() < deadline:
                seen = projector.evaluate("() => window.__seen")
                if all(text in seen for text in sent):
                    break
                time.sleep(0.2)
            browser.close()
    finally:
        server.stop()
        store.close()

    missing = [text for text in sent if text not in seen]
    latencies = sorted((seen[text] - at) / 1000 for text, at in sent.items() if text in seen)
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    print(f"{len(latencies)} items from {args.phones} phone pages, projector poll 1 s")
    print(f"submit-to-visible  p50 {statistics.median(latencies):.2f} s   p95 {p95:.2f} s   "
          f"max {latencies[-1]:.2f} s")
    print("goal: p95 <= 1.2 s" + (f"; MISSING on the projector: {missing}" if missing else ""))


if __name__ == "__main__":
    main()
