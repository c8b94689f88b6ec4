"""The attempt row lock: the one mutex of an attempt's world, taken first.

`crm.actionlog.services.record` locks the attempt row (`SELECT … FOR UPDATE` on PostgreSQL) to
append to the chain, so every transaction that changes an attempt's world holds that lock before
it commits. A transaction that must decide from the world's current state (is this call still
ringing? has the customer already nudged?) takes the same lock BEFORE reading, then re-reads:
whoever held it has committed, READ COMMITTED shows their writes, and whoever comes next waits
for our commit and sees ours. Taking the attempt lock first, before any other row of the world,
also keeps one lock order, so two such transactions cannot deadlock on each other.

On SQLite, which has one writer, the `FOR UPDATE` select is where a transaction takes the
write lock (crm/db.py: it begins as a reader and becomes a writer there); the same code runs on
both.

The lock is held until the transaction ends, and the row was read fresh when it was taken; from
then on this session is the only writer of the row, so its copy stays current. `locked_attempt`
therefore reads (and locks) an attempt once per transaction, however many actions the
transaction records: the transaction remembers which attempts it locked
(`crm.db.transaction_memo`).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import request

from crm.db import db, transaction_memo
from crm.training.models import Attempt


def for_update(query: sa.Select) -> sa.Select:
    """`query`, which selects an attempt, as a statement that locks that attempt and reads it
    under the lock (refreshing the session's copy): what `locked_by` runs. Build it once, at
    import, for a query run on every request (crm/db.py: hot statements)."""
    return query.with_for_update(of=Attempt).execution_options(populate_existing=True)


#: The transaction memo of the attempts this transaction locked (crm.db.transaction_memo).
_LOCKED = "locked_attempts"

#: Every recorded action needs it once per transaction: built once (crm/db.py: hot statements).
_BY_ID = for_update(sa.select(Attempt).where(Attempt.id == sa.bindparam("attempt_id")))


def locked_attempt(attempt_id: int) -> Attempt | None:
    """The attempt's row, locked until the end of the current transaction and current: read
    under the lock the first time in the transaction, the session's copy afterwards."""
    locked = transaction_memo(_LOCKED)
    if attempt_id in locked:
        attempt = db.session.get(Attempt, attempt_id)
        if attempt is not None:
            return attempt
    return locked_by(_BY_ID, {"attempt_id": attempt_id})


def holds_lock(attempt_id: int) -> bool:
    """Whether the current transaction holds the attempt's lock: what it reads of the attempt's
    world from then on stays current until it ends (nobody else may change that world)."""
    return attempt_id in transaction_memo(_LOCKED)


def locked_by(statement: sa.Select, params: dict | None = None) -> Attempt | None:
    """The attempt a `for_update` statement selects, locked and read under the lock in one
    statement (no first read to learn its id); remembered as locked for the transaction."""
    attempt = db.session.execute(statement, params).scalar_one_or_none()
    if attempt is not None:
        transaction_memo(_LOCKED)[attempt.id] = True
    return attempt


def writes() -> bool:
    """Whether the request may change the world (POST, PUT, PATCH, DELETE): it locks first."""
    return request.method not in ("GET", "HEAD", "OPTIONS")


def lock_attempt(attempt_id: int) -> bool:
    """Lock the attempt's row until the end of the current transaction; False if it is gone."""
    return locked_attempt(attempt_id) is not None


def lock_for_write(attempt_id: int) -> None:
    """At the start of a request that may change the attempt's world (POST, PUT, PATCH, DELETE),
    take the attempt's lock before reading anything: every write of a candidate then decides on
    the world as committed, and takes the attempt lock before any other row (one lock order with
    the scenario clock, so the two never deadlock). Reads (GET) do not wait."""
    if writes():
        lock_attempt(attempt_id)


def locked_row(model, row_id: int):
    """A world row re-read under its attempt's lock (fresh from the database), or None if gone.

    Call it at the start of a transaction: rows read earlier in the same transaction are not
    refreshed, only this one is.
    """
    attempt_id = db.session.scalar(sa.select(model.attempt_id).where(model.id == row_id))
    if attempt_id is None or not lock_attempt(attempt_id):
        return None
    return db.session.get(model, row_id, populate_existing=True)
