"""Server time of one phone poll at 300 items: unchanged board, and after one new item.

A phone polls every 10 s with orgkit.ui.board._phone_watch, which reads the board's revision and
draws nothing when it has not moved. When it moved, the page is drawn again; its board part
(_phone_board) takes the snapshot from the cache shared by every session, asks one small query
for the phone's own items and votes, and emits one button per item plus two markdown blocks.
This script times that work in-process, as benchmarks/board_poll.py does for the projector:

- unchanged: the revision read and the comparison;
- one new item: the revision read, the shared snapshot (a cache miss: the item moved the
  revision; the first phone pays it, the others find it cached), the per-participant query, and
  serialising the protobufs the board part sends (each button and markdown element); and the
  same for the next phone, which finds the snapshot cached.

Each figure is the median (and p95) over many polls.

Run: python benchmarks/phone_poll.py [--items 300] [--polls 200] [--database-url URL]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from seeding import poll_arguments, report, seeded_board

    args = poll_arguments(__doc__, items=300)

    from streamlit.proto.Button_pb2 import Button
    from streamlit.proto.Markdown_pb2 import Markdown

    from orgkit import boards
    from orgkit.ui import escape
    from orgkit.ui.board import shared_snapshot

    store, _, board, phones = seeded_board(args.database_url, args.items)
    me = phones[0]
    seen = store.boards.revision(board.id)

    def unchanged_poll() -> float:
        start = time.perf_counter()
        moved = store.boards.revision(board.id) != seen
        assert not moved
        return (time.perf_counter() - start) * 1000

    def changed_poll() -> float:
        start = time.perf_counter()
        revision = store.boards.revision(board.id)
        snap = shared_snapshot(store, board.id, revision)
        own = boards.own_activity(store, me, snap)
        Markdown(body=f"{len(own.votes)} votes").SerializeToString()
        Markdown(body="\n".join(f"- {escape(i.text)}" for i in own.items)).SerializeToString()
        for item in snap.shown():
            Button(id=f"vote_{item.id}", label=f"{escape(item.text)} · {item.votes} votes",
                   type="secondary").SerializeToString()
        return (time.perf_counter() - start) * 1000

    unchanged = [unchanged_poll() for _ in range(args.polls)]
    changed, cached = [], []
    for n in range(min(args.polls, 50)):
        boards.add_item(store, phones[1], board.id, f"New item {n}")
        changed.append(changed_poll())
        cached.append(changed_poll())  # the next phone: the snapshot is already cached

    print(f"engine {store.db.engine}, {args.items} items on the board, one phone every 10 s")
    report("poll, nothing changed", unchanged)
    report("poll, one new item", changed)
    report("  next phone, same item", cached)
    store.close()


if __name__ == "__main__":
    main()
