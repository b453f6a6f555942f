"""Time the map's heavy paths on a throwaway SQLite file (or ORGKIT_BENCH_URL for PostgreSQL):
preview + apply of a 10,000-row entries CSV, the XLSX export of it, one 50-row table save, and a
3,380-row relationship CSV shaped like BuzzFeed News' TrumpWorld (Entity A Type, Entity A, Entity B
Type, Entity B, Connection) through the mapping step into an empty map (goal: <= 2 s in all).

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


CONNECTIONS = ["Ownership", "Investor", "Director", "Business associate", "Family", "Married",
               "Employee", "Donor", "Board member", "Subsidiary", "Lender", ""]


def trumpworld_csv(rows: int = 3_380, seed: int = 21) -> bytes:
    """A relationship file shaped like BuzzFeed News' TrumpWorld (`Entity A Type, Entity A,
    Entity B Type, Entity B, Connection`): 2,669 people, organizations and agencies, each with
    one Type, joined by `rows` connections (a few repeated), generated the same way every run."""
    import random

    pick = random.Random(seed)
    types = ["Person", "Organization", "Federal Agency"]
    entities = [(types[0 if n < 1400 else 1 if n < 2600 else 2],
                 f"ENTITY {n} {'LLC' if 1400 <= n < 2600 else ''}".strip()) for n in range(2_669)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Entity A Type", "Entity A", "Entity B Type", "Entity B", "Connection"])
    for i in range(rows):
        a = entities[i % len(entities)]  # every entity at least once
        b = entities[(i * 7 + 1 + pick.randrange(len(entities) - 1)) % len(entities)]
        if b == a:
            b = entities[(entities.index(a) + 1) % len(entities)]
        writer.writerow([a[0], a[1], b[0], b[1], pick.choice(CONNECTIONS)])
    return out.getvalue().encode()


def relationship_csv(store, actor, rows: int = 3_380, goal_s: float = 2.0) -> None:
    """The TrumpWorld-shaped file through the mapping step as the page runs it: inspected (the
    two ends and their Types guessed from the headers), previewed under the guessed mapping,
    previewed again after one change of a connection type's kind, and imported."""
    map_id = maps.create_map(store, actor, "Investigation")["id"]
    data = trumpworld_csv(rows)
    start = time.perf_counter()
    inspection = timed(f"relationship CSV ({rows} rows): inspect", lambda: imports.inspect_upload(
        store, actor, map_id, [("trumpworld.csv", data)]))
    assert inspection.mapping.connections and not inspection.mapping.elements
    timed("  preview under the guessed mapping", lambda: imports.preview_mapped(
        store, actor, map_id, inspection, inspection.mapping))
    inspection.mapping.kinds["Lender"] = "funds"
    preview = timed("  preview after a mapping change", lambda: imports.preview_mapped(
        store, actor, map_id, inspection, inspection.mapping))
    assert preview.ok, preview.problems[:3]
    timed("  apply (one transaction)", lambda: imports.apply_import(store, actor, map_id, preview))
    total = time.perf_counter() - start
    print(f"  {len(preview.entries)} entries, {len(preview.links)} links, "
          f"{preview.links_merged} merged, {preview.loops} loops left out: {total:.2f} s "
          f"(goal <= {goal_s:.0f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
