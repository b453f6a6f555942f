"""What the board benchmarks share: a board filled with items, and how a timing is reported."""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orgkit import boards, workshops  # noqa: E402
from orgkit.domain import Actor, Role  # noqa: E402
from orgkit.storage import Store, open_store  # noqa: E402

ITEM_TEXT = "Item {n}: listening campaigns, one-on-ones and shared meals"


def poll_arguments(doc: str, items: int) -> argparse.Namespace:
    """The poll benchmarks' command line: --items, --polls, --database-url (a fresh SQLite file)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--items", type=int, default=items)
    parser.add_argument("--polls", type=int, default=200)
    parser.add_argument("--database-url", default=f"sqlite:///{tempfile.mkdtemp()}/poll.db")
    return parser.parse_args()


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


def report(name: str, samples: list[float]) -> None:
    """One line: the median and p95 of timings in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{name:<28} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")
