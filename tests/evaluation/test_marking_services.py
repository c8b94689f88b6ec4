"""Grading services: blind double marking, disagreements, agreement, sign-off lock, refusals."""

from __future__ import annotations

import pytest

from crm.actionlog.services import Ctx, record
from crm.errors import Conflict, ValidationFailed
from crm.evaluation.marking import final_grades, sign_off_of
from crm.evaluation.marking.queries import board
from crm.evaluation.marking.services import (
    NotAllowed,
    agree_grade,
    pin_note,
    save_grades,
    sign_off_grades,
    start_marking,
    submit_marking,
)
from crm.evaluation.marking.visibility import grades_view
from crm.evaluation.standards import get_standard
from crm.extensions import db

CQP = "cqp-relation-commerciale-a-distance"


@pytest.fixture
def cqp(app):
    return get_standard(CQP)


@pytest.fixture
def jury2(make_user):
    return make_user("jury2", "evaluator")


def _all(standard, grade="acquired", **overrides):
    """A full grid: every criterion `grade`, some overridden."""
    grid = {c.id: {"grade": grade, "comment": ""} for c in standard.criteria}
    grid.update({k: {"grade": v, "comment": f"vu : {v}"} for k, v in overrides.items()})
    return grid


def _hand_in(attempt, standard, user, **overrides):
    save_grades(attempt, standard, user, _all(standard, **overrides))
    submit_marking(attempt, standard, user)
    db.session.commit()


def test_the_first_grader_is_first_and_drafts_stay_out_of_final_grades(attempt, people, cqp):
    marking = save_grades(
        attempt, cqp, people["evaluator"], {"C1-C1": {"grade": "acquired", "comment": "Net."}}
    )
    db.session.commit()
    assert marking.role == "first" and marking.submitted_at is None
    assert [(g.criterion_id, g.grade, g.comment) for g in marking.grades] == [
        ("C1-C1", "acquired", "Net.")
    ]
    assert board(attempt.id, CQP).state == "first_marking"
    assert final_grades(attempt.id, CQP) == {}
    # A grade can be changed or cleared while the marking is a draft.
    save_grades(attempt, cqp, people["evaluator"], {"C1-C1": {"grade": None}})
    assert board(attempt.id, CQP).first.grades == []


def test_single_marking_is_signed_with_the_log_hash(attempt, people, cqp):
    _hand_in(attempt, cqp, people["evaluator"], **{"C2-C1": "in_progress"})
    assert board(attempt.id, CQP).state == "first_submitted"
    final = final_grades(attempt.id, CQP)
    assert final["C2-C1"] == {"grade": "in_progress", "comment": "vu : in_progress"}
    assert len(final) == len(cqp.criteria)

    signed = sign_off_grades(attempt, cqp, people["evaluator"])
    db.session.commit()
    db.session.refresh(attempt)
    assert sign_off_of(attempt.id, CQP) == signed
    assert signed.chain_head == attempt.chain_head and signed.action_count == attempt.action_count
    assert signed.action_count > 0
    assert [s["username"] for s in signed.signers] == ["jury"]
    assert board(attempt.id, CQP).state == "signed"


def test_sign_off_seals_the_log_as_it_was(attempt, people, cqp):
    _hand_in(attempt, cqp, people["evaluator"])
    head, count = attempt.chain_head, attempt.action_count
    signed = sign_off_grades(attempt, cqp, people["evaluator"])
    db.session.commit()
    # Grading wrote nothing into the log; later actions do not move the seal.
    db.session.refresh(attempt)
    assert (attempt.chain_head, attempt.action_count) == (head, count)
    record(Ctx(attempt, people["cand1"].id, "candidate"), "kb.searched", None, {"q": "tarifs"})
    db.session.commit()
    assert attempt.action_count == count + 1
    assert (signed.chain_head, signed.action_count) == (head, count)


def test_double_marking_flags_disagreements_then_agreement(attempt, people, cqp, jury2):
    _hand_in(attempt, cqp, people["evaluator"], **{"C1-C1": "acquired", "C2-C1": "in_progress"})
    _hand_in(attempt, cqp, jury2, **{"C1-C1": "not_acquired", "C2-C1": "in_progress"})
    current = board(attempt.id, CQP)
    assert current.second.evaluator_id == jury2.id and current.second.role == "second"
    assert current.disputes == ["C1-C1"]
    assert current.state == "reconciling"
    # The disputed criterion has no final grade until the evaluators agree.
    assert "C1-C1" not in final_grades(attempt.id, CQP)
    with pytest.raises(Conflict) as early:
        sign_off_grades(attempt, cqp, people["evaluator"])
    assert early.value.code == "not_ready"

    agree_grade(attempt, cqp, jury2, "C1-C1", "in_progress", "Accord après échange.")
    db.session.commit()
    assert board(attempt.id, CQP).state == "agreed"
    final = final_grades(attempt.id, CQP)
    assert final["C1-C1"] == {"grade": "in_progress", "comment": "Accord après échange."}
    # Where both agreed from the start, both comments are kept.
    assert final["C2-C1"]["grade"] == "in_progress"
    signed = sign_off_grades(attempt, cqp, jury2)
    db.session.commit()
    assert [(s["username"], s["role"]) for s in signed.signers] == [
        ("jury", "first"),
        ("jury2", "second"),
    ]


def test_the_second_marking_waits_for_the_first(attempt, people, cqp, jury2):
    save_grades(attempt, cqp, people["evaluator"], {"C1-C1": {"grade": "acquired"}})
    with pytest.raises(Conflict) as refused:
        save_grades(attempt, cqp, jury2, {"C1-C1": {"grade": "acquired"}})
    assert refused.value.code == "first_not_submitted"


def test_second_marking_is_blind(attempt, people, cqp, jury2):
    _hand_in(attempt, cqp, people["evaluator"])
    save_grades(attempt, cqp, jury2, {"C1-C1": {"grade": "not_acquired"}})
    current = board(attempt.id, CQP)
    assert grades_view(current, jury2.id).markings == [current.second]
    assert grades_view(current, people["evaluator"].id).markings == [current.first]
    assert grades_view(current, people["trainer"].id).markings == []


def test_a_third_evaluator_is_refused(attempt, people, cqp, jury2, make_user):
    _hand_in(attempt, cqp, people["evaluator"])
    _hand_in(attempt, cqp, jury2)
    third = make_user("jury3", "evaluator")
    with pytest.raises(Conflict) as refused:
        save_grades(attempt, cqp, third, {"C1-C1": {"grade": "acquired"}})
    assert refused.value.code == "markers_complete"
    with pytest.raises(NotAllowed):
        sign_off_grades(attempt, cqp, third)


def test_one_evaluator_cannot_hold_both_markings(attempt, people, cqp):
    _hand_in(attempt, cqp, people["evaluator"])
    # Grading again once handed in is refused…
    with pytest.raises(Conflict) as refused:
        save_grades(attempt, cqp, people["evaluator"], {"C1-C1": {"grade": "acquired"}})
    assert refused.value.code == "marking_submitted"
    # …and opening the second marking in their name is refused as such.
    with pytest.raises(ValidationFailed) as both:
        start_marking(attempt, cqp, people["evaluator"], "second", board(attempt.id, CQP))
    assert "role" in both.value.fields


def test_a_candidate_never_grades(attempt, people, cqp):
    with pytest.raises(NotAllowed):
        save_grades(attempt, cqp, people["cand1"], {"C1-C1": {"grade": "acquired"}})
    with pytest.raises(NotAllowed):
        sign_off_grades(attempt, cqp, people["cand1"])
    assert board(attempt.id, CQP).markings == []


@pytest.mark.parametrize(
    ("entries", "field"),
    [
        ({"X-99": {"grade": "acquired"}}, "grades.X-99"),
        ({"C1-C1": {"grade": "excellent"}}, "grades.C1-C1.grade"),
        ({"C1-C1": {"grade": None, "comment": "sans note"}}, "grades.C1-C1.grade"),
        ({"C1-C1": {"grade": "acquired", "comment": "x" * 4001}}, "grades.C1-C1.comment"),
        ({"C1-C1": {"grade": "acquired", "comment": 12}}, "grades.C1-C1.comment"),
        ({"C1-C1": "acquired"}, "grades.C1-C1"),
        ({}, "grades"),
    ],
)
def test_bad_grades_are_refused_naming_the_field(attempt, people, cqp, entries, field):
    with pytest.raises(ValidationFailed) as refused:
        save_grades(attempt, cqp, people["evaluator"], entries)
    assert field in refused.value.fields
    assert board(attempt.id, CQP).markings == []


def test_handing_in_needs_every_criterion(attempt, people, cqp):
    save_grades(attempt, cqp, people["evaluator"], {"C1-C1": {"grade": "acquired"}})
    with pytest.raises(ValidationFailed) as refused:
        submit_marking(attempt, cqp, people["evaluator"])
    assert "grades.C1-C2" in refused.value.fields and "grades.C1-C1" not in refused.value.fields
    with pytest.raises(Conflict):
        submit_marking(attempt, cqp, people["trainer"])


def test_agreement_refusals(attempt, people, cqp, jury2):
    _hand_in(attempt, cqp, people["evaluator"], **{"C1-C1": "acquired"})
    with pytest.raises(Conflict):  # no second marking yet: nothing to agree on
        agree_grade(attempt, cqp, people["evaluator"], "C1-C1", "acquired")
    _hand_in(attempt, cqp, jury2, **{"C1-C1": "not_acquired"})
    with pytest.raises(ValidationFailed) as same:
        agree_grade(attempt, cqp, jury2, "C1-C2", "acquired")
    assert "criterion" in same.value.fields
    with pytest.raises(ValidationFailed) as bad:
        agree_grade(attempt, cqp, jury2, "nope", "parfait")
    assert set(bad.value.fields) == {"criterion", "grade"}
    with pytest.raises(NotAllowed):
        agree_grade(attempt, cqp, people["trainer"], "C1-C1", "acquired")


def test_sign_off_locks_everything(attempt, people, cqp, jury2):
    _hand_in(attempt, cqp, people["evaluator"])
    sign_off_grades(attempt, cqp, people["evaluator"])
    db.session.commit()
    attempts = [
        lambda: save_grades(attempt, cqp, people["evaluator"], {"C1-C1": {"grade": "acquired"}}),
        lambda: save_grades(attempt, cqp, jury2, {"C1-C1": {"grade": "acquired"}}),
        lambda: submit_marking(attempt, cqp, people["evaluator"]),
        lambda: agree_grade(attempt, cqp, people["evaluator"], "C1-C1", "acquired"),
        lambda: sign_off_grades(attempt, cqp, people["evaluator"]),
    ]
    for change in attempts:
        with pytest.raises(Conflict) as refused:
            change()
        assert refused.value.code == "signed"


def test_other_standards_are_graded_apart(attempt, people, cqp):
    _hand_in(attempt, cqp, people["evaluator"])
    sign_off_grades(attempt, cqp, people["evaluator"])
    superviseur = get_standard("tp-superviseur-rncp-12505")
    first = superviseur.criteria[0].id
    marking = save_grades(attempt, superviseur, people["evaluator"], {first: {"grade": "acquired"}})
    assert marking.standard_id == superviseur.id and marking.role == "first"


def test_notes_are_pinned_on_an_action_of_the_attempt(attempt, other_attempt, people):
    action = record(Ctx(attempt, people["cand1"].id, "candidate"), "kb.searched", None, {"q": "x"})
    note = pin_note(attempt, action, people["evaluator"], "  Recherche pertinente.  ")
    assert (note.body, note.action_id, note.attempt_id) == (
        "Recherche pertinente.",
        action.id,
        attempt.id,
    )
    with pytest.raises(ValidationFailed) as empty:
        pin_note(attempt, action, people["evaluator"], "   ")
    assert "body" in empty.value.fields
    with pytest.raises(ValidationFailed) as elsewhere:
        pin_note(other_attempt, action, people["evaluator"], "Note")
    assert "action_id" in elsewhere.value.fields
    with pytest.raises(NotAllowed):
        pin_note(attempt, action, people["cand1"], "Note")
