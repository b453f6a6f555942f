"""What the board benchmarks share: a board filled with items."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orgkit.board import service as boards  # noqa: E402
from orgkit.domain import Actor, Role  # noqa: E402
from orgkit.storage import Store, open_store  # noqa: E402
from orgkit.workshop import service as workshops  # noqa: E402

ITEM_TEXT = "Item {n}: listening campaigns, one-on-ones and shared meals"


def seeded_board(url: str, items: int, phones: int = 50):
    """A workshop whose one board holds `items` items from `phones` participants.

    Returns (store, workshop, board, the participants' actors)."""
    store: Store = open_store(url)
    workshop = workshops.create_workshop(store, "Benchmark", None, "bench-pin-123")
    board = boards.create_board(store, Actor(Role.FACILITATOR, workshop.id),
                                "What makes organizing work?")
    actors = [workshops.join(store, workshop.join_code)[1] for _ in range(phones)]
    for n in range(items):
        boards.add_item(store, actors[n % len(actors)], board.id, ITEM_TEXT.format(n=n))
    return store, workshop, board, actors
