"""The projector's QR code encodes exactly the join link, and the projector's board is read once
per (board, revision) however many sessions poll it."""
import pytest
import segno
from conftest import DEMO_CODE

from orgkit import boards
from orgkit.domain import Actor, Role
from orgkit.ui import board as board_ui

PUBLIC = "https://orgkit.example/spring"


def _qr_uri(url):
    return segno.make(url, error="m").svg_data_uri(scale=7, dark="#111418", light="#ffffff")


def test_projector_qr_encodes_the_join_link_with_the_code(open_page, monkeypatch):
    monkeypatch.setenv("ORGKIT_PUBLIC_URL", PUBLIC)
    at = open_page("pages/2_projector.py", code=DEMO_CODE)
    assert not at.exception
    images = [h.value for h in at.html if "QR code of the join link" in h.value]
    assert len(images) == 1
    assert f'src="{_qr_uri(f"{PUBLIC}/join?code={DEMO_CODE}")}"' in images[0]
    # Not just any QR code: the same picture for another address does not match.
    assert _qr_uri(f"{PUBLIC}/join?code=OTHER1") not in images[0]


@pytest.fixture
def counted(monkeypatch):
    """Calls of the real boards.snapshot, counted."""
    calls = []
    real = boards.snapshot

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(boards, "snapshot", counting)
    return calls


def test_board_snapshot_is_built_once_per_revision(store, counted):
    from orgkit import workshops

    workshop = workshops.create_workshop(store, "Cache", None, "cache-pin-123")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    board = boards.create_board(store, facilitator, "Cached?")
    first = board_ui.board_html(store, board.id)
    second = board_ui.board_html(store, board.id)  # another session's poll, same revision
    assert counted == [board.id] and first == second
    boards.add_item(store, facilitator, board.id, "New idea")
    block, _ = board_ui.board_html(store, board.id)
    assert counted == [board.id, board.id] and "New idea" in block
