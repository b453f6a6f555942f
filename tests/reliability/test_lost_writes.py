"""Lost writes: 100 concurrent writers x 10 items through the core, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from benchmarks.lost_writes import core_storm
from orgkit.board import service as boards

pytestmark = pytest.mark.reliability


def test_a_hundred_concurrent_writers_lose_none_of_a_thousand_items(store):
    board_id, _, errors = core_storm(store, writers=100, items=10)
    assert errors == []
    snap = boards.snapshot(store, board_id)
    texts = {item.text for item in snap.items}
    assert len(snap.items) == 1000
    assert texts == {f"Writer {n} item {i}" for n in range(100) for i in range(10)}
    assert snap.board.revision == 1000  # every write bumped the revision exactly once
