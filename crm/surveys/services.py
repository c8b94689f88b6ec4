"""Interviews: start one for the open contact, record answers, go back, end it.

Every change records its `survey.*` action in the same transaction. An interview belongs to the
contact in progress: answers are taken while that contact is open (before it is qualified),
the branching of the questionnaire decides the next question, going back to correct an answer
is allowed and logged, and a respondent whose answers fall in a full quota is not interviewed
further (`over_quota`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa

import crm.training.questionnaire as qn
from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.campaigns.membership import attempt_campaigns, campaign_of
from crm.campaigns.models import Campaign
from crm.contacts.booking import schedule_callback
from crm.contacts.models import Contact
from crm.db import db
from crm.errors import Conflict, NotFound, ValidationFailed
from crm.i18n import _
from crm.surveys.models import Interview

REASON_MAX = 300


def survey_of(campaign: Campaign | None) -> dict | None:
    """The questionnaire attached to a campaign (`settings.survey`), if any."""
    survey = ((campaign.settings or {}) if campaign else {}).get("survey")
    return survey if isinstance(survey, dict) and qn.questions(survey) else None


def contact_campaign(contact: Contact) -> Campaign | None:
    """The survey campaign of a contact: its campaign, when that one has a questionnaire."""
    campaign = campaign_of(contact, attempt_campaigns(contact.attempt_id))
    return campaign if survey_of(campaign) else None


def latest_interview(contact: Contact) -> Interview | None:
    """The contact's latest interview, if one was started."""
    return db.session.scalar(
        sa.select(Interview)
        .where(Interview.attempt_id == contact.attempt_id, Interview.contact_id == contact.id)
        .order_by(Interview.id.desc())
        .limit(1)
    )


def completed_answers(attempt_id: int, campaign_id: int) -> list[dict]:
    """The answers of every completed interview of a campaign (what quotas count)."""
    rows = db.session.scalars(
        sa.select(Interview.answers).where(
            Interview.attempt_id == attempt_id,
            Interview.campaign_id == campaign_id,
            Interview.status == "completed",
        )
    )
    return [dict(a or {}) for a in rows]


def quota_state(attempt_id: int, campaign: Campaign) -> list[dict]:
    """Each quota of the campaign's questionnaire: completed so far, maximum, full or not."""
    return qn.quota_counts(survey_of(campaign) or {}, completed_answers(attempt_id, campaign.id))


def _open_contact(ctx: Ctx, contact: Contact) -> None:
    check_attempt(ctx, contact, label=_("Contact"))
    if contact.qualified_at is not None:
        raise Conflict(
            _("Ce contact est qualifié : l'enquête se mène pendant le contact."),
            code="contact_closed",
        )


def _in_progress(ctx: Ctx, interview: Interview) -> tuple[Contact, Campaign, dict]:
    check_attempt(ctx, interview, label=_("Entretien"))
    contact = db.session.get(Contact, interview.contact_id)
    _open_contact(ctx, contact)
    if interview.status != "in_progress":
        raise Conflict(
            _("Cet entretien est terminé (%(status)s).", status=interview.status),
            code="interview_over",
        )
    campaign = db.session.get(Campaign, interview.campaign_id)
    return contact, campaign, survey_of(campaign) or {}


def _payload(interview: Interview, campaign: Campaign, **extra) -> dict:
    return {
        "interview_id": interview.id,
        "survey": interview.survey_key,
        "campaign": campaign.key,
        "client_id": interview.client_id,
        "contact_id": interview.contact_id,
        **extra,
    }


def _ctx(ctx: Ctx, contact: Contact) -> Ctx:
    return replace(ctx, interaction=("contact", contact.id))


def start_interview(ctx: Ctx, contact: Contact) -> Interview:
    """Start the questionnaire with the respondent of the open contact (`survey.started`)."""
    _open_contact(ctx, contact)
    campaign = contact_campaign(contact)
    if campaign is None:
        raise Conflict(_("Ce contact n'appartient à aucune campagne d'enquête."), code="no_survey")
    current = latest_interview(contact)
    if current is not None and current.status == "in_progress":
        raise Conflict(
            _("Un entretien est déjà en cours pour ce contact."),
            code="interview_open",
            details={"interview_id": current.id},
        )
    survey = survey_of(campaign)
    interview = Interview(
        attempt_id=ctx.attempt.id,
        campaign_id=campaign.id,
        survey_key=str(survey.get("key") or campaign.key),
        contact_id=contact.id,
        client_id=contact.client_id,
        answers={},
        current=qn.first_key(survey),
        started_at=clock.now(),
    )
    db.session.add(interview)
    db.session.flush()
    record(
        _ctx(ctx, contact),
        "survey.started",
        interview,
        _payload(interview, campaign, question=interview.current),
    )
    return interview


def answer_question(ctx: Ctx, interview: Interview, key: str, raw) -> Interview:
    """Record the answer to a question asked (the current one, or one before it: a correction).

    The branching then decides the next question; a correction drops the answers of questions
    no longer on the path. Answers that put the respondent in a full quota end the interview
    (`survey.over_quota`).
    """
    contact, campaign, survey = _in_progress(ctx, interview)
    path, _next = qn.path_of(survey, interview.answers or {})
    q = qn.question(survey, key) if isinstance(key, str) else None
    if q is None or key not in path:
        raise ValidationFailed({"question": _("Cette question n'est pas posée à ce stade.")})
    value, error = qn.read_answer(q, raw)
    if error:
        raise ValidationFailed({"answer": error})
    answers = dict(interview.answers or {})
    correction = key in answers
    previous = answers.get(key)
    answers[key] = value
    new_path, following = qn.path_of(survey, answers)
    dropped = sorted(k for k in answers if k not in new_path)
    for k in dropped:
        answers.pop(k)
    interview.answers = answers
    interview.current = following
    db.session.flush()
    here = _ctx(ctx, contact)
    extra = {"question": key, "answer": value, "correction": correction, "next": following}
    if correction:
        extra.update(previous=previous, dropped=dropped)
    record(here, "survey.answered", interview, _payload(interview, campaign, **extra))
    full = qn.full_quota_for(survey, answers, quota_state(ctx.attempt.id, campaign))
    if full is not None:
        _end(interview, "over_quota", str(full.get("label") or full.get("key")))
        record(
            here,
            "survey.over_quota",
            interview,
            _payload(interview, campaign, quota=full.get("key"), question=key),
        )
    return interview


def go_back(ctx: Ctx, interview: Interview) -> Interview:
    """Ask the question before the current one again, to correct its answer (`survey.went_back`).

    The answers stay until a new one replaces them.
    """
    contact, campaign, survey = _in_progress(ctx, interview)
    path, _current = qn.path_of(survey, interview.answers or {})
    here = interview.current
    asked = path[: path.index(here)] if here in path else path
    if not asked:
        raise Conflict(_("Aucune question avant celle-ci."), code="first_question")
    back = asked[-1]
    left = here
    interview.current = back
    db.session.flush()
    record(
        _ctx(ctx, contact),
        "survey.went_back",
        interview,
        _payload(interview, campaign, question=back, left=left),
    )
    return interview


def _end(interview: Interview, status: str, reason: str = "") -> None:
    interview.status = status
    interview.reason = reason[:REASON_MAX]
    interview.ended_at = clock.now()
    db.session.flush()


def complete_interview(ctx: Ctx, interview: Interview) -> Interview:
    """Close a questionnaire run to its end, every question on its path answered."""
    contact, campaign, survey = _in_progress(ctx, interview)
    path, current = qn.path_of(survey, interview.answers or {})
    if current is not None:
        raise Conflict(
            _("Questionnaire incomplet : la question « %(key)s » reste à poser.", key=current),
            code="survey_incomplete",
            details={"question": current},
        )
    _end(interview, "completed")
    record(
        _ctx(ctx, contact),
        "survey.completed",
        interview,
        _payload(interview, campaign, answers=dict(interview.answers or {}), path=path),
    )
    return interview


def _reason(raw, field: str = "reason") -> str:
    reason = raw.strip() if isinstance(raw, str) else ""
    if not reason:
        raise ValidationFailed({field: _("Indiquez le motif.")})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({field: _("%(n)s caractères au plus.", n=REASON_MAX)})
    return reason


def _for_ending(ctx: Ctx, contact: Contact) -> tuple[Interview, Campaign]:
    """The contact's interview in progress, or a new one for a respondent who stops at once."""
    _open_contact(ctx, contact)
    interview = latest_interview(contact)
    if interview is not None and interview.status == "in_progress":
        return interview, db.session.get(Campaign, interview.campaign_id)
    interview = start_interview(ctx, contact)
    return interview, db.session.get(Campaign, interview.campaign_id)


def refuse_interview(ctx: Ctx, contact: Contact, reason) -> Interview:
    """The respondent declines the interview (`survey.refused`, with the reason)."""
    reason = _reason(reason)
    interview, campaign = _for_ending(ctx, contact)
    asked = sorted((interview.answers or {}).keys())
    _end(interview, "refused", reason)
    record(
        _ctx(ctx, contact),
        "survey.refused",
        interview,
        _payload(interview, campaign, reason=reason, answered=asked),
    )
    return interview


def postpone_interview(ctx: Ctx, contact: Contact, due_at: datetime, reason) -> Interview:
    """The respondent asks to be called back: the callback is booked (`callback.scheduled`) and
    the interview is postponed (`survey.postponed`)."""
    _open_contact(ctx, contact)
    if contact.client is None:
        raise Conflict(
            _("Un rappel se programme sur la fiche du répondant : ouvrez-la d'abord."),
            code="no_client",
        )
    reason = _reason(reason)
    callback = schedule_callback(_ctx(ctx, contact), contact.client, due_at, reason)
    interview, campaign = _for_ending(ctx, contact)
    _end(interview, "postponed", reason)
    record(
        _ctx(ctx, contact),
        "survey.postponed",
        interview,
        _payload(interview, campaign, reason=reason, due_at=due_at, callback_id=callback.id),
    )
    return interview


def abandon_interview(ctx: Ctx, interview: Interview, reason) -> Interview:
    """Stop an interview midway (`survey.abandoned`, with the reason)."""
    reason = _reason(reason)
    contact, campaign, _survey = _in_progress(ctx, interview)
    _end(interview, "abandoned", reason)
    record(
        _ctx(ctx, contact),
        "survey.abandoned",
        interview,
        _payload(interview, campaign, reason=reason, answered=sorted(interview.answers or {})),
    )
    return interview


def interview_in_attempt(ctx: Ctx, interview_id) -> Interview:
    """An interview of the caller's attempt by id (NotFound otherwise)."""
    row = db.session.get(Interview, interview_id) if isinstance(interview_id, int) else None
    if row is None or row.attempt_id != ctx.attempt.id:
        raise NotFound(_("Entretien introuvable."))
    return row
