"""The SQLAlchemy handle, the model base with its naming convention, and engine tuning.

SQLite runs with WAL and foreign keys on. A transaction begins as a reader (deferred `BEGIN`:
no lock, readers never wait for the writer) and becomes a writer only when the unit of work is
about to write: its first INSERT/UPDATE/DELETE, or its first `SELECT … FOR UPDATE` (how the
action log reads the chain head and how `crm.training.locking` takes an attempt's lock). At that
point the read transaction, which has written nothing, is ended and `BEGIN IMMEDIATE` takes the
write lock: the statement then reads the latest committed state under the lock, so the hash
chain stays strictly sequential, and a reader never has to upgrade its stale snapshot (which
SQLite refuses with SQLITE_BUSY_SNAPSHOT). The write lock is waited for `DB_LOCK_TIMEOUT`
seconds at most; then `DatabaseBusy` (the boundaries answer 503 with Retry-After, nothing
written). PostgreSQL waits as long at most for a row lock (`lock_timeout`).

Hot statements: the few queries every request runs (the token, the current attempt, the open
contact, the agent, the attempt's lock), and those of the room's round (`tests/bench/
bench_room.py`: the client file, the number look-up, the dial's facts, the unread counts…),
are module constants with bind parameters (`sa.bindparam`) instead of being built in the
function. Building a `select()` and computing its cache key costs about as much CPU as running
it on SQLite; a statement built once keeps its cache key and only its parameters change. Keep
it to such hot paths: elsewhere a query written where it is used reads better.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the constraint naming convention."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

#: `session.info` key of what the session's current transaction remembers (`transaction_memo`).
_MEMO_KEY = "plateau.transaction_memo"


def transaction_memo(name: str) -> dict:
    """A dict the session keeps until its outermost transaction ends: what one transaction has
    learnt and may reuse (the attempts it locked, the agent row, the open contact), never across
    transactions, where another writer may have changed it."""
    return db.session.info.setdefault(_MEMO_KEY, {}).setdefault(name, {})


def forget_memo(name: str) -> None:
    """Drop what the current transaction remembered under `name` (it is read again)."""
    db.session.info.get(_MEMO_KEY, {}).pop(name, None)


def _forget_memo_after_savepoint(session, previous_transaction) -> None:
    """`after_soft_rollback` of a savepoint: what was remembered may have been undone with it
    (rows added inside it, states changed inside it); forget it all, it is read again."""
    if previous_transaction.nested:
        session.info.pop(_MEMO_KEY, None)


def _forget_memo(session, transaction) -> None:
    """`after_transaction_end`: the outermost transaction ended; forget what it remembered."""
    if transaction.parent is None:
        session.info.pop(_MEMO_KEY, None)


# At import: every user of transaction_memo relies on it, whatever the app wiring.
if not sa.event.contains(Session, "after_transaction_end", _forget_memo):
    sa.event.listen(Session, "after_transaction_end", _forget_memo)
if not sa.event.contains(Session, "after_soft_rollback", _forget_memo_after_savepoint):
    sa.event.listen(Session, "after_soft_rollback", _forget_memo_after_savepoint)


class UTCDateTime(sa.types.TypeDecorator):
    """Stores aware datetimes as naive UTC and gives them back aware (SQLite keeps no offset)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


Money = sa.Numeric(12, 2)


class WorldMixin:
    """A row of a candidate's private world: every such row carries its attempt."""

    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )


#: Seconds a transaction waits for a lock (SQLite's write lock, a PostgreSQL row lock).
DEFAULT_LOCK_TIMEOUT = 5.0

#: Statements that need SQLite's write lock (the rest only read).
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|SAVEPOINT)\b", re.I)
#: `conn.info` key: "read" or "write" while a transaction is open on the connection.
_TX = "plateau.sqlite_tx"


class DatabaseBusy(Exception):
    """The lock a write needs could not be had in time; nothing was written (answer 503)."""

    def __init__(self, waited: float):
        super().__init__(f"database busy: no lock after {waited:g} s")
        self.waited = waited


def _needs_write_lock(statement: str, context) -> bool:
    """Whether a statement writes, or reads under a lock it means to write after."""
    if _WRITES.match(statement):
        return True
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def configure_engine(engine: sa.Engine, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
    """Tune connections: SQLite WAL, foreign keys, deferred reads and write transactions taken
    when needed (pysqlite recipe); a bounded lock wait on both SQLite and PostgreSQL."""
    if engine.dialect.name == "postgresql":

        @sa.event.listens_for(engine, "connect")
        def _pg_connect(dbapi_connection, _record):
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = {int(lock_timeout * 1000)}")
            dbapi_connection.commit()

    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take BEGIN over from pysqlite: we choose when a transaction becomes a writer.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout * 1000)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN")
        conn.info[_TX] = "read"

    @sa.event.listens_for(engine, "commit")
    @sa.event.listens_for(engine, "rollback")
    def _on_end(conn):
        conn.info.pop(_TX, None)

    @sa.event.listens_for(engine, "reset")
    def _on_reset(_dbapi_connection, record, _reset_state=None):
        record.info.pop(_TX, None)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _before_execute(conn, _cursor, statement, _parameters, context, _executemany):
        if conn.info.get(_TX) == "read" and _needs_write_lock(statement, context):
            _become_writer(conn, lock_timeout)


def _become_writer(conn: sa.Connection, lock_timeout: float) -> None:
    """End the read transaction (it wrote nothing) and begin a writer, waiting for the lock.

    The raw connection is used so that SQLAlchemy's transaction goes on unaware: its COMMIT
    or ROLLBACK ends the IMMEDIATE transaction begun here.
    """
    raw = conn.connection.dbapi_connection
    # The read transaction may already be over: a pool reset (a connection returned to the
    # pool, a backup copied into it) ends it without SQLAlchemy's commit or rollback events.
    if raw.in_transaction:
        raw.execute("COMMIT")
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        conn.info.pop(_TX, None)
        raise DatabaseBusy(lock_timeout) from error
    conn.info[_TX] = "write"


def alembic_render_item(type_, obj, _autogen_context):
    """Render UTCDateTime as a plain DateTime in migrations (the UTC handling is Python-side)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
