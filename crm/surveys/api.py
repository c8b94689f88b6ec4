"""API of surveys: the open contact's questionnaire at the desk (the candidate), and an
attempt's interviews (the trainers and evaluators who run its shift read them)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, jsonify

from crm.campaigns.models import Campaign
from crm.contacts.models import Contact
from crm.contacts.services import find_open_contact
from crm.db import db
from crm.errors import Conflict
from crm.i18n import _
from crm.surveys.models import Interview
from crm.surveys.serialize import desk_survey, interview_dict
from crm.surveys.services import (
    abandon_interview,
    answer_question,
    complete_interview,
    contact_campaign,
    go_back,
    interview_in_attempt,
    postpone_interview,
    refuse_interview,
    start_interview,
    survey_of,
)
from crm.training.staff import require_runs
from crm.validation import Fields
from crm.web.api import (
    attempt_or_404,
    candidate_ctx,
    commit_and,
    json_body,
    make_api_blueprint,
    roles,
)
from crm.web.openapi import doc, text

bp = make_api_blueprint("surveys_api", __name__)

#: An answer: an option's value or a free text, a note on a scale, several options (multiple).
_ANSWER = {
    "oneOf": [
        {"type": "string", "maxLength": 500},
        {"type": "integer", "minimum": -1000, "maximum": 1000},
        {"type": "array", "items": {"type": "string", "maxLength": 60}, "maxItems": 40},
    ]
}
_REASON = {"reason": text(300)}
_CONFLICTS = {
    409: "no contact open (`no_open_contact`), no survey for it (`no_survey`), an interview "
    "already running (`interview_open`) or over (`interview_over`), the questionnaire not "
    "finished (`survey_incomplete`), no question before (`first_question`)",
}


def _open(ctx) -> Contact:
    contact = find_open_contact(ctx.attempt.id)
    if contact is None:
        raise Conflict(_("Aucun contact en cours."), code="no_open_contact")
    return contact


def _state(contact: Contact) -> dict:
    return desk_survey(contact, contact_campaign(contact))


def _interview(ctx, interview_id: int) -> Interview:
    return interview_in_attempt(ctx, interview_id)


@bp.get("/survey")
@roles("candidate")
@doc(tag="Surveys")
def survey_show():
    """The open contact's survey: `active` false when it belongs to no survey campaign; else
    the campaign, the scripts (`intro`, `closing`), the interview (answers so far, the question
    asked now, progress) and the quotas (completed, maximum, full)."""
    ctx = candidate_ctx()
    contact = find_open_contact(ctx.attempt.id)
    return jsonify(_state(contact) if contact else {"active": False})


@bp.post("/survey/interviews")
@roles("candidate")
@doc(tag="Surveys", status=201, responses=_CONFLICTS)
def survey_start():
    """Start the interview of the open contact's respondent (`survey.started`)."""
    ctx = candidate_ctx()
    contact = _open(ctx)
    start_interview(ctx, contact)
    db.session.flush()
    return commit_and(_state(contact), 201)


@bp.post("/survey/interviews/<int:interview_id>/answers")
@roles("candidate")
@doc(
    tag="Surveys",
    body={"question": text(60), "answer?": _ANSWER},
    responses={**_CONFLICTS, 422: "`question` not asked at this stage, or a bad `answer`"},
)
def survey_answer(interview_id):
    """Record the answer to the question asked, or correct an earlier one (`survey.answered`);
    the branching gives the next question. An empty answer skips a question not required."""
    ctx = candidate_ctx()
    interview = _interview(ctx, interview_id)
    body = json_body()
    fields = Fields(body)
    question = fields.text("question", max_length=60)
    fields.done()
    answer_question(ctx, interview, question, body.get("answer"))
    return commit_and(_state(db.session.get(Contact, interview.contact_id)))


@bp.post("/survey/interviews/<int:interview_id>/back")
@roles("candidate")
@doc(tag="Surveys", responses=_CONFLICTS)
def survey_back(interview_id):
    """Go back to the question before, to correct its answer (`survey.went_back`)."""
    ctx = candidate_ctx()
    interview = go_back(ctx, _interview(ctx, interview_id))
    return commit_and(_state(db.session.get(Contact, interview.contact_id)))


@bp.post("/survey/interviews/<int:interview_id>/complete")
@roles("candidate")
@doc(tag="Surveys", responses=_CONFLICTS)
def survey_complete(interview_id):
    """Close the questionnaire once its last question is answered (`survey.completed`)."""
    ctx = candidate_ctx()
    interview = complete_interview(ctx, _interview(ctx, interview_id))
    return commit_and(_state(db.session.get(Contact, interview.contact_id)))


@bp.post("/survey/interviews/<int:interview_id>/abandon")
@roles("candidate")
@doc(tag="Surveys", body=_REASON, responses=_CONFLICTS)
def survey_abandon(interview_id):
    """Stop the interview midway, with the reason (`survey.abandoned`)."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    reason = fields.text("reason", max_length=300)
    fields.done()
    interview = abandon_interview(ctx, _interview(ctx, interview_id), reason)
    return commit_and(_state(db.session.get(Contact, interview.contact_id)))


@bp.post("/survey/refusal")
@roles("candidate")
@doc(tag="Surveys", body=_REASON, responses=_CONFLICTS)
def survey_refuse():
    """The respondent declines to answer, with the reason (`survey.refused`)."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    reason = fields.text("reason", max_length=300)
    fields.done()
    contact = _open(ctx)
    refuse_interview(ctx, contact, reason)
    return commit_and(_state(contact))


@bp.post("/survey/callback")
@roles("candidate")
@doc(
    tag="Surveys",
    body={"due_at": "datetime", **_REASON},
    responses={**_CONFLICTS, 422: "`due_at` in the past or outside the legal hours, `reason`"},
)
def survey_postpone():
    """The respondent asks to be called back: the callback is booked (`callback.scheduled`)
    and the interview postponed (`survey.postponed`)."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    due_at = fields.moment("due_at")
    reason = fields.text("reason", max_length=300)
    fields.done()
    contact = _open(ctx)
    postpone_interview(ctx, contact, due_at, reason)
    return commit_and(_state(contact))


@bp.get("/attempts/<int:attempt_id>/survey-interviews")
@roles("trainer", "evaluator")
@doc(tag="Surveys", responses={403: "a candidate, or staff who do not run the shift"})
def attempt_interviews(attempt_id):
    """An attempt's interviews in order, with their answers in words (staff running the shift)."""
    attempt = attempt_or_404(attempt_id)
    require_runs(g.api_user, attempt.shift)
    rows = db.session.scalars(
        sa.select(Interview).where(Interview.attempt_id == attempt.id).order_by(Interview.id)
    ).all()
    surveys = {
        c.id: survey_of(c) or {}
        for c in db.session.scalars(sa.select(Campaign).where(Campaign.attempt_id == attempt.id))
    }
    items = [interview_dict(row, surveys.get(row.campaign_id, {})) for row in rows]
    return jsonify({"items": items, "total": len(items)})
