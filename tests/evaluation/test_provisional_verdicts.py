"""Verdicts computed while the shift runs are provisional; once it has ended they are final."""

from __future__ import annotations

from crm.db import db
from crm.evaluation.standards import get_standard
from crm.evaluation.verdicts import evaluate

REAC = "tp-crcd-reac-2011"


def _criterion(evaluation, criterion_id):
    return next(c for c in evaluation.criteria if c.criterion.id == criterion_id)


def test_verdicts_of_a_running_shift_are_provisional(app, attempt):
    assert attempt.shift.status == "running"
    evaluation = evaluate(attempt, get_standard(REAC))
    assert evaluation.provisional is True
    assert evaluation.to_dict()["provisional"] is True
    automatic = _criterion(evaluation, "CP7-C4")
    assert automatic.provisional is True and automatic.to_dict()["provisional"] is True
    # A criterion without any rule has no verdict to call provisional.
    assert _criterion(evaluation, "CP1-C2").provisional is False


def test_verdicts_of_an_ended_shift_are_final(app, attempt):
    attempt.shift.status = "ended"
    db.session.flush()
    evaluation = evaluate(attempt, get_standard(REAC))
    assert evaluation.provisional is False
    assert not any(c.provisional for c in evaluation.criteria)


def test_a_reset_attempt_is_final_while_the_shift_runs(app, attempt):
    attempt.status = "superseded"
    db.session.flush()
    assert evaluate(attempt, get_standard(REAC)).provisional is False
