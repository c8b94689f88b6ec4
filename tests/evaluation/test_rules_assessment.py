"""The rules on the end-of-shift report: memo_sent and self_assessment_filled, as tables."""

from __future__ import annotations

import pytest

from crm.evaluation.candidate_report import (
    Entry,
    save_self_assessment,
    send_memo,
    standard_for,
    submit_self_assessment,
)
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.extensions import db
from crm.training.services import change_shift_status, reset_attempt


def _fill(ctx, count=None, grade="acquired"):
    criteria = standard_for(ctx.attempt).criteria
    entries = [Entry(c.id, grade, "") for c in criteria[:count]]
    save_self_assessment(ctx, entries)


def _prepare(ctx, people, *, memo, grid, shift_state):
    """memo: sent or not; grid: none / draft / submitted; shift_state: running / ended / reset."""
    if memo:
        send_memo(ctx, "Bilan de la séance", "Trois commandes, une réclamation ouverte.")
    if grid in ("draft", "submitted"):
        _fill(ctx, count=None if grid == "submitted" else 5)
    if grid == "submitted":
        submit_self_assessment(ctx)
    if shift_state == "ended":
        change_shift_status(ctx.attempt.shift, "end")
    elif shift_state == "reset":
        reset_attempt(ctx.attempt, people["trainer"])
    db.session.commit()
    return AttemptEvidence(ctx.attempt)


def test_both_rules_are_registered():
    assert {"memo_sent", "self_assessment_filled"} <= set(RULES)


@pytest.mark.parametrize(
    ("memo", "shift_state", "expected"),
    [
        (True, "running", MET),
        (True, "ended", MET),
        (False, "running", NOT_OBSERVED),
        (False, "ended", NOT_MET),
        (False, "reset", NOT_OBSERVED),
    ],
)
def test_memo_sent(ctx, people, memo, shift_state, expected):
    evidence = _prepare(ctx, people, memo=memo, grid="none", shift_state=shift_state)
    result = RULES["memo_sent"].evaluate(evidence)
    assert result.status == expected
    sent = evidence.of("memo.sent")
    assert result.evidence == tuple(a.id for a in sent)
    if expected == MET:
        assert "« Bilan de la séance »" in result.explanation
        assert result.figures["words"] == 5
    elif expected == NOT_MET:
        assert result.explanation == "Aucune note de synthèse envoyée au superviseur."


@pytest.mark.parametrize(
    ("grid", "shift_state", "expected", "phrase"),
    [
        ("submitted", "running", MET, "Grille d'auto-évaluation remise : 78 critères évalués"),
        ("submitted", "ended", MET, "78 acquis"),
        ("draft", "running", NOT_OBSERVED, "pas terminée"),
        ("draft", "ended", NOT_MET, "commencée (5 critères évalués) mais jamais remise"),
        ("none", "ended", NOT_MET, "Aucune grille d'auto-évaluation remplie."),
        ("none", "reset", NOT_OBSERVED, "réinitialisée"),
    ],
)
def test_self_assessment_filled(ctx, people, grid, shift_state, expected, phrase):
    evidence = _prepare(ctx, people, memo=False, grid=grid, shift_state=shift_state)
    result = RULES["self_assessment_filled"].evaluate(evidence)
    assert result.status == expected
    assert phrase in result.explanation
    submitted = evidence.of("self_assessment.submitted")
    assert result.evidence == tuple(a.id for a in submitted)
    if expected == MET:
        assert result.figures["criteria"] == 78
        assert result.figures["acquired"] == 78


def test_a_draft_of_another_attempt_does_not_count(ctx, people, other_attempt):
    from crm.actionlog.services import Ctx

    other = Ctx(other_attempt, people["cand2"].id, "candidate")
    _fill(other, count=3)
    evidence = _prepare(ctx, people, memo=False, grid="none", shift_state="ended")
    result = RULES["self_assessment_filled"].evaluate(evidence)
    assert result.status == NOT_MET
    assert result.explanation == "Aucune grille d'auto-évaluation remplie."
