"""Retention: the dry run changes nothing, the real run deletes only what is old, the cut-off."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, verify_chain
from crm.clients.models import Client
from crm.evaluation.candidate_report import Entry, save_self_assessment, send_memo, standard_for
from crm.evaluation.self_assessment import Memo, SelfAssessment, SelfGrade
from crm.extensions import db
from crm.retention import REGISTRY, plan, purge
from crm.training.models import Attempt, Shift
from crm.training.services import change_shift_status, create_shift, reset_attempt

TABLES = (Shift, Attempt, Action, Client, Memo, SelfAssessment, SelfGrade)


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in TABLES
    }


def _report(attempt, user):
    ctx = Ctx(attempt, user.id, "candidate")
    send_memo(ctx, "Bilan", "Texte de la note")
    criteria = standard_for(attempt).criteria[:3]
    save_self_assessment(ctx, [Entry(c.id, "acquired", "") for c in criteria])


@pytest.fixture
def worlds(attempt, people):
    """cand1's attempt (with a report) in a shift ended 400 days ago; cand2's in a running one."""
    _report(attempt, people["cand1"])
    old = attempt.shift
    change_shift_status(old, "end")
    old.ended_at = clock.now() - timedelta(days=400)
    recent = create_shift("bureau-direct", [people["cand2"]])
    change_shift_status(recent, "start")
    db.session.flush()
    _report(recent.attempts[0], people["cand2"])
    db.session.commit()
    return {"old": old, "recent": recent, "old_attempt": attempt.id, "new": recent.attempts[0].id}


def test_registry_knows_attempts_shifts_and_the_grids(app):
    assert {"attempts", "shifts", "memos", "self_assessments"} <= set(REGISTRY)


def test_dry_run_lists_and_changes_nothing(app, worlds, runner):
    before = _counts()
    batches = {b.kept.key: b for b in purge(dry_run=True)}
    assert [row_id for row_id, _ in batches["attempts"].rows] == [worlds["old_attempt"]]
    assert [row_id for row_id, _ in batches["shifts"].rows] == [worlds["old"].id]
    assert len(batches["memos"].rows) == 1 and len(batches["self_assessments"].rows) == 1
    assert _counts() == before

    result = runner.invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "dry run: nothing deleted" in result.output
    assert "attempts (attempts with their world and action log; kept 365 days" in result.output
    assert f"  attempts {worlds['old_attempt']}  " in result.output
    assert "memos (memos to the supervisor; kept 365 days" in result.output
    assert _counts() == before


def test_real_run_deletes_only_what_is_old(app, worlds, runner):
    before = _counts()
    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "attempts" in result.output and "1 deleted" in result.output
    after = _counts()
    assert after["shift"] == before["shift"] - 1
    assert after["attempt"] == before["attempt"] - 1
    assert after["memo"] == 1 and after["self_assessment"] == 1 and after["self_grade"] == 3
    for model in (Action, Client, Memo, SelfAssessment):
        assert not db.session.scalar(
            sa.select(sa.func.count())
            .select_from(model)
            .where(model.attempt_id == worlds["old_attempt"])
        )
    kept = db.session.get(Attempt, worlds["new"])
    assert kept is not None and verify_chain(kept).valid
    assert db.session.get(Shift, worlds["recent"].id) is not None
    # Nothing left to do: a second run deletes nothing.
    assert all(not batch.rows for batch in purge())


def test_the_cut_off_boundary(app, worlds):
    ended = worlds["old"].ended_at
    at_boundary = ended + timedelta(days=365)  # exactly one period: still kept
    assert not [b for b in plan(at_boundary) if b.kept.key == "attempts"][0].rows
    just_after = at_boundary + timedelta(milliseconds=1)
    rows = [b for b in plan(just_after) if b.kept.key == "attempts"][0].rows
    assert [row_id for row_id, _ in rows] == [worlds["old_attempt"]]
    assert rows[0][1] == ended


def test_grids_can_go_before_the_attempts(app, worlds):
    app.config["RETENTION_GRIDS_DAYS"] = 30
    app.config["RETENTION_ATTEMPTS_DAYS"] = 500
    batches = {b.kept.key: b for b in purge()}
    assert not batches["attempts"].rows and not batches["shifts"].rows
    assert db.session.get(Attempt, worlds["old_attempt"]) is not None
    assert not db.session.scalar(
        sa.select(sa.func.count()).select_from(Memo).where(Memo.attempt_id == worlds["old_attempt"])
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SelfGrade)) == 3  # cand2's


def test_a_reset_attempt_is_dated_by_its_reset(app, shift, people):
    old = shift.attempts[0]
    new = reset_attempt(old, people["trainer"])
    db.session.flush()
    old.superseded_at = clock.now() - timedelta(days=366)
    db.session.commit()
    old_id, new_id = old.id, new.id
    batches = {b.kept.key: b for b in purge()}
    assert [row_id for row_id, _ in batches["attempts"].rows] == [old_id]
    assert not batches["shifts"].rows  # the shift still holds the new attempt
    assert db.session.get(Attempt, old_id) is None
    assert verify_chain(db.session.get(Attempt, new_id)).valid


def test_a_negative_period_is_refused(app, runner, people):
    app.config["RETENTION_GRIDS_DAYS"] = -1
    result = runner.invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 1 and "RETENTION_GRIDS_DAYS" in result.output
