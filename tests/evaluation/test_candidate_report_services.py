"""The end-of-shift report services: who may write when, validation, send once, submit once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm import clock
from crm.actionlog.services import Ctx, verify_chain
from crm.errors import Conflict, NotFound, ValidationFailed
from crm.evaluation import candidate_report as report
from crm.evaluation.candidate_report import (
    Entry,
    closing_attempt,
    memo_of,
    parse_entries,
    save_self_assessment,
    send_memo,
    standard_for,
    submit_self_assessment,
)
from crm.evaluation.self_assessment import Memo, SelfAssessment, self_grades
from crm.extensions import db
from crm.training.services import change_shift_status, create_shift, reset_attempt

MC = "mc-acvad-referentiel-certification"


def _all(ctx, grade="in_progress"):
    return [Entry(c.id, grade, "") for c in standard_for(ctx.attempt).criteria]


# --- Memo ---------------------------------------------------------------------------------------


def test_memo_is_sent_once_and_recorded_with_its_text(ctx, log):
    memo = send_memo(ctx, "  Bilan  ", "Deux commandes passées.\nUn rappel à faire.")
    db.session.commit()
    assert (memo.subject, memo.body) == ("Bilan", "Deux commandes passées.\nUn rappel à faire.")
    action = log.last("memo.sent")
    assert (action.object_type, action.object_id) == ("memo", memo.id)
    assert action.payload == {
        "subject": "Bilan",
        "body": "Deux commandes passées.\nUn rappel à faire.",
        "words": 7,
    }
    assert verify_chain(ctx.attempt).valid
    with pytest.raises(Conflict) as refused:
        send_memo(ctx, "Autre", "Autre texte")
    assert refused.value.code == "memo_already_sent"
    db.session.rollback()
    assert db.session.query(Memo).count() == 1


@pytest.mark.parametrize(
    ("subject", "body", "fields"),
    [
        ("", "Texte", {"subject": "Champ obligatoire."}),
        ("Objet", "   ", {"body": "Champ obligatoire."}),
        (None, None, {"subject": "Champ obligatoire.", "body": "Champ obligatoire."}),
        ("x" * 201, "Texte", {"subject": "200 caractères au plus."}),
        ("Objet", "x" * 10_001, {"body": "10000 caractères au plus."}),
        (12, "Texte", {"subject": "Texte attendu."}),
    ],
)
def test_memo_validation_names_each_field_and_records_nothing(ctx, log, subject, body, fields):
    with pytest.raises(ValidationFailed) as refused:
        send_memo(ctx, subject, body)
    assert refused.value.fields == fields
    db.session.rollback()
    assert log.verbs() == [] and memo_of(ctx.attempt) is None


# --- Self-assessment ----------------------------------------------------------------------------


def test_draft_is_replaced_then_submitted_and_read_only(ctx, log):
    standard = standard_for(ctx.attempt)
    assert standard.id == MC
    first, second = standard.criteria[:2]
    save_self_assessment(ctx, [Entry(first.id, "acquired", "Sûr de moi"), Entry(second.id, "", "")])
    save_self_assessment(ctx, [Entry(second.id, "not_acquired", "")])
    db.session.commit()
    assessment = db.session.query(SelfAssessment).one()
    assert [(g.criterion_id, g.grade) for g in assessment.grades] == [(second.id, "not_acquired")]
    assert log.verbs() == []  # drafts are not the candidate's work handed in

    entries = _all(ctx)
    entries[0] = Entry(first.id, "acquired", "Présentation soignée")
    save_self_assessment(ctx, entries)
    submit_self_assessment(ctx)
    db.session.commit()
    action = log.last("self_assessment.submitted")
    assert action.payload["standard"] == MC
    assert action.payload["criteria"] == 78
    assert action.payload["counts"] == {
        "acquired": 1,
        "in_progress": 77,
        "not_acquired": 0,
        "not_observed": 0,
    }
    assert action.payload["comments"] == {first.id: "Présentation soignée"}
    assert self_grades(ctx.attempt.id, MC)[first.id] == "acquired"

    log.mark()
    for attempt_write in (
        lambda: save_self_assessment(ctx, entries),
        lambda: submit_self_assessment(ctx),
    ):
        with pytest.raises(Conflict) as refused:
            attempt_write()
        assert refused.value.code == "self_assessment_submitted"
        db.session.rollback()
    assert log.verbs() == []


def test_submit_refuses_an_incomplete_grid_and_keeps_the_draft(ctx, log):
    entries = _all(ctx)[:-2]
    save_self_assessment(ctx, entries)
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        submit_self_assessment(ctx)
    missing = [c.id for c in standard_for(ctx.attempt).criteria[-2:]]
    assert set(refused.value.fields) == {f"grades.{m}.grade" for m in missing}
    assert "2 critères sans niveau" in refused.value.message
    db.session.rollback()
    assert log.verbs() == []
    assessment = db.session.query(SelfAssessment).one()
    assert assessment.submitted_at is None and len(assessment.grades) == 76


def test_submit_without_any_draft_names_every_criterion(ctx):
    with pytest.raises(ValidationFailed) as refused:
        submit_self_assessment(ctx)
    assert len(refused.value.fields) == 78


def test_the_shift_standard_is_the_grid(ctx):
    ctx.attempt.shift.standard = "tp-superviseur-rncp-12505"
    assert len(standard_for(ctx.attempt).criteria) == 10
    ctx.attempt.shift.standard = "nope"
    with pytest.raises(NotFound):
        standard_for(ctx.attempt)


@pytest.mark.parametrize(
    ("items", "fields"),
    [
        ("x", {"grades": "Liste attendue."}),
        (["x"], {"grades.0": "Objet attendu."}),
        ([{"criterion": "ZZZ", "grade": "acquired"}], {"grades.0.criterion": None}),
        ([{"criterion": "1.1-C1", "grade": "great"}], {"grades.1.1-C1.grade": None}),
        (
            [{"criterion": "1.1-C1", "grade": "", "comment": "Sans niveau"}],
            {"grades.1.1-C1.grade": None},
        ),
        (
            [{"criterion": "1.1-C1", "grade": "acquired", "comment": 3}],
            {"grades.1.1-C1.comment": None},
        ),
        (
            [{"criterion": "1.1-C1", "grade": "acquired", "comment": "x" * 2001}],
            {"grades.1.1-C1.comment": "2000 caractères au plus."},
        ),
        (
            [
                {"criterion": "1.1-C1", "grade": "acquired"},
                {"criterion": "1.1-C1", "grade": "acquired"},
            ],
            {"grades.1.1-C1": "Critère donné deux fois."},
        ),
    ],
)
def test_entries_are_validated_per_field(ctx, items, fields):
    with pytest.raises(ValidationFailed) as refused:
        parse_entries(items, standard_for(ctx.attempt))
    assert set(refused.value.fields) == set(fields)
    for name, message in fields.items():
        if message:
            assert refused.value.fields[name] == message


# --- Who may write, and when --------------------------------------------------------------------


def test_only_the_candidate_of_the_attempt_writes(attempt, people):
    for actor, role in ((people["cand2"], "candidate"), (people["trainer"], "trainer")):
        intruder = Ctx(attempt, actor.id, role)
        with pytest.raises(Conflict) as refused:
            send_memo(intruder, "Objet", "Texte")
        assert refused.value.code == "not_your_attempt"


def test_a_reset_attempt_is_closed(ctx, people):
    reset_attempt(ctx.attempt, people["trainer"])
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        save_self_assessment(ctx, [])
    assert refused.value.code == "attempt_closed"


def test_planned_shift_refuses(people):
    shift = create_shift("bureau-direct", [people["cand3"]])
    db.session.commit()
    ctx = Ctx(shift.attempts[0], people["cand3"].id, "candidate")
    with pytest.raises(Conflict) as refused:
        send_memo(ctx, "Objet", "Texte")
    assert refused.value.code == "shift_not_started"
    assert closing_attempt(people["cand3"]) is None


def test_after_the_end_within_the_grace_period_only(app, ctx, people):
    shift = ctx.attempt.shift
    change_shift_status(shift, "pause")
    send_memo(ctx, "Pendant la pause", "Autorisé")  # paused: still the candidate's shift
    change_shift_status(shift, "end")
    db.session.commit()
    assert closing_attempt(people["cand1"]).id == ctx.attempt.id
    save_self_assessment(ctx, _all(ctx))  # just after the end
    db.session.commit()

    grace = timedelta(minutes=app.config["END_OF_SHIFT_GRACE_MINUTES"])
    shift.ended_at = clock.now() - grace - timedelta(seconds=1)
    db.session.commit()
    assert closing_attempt(people["cand1"]) is None
    with pytest.raises(Conflict) as refused:
        submit_self_assessment(ctx)
    assert refused.value.code == "report_closed"
    shift.ended_at = clock.now() - grace + timedelta(seconds=30)
    db.session.commit()
    assert closing_attempt(people["cand1"]).id == ctx.attempt.id
    submit_self_assessment(ctx)


def test_write_guards_can_close_the_report(ctx, monkeypatch):
    monkeypatch.setattr(report, "write_guards", [lambda attempt: "Tentative signée."])
    with pytest.raises(Conflict) as refused:
        send_memo(ctx, "Objet", "Texte")
    assert refused.value.message == "Tentative signée."


def test_closing_attempt_is_only_for_candidates(people, attempt):
    assert closing_attempt(people["cand1"]).id == attempt.id
    assert closing_attempt(people["trainer"]) is None
    assert closing_attempt(people["cand2"]) is None
