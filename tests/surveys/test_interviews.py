"""Interviews through the services: branching, corrections, answers read by kind, quotas,
refusals and call-backs, each recorded in the log; and the refusals of what cannot be done."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.contacts.models import Callback
from crm.contacts.services import qualify_contact
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.surveys.models import Interview
from crm.surveys.services import (
    abandon_interview,
    answer_question,
    complete_interview,
    go_back,
    postpone_interview,
    refuse_interview,
    start_interview,
)


@pytest.fixture
def on_call(base_ctx, call_respondent):
    """(ctx under the contact, contact) of a call to Cabinet Garnier (10–49 employees)."""
    contact = call_respondent("C41001")
    return replace(base_ctx, interaction=("contact", contact.id)), contact


def _verbs(attempt_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Action.verb)
            .where(Action.attempt_id == attempt_id, Action.verb.like("survey.%"))
            .order_by(Action.seq)
        )
    )


def test_branching_decides_the_next_question(on_call):
    ctx, contact = on_call
    interview = start_interview(ctx, contact)
    assert interview.current == "effectif"
    answer_question(ctx, interview, "effectif", "10-49")
    answer_question(ctx, interview, "teletravail", "non")
    assert interview.current == "amenagement"  # « jours » is skipped on « non »
    answer_question(ctx, interview, "amenagement", ["aucun"])
    assert interview.current == "satisfaction"  # no budget without a project
    answer_question(ctx, interview, "satisfaction", "8")
    assert interview.answers["satisfaction"] == 8
    answer_question(ctx, interview, "commentaire", None)  # not required: skipped
    assert interview.current is None
    complete_interview(ctx, interview)
    assert interview.status == "completed"
    assert _verbs(ctx.attempt.id) == [
        "survey.started",
        *["survey.answered"] * 5,
        "survey.completed",
    ]


def test_a_correction_is_logged_and_drops_answers_off_the_new_path(on_call):
    ctx, contact = on_call
    interview = start_interview(ctx, contact)
    answer_question(ctx, interview, "effectif", "10-49")
    answer_question(ctx, interview, "teletravail", "oui")
    answer_question(ctx, interview, "jours", 2)
    go_back(ctx, interview)
    go_back(ctx, interview)
    assert interview.current == "teletravail"
    answer_question(ctx, interview, "teletravail", "non")
    assert "jours" not in interview.answers and interview.current == "amenagement"
    last = db.session.scalars(
        sa.select(Action).where(Action.verb == "survey.answered").order_by(Action.seq.desc())
    ).first()
    assert last.payload["correction"] is True
    assert last.payload["previous"] == "oui" and last.payload["dropped"] == ["jours"]
    assert _verbs(ctx.attempt.id).count("survey.went_back") == 2


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("effectif", "beaucoup", "answer"),
        ("effectif", None, "answer"),  # required
        ("budget", "300-800", "question"),  # not asked yet
        ("nope", "x", "question"),
    ],
)
def test_bad_answers_are_refused_with_the_field_named(on_call, key, value, field):
    ctx, contact = on_call
    interview = start_interview(ctx, contact)
    with pytest.raises(ValidationFailed) as refused:
        answer_question(ctx, interview, key, value)
    assert field in refused.value.fields
    assert interview.answers == {}


def test_answers_are_read_by_kind(on_call):
    ctx, contact = on_call
    interview = start_interview(ctx, contact)
    answer_question(ctx, interview, "effectif", "10-49")
    answer_question(ctx, interview, "teletravail", "oui")
    with pytest.raises(ValidationFailed) as refused:
        answer_question(ctx, interview, "jours", 6)  # scale 0–5
    assert "0 à 5" in refused.value.fields["answer"]
    answer_question(ctx, interview, "jours", 5)
    with pytest.raises(ValidationFailed):
        answer_question(ctx, interview, "amenagement", ["aucun", "jacuzzi"])
    answer_question(ctx, interview, "amenagement", ["espaces-calmes", "bureaux-partages"])
    # Kept in the questionnaire's order.
    assert interview.answers["amenagement"] == ["bureaux-partages", "espaces-calmes"]
    assert interview.current == "budget"


def test_an_unfinished_questionnaire_cannot_be_completed(on_call):
    ctx, contact = on_call
    interview = start_interview(ctx, contact)
    answer_question(ctx, interview, "effectif", "10-49")
    with pytest.raises(Conflict) as refused:
        complete_interview(ctx, interview)
    assert refused.value.code == "survey_incomplete"
    with pytest.raises(Conflict):
        start_interview(ctx, contact)  # one at a time


def test_a_full_quota_stops_the_interview(base_ctx, call_respondent, hang_up_contact):
    ctx = base_ctx
    # Three large companies complete the questionnaire.
    for number in ("P41002", "P41005", "P41008"):
        contact = call_respondent(number)
        here = replace(ctx, interaction=("contact", contact.id))
        interview = start_interview(here, contact)
        for key, value in (
            ("effectif", "50-plus"),
            ("teletravail", "non"),
            ("amenagement", ["aucun"]),
            ("satisfaction", 5),
            ("commentaire", ""),
        ):
            answer_question(here, interview, key, value)
        complete_interview(here, interview)
        hang_up_contact(here, contact)
        qualify_contact(here, contact, "ENQ-COMPLETE", "ok")
        db.session.commit()
    contact = call_respondent("P41009")
    here = replace(ctx, interaction=("contact", contact.id))
    interview = start_interview(here, contact)
    answer_question(here, interview, "effectif", "50-plus")
    assert interview.status == "over_quota"
    over = db.session.scalars(sa.select(Action).where(Action.verb == "survey.over_quota")).one()
    assert over.payload["quota"] == "grandes"
    with pytest.raises(Conflict):
        answer_question(here, interview, "teletravail", "non")


def test_a_refusal_needs_its_reason_and_is_recorded(on_call):
    ctx, contact = on_call
    with pytest.raises(ValidationFailed) as refused:
        refuse_interview(ctx, contact, "  ")
    assert "reason" in refused.value.fields
    interview = refuse_interview(ctx, contact, "Pas le temps.")
    assert (interview.status, interview.reason) == ("refused", "Pas le temps.")
    assert _verbs(ctx.attempt.id) == ["survey.started", "survey.refused"]


def test_a_call_back_books_the_existing_callback(on_call):
    ctx, contact = on_call
    due = (clock.now() + timedelta(days=1)).replace(hour=9, minute=30)
    interview = postpone_interview(ctx, contact, due, "Rappeler demain matin.")
    assert interview.status == "postponed"
    callback = db.session.scalars(sa.select(Callback)).one()
    assert callback.client_id == contact.client_id and callback.contact_id == contact.id
    with pytest.raises(ValidationFailed) as refused:
        postpone_interview(ctx, contact, clock.now() - timedelta(hours=1), "Hier ?")
    assert "due_at" in refused.value.fields


def test_abandon_and_answers_after_qualification_are_refused(on_call):
    ctx, contact = on_call
    interview = start_interview(ctx, contact)
    abandon_interview(ctx, interview, "Le répondant a dû partir.")
    assert interview.status == "abandoned"
    second = start_interview(ctx, contact)
    qualify_contact(ctx, contact, "ENQ-ABANDON", "Interrompu.")
    with pytest.raises(Conflict) as refused:
        answer_question(ctx, second, "effectif", "10-49")
    assert refused.value.code == "contact_closed"
    assert db.session.get(Interview, second.id).answers == {}


def test_an_interview_going_on_is_not_judged_yet(on_call, hang_up_contact):
    from crm.evaluation.rules import RULES
    from crm.evaluation.rules.evidence import AttemptEvidence

    ctx, contact = on_call
    interview = start_interview(ctx, contact)
    answer_question(ctx, interview, "effectif", "10-49")
    rule = RULES["survey_script_followed"]
    assert rule.evaluate(AttemptEvidence(ctx.attempt)).status == "not_observed"
    hang_up_contact(ctx, contact)
    qualify_contact(ctx, contact, "ENQ-ABANDON", "Coupé.")
    result = rule.evaluate(AttemptEvidence(ctx.attempt))
    assert result.status == "not_met" and "laissé en cours" in result.explanation
