"""JSON shapes of a survey: the questionnaire's current state for the desk, an interview."""

from __future__ import annotations

import crm.training.questionnaire as qn
from crm.campaigns.models import Campaign
from crm.contacts.models import Contact
from crm.surveys.models import Interview
from crm.surveys.services import latest_interview, quota_state, survey_of


def question_dict(q: dict, answer=None) -> dict:
    """A question as the desk asks it: kind, options, bounds, and the answer already given."""
    return {
        "key": q.get("key"),
        "text": q.get("text"),
        "kind": q.get("kind"),
        "required": bool(q.get("required", True)),
        "options": [
            {"value": value, "label": qn.option_label(q, value)} for value in qn.option_values(q)
        ],
        "min": q.get("min") if q.get("kind") == "scale" else None,
        "max": q.get("max") if q.get("kind") == "scale" else None,
        "answer": answer,
    }


def interview_dict(interview: Interview, survey: dict) -> dict:
    """An interview: status, answers in words, the path so far and the question asked now."""
    answers = dict(interview.answers or {})
    path, following = qn.path_of(survey, answers)
    current = interview.current if interview.status == "in_progress" else None
    q = qn.question(survey, current) if current else None
    answered = [k for k in path if k in answers]
    return {
        "id": interview.id,
        "survey": interview.survey_key,
        "contact_id": interview.contact_id,
        "client_id": interview.client_id,
        "status": interview.status,
        "reason": interview.reason,
        "started_at": interview.started_at.isoformat(),
        "ended_at": interview.ended_at.isoformat() if interview.ended_at else None,
        "answers": [
            {
                "question": k,
                "text": (qn.question(survey, k) or {}).get("text"),
                "answer": answers[k],
                "in_words": qn.answer_text(qn.question(survey, k) or {}, answers[k]),
            }
            for k in answered
        ],
        "current": question_dict(q, answers.get(current)) if q else None,
        "can_go_back": bool(current and path and path[0] != current)
        or (interview.status == "in_progress" and current is None and bool(path)),
        "finished": interview.status == "in_progress" and following is None,
        "progress": {
            "answered": len(answered),
            "path": len(path),
            "total": len(qn.questions(survey)),
        },
    }


def desk_survey(contact: Contact | None, campaign: Campaign | None) -> dict:
    """What the desk's survey panel shows for the open contact (or that there is no survey)."""
    survey = survey_of(campaign)
    if contact is None or survey is None:
        return {"active": False}
    interview = latest_interview(contact)
    return {
        "active": True,
        "contact_id": contact.id,
        "campaign": {"key": campaign.key, "name": campaign.name},
        "survey": {
            "key": survey.get("key"),
            "title": survey.get("title"),
            "intro": survey.get("intro"),
            "closing": survey.get("closing"),
            "questions": len(qn.questions(survey)),
        },
        "interview": interview_dict(interview, survey) if interview else None,
        "quotas": quota_state(contact.attempt_id, campaign),
    }
