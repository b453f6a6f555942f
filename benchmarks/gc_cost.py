"""What Streamlit's post-run garbage collection (runner.postScriptGC) would cost OrgKit per rerun.

With the option on, Streamlit's ScriptRunner calls gc.collect(2) after every script run and every
fragment rerun, so every projector poll pays one full collection. This script loads what a real
OrgKit server holds (streamlit, pandas, plotly, every page run once against the demo) and then
times that exact call. (AppTest's runner skips the post-run collection, so a rerun timed through
AppTest would not show it; the call is timed directly instead.)

Run: python benchmarks/gc_cost.py [--runs 30]
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    os.environ["ORGKIT_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/gc.db"
    from streamlit.testing.v1 import AppTest

    warmed = []
    for page in ["home.py", *PAGES]:
        for params in ({"code": "PARTNR"}, {"map": "demo-northside"}):
            at = AppTest.from_file(str(ROOT / "home.py"), default_timeout=120)
            if page != "home.py":
                at.switch_page(page)
            for key, value in params.items():
                at.query_params[key] = value
            warmed.append(at.run())  # keep them alive, as a server keeps its sessions

    samples = []
    for _ in range(args.runs):
        start = time.perf_counter()
        gc.collect(2)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print(f"pages run to warm the heap: {len(warmed)}")
    print(f"objects tracked by the GC:  {len(gc.get_objects()):,}")
    print(f"gc.collect(2) per rerun:    median {statistics.median(samples):.1f} ms, "
          f"p95 {samples[int(len(samples) * 0.95) - 1]:.1f} ms, min {samples[0]:.1f} ms "
          f"over {args.runs} runs")
    print(f"at a 1 s projector poll that is {statistics.median(samples) / 10:.1f}% of a core "
          "per projector with the option on; OrgKit sets runner.postScriptGC = false")


if __name__ == "__main__":
    main()
