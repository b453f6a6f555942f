"""Concurrent writers through the core, next to a raw driver doing the same commits.

100 writers (threads, as Streamlit runs one thread per script run) each post 10 items to one
board through `boards.add_item`; the baseline does the same commits with the bare driver
(sqlite3 / psycopg, one connection per writer): bump the board's revision, insert the item,
commit. Prints items written of items sent, errors, items per second for both, and the ratio.
Goal: 1,000 of 1,000, no error, core >= 0.5x the raw baseline.

Run: python benchmarks/lost_writes.py [--writers 100] [--items 10] [--database-url URL]
(default a fresh SQLite file; pass a postgresql:// URL for PostgreSQL)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orgkit.board import service as boards  # noqa: E402
from orgkit.domain import Actor, Role  # noqa: E402
from orgkit.storage import Store  # noqa: E402
from orgkit.workshop import service as workshops  # noqa: E402

GOAL_RATIO = 0.5


def _run_threads(count: int, work) -> tuple[float, list[BaseException]]:
    """Start `count` threads together on work(n); return (seconds, errors raised)."""
    errors: list[BaseException] = []
    start = threading.Barrier(count + 1)

    def run(n: int) -> None:
        start.wait()
        try:
            work(n)
        except BaseException as exc:  # counted, never swallowed: the caller reports them
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, errors


def core_storm(store: Store, writers: int, items: int) -> tuple[int, float, list[BaseException]]:
    """`writers` participants each add `items` items to one new board through the core.

    Returns (board id, seconds, errors)."""
    workshop = workshops.create_workshop(store, "Write storm", None, "storm-pin-123")
    board = boards.create_board(store, Actor(Role.FACILITATOR, workshop.id), "Storm")
    actors = [workshops.join(store, workshop.join_code)[1] for _ in range(writers)]

    def write(n: int) -> None:
        for i in range(items):
            boards.add_item(store, actors[n], board.id, f"Writer {n} item {i}",
                            idempotency_key=f"w{n}-{i}")

    seconds, errors = _run_threads(writers, write)
    return board.id, seconds, errors


def raw_storm(store: Store, board_id: int, writers: int, items: int) -> tuple[float, list]:
    """The same commits with the bare driver, one connection per writer."""
    db = store.db
    if db.engine == "sqlite":
        import sqlite3

        def connect():
            conn = sqlite3.connect(db.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn, "BEGIN IMMEDIATE", "?"
    else:
        import psycopg

        def connect():
            return psycopg.connect(db.dsn, autocommit=True), "BEGIN", "%s"

    def write(n: int) -> None:
        conn, begin, mark = connect()
        try:
            for i in range(items):
                conn.execute(begin)
                conn.execute(f"UPDATE boards SET revision = revision + 1 WHERE id = {mark}",
                             (board_id,))
                conn.execute("INSERT INTO items (board_id, text, created_at, updated_at) "
                             f"VALUES ({mark}, {mark}, {mark}, {mark})",
                             (board_id, f"raw {n} {i}", time.time(), time.time()))
                conn.execute("COMMIT")
        finally:
            conn.close()

    return _run_threads(writers, write)


def main() -> None:
    from orgkit.storage import open_store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=100)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/storm.db")
    args = parser.parse_args()
    store = open_store(args.database_url)
    sent = args.writers * args.items
    board_id, core_s, core_errors = core_storm(store, args.writers, args.items)
    written = store.db.scalar("SELECT COUNT(*) FROM items WHERE board_id = :b", {"b": board_id})
    facilitator = Actor(Role.FACILITATOR, store.boards.get(board_id)["workshop_id"])
    raw_board = boards.create_board(store, facilitator, "Raw").id
    raw_s, raw_errors = raw_storm(store, raw_board, args.writers, args.items)
    raw_written = store.db.scalar("SELECT COUNT(*) FROM items WHERE board_id = :b",
                                  {"b": raw_board})
    core_rate, raw_rate = sent / core_s, sent / raw_s
    print(f"engine {store.db.engine}: {args.writers} writers x {args.items} items")
    print(f"core: {written} of {sent} written, {len(core_errors)} errors, {core_rate:,.0f} items/s")
    print(f"raw {'sqlite3' if store.db.engine == 'sqlite' else 'psycopg'}: {raw_written} of {sent} "
          f"written, {len(raw_errors)} errors, {raw_rate:,.0f} items/s")
    print(f"ratio core/raw: {core_rate / raw_rate:.2f}x (goal >= {GOAL_RATIO}x)")
    store.close()


if __name__ == "__main__":
    main()
