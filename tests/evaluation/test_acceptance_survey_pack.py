"""Acceptance of the survey pack (*Ostral Mobilier*, study « Bureaux 2026 »): a careful and a
hasty interviewer, judged on MC ACVAD 1.7 (C2 consultation, C3 script, C4 answers).

Both dial the pack's scripted respondents through the real phone and survey services. The
careful one opens each respondent's file before dialling, runs the questionnaire as the screen
gives it while the respondent answers (the scripted customer reacts to each recorded answer),
corrects a slip by going back, stops a respondent whose quota is full, records a refusal with
its reason, books the call-back asked for, and qualifies each contact with its right code. The
hasty one dials without opening the files, skips the questionnaire with one respondent and
qualifies the call « completed » all the same, abandons another interview midway, and types a
third respondent's answers from memory after hanging up.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm import clock
from crm.campaigns.models import Campaign
from crm.clients.services import view_client
from crm.contacts.models import Contact
from crm.db import db
from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.surveys.services import (
    abandon_interview,
    answer_question,
    complete_interview,
    go_back,
    postpone_interview,
    quota_state,
    refuse_interview,
    start_interview,
)
from softphone.phone.agent import set_agent_state
from softphone.phone.dialing import dial
from softphone.scenarios.timeline import call_plan_script
from tests.evaluation.conftest import Desk, assert_rule_tells_apart, play_pack

PACK = "enquete-ostral-bureaux"

#: What each scripted respondent answers (client number → answers in the order asked).
ANSWERS = {
    "C41001": [
        ("effectif", "10-49"),
        ("teletravail", "oui"),
        ("jours", 2),
        ("amenagement", ["sieges-ergonomiques"]),
        ("budget", "300-800"),
        ("satisfaction", 7),
        ("commentaire", None),
    ],
    "P41002": [
        ("effectif", "50-plus"),
        ("teletravail", "oui"),
        ("jours", 1),
        ("amenagement", ["salles-reunion", "espaces-calmes"]),
        ("budget", "plus-800"),
        ("satisfaction", 6),
        ("commentaire", "Nos chauffeurs ne sont pas concernés, seulement le siège."),
    ],
    "C41004": [
        ("effectif", "10-49"),
        ("teletravail", "non"),
        ("amenagement", ["aucun"]),
        ("satisfaction", 8),
        ("commentaire", None),
    ],
    "P41005": [
        ("effectif", "50-plus"),
        ("teletravail", "oui"),
        ("jours", 3),
        ("amenagement", ["bureaux-partages", "salles-reunion"]),
        ("budget", "plus-800"),
        ("satisfaction", 5),
        ("commentaire", "Nous cherchons à réduire nos surfaces."),
    ],
    "P41008": [
        ("effectif", "50-plus"),
        ("teletravail", "oui"),
        ("jours", 2),
        ("amenagement", ["bureaux-partages"]),
        ("budget", "300-800"),
        ("satisfaction", 7),
        ("commentaire", None),
    ],
    "P41009": [("effectif", "50-plus")],
}


def _call(desk: Desk, number: str, *, look_first: bool = True):
    """Dial a respondent of the call plan (after opening their file, when careful)."""
    client = desk.client(number)
    if look_first:
        view_client(desk.base, client)
    number = client.phones[0].e164
    # The call plan's scripted respondent answers, as the phone's dial endpoint does.
    desk.call = dial(desk.base, number, script=call_plan_script(desk.attempt, number)).call
    desk.contact = db.session.get(Contact, desk.call.contact_id)
    return client


def _interview(desk: Desk, number: str):
    interview = start_interview(desk.ctx, desk.contact)
    for key, value in ANSWERS[number]:
        answer_question(desk.ctx, interview, key, value)
        if interview.status != "in_progress":
            break
    return interview


def careful(desk: Desk) -> None:
    """Files first, the questionnaire as the screen gives it, every end recorded."""
    set_agent_state(desk.base, "ready")
    for number in ("C41001", "P41002", "C41004", "P41005", "P41008"):
        _call(desk, number)
        if number == "C41004":
            # A slip on the first answer, corrected by going back (both logged).
            interview = start_interview(desk.ctx, desk.contact)
            answer_question(desk.ctx, interview, "effectif", "moins-10")
            go_back(desk.ctx, interview)
            for key, value in ANSWERS[number]:
                answer_question(desk.ctx, interview, key, value)
        else:
            interview = _interview(desk, number)
        complete_interview(desk.ctx, interview)
        desk.hang_up()
        desk.qualify("ENQ-COMPLETE", "Questionnaire complété.")
    # Three large companies done: the fourth is out of quota after its first answer.
    _call(desk, "P41009")
    interview = _interview(desk, "P41009")
    assert interview.status == "over_quota"
    desk.hang_up()
    desk.qualify("ENQ-HORS-QUOTA", "Segment 50 salariés et plus complet.")
    _call(desk, "P41003")
    refuse_interview(desk.ctx, desk.contact, "Ne répond jamais aux sondages.")
    desk.hang_up()
    desk.qualify("ENQ-REFUS", "Refus poli.")
    _call(desk, "P41006")
    tomorrow = clock.now() + timedelta(days=1)
    due = tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)  # 11:00 or 10:00 in Paris
    postpone_interview(desk.ctx, desk.contact, due, "Rappeler demain en fin de matinée.")
    desk.hang_up()
    desk.qualify("ENQ-RAPPEL", "Rappel programmé demain matin.")
    db.session.commit()


def hasty(desk: Desk) -> None:
    """No file opened, a survey skipped, one abandoned, answers typed after the hang-up."""
    set_agent_state(desk.base, "ready")
    _call(desk, "C41001", look_first=False)
    desk.hang_up()
    desk.qualify("ENQ-COMPLETE", "A répondu.")
    _call(desk, "P41002", look_first=False)
    interview = start_interview(desk.ctx, desk.contact)
    answer_question(desk.ctx, interview, "effectif", "50-plus")
    abandon_interview(desk.ctx, interview, "Trop long.")
    desk.hang_up()
    desk.qualify("ENQ-ABANDON", "Interrompu.")
    _call(desk, "C41004", look_first=False)
    interview = start_interview(desk.ctx, desk.contact)
    desk.hang_up()
    for key, value in ANSWERS["C41004"]:
        answer_question(desk.ctx, interview, key, value)
    complete_interview(desk.ctx, interview)
    desk.qualify("ENQ-COMPLETE", "Saisi après l'appel.")
    db.session.commit()


@pytest.fixture
def survey(app, people):
    """(careful attempt, hasty attempt) of a running shift on the survey pack, both played."""
    return play_pack(PACK, people, careful, hasty)


MET, NOT_MET = "met", "not_met"

#: rule → (careful, hasty): what each attempt deserves, and why the hasty one fails it.
EXPECTED = {
    "survey_respondent_file_opened": (MET, NOT_MET),  # dialled without opening the files
    "survey_script_followed": (MET, NOT_MET),  # one skipped, one abandoned
    "survey_answers_recorded": (MET, NOT_MET),  # answers typed after hanging up, a fake complete
    "contacts_qualified": (MET, MET),  # codes as the pack expects for refusals and call-backs
}


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_each_rule_tells_the_careful_attempt_from_the_hasty_one(survey, rule_id):
    assert_rule_tells_apart(survey, rule_id, EXPECTED[rule_id])


def test_the_careful_run_fills_the_large_companies_quota(survey):
    good, _poor = survey
    campaign = db.session.scalar(
        db.select(Campaign).where(
            Campaign.attempt_id == good.id, Campaign.key == "enquete-bureaux-2026"
        )
    )
    states = {q["key"]: q for q in quota_state(good.id, campaign)}
    assert states["grandes"] == {**states["grandes"], "count": 3, "full": True}
    assert states["moyennes"]["count"] == 2 and not states["moyennes"]["full"]


def test_verdicts_cite_both_sides(survey):
    _good, poor = survey
    result = RULES["survey_script_followed"].evaluate(AttemptEvidence(poor))
    # The hasty run completed one interview properly (typed late, but run to its end).
    assert result.met_ids and result.not_met_ids
    assert "abandonné" in result.explanation and "sans questionnaire" in result.explanation
