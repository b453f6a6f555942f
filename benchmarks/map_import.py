"""Time the map's heavy paths on a throwaway SQLite file (or ORGKIT_BENCH_URL for PostgreSQL):
preview + apply of a 10,000-row entries CSV, the XLSX export of it, one 50-row table save, and a
3,380-row relationship CSV (a news investigation's shape: source, source type, target, target
type, relationship) inspected, mapped and imported into an empty map (goal: <= 2 s in all).

Usage: python benchmarks/map_import.py [rows]
"""
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orgkit.domain import Actor, Role  # noqa: E402
from orgkit.map import service as maps
from orgkit.map import exports
from orgkit.map import imports
from orgkit.storage import open_store  # noqa: E402
from orgkit.workshop import service as workshops  # noqa: E402


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<40} {1000 * (time.perf_counter() - start):8.0f} ms")
    return result


def main(rows: int) -> None:
    url = os.environ.get("ORGKIT_BENCH_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    store = open_store(url)
    workshop = workshops.create_workshop(store, "Bench", None, "bench-pin-1")
    actor = Actor(Role.FACILITATOR, workshop.id)
    map_id = maps.create_map(store, actor, "Bench team")["id"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "level", "stage", "constituencies", "contact", "next_step_on"])
    for i in range(rows):
        writer.writerow([f"Person {i}", "impacted", "contacted", "Tenants; Seniors",
                         f"555-{i:04d}", "2026-06-01"])
    data = out.getvalue().encode()
    print(f"{store.db.engine}, {rows} rows, {len(data) // 1024} KB CSV")
    preview = timed("preview (parse + validate)", lambda: imports.preview_import(
        store, actor, map_id, "bench.csv", data, "entries"))
    timed("apply (one transaction)", lambda: imports.apply_import(store, actor, map_id, preview))
    timed("export XLSX (3 sheets)", lambda: exports.export_xlsx(store, actor, map_id))
    timed("load the map, one level's entries",
          lambda: maps.load_map(store, actor, map_id).level("impacted"))
    loaded = maps.load_map(store, actor, map_id).level("impacted")[:50]
    delta = {"edited_rows": {i: {"stage": "engaged"} for i in range(50)}}
    timed("table save: 50 edited rows", lambda: maps.apply_table_edit(
        store, actor, map_id, "impacted", loaded, delta))

    relationship_csv(store, actor)


def relationship_csv(store, actor, rows: int = 3_380, goal_s: float = 2.0) -> None:
    """Entities come from the rows: about 1,100 people and companies, 3,380 connections, with
    repeats (merged) and names at odd spacing, as the investigation's file has them."""
    map_id = maps.create_map(store, actor, "Investigation")["id"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["source", "source type", "target", "target type", "relationship"])
    relationships = ["employee", "donor", "board member", "family", "", "business partner"]
    for i in range(rows):
        writer.writerow([f"Person  {i % 800}", "person", f"Company {(i * 7) % 300}", "company",
                         relationships[i % len(relationships)]])
    data = out.getvalue().encode()
    start = time.perf_counter()
    inspection = timed(f"relationship CSV ({rows} rows): inspect", lambda: imports.inspect_upload(
        store, actor, map_id, [("investigation.csv", data)]))
    preview = timed("  preview under the guessed mapping", lambda: imports.preview_mapped(
        store, actor, map_id, inspection, inspection.mapping))
    assert preview.ok, preview.problems[:3]
    timed("  apply (one transaction)", lambda: imports.apply_import(store, actor, map_id, preview))
    total = time.perf_counter() - start
    print(f"  {len(preview.entries)} entries, {len(preview.links)} links, "
          f"{preview.links_merged} merged: {total:.2f} s (goal <= {goal_s:.0f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
