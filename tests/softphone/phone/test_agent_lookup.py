"""The agent's row is read once per transaction, however many actions ask for it."""

from __future__ import annotations

import sqlalchemy as sa

from crm.db import db
from softphone.phone.agent import agent_for, load_agent


def _agent_reads(run) -> int:
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    return len([s for s in statements if s.startswith("SELECT") and "FROM agent_state" in s])


def test_the_agent_row_is_read_once_per_transaction_and_again_in_the_next(ctx):
    agent = agent_for(ctx)
    db.session.commit()
    attempt_id = ctx.attempt.id

    def three_asks():
        for _ in range(3):
            assert load_agent(attempt_id) is agent

    assert _agent_reads(three_asks) == 1
    db.session.commit()
    db.session.execute(
        sa.text("UPDATE agent_state SET state = 'ready' WHERE id = :id"), {"id": agent.id}
    )
    db.session.commit()
    assert load_agent(attempt_id).state == "ready"  # a new transaction reads it again
