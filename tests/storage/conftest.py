"""Fixtures of the storage tier (the store itself, on each engine, is shared: tests/conftest.py)."""
import pytest

from orgkit.domain import Actor, Role


@pytest.fixture
def importer(store):
    """A team member of a fresh map, the one who imports files into it: (store, actor, map id)."""
    from orgkit.map import service as maps
    from orgkit.workshop import service as workshops

    workshop = workshops.create_workshop(store, "Seminar", None, "pin-123456")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    map_id = maps.create_map(store, facilitator, "Northside")["id"]
    return store, Actor(Role.TEAM_MEMBER, workshop.id, map_id=map_id), map_id


@pytest.fixture
def board_room(store):
    """A workshop's facilitator, a board with two votes per participant, and `participant()`,
    which joins one more phone: (store, facilitator, board, participant)."""
    from orgkit.board import service as boards
    from orgkit.workshop import service as workshops

    workshop = workshops.create_workshop(store, "Room", None, "room-pin-123")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    board = boards.create_board(store, facilitator, "What builds power?", votes_per_participant=2)

    def participant():
        return workshops.join(store, workshop.join_code)[1]

    return store, facilitator, board, participant
