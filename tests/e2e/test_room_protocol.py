"""The room's polls as the server sees them, through a client that speaks Streamlit's protocol
(benchmarks/stclient.py) against a freshly started server: a phone's poll while items flow is one
fragment run (never a page run, never a rerun chain), and a projector poll on a still board emits
exactly what the previous one did."""
import asyncio
import sys
import threading
import time

import pytest
from conftest import ROOT

from orgkit.board import service as boards
from orgkit.domain import Actor, Role
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

sys.path.insert(0, str(ROOT / "benchmarks"))
from stclient import Stats, Tab  # noqa: E402

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


@pytest.fixture
def room(server, sqlite_url):
    store = open_store(sqlite_url)
    workshop = workshops.create_workshop(store, "Room", None, "room-pin-123")
    board = boards.create_board(store, Actor(Role.FACILITATOR, workshop.id), "Ideas?")
    people = [workshops.join(store, workshop.join_code) for _ in range(3)]
    for n in range(20):
        boards.add_item(store, people[n % 3][1], board.id, f"Seed idea {n}")
    yield store, workshop, board, people
    store.close()


def _watch(tab: Tab, seconds: float) -> None:
    # In a thread of its own: Playwright's sync API (other tests of this run) leaves an event
    # loop running in the main thread.
    thread = threading.Thread(target=asyncio.run, args=(tab.run(time.monotonic() + seconds),))
    thread.start()
    thread.join()


def test_phone_poll_while_items_flow_is_one_fragment_run(server, room):
    store, workshop, board, people = room
    _, actor, token = people[0]
    stats = Stats()
    phone = Tab(server.ws, "join", f"code={workshop.join_code}&p={token}", stats, keep_runs=True)
    stop = threading.Event()

    def writer():  # another phone posts twice a second, so every poll sees a new revision
        n = 0
        while not stop.wait(0.5):
            boards.add_item(store, people[1][1], board.id, f"Flowing idea {n}")
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        _watch(phone, 23)  # the first load and two 10 s polls
    finally:
        stop.set()
        thread.join()
    assert stats.errors == []
    assert stats.answered >= 2
    assert len(stats.full_ms) == 1  # the first load only: no poll drew the page again
    assert stats.full_runs_in_polls == 0 and stats.stopped_early == 0
    polls = [deltas for was_poll, deltas in phone.runs if was_poll]
    # Each poll redrew the vote list with the items posted meanwhile.
    assert any(b"Flowing idea" in b"".join(deltas) for deltas in polls)


def test_projector_poll_on_a_still_board_emits_the_same_elements(server, room):
    _, workshop, board, _ = room
    projector = Tab(server.ws, "projector", f"code={workshop.join_code}&board={board.id}",
                    Stats(), keep_runs=True)
    _watch(projector, 5)
    polls = [deltas for was_poll, deltas in projector.runs if was_poll]
    assert len(polls) >= 3
    assert all(deltas == polls[0] for deltas in polls[1:])
    assert len(polls[0]) <= 2  # the board block (and a timer line when one runs)
