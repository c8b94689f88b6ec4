"""Recording reads the attempt's row under its lock once per transaction, however many actions."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.services import record, verify_chain
from crm.db import db
from crm.training.locking import lock_attempt


def _attempt_reads(run) -> int:
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    return len([s for s in statements if s.startswith("SELECT") and "FROM attempt" in s])


def test_the_attempt_row_is_read_once_per_transaction(ctx):
    def three_actions():
        lock_attempt(ctx.attempt.id)
        for query in ("a", "b", "c"):
            record(ctx, "client.searched", None, {"query": query})

    assert _attempt_reads(three_actions) == 1
    db.session.commit()
    assert verify_chain(ctx.attempt).valid


def test_each_transaction_reads_the_chain_head_again(ctx):
    record(ctx, "client.searched", None, {"query": "a"})
    db.session.commit()
    # Another writer appends behind this session's back, as another request would.
    db.session.execute(
        sa.text("UPDATE attempt SET chain_head = 'x', action_count = 99 WHERE id = :id"),
        {"id": ctx.attempt.id},
    )
    db.session.commit()
    action = record(ctx, "client.searched", None, {"query": "b"})
    assert (action.seq, action.prev_hash) == (100, "x")
    db.session.rollback()
