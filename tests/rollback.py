"""PostgreSQL isolation: each test runs inside one transaction, rolled back at its end.

The app's engine is swapped for one connection in an open transaction, and sessions join it
through savepoints (`join_transaction_mode="create_savepoint"`): a `commit()` in a view, a
service test or a CLI command releases its savepoint, a `rollback()` returns to it, and every
session of the app (other app contexts, threads run one at a time) sees the same data. At the
end the transaction is rolled back and the sequences restarted, which leaves the database as
TRUNCATE … RESTART IDENTITY did, in a fraction of its time (TRUNCATE rewrites every table).

Tests whose writes must reach other connections (another engine, threads writing at the same
time as the test) take the `committed` mark and are emptied with TRUNCATE as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from crm.extensions import db


@contextmanager
def rolled_back() -> Iterator[None]:
    """Within the current app context: one outer transaction, rolled back on exit."""
    engines = db.engines  # the current app's own mapping: the swap concerns this app only
    engine = engines[None]
    connection = engine.connect()
    outer = connection.begin()
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    engines[None] = connection
    try:
        yield
    finally:
        db.session.remove()
        engines[None] = engine
        outer.rollback()
        _restart_sequences(connection)
        connection.close()


def _restart_sequences(connection: sa.Connection) -> None:
    """Every sequence of the schema back to 1, as RESTART IDENTITY does (setval is not undone
    by a rollback, so the ids a test consumed would otherwise carry over)."""
    names = connection.scalars(
        sa.text(
            "SELECT quote_ident(sequence_schema) || '.' || quote_ident(sequence_name)"
            " FROM information_schema.sequences WHERE sequence_schema = current_schema()"
        )
    ).all()
    if names:
        calls = ", ".join(f"setval('{name}', 1, false)" for name in names)
        connection.execute(sa.text(f"SELECT {calls}"))
    connection.commit()


def truncate_all() -> None:
    """Empty every table and restart its ids (for tests marked `committed`)."""
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
