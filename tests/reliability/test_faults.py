"""Faults on the real PostgreSQL cluster: backends killed with pg_terminate_backend and a server
restart. A write whose connection died before any of its statements reached the server goes
through on a fresh connection; one that died later is refused with a "try again" OrgKitError and
leaves nothing half saved."""
from __future__ import annotations

import pytest

from orgkit.board import service as boards
from orgkit.domain import Actor, OrgKitError, Role, Unavailable
from orgkit.storage import open_store
from orgkit.workshop import service as workshops

pytestmark = pytest.mark.reliability


def _terminate(pg_cluster, dbname: str) -> int:
    import psycopg

    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        return len(admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,)).fetchall())


@pytest.fixture
def pg_store(pg_cluster):
    url = pg_cluster.new_database()
    store = open_store(url)
    store.db.recheck_idle_s = 3600  # never pinged: the pool hands out the dead connection
    yield store, url.rsplit("/", 1)[1]
    store.close()


def test_a_write_on_a_pooled_connection_that_died_is_retried_once_on_a_fresh_one(pg_store,
                                                                                 pg_cluster):
    store, dbname = pg_store
    made = workshops.create_workshop(store, "Tenants", None, "right-pin")
    actor = Actor(Role.FACILITATOR, made.id)
    board = boards.create_board(store, actor, "What do we need?")
    _, participant, _ = workshops.join(store, made.join_code)
    assert _terminate(pg_cluster, dbname) >= 1  # every pooled connection of ours is now dead
    boards.add_item(store, participant, board.id, "A childcare rota")
    assert _terminate(pg_cluster, dbname) >= 1
    workshops.set_display_name(store, participant, "Ana")  # a single-statement write too
    assert [i.text for i in boards.snapshot(store, board.id).items] == ["A childcare rota"]
    assert store.workshops.participant_by_token(
        store.db.scalar("SELECT token FROM participants"))["display_name"] == "Ana"


def test_a_connection_lost_inside_a_transaction_is_refused_with_try_again_and_nothing_saved(
        pg_store, pg_cluster):
    store, dbname = pg_store
    with pytest.raises(Unavailable, match="not saved. Please try again") as caught:
        with store.atomic():
            store.workshops.create(title="Half", held_on=None, join_code="HALFXX", pin_hash="x")
            _terminate(pg_cluster, dbname)
            store.workshops.create(title="Other half", held_on=None, join_code="HALFYY",
                                   pin_hash="x")
    assert isinstance(caught.value, OrgKitError)  # the page shows it as a message
    assert store.workshops.count() == 0  # and the next request works on a fresh connection


def test_a_connection_lost_inside_a_nested_block_is_refused_with_try_again_too(pg_store,
                                                                               pg_cluster):
    store, dbname = pg_store
    with pytest.raises(Unavailable, match="not saved. Please try again"):
        with store.atomic():
            store.workshops.create(title="Outer", held_on=None, join_code="OUTERX", pin_hash="x")
            with store.atomic():  # its savepoint cannot be rolled back on a dead connection
                _terminate(pg_cluster, dbname)
                store.workshops.create(title="Inner", held_on=None, join_code="INNERX",
                                       pin_hash="x")
    assert store.workshops.count() == 0


def test_writes_go_through_after_the_server_restarts(pg_store, pg_cluster):
    from tests.conftest import _pg_bin

    store, _ = pg_store
    made = workshops.create_workshop(store, "Before the restart", None, "right-pin")
    pg_cluster._run([_pg_bin("pg_ctl"), "-D", str(pg_cluster.data),
                     "-l", str(pg_cluster.dir / "log"), "-m", "fast", "-w", "-t", "60", "restart"])
    workshops.create_workshop(store, "After the restart", None, "right-pin")
    assert [w["title"] for w in store.db.query("SELECT title FROM workshops ORDER BY id")] == [
        "Before the restart", "After the restart"]
    assert workshops.get_workshop(store, made.id).title == "Before the restart"


def test_a_page_says_the_database_cannot_be_reached_instead_of_a_traceback(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT, free_port

    monkeypatch.setenv("ORGKIT_DATABASE_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/x")
    at = AppTest.from_file(str(ROOT / "home.py"), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The database cannot be reached right now; nothing was saved. Please try again in a "
        "moment."]
