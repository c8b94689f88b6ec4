"""« Rappel tenu »: callbacks made at the time promised (met), late or never made (not met)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx
from crm.contacts.booking import schedule_callback
from crm.contacts.callbacks import complete_callback
from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from tests.evaluation.conftest import client_numbered


def verdict(attempt, actions=None):
    return RULES["callbacks_kept"].evaluate(AttemptEvidence(attempt, actions))


def _scheduled(attempt, people, minutes=30):
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    # C10008 is a company: no consumer calling window to respect here.
    client = client_numbered(attempt, "C10008")
    callback = schedule_callback(
        ctx, client, clock.now() + timedelta(minutes=minutes), "Rappeler le comptable"
    )
    db.session.commit()
    return ctx, callback


def test_no_callback_to_make_is_not_observed(attempt):
    assert verdict(attempt).status == NOT_OBSERVED


def test_a_callback_made_on_time_is_met(attempt, people):
    ctx, callback = _scheduled(attempt, people)
    complete_callback(ctx, callback, None, callback.due_at + timedelta(minutes=2))
    db.session.commit()
    result = verdict(attempt)
    assert result.status == MET and "1 rappel passé à l'heure promise" in result.explanation


def test_a_late_callback_is_not_met_and_says_by_how_much(attempt, people):
    ctx, callback = _scheduled(attempt, people)
    complete_callback(ctx, callback, None, callback.due_at + timedelta(minutes=50))
    db.session.commit()
    result = verdict(attempt)
    assert result.status == NOT_MET
    assert f"rappel n° {callback.id}" in result.explanation and "50 min" in result.explanation


def test_a_callback_never_made_is_not_met_once_its_time_has_passed(attempt, people):
    _ctx, callback = _scheduled(attempt, people)
    from crm.actionlog.models import Action

    actions = list(
        db.session.scalars(
            sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)
        )
    )
    # Still ahead at the log's end: nothing to say yet.
    assert verdict(attempt, actions).status == NOT_OBSERVED
    # The shift went on an hour past it (a later action), and the call never came.
    later = SimpleNamespace(
        id=10**6, seq=10**6, verb="kb.searched", payload={}, object_id=None,
        at=callback.due_at + timedelta(hours=1), interaction_type=None, interaction_id=None,
    )  # fmt: skip
    result = verdict(attempt, [*actions, later])
    assert result.status == NOT_MET and "jamais passé" in result.explanation
