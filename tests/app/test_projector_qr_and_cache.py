"""The projector's QR code encodes exactly the join link, and the projector's board is read once
per (board, revision) however many sessions poll it."""
import pytest
import segno
from conftest import DEMO_CODE
from orgkit import network

from orgkit.board import service as boards
from orgkit.board.view import Join
from orgkit.domain import Actor, Role
from orgkit.storage import open_store

JOIN = Join("http://192.0.2.7:8501/join?code=X", "<img>")

PUBLIC = "https://orgkit.example/spring"


def _qr_uri(url):
    return segno.make(url, error="m").svg_data_uri(scale=7, dark="#111418", light="#ffffff")


def _projected(at) -> str:
    blocks = [h.value for h in at.html if "QR code of the join link" in h.value]
    assert len(blocks) == 1
    return blocks[0]


def _board_id(app_env) -> int:
    store = open_store(app_env)
    return store.boards.latest_for_workshop(store.workshops.by_code(DEMO_CODE)["id"])["id"]


def test_projector_qr_encodes_the_join_link_of_the_projected_board(open_page, monkeypatch, app_env):
    monkeypatch.setenv("ORGKIT_PUBLIC_URL", PUBLIC)
    at = open_page("pages/2_projector.py", code=DEMO_CODE)
    assert not at.exception
    board = _board_id(app_env)
    assert f'src="{_qr_uri(f"{PUBLIC}/join?code={DEMO_CODE}&board={board}")}"' in _projected(at)
    # Not just any QR code: the same picture for another address does not match.
    assert _qr_uri(f"{PUBLIC}/join?code=OTHER1&board={board}") not in _projected(at)


def test_projector_opened_at_localhost_points_phones_at_the_network_address(
        open_page, monkeypatch, app_env):
    # AppTest's browser address is http://localhost:8501/, as the README opens the app.
    monkeypatch.setattr(network, "lan_address", lambda: "192.0.2.9")
    at = open_page("pages/2_projector.py", code=DEMO_CODE)
    url = f"http://192.0.2.9:8501/join?code={DEMO_CODE}&board={_board_id(app_env)}"
    assert f'src="{_qr_uri(url)}"' in _projected(at)
    assert "ok-join-warning" not in _projected(at)


def test_projector_says_so_when_no_phone_can_reach_the_address(open_page, monkeypatch):
    monkeypatch.setattr(network, "lan_address", lambda: None)
    block = _projected(open_page("pages/2_projector.py", code=DEMO_CODE))
    assert 'data-testid="ok-join-warning">Phones cannot open this address' in block
    assert "ORGKIT_PUBLIC_URL" in block


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
    from orgkit.workshop import service as workshops

    workshop = workshops.create_workshop(store, "Cache", None, "cache-pin-123")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    board = boards.create_board(store, facilitator, "Cached?")
    first = boards.projector_screen(store, board.id, JOIN)
    second = boards.projector_screen(store, board.id, JOIN)  # another session's poll, same revision
    assert counted == [board.id] and first == second
    boards.add_item(store, facilitator, board.id, "New idea")
    block, _ = boards.projector_screen(store, board.id, JOIN)
    assert counted == [board.id, board.id] and "New idea" in block
