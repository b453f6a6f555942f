"""One database handle for SQLite and PostgreSQL: connections, transactions, placeholders.

SQL in the repositories is written once, with `:name` placeholders and standard syntax that both
engines accept (RETURNING, ON CONFLICT). This module translates placeholders for psycopg, keeps a
small pool of connections shared by Streamlit's script threads, and gives each thread at most one
open transaction: every statement inside an `atomic()` block joins it.

Nested `atomic()` blocks are savepoints (SAVEPOINT / RELEASE / ROLLBACK TO, on both engines): a
block that raises undoes only its own writes, so a caller that catches the error goes on in the
outer transaction, which commits the rest; nothing is kept until the outermost block commits. A
single statement (execute, insert, ...) and a repository method's few statements (`transaction()`: a
bump and its write) join the open transaction without a savepoint of their own: a repository call
inside a service's transaction is part of that transaction, and one savepoint per edited row would
cost two round trips each and slow PostgreSQL down past 64 subtransactions in one transaction.
Savepoints are for a service that nests `atomic()` (store.atomic()). A failed statement changes
nothing on SQLite but aborts the whole transaction on PostgreSQL, which answers COMMIT with a silent
ROLLBACK; that COMMIT is refused loudly instead (ABORTED). To catch a statement's failure and go on,
give it an `atomic()` block of its own.

Streamlit starts a new thread for every script run, so connections are pooled, not thread-local.

Faults (PostgreSQL restart, failover, a killed backend): a pooled connection may be dead without
our knowing. Every write runs in a transaction whose first statement is BEGIN, and a BEGIN that
fails has run nothing of the transaction, so it is repeated once on a fresh connection (the rest of
the pool is dropped: it died with its neighbour). A connection lost after BEGIN is never replayed
behind the caller's back: the transaction is refused with Unavailable, a "try again" message.
"""
from __future__ import annotations

import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..domain import Conflict, Unavailable
from ..i18n import msg

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "sqlite:///data/orgkit.db"
SQLITE_BUSY_TIMEOUT_S = 30
# What a person is told when the database fails them (the screen renders it in their language).
NOT_SAVED = msg("The connection to the database was lost, so this was not saved. Please try "
                "again.")
MAYBE_SAVED = msg("The connection to the database was lost while saving. Reload to see whether "
                  "it was saved, and try again if it is missing.")
DOWN = msg("The database cannot be reached right now; nothing was saved. Please try again in a "
           "moment.")
REFUSED = msg("The database refused part of this change, so nothing was saved. Please try again.")
# For the developer who wrote the transaction (the cause behind REFUSED), never shown to a person.
ABORTED = ("A statement failed inside this transaction and its error was caught, so PostgreSQL "
           "undid the whole transaction: nothing was saved. Put the statement in an atomic() block "
           "of its own to catch its failure and go on.")


class Database:
    """A pooled connection to one SQLite file or PostgreSQL database."""

    def __init__(self, url: str, *, max_connections: int = 20):
        self.url = url
        if url.startswith("sqlite:///"):
            self.engine = "sqlite"
            path = Path(url[len("sqlite:///"):])
            # A relative path is relative to the project, not to wherever streamlit was started.
            self.path = path if path.is_absolute() else PROJECT_ROOT / path
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            self.engine = "postgresql"
            self.dsn = re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql://", url)
        else:
            raise ValueError(msg("ORGKIT_DATABASE_URL must start with sqlite:/// or "
                                 "postgresql:// (got {scheme})", scheme=repr(url.split(':', 1)[0])))
        self._idle: list[Any] = []
        self._idle_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_connections)
        self._local = threading.local()
        self.recheck_idle_s = 10.0

    # -- connections -------------------------------------------------------------------------

    def _connect(self):
        if self.engine == "sqlite":
            conn = sqlite3.connect(self.path, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = _dict_row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn
        import psycopg
        from psycopg.rows import dict_row

        try:
            return psycopg.connect(self.dsn, autocommit=True, row_factory=dict_row)
        except psycopg.OperationalError as exc:
            raise Unavailable(DOWN) from exc

    @contextmanager
    def _borrow(self) -> Iterator[Any]:
        tx = getattr(self._local, "conn", None)
        if tx is not None:  # inside atomic(): join the open transaction
            yield tx
            return
        self._slots.acquire()
        try:
            conn = self._checkout()
            try:
                yield conn
            except BaseException:
                self._checkin(conn)
                raise
            self._checkin(conn)
        finally:
            self._slots.release()

    def _checkout(self):
        """An idle connection, or a new one. A PostgreSQL connection that sat idle for a while
        is pinged first: after a server restart or failover it would fail one request."""
        while True:
            with self._idle_lock:
                conn, since = self._idle.pop() if self._idle else (None, 0.0)
            if conn is None:
                return self._connect()
            if self.engine == "sqlite" or time.monotonic() - since < self.recheck_idle_s:
                return conn
            try:
                conn.execute("SELECT 1")
                return conn
            except Exception:  # dead: drop it and try the next one
                conn.close()

    def _checkin(self, conn) -> None:
        if self.engine == "postgresql" and (conn.closed or conn.broken):
            return  # never hand a dead connection to the next request
        with self._idle_lock:
            self._idle.append((conn, time.monotonic()))

    def _lost(self, conn) -> None:
        """Forget a connection the server dropped, and the idle ones that died with it."""
        conn.close()
        self.close()

    def close(self) -> None:
        """Close every idle connection (tests call this between databases)."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn, _ in idle:
            conn.close()

    # -- transactions ------------------------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction for everything inside the block; a nested block is a savepoint."""
        if self.in_transaction:
            with self._savepoint():
                yield self
        else:
            with self._transaction():
                yield self

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """The open transaction, or one of its own when none is open: where a single statement
        and a repository method's few statements run, with no savepoint of their own."""
        if self.in_transaction:
            yield
        else:
            with self._transaction():
                yield

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        # One name for every block: both engines allow a name again and take the innermost one
        # with it, and blocks nest strictly.
        conn = self._local.conn
        conn.execute("SAVEPOINT orgkit_block")
        try:
            yield
        except BaseException:
            try:
                conn.execute("ROLLBACK TO SAVEPOINT orgkit_block")
                conn.execute("RELEASE SAVEPOINT orgkit_block")
            except Exception:  # a lost connection: the outermost block says what that means
                pass
            raise
        conn.execute("RELEASE SAVEPOINT orgkit_block")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._slots.acquire()
        try:
            conn = self._begin()
            self._local.conn = conn
            try:
                yield
            except BaseException as exc:
                self._local.conn = None
                try:
                    conn.execute("ROLLBACK")
                except Exception:  # a broken connection has no transaction left to undo
                    pass
                self._checkin(conn)
                if isinstance(exc, Exception) and _is_disconnect(exc, conn):
                    raise Unavailable(NOT_SAVED) from exc
                raise
            self._local.conn = None
            if _aborted(conn):
                conn.execute("ROLLBACK")
                self._checkin(conn)
                # Our code's mistake, not the person's: they are told nothing was saved, the log
                # keeps why.
                raise Conflict(REFUSED) from RuntimeError(ABORTED)
            try:
                conn.execute("COMMIT")
            except Exception as exc:
                self._checkin(conn)
                if _is_disconnect(exc, conn):  # the COMMIT may or may not have reached it
                    raise Unavailable(MAYBE_SAVED) from exc
                raise
            self._checkin(conn)
        finally:
            self._slots.release()

    def _begin(self):
        """A pooled connection with a transaction begun on it. A dead connection fails its
        BEGIN before any statement of ours ran, so one fresh connection is tried in its place."""
        # IMMEDIATE takes SQLite's write lock up front, so two writers queue on the busy
        # timeout instead of failing when a read lock is upgraded.
        begin = "BEGIN IMMEDIATE" if self.engine == "sqlite" else "BEGIN"
        conn = self._checkout()
        try:
            conn.execute(begin)
            return conn
        except Exception as exc:
            if not _is_disconnect(exc, conn):
                self._checkin(conn)
                raise
            self._lost(conn)
        conn = self._connect()
        try:
            conn.execute(begin)
        except Exception as exc:
            conn.close()
            raise Unavailable(DOWN) from exc
        return conn

    @contextmanager
    def acting(self, role: str, display_name: str = "") -> Iterator[None]:
        """Who this thread's writes are by until the block ends (the map history records it)."""
        previous = getattr(self._local, "author", None)
        self._local.author = (role, display_name)
        try:
            yield
        finally:
            self._local.author = previous

    @property
    def author(self) -> tuple[str, str]:
        """(role, display name) of whoever this thread acts for; the system's when nobody."""
        return getattr(self._local, "author", None) or ("system", "")

    @property
    def in_transaction(self) -> bool:
        return getattr(self._local, "conn", None) is not None

    # -- statements --------------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        return sql if self.engine == "sqlite" else _pyformat(sql)

    def _read(self, sql: str, params: dict | None, fetch: str):
        if self.in_transaction:  # atomic() decides what a lost connection means
            with self._borrow() as conn:
                return getattr(conn.execute(self._sql(sql), params or {}), fetch)()
        for attempt in (1, 2):
            with self._borrow() as conn:
                try:
                    return getattr(conn.execute(self._sql(sql), params or {}), fetch)()
                except Exception as exc:
                    # A read outside a transaction is safe to repeat once on a fresh connection
                    # when the server dropped ours (restart, failover, idle timeout).
                    if not _is_disconnect(exc, conn):
                        raise
                    self._lost(conn)
                    if attempt == 2:
                        raise Unavailable(DOWN) from exc

    def query(self, sql: str, params: dict | None = None) -> list[dict]:
        """All rows as dicts."""
        return list(self._read(sql, params, "fetchall"))

    def one(self, sql: str, params: dict | None = None) -> dict | None:
        """The first row, or None."""
        return self._read(sql, params, "fetchone")

    def scalar(self, sql: str, params: dict | None = None) -> Any:
        """The first column of the first row, or None."""
        row = self.one(sql, params)
        return None if row is None else next(iter(row.values()))

    def execute(self, sql: str, params: dict | None = None) -> int:
        """Run one statement; return the number of rows it changed.

        Always in a transaction (its own, when none is open): that is what makes a lost
        connection safe to retry or clearly refused."""
        with self.transaction(), self._borrow() as conn:
            return conn.execute(self._sql(sql), params or {}).rowcount

    def executemany(self, sql: str, rows: Sequence[dict]) -> None:
        """Run one statement for each parameter dict, inside one transaction."""
        if not rows:
            return
        with self.transaction(), self._borrow() as conn:
            if self.engine == "sqlite":
                conn.executemany(sql, rows)
            else:
                with conn.cursor() as cur:
                    cur.executemany(_pyformat(sql), rows)

    def insert(self, sql: str, params: dict) -> int:
        """Run an INSERT ... RETURNING id and return the new id."""
        with self.transaction():  # a write is never repeated by the read retry in one()
            row = self.one(sql, params)
        assert row is not None, "insert() needs RETURNING id"
        return int(row["id"])

    def insert_row(self, table: str, row: dict) -> int:
        """Insert one row given as {column: value}; return its new id.

        Table and column names come from our own code, never from user input."""
        columns = ", ".join(row)
        values = ", ".join(f":{name}" for name in row)
        return self.insert(f"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id", row)

    def insert_once(self, table: str, row: dict, unique: tuple[str, ...]) -> tuple[int, bool]:
        """Insert a row unless one with the same `unique` columns (a UNIQUE index, one of them an
        idempotency key) exists; return (its id, whether it is new). A row whose key is None is
        always new (NULLs never collide). Names come from our own code."""
        columns = ", ".join(row)
        values = ", ".join(f":{name}" for name in row)
        with self.transaction():
            found = self.one(f"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT"
                             f" ({', '.join(unique)}) DO NOTHING RETURNING id", row)
            if found is not None:
                return int(found["id"]), True
            where = " AND ".join(f"{name} = :{name}" for name in unique)
            return int(self.scalar(f"SELECT id FROM {table} WHERE {where}", row)), False

    def ddl(self, sql: str) -> str:
        """Adapt a migration's column types to this engine."""
        if self.engine == "sqlite":
            return (sql.replace("{pk}", "INTEGER PRIMARY KEY AUTOINCREMENT")
                       .replace("{float}", "REAL"))
        return (sql.replace("{pk}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
                   .replace("{float}", "DOUBLE PRECISION"))


def _is_disconnect(exc: Exception, conn) -> bool:
    """True when PostgreSQL's connection is gone (never for SQLite): an OperationalError that
    left the connection closed or broken, not a deadlock or a cancelled statement."""
    if isinstance(conn, sqlite3.Connection):
        return False
    import psycopg

    return isinstance(exc, psycopg.OperationalError) and (conn.closed or conn.broken)


def _aborted(conn) -> bool:
    """True when PostgreSQL has aborted the open transaction (a statement in it failed)."""
    if isinstance(conn, sqlite3.Connection):
        return False
    from psycopg.pq import TransactionStatus

    return conn.info.transaction_status == TransactionStatus.INERROR


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict:
    return {col[0]: value for col, value in zip(cursor.description, row)}


@lru_cache(maxsize=1024)
def _pyformat(sql: str) -> str:
    """':name' placeholders to psycopg's '%(name)s'; a literal '%' doubled; '::' casts kept."""
    sql = sql.replace("%", "%%")
    return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", sql)
