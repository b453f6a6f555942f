"""Server time of one projector poll at 1,000 items: unchanged board, and one new item.

A poll (orgkit.ui.board._live) does: one read of (revision, participant count), a lookup in the
shared (board, revision) cache, and emitting two small elements (the timer line and one st.html
block). This script times exactly that work in-process: `board_html()` (the read and the cache,
rebuilding the snapshot and HTML when the revision moved) plus serialising the st.html element's
protobuf, which is what Streamlit sends per poll. Each figure is the median (and p95) over many
polls; "one new item" adds an item before each poll so every poll misses the cache.

Run: python benchmarks/board_poll.py [--items 1000] [--polls 200] [--database-url URL]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from seeding import poll_arguments, report, seeded_board

    args = poll_arguments(__doc__, items=1000)

    from streamlit.proto.Html_pb2 import Html

    from orgkit import boards
    from orgkit.ui.board import board_html

    store, _, board, phones = seeded_board(args.database_url, args.items)

    def poll() -> float:
        start = time.perf_counter()
        block, _ = board_html(store, board.id)
        Html(body=block).SerializeToString()
        return (time.perf_counter() - start) * 1000

    poll()  # fill the cache for the current revision
    unchanged = [poll() for _ in range(args.polls)]
    changed = []
    for n in range(min(args.polls, 50)):
        boards.add_item(store, phones[0], board.id, f"New item {n}")
        changed.append(poll())
    size = len(board_html(store, board.id)[0])

    print(f"engine {store.db.engine}, {args.items} items on the board, HTML block {size / 1024:.0f} KiB")
    report("poll, nothing changed", unchanged)
    report("poll, one new item", changed)
    print("goal: unchanged <= 5 ms")
    store.close()


if __name__ == "__main__":
    main()
