"""Fixtures of the AppTest tier that only its tests use; `open_page` (a page on a fresh SQLite
file holding the demo) is shared with the reliability tier's hostile pages: tests/conftest.py."""
import pytest
from conftest import DEMO_CODE, page_opener

from orgkit.board import service as boards
from orgkit.demo import ensure_demo
from orgkit.domain import Actor, Role
from orgkit.storage import open_store


@pytest.fixture
def open_page_each_engine(db_url, monkeypatch):
    """`open_page` on a fresh database of each engine: the page test runs on SQLite and
    PostgreSQL."""
    monkeypatch.setenv("ORGKIT_DATABASE_URL", db_url)
    return page_opener(db_url)


@pytest.fixture
def device_cookie(monkeypatch):
    """`device_cookie(value)`: from then on, every AppTest run of the test comes from a browser
    that sends OrgKit's remembered-device cookie with that value (orgkit/web.py sets it on a real
    browser). AppTest cannot seed cookies, which Streamlit reads from the session's client, so
    this plays the client's handshake; everything of ours (ui.device, resolve) runs as it is."""
    from types import SimpleNamespace

    from streamlit.runtime import context

    from orgkit.web import DEVICE_COOKIE

    def send(value: str) -> None:
        client = SimpleNamespace(headers=[], cookies={DEVICE_COOKIE: value}, remote_ip=None)
        monkeypatch.setattr(context, "_get_client_context", lambda: client)

    return send


@pytest.fixture(autouse=True)
def phones_read_the_board_live(monkeypatch):
    """A page test changes the board between runs and reads the result at once. The phones' views
    follow the board at most once per VIEW_REFRESH_S in the app (boards.view_revision); that rule
    has its own tests, which set the interval they need."""
    monkeypatch.setattr(boards, "VIEW_REFRESH_S", 0)


@pytest.fixture
def demo(app_env):
    """(store, facilitator, the demo board) on the AppTest's database."""
    store = open_store(app_env)
    ensure_demo(store)
    facilitator = Actor(Role.FACILITATOR, store.workshops.by_code(DEMO_CODE)["id"])
    yield store, facilitator, boards.latest_board(store, facilitator)
    store.close()
