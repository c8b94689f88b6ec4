"""Pushing an attempt's statements to the configured LRS."""

from __future__ import annotations

from flask import current_app

from crm.auth.models import User
from crm.db import db
from crm.evaluation.xapi.lrs import LrsClient, LrsConfig
from crm.evaluation.xapi.models import XapiPush
from crm.evaluation.xapi.statements import StatementBuilder, actions_query
from crm.training.models import Attempt


def push_statements(attempt: Attempt, user: User | None = None) -> XapiPush:
    """Send every statement of the attempt to the LRS; record the push once all were accepted.

    Call it with nothing pending in the session: the read transaction is rolled back before the
    network call: a transaction that has begun writing would hold SQLite's write lock
    (every candidate's actions) while the LRS answers. LrsNotConfigured / LrsError leave nothing
    written here; on success the push row is added and flushed, never committed.
    """
    config = LrsConfig.from_app(current_app.config)
    attempt_id, user_id = attempt.id, user.id if user else None
    actions = list(db.session.scalars(actions_query(attempt)))
    statements = StatementBuilder(attempt).statements(actions)
    last_seq = actions[-1].seq if actions else 0
    log_hash = actions[-1].hash if actions else attempt.chain_head
    db.session.rollback()
    LrsClient(config).push(statements)
    push = XapiPush(
        attempt_id=attempt_id,
        pushed_by_id=user_id,
        endpoint=config.endpoint[:255],
        statements=len(statements),
        last_seq=last_seq,
        log_hash=log_hash,
    )
    db.session.add(push)
    db.session.flush()
    return push
