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
        with pytest.raises(RuntimeError, match="PostgreSQL undid the whole transaction"):
            write()
        assert _titles(store) == []
    _add(store, "Next request")
    assert _titles(store)[-1] == "Next request"
