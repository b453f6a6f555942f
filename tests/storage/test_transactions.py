"""Transactions on a real SQLite file and a real PostgreSQL database: a nested atomic() block is a
savepoint, so a failure its caller catches undoes that block alone and the outer transaction
commits the rest; a failure nobody catches undoes everything."""
import sqlite3

import psycopg
import pytest

from orgkit.domain import Conflict

INTEGRITY = (sqlite3.IntegrityError, psycopg.errors.IntegrityError)


def _add(store, title: str) -> None:
    """A workshop named `title`, which is also its join code (UNIQUE)."""
    store.workshops.create(title=title, held_on=None, join_code=title, pin_hash="x")


def _titles(store) -> list[str]:
    return [row["title"] for row in store.db.query("SELECT title FROM workshops ORDER BY id")]


def _refused_by_a_rule(store) -> None:
    raise Conflict("a rule refused it")


def _refused_by_the_database(store) -> None:
    _add(store, "Outer before")  # the join code of the outer block's first write, again


FAILURES = pytest.mark.parametrize("fail, error", [(_refused_by_a_rule, Conflict),
                                                   (_refused_by_the_database, INTEGRITY)],
                                   ids=["rule", "statement"])


@FAILURES
def test_a_caught_failure_in_a_nested_block_undoes_only_that_block(store, fail, error):
    with store.atomic():
        _add(store, "Outer before")
        with pytest.raises(error):
            with store.atomic():
                _add(store, "Inner")
                fail(store)
        _add(store, "Outer after")
    assert _titles(store) == ["Outer before", "Outer after"]


@FAILURES
def test_an_uncaught_failure_in_a_nested_block_undoes_the_whole_transaction(store, fail, error):
    with pytest.raises(error):
        with store.atomic():
            _add(store, "Outer before")
            with store.atomic():
                _add(store, "Middle")
                with store.atomic():
                    _add(store, "Inner")
                    fail(store)
    assert _titles(store) == []
    _add(store, "Next request")  # the connection went back to the pool clean
    assert _titles(store) == ["Next request"]


def _nest(store, level: int, depth: int, failing: int) -> None:
    """Blocks nested `depth` deep, each writing its level; the block at level `failing` raises
    once the blocks inside it are done, and the block around it catches that and writes again."""
    with store.atomic():
        _add(store, f"Level {level}")
        if level < depth:
            if level + 1 == failing:
                with pytest.raises(Conflict):
                    _nest(store, level + 1, depth, failing)
                _add(store, f"After {level}")
            else:
                _nest(store, level + 1, depth, failing)
        if level == failing:
            raise Conflict(f"level {level} fails")


@pytest.mark.parametrize("depth, failing", [(2, 2), (5, 3), (5, 5), (70, 2), (70, 40)])
def test_deep_nesting_undoes_the_failed_block_and_every_block_inside_it(store, depth, failing):
    _nest(store, 1, depth, failing)  # 70 deep: more subtransactions than PostgreSQL caches
    kept = [f"Level {n}" for n in range(1, failing)]
    assert _titles(store) == kept + [f"After {failing - 1}"]


def test_blocks_side_by_side_each_keep_or_undo_their_own_writes(store):
    with store.atomic():
        with store.atomic():
            _add(store, "First")
        with pytest.raises(Conflict), store.atomic():
            _add(store, "Second")
            _refused_by_a_rule(store)
        with store.atomic():
            _add(store, "Third")
    assert _titles(store) == ["First", "Third"]


def test_a_failed_statement_caught_outside_a_block_of_its_own(store):
    """SQLite undoes just the statement; PostgreSQL has aborted the whole transaction, and the
    COMMIT it would answer with a silent ROLLBACK is refused so the loss is never silent."""
    def write():
        with store.atomic():
            _add(store, "Outer before")
            with pytest.raises(INTEGRITY):
                _refused_by_the_database(store)
    if store.db.engine == "sqlite":
        write()
        assert _titles(store) == ["Outer before"]
    else:
        with pytest.raises(Conflict, match="nothing was saved") as refused:
            write()
        assert "PostgreSQL undid the whole transaction" in str(refused.value.__cause__)
        assert _titles(store) == []
    _add(store, "Next request")
    assert _titles(store)[-1] == "Next request"


def test_repository_writes_inside_a_service_transaction_take_no_savepoint(tmp_path, monkeypatch):
    """A 200-row table edit is one transaction with no savepoint per row: each row's repository
    call joins the service's transaction (PostgreSQL slows past 64 subtransactions)."""
    from orgkit.domain import Actor, Role
    from orgkit.map import service as maps
    from orgkit.storage import open_store
    from orgkit.workshop import service as workshops

    store = open_store(f"sqlite:///{tmp_path / 'edit.db'}")
    workshop = workshops.create_workshop(store, "Seminar", None, "pin-123456")
    facilitator = Actor(Role.FACILITATOR, workshop.id)
    map_id = maps.create_map(store, facilitator, "Team")["id"]
    for n in range(200):
        maps.create_entry(store, facilitator, map_id, {"name": f"P{n}", "level": "leader"})
    loaded = maps.load_map(store, facilitator, map_id).level("leader")
    statements = []
    connect = store.db._connect

    def traced():  # every statement of the connections opened from here on
        conn = connect()
        conn.set_trace_callback(statements.append)
        return conn
    monkeypatch.setattr(store.db, "_connect", traced)
    store.db._idle.clear()
    result = maps.apply_table_edit(store, facilitator, map_id, "leader", loaded, {
        "edited_rows": {str(i): {"role": "Edited"} for i in range(200)}})
    assert result.updated == 200
    assert [s for s in statements if "SAVEPOINT" in s.upper()] == []
    assert sum(s.upper().startswith("BEGIN") for s in statements) == 1
    store.close()
