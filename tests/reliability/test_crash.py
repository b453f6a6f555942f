"""Crash: a writer process killed with SIGKILL in the middle of a write storm, ten times.

The writer (8 threads posting items through the core) prints each item's id once its commit
returned: that is an acknowledged write. After each kill the database must pass SQLite's
`PRAGMA integrity_check` and hold every acknowledged item."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap

import pytest

from orgkit.board import service as boards
from orgkit.domain import Actor, Role
from orgkit.storage import open_store
from orgkit.workshop import service as workshops
from tests.conftest import ROOT

pytestmark = pytest.mark.reliability

WRITER = textwrap.dedent("""
    import sys, threading
    sys.path.insert(0, sys.argv[1])
    from orgkit.board import service as boards
    from orgkit.workshop import service as workshops
    from orgkit.storage import open_store
    store = open_store(sys.argv[2])
    board_id, code, round_ = int(sys.argv[3]), sys.argv[4], sys.argv[5]
    lock = threading.Lock()
    def storm(n):
        actor = workshops.join(store, code)[1]
        for i in range(100000):
            item, _ = boards.add_item(store, actor, board_id, f"round {round_} writer {n} item {i}")
            with lock:
                print(item.id, flush=True)
    for n in range(8):
        threading.Thread(target=storm, args=(n,), daemon=True).start()
    threading.Event().wait()
""")


def test_killing_a_writer_mid_storm_ten_times_keeps_every_acknowledged_write(db_url):
    store = open_store(db_url)
    workshop = workshops.create_workshop(store, "Crash", None, "crash-pin-123")
    board = boards.create_board(store, Actor(Role.FACILITATOR, workshop.id), "Storm")
    acknowledged: set[int] = set()
    rng = random.Random(13)
    for round_ in range(10):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(ROOT), db_url, str(board.id), workshop.join_code,
             str(round_)], stdout=subprocess.PIPE, text=True)
        wanted = rng.randint(20, 200)
        seen = 0
        while seen < wanted:  # let the storm run, then kill it mid-flight
            line = writer.stdout.readline()
            assert line, "the writer died on its own"
            acknowledged.add(int(line))
            seen += 1
        os.kill(writer.pid, signal.SIGKILL)
        rest, _ = writer.communicate()
        acknowledged.update(int(line) for line in rest.split())
        assert writer.returncode == -signal.SIGKILL
        if store.db.engine == "sqlite":
            assert store.db.scalar("PRAGMA integrity_check") == "ok"
        stored = {row["id"] for row in store.db.query("SELECT id FROM items")}
        assert acknowledged <= stored, f"round {round_}: lost {sorted(acknowledged - stored)[:5]}"
    assert len(acknowledged) >= 10 * 20
    # the board still works after ten crashes
    assert boards.add_item(store, Actor(Role.FACILITATOR, workshop.id), board.id, "after")[1]
    store.close()
