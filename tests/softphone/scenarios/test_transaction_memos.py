"""What one transaction remembers of an attempt's world (crm.db.transaction_memo) stays true:
the agent row without a second read, the started correspondents read again once one starts or
a savepoint is rolled back."""

from __future__ import annotations

import gc

import pytest
import sqlalchemy as sa

from crm.db import db
from crm.training.timeline import TimelineEvent
from softphone.phone.agent import agent_for, load_agent
from softphone.scenarios.correspondent import _live

pytestmark = pytest.mark.empty_world


def _statements(run):
    """The SQL statements `run()` sends."""
    seen = []

    def listener(_conn, _cursor, statement, *_):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = run()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return result, seen


def _started_chat(attempt, key: str) -> TimelineEvent:
    return TimelineEvent(
        attempt_id=attempt.id,
        key=key,
        kind="chat",
        fire_offset_seconds=0,
        payload={},
        customer_state={"engine": {"finished": False}},
    )


def test_the_agent_row_is_read_once_per_transaction_even_when_nothing_else_holds_it(ctx):
    agent_id = agent_for(ctx).id
    db.session.commit()
    first = load_agent(ctx.attempt.id)
    assert first.id == agent_id
    del first
    gc.collect()  # the identity map holds rows weakly: only the memo keeps it now
    again, statements = _statements(lambda: load_agent(ctx.attempt.id))
    assert again.id == agent_id
    assert statements == []


def test_a_correspondent_started_in_the_transaction_is_live_at_once(ctx):
    assert _live(ctx.attempt.id) == []
    db.session.add(_started_chat(ctx.attempt, "chat-one"))
    db.session.flush()
    assert [e.key for e in _live(ctx.attempt.id)] == ["chat-one"]


def test_a_finished_correspondent_leaves_without_a_new_read(ctx):
    event = _started_chat(ctx.attempt, "chat-two")
    db.session.add(event)
    db.session.flush()
    assert [e.key for e in _live(ctx.attempt.id)] == ["chat-two"]
    event.customer_state = {"engine": {"finished": True}}
    live, statements = _statements(lambda: _live(ctx.attempt.id))
    assert live == []
    assert statements == []


def test_a_rolled_back_savepoint_forgets_what_the_transaction_read(ctx):
    assert _live(ctx.attempt.id) == []
    savepoint = db.session.begin_nested()
    db.session.add(_started_chat(ctx.attempt, "chat-three"))
    db.session.flush()
    assert [e.key for e in _live(ctx.attempt.id)] == ["chat-three"]
    savepoint.rollback()
    assert _live(ctx.attempt.id) == []
