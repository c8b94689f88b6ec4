"""Telephony rules, on calls placed through the real phone services with a fixed house clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

import crm.clock
from crm.actionlog.models import Action
from crm.actionlog.services import Ctx
from crm.campaigns.models import Campaign
from crm.clients.models import Client, ClientPhone
from crm.clients.services import update_client
from crm.contacts.agenda import PARIS
from crm.contacts.booking import schedule_callback
from crm.contacts.models import Contact
from crm.contacts.services import qualify_contact
from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.knowledge.models import Article
from crm.knowledge.services import read_article
from crm.training.timeline import TimelineEvent
from softphone.phone.holidays import holiday_name
from softphone.phone.services import (
    answer_call,
    dial,
    hang_up,
    hold_call,
    offer_inbound_call,
    resume_call,
    say,
    set_agent_state,
    transfer_call,
)
from softphone.scenarios.timeline import item_script

PHONE = "04 99 00 00 01"


class Clock:
    """The house clock: fixed on a working Tuesday at 11:00 Paris, moved by hand."""

    def __init__(self):
        day = crm.clock.now().astimezone(PARIS).date() - timedelta(days=1)
        while day.weekday() != 1 or holiday_name(day):
            day -= timedelta(days=1)
        self.now = datetime.combine(day, time(11, 0), PARIS)

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(app):
    fake = Clock()
    app.config["CLOCK"] = fake
    return fake


@pytest.fixture
def ready(ctx, clock):
    """cand1 logged on to the phone."""
    set_agent_state(ctx, "ready")
    db.session.commit()
    return ctx


@pytest.fixture
def caller(attempt):
    """A consumer client whose number is PHONE."""
    client = Client(
        attempt_id=attempt.id, number="T00001", kind="client", segment="b2c", last_name="Lemoine"
    )
    client.phones.append(ClientPhone(attempt_id=attempt.id, number=PHONE, e164="+33499000001"))
    db.session.add(client)
    db.session.commit()
    return client


@pytest.fixture
def trainer_ctx(attempt, people):
    return Ctx(attempt, people["trainer"].id, "trainer")


def verdict(attempt, rule_id: str):
    return RULES[rule_id].evaluate(AttemptEvidence(attempt))


def last(attempt, verb: str) -> Action:
    return db.session.scalars(
        sa.select(Action)
        .where(Action.attempt_id == attempt.id, Action.verb == verb)
        .order_by(Action.seq.desc())
    ).first()


def connected(ready, trainer_ctx, script=None):
    call = offer_inbound_call(trainer_ctx, PHONE, script)
    answer_call(ready, call)
    db.session.commit()
    return call


def qualify(ctx, call, code="INFO"):
    qualify_contact(ctx, db.session.get(Contact, call.contact_id), code, "Renseigné.")
    db.session.commit()


# --- calling rules ----------------------------------------------------------------------------


def test_calling_rules_not_observed_without_outbound_calls(attempt):
    result = verdict(attempt, "calling_rules_respected")
    assert (result.status, result.evidence) == (NOT_OBSERVED, ())


def test_calling_rules_met_when_dialled_within_them_or_stopped_at_the_warning(
    ready, caller, clock, attempt
):
    call = dial(ready, PHONE).call
    hang_up(ready, call)
    qualify(ready, call)
    dialed = last(attempt, "call.dialed")
    clock.now = clock.now.replace(hour=13, minute=30)  # the lunch gap: outside the windows
    assert dial(ready, PHONE).call is None
    db.session.commit()
    result = verdict(attempt, "calling_rules_respected")
    assert result.status == MET
    assert result.evidence == (dialed.id, last(attempt, "call.rules_warned").id)
    assert result.figures == {"dialed": 1, "warned": 1}


def test_calling_rules_not_met_when_a_breach_is_acknowledged(ready, caller, clock, attempt):
    clock.now = clock.now.replace(hour=13, minute=30)
    call = dial(ready, PHONE, acknowledge_rules=True).call
    db.session.commit()
    result = verdict(attempt, "calling_rules_respected")
    breached = last(attempt, "call.rules_breached")
    assert (result.status, result.not_met_ids) == (NOT_MET, (breached.id,))
    assert f"appel n° {call.id} vers le 04 99 00 00 01" in result.explanation
    assert "Hors des plages d'appel des particuliers" in result.explanation


# --- outbound opening -------------------------------------------------------------------------

OPENING = (
    "Bonjour, Candidat1 de la société Bureau Direct, je vous appelle au sujet de votre commande."
)


ASK = "Bonjour, Candidat1 de la société Bureau Direct. Pourrais-je parler à Madame Lemoine ?"
PURPOSE = "Je vous appelle au sujet de votre commande."


@pytest.mark.parametrize(
    ("turns", "missing", "proof"),
    [
        ([OPENING], [], [0]),
        (["Bonjour, ici Candidat1, Bureau Direct : je me permets de vous appeler."], [], [0]),
        ([ASK, PURPOSE], [], [0, 1]),  # the purpose once the right person is on the line
        ([ASK, "Oui, je patiente.", PURPOSE], ["l'objet de l'appel"], [0]),  # too late
        (["Bonjour, Bureau Direct, je vous appelle concernant votre facture.", OPENING],
         ["votre nom"], [0]),  # a later sentence does not make up for the first one
        (["Bonjour, Candidat1, je vous appelle concernant votre facture."], ["la société"], [0]),
        (["Bonjour madame."], ["votre nom", "la société", "l'objet de l'appel"], [0]),
    ],
)  # fmt: skip
def test_outbound_opening_from_the_typed_turns(ready, caller, attempt, turns, missing, proof):
    call = dial(ready, PHONE).call
    for text in turns:
        say(ready, call, text)
    db.session.commit()
    said = db.session.scalars(
        sa.select(Action).where(Action.verb == "call.said").order_by(Action.seq)
    ).all()
    result = verdict(attempt, "outbound_opening_stated")
    assert result.evidence == tuple(said[i].id for i in proof)
    if not missing:
        assert result.status == MET
        return
    assert result.status == NOT_MET
    assert f"appel n° {call.id}" in result.explanation
    for piece in missing:
        assert piece in result.explanation
    for piece in {"votre nom", "la société", "l'objet de l'appel"} - set(missing):
        assert f"manque {piece}" not in result.explanation


def test_outbound_opening_not_observed_without_outbound_calls(ready, caller, trainer_ctx, attempt):
    call = connected(ready, trainer_ctx)
    say(ready, call, "Bonjour madame.")  # an inbound call: not judged here
    db.session.commit()
    assert verdict(attempt, "outbound_opening_stated").status == NOT_OBSERVED


# --- transfers --------------------------------------------------------------------------------


def scenario_script(attempt, key):
    """The scripted customer of one of the default scenario's timeline calls."""
    event = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.key == key
        )
    )
    return item_script(event.payload, event.key)


def sav_script(attempt):
    """The call meant for the technical service."""
    return scenario_script(attempt, "appel-sav-transfert")


@pytest.mark.parametrize(
    ("target", "status"), [("service-technique", MET), ("comptabilite", NOT_MET)]
)
def test_transfer_to_the_service_the_scenario_expects(
    ready, trainer_ctx, caller, attempt, target, status
):
    call = connected(ready, trainer_ctx, sav_script(attempt))
    transfer_call(ready, call, target, "consult")
    db.session.commit()
    result = verdict(attempt, "transfer_to_right_service")
    assert (result.status, result.evidence) == (status, (last(attempt, "call.transferred").id,))
    if status == NOT_MET:
        assert f"appel n° {call.id} transféré à Comptabilité" in result.explanation
        assert "au lieu de Service technique" in result.explanation


def test_transfer_missing_is_not_met_and_other_calls_are_not_judged(
    ready, trainer_ctx, caller, attempt
):
    plain = connected(ready, trainer_ctx)
    transfer_call(ready, plain, "superviseur", "blind")  # no expectation: not judged
    qualify(ready, plain)
    assert verdict(attempt, "transfer_to_right_service").status == NOT_OBSERVED
    call = connected(ready, trainer_ctx, sav_script(attempt))
    hang_up(ready, call)
    db.session.commit()
    result = verdict(attempt, "transfer_to_right_service")
    assert (result.status, result.not_met_ids) == (NOT_MET, (last(attempt, "call.ended").id,))
    assert "terminé sans transfert (attendu : Service technique)" in result.explanation


@pytest.mark.parametrize(
    ("target", "status"), [("comptabilite", MET), ("service-technique", NOT_MET)]
)
def test_a_call_plan_entry_expecting_a_transfer(ready, clock, attempt, target, status):
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.attempt_id == attempt.id, Campaign.key == "recouvrement-impayes"
        )
    )
    entry = {"number": PHONE, "expect": {"transfer": "comptabilite"}}
    campaign.settings = {**campaign.settings, "call_plan": [entry]}
    call = dial(ready, PHONE).call
    transfer_call(ready, call, target, "blind")
    db.session.commit()
    result = verdict(attempt, "transfer_to_right_service")
    assert (result.status, result.evidence) == (status, (last(attempt, "call.transferred").id,))
    if status == NOT_MET:
        assert f"appel n° {call.id} transféré à Service technique" in result.explanation
        assert "au lieu de Comptabilité" in result.explanation


# --- holds ------------------------------------------------------------------------------------


def test_holds_within_the_scenarios_limit(ready, trainer_ctx, caller, clock, attempt):
    assert attempt.settings["hold_limit_seconds"] == 45
    assert verdict(attempt, "hold_within_limit").status == NOT_OBSERVED
    call = connected(ready, trainer_ctx)
    hold_call(ready, call)
    clock.advance(30)
    resume_call(ready, call)
    db.session.commit()
    result = verdict(attempt, "hold_within_limit")
    assert (result.status, result.evidence) == (MET, (last(attempt, "call.resumed").id,))
    assert result.figures == {"holds": 1, "longest_seconds": 30.0}


def test_a_hold_over_the_limit_is_not_met_even_ended_by_the_hang_up(
    ready, trainer_ctx, caller, clock, attempt
):
    call = connected(ready, trainer_ctx)
    hold_call(ready, call)
    clock.advance(190)
    resume_call(ready, call)
    resumed = last(attempt, "call.resumed")
    hold_call(ready, call)
    clock.advance(50)
    hang_up(ready, call)  # still on hold: the end's total tells this hold's length
    db.session.commit()
    result = verdict(attempt, "hold_within_limit")
    assert result.status == NOT_MET
    assert result.evidence == (resumed.id, last(attempt, "call.ended").id)
    assert result.explanation == (
        f"Appel n° {call.id} mis en attente 3 min 10 s; appel n° {call.id} mis en attente 50 s, "
        "au-delà de la limite de 45 s."
    )


def test_no_hold_limit_in_the_scenario_decides_nothing(ready, trainer_ctx, caller, clock, attempt):
    attempt.settings = {k: v for k, v in attempt.settings.items() if k != "hold_limit_seconds"}
    call = connected(ready, trainer_ctx)
    hold_call(ready, call)
    clock.advance(300)
    resume_call(ready, call)
    db.session.commit()
    result = verdict(attempt, "hold_within_limit")
    assert result.status == NOT_OBSERVED and "hold_limit_seconds" in result.explanation


# --- after-call work --------------------------------------------------------------------------


@pytest.mark.parametrize(("wrap_up", "status"), [(0, MET), (30, MET), (60, MET), (75, NOT_MET)])
def test_after_call_work_against_the_inbound_campaigns_target(
    ready, trainer_ctx, caller, clock, attempt, wrap_up, status
):
    call = connected(ready, trainer_ctx)
    if wrap_up == 0:
        qualify(ready, call)  # qualified during the call: no after-call work
    hang_up(ready, call)
    clock.advance(wrap_up)
    if wrap_up:
        qualify(ready, call)
    db.session.commit()
    result = verdict(attempt, "after_call_work_within_target")
    released = last(attempt, "agent.state_changed")
    assert released.payload["wrap_up_seconds"] == wrap_up
    assert (result.status, result.evidence) == (status, (released.id,))
    if status == NOT_MET:
        assert f"appel n° {call.id} : 1 min 15 s pour un objectif de 1 min" in result.explanation


def test_after_call_work_left_open_is_not_met(ready, trainer_ctx, caller, clock, attempt):
    call = connected(ready, trainer_ctx)
    hang_up(ready, call)
    db.session.commit()
    result = verdict(attempt, "after_call_work_within_target")
    assert (result.status, result.not_met_ids) == (NOT_MET, (last(attempt, "call.ended").id,))
    assert "non terminé (contact non qualifié)" in result.explanation


def test_outbound_calls_take_their_call_plans_campaign_target(ready, clock, attempt):
    # The first entry of the outbound campaign's call plan: a client of the scenario.
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.attempt_id == attempt.id, Campaign.key == "recouvrement-impayes"
        )
    )
    campaign.settings = {**campaign.settings, "call_plan": [{"number": PHONE}]}
    call = dial(ready, PHONE).call
    hang_up(ready, call)
    clock.advance(80)  # over the inbound target (60 s), within the collection one (90 s)
    qualify(ready, call)
    db.session.commit()
    assert verdict(attempt, "after_call_work_within_target").status == MET


def test_a_call_plans_campaign_without_a_target_borrows_none(ready, clock, attempt):
    # The call belongs to the collection campaign (its call plan), which sets no target: the
    # first outbound campaign's 60 s does not apply to it (the desk shows no maximum either).
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.attempt_id == attempt.id, Campaign.key == "recouvrement-impayes"
        )
    )
    settings = {k: v for k, v in campaign.settings.items() if k != "after_call_work_seconds"}
    campaign.settings = {**settings, "call_plan": [{"number": PHONE}]}
    call = dial(ready, PHONE).call
    hang_up(ready, call)
    clock.advance(300)
    qualify(ready, call)
    db.session.commit()
    assert verdict(attempt, "after_call_work_within_target").status == NOT_OBSERVED


def test_after_call_work_without_targets_is_not_observed(ready, trainer_ctx, caller, attempt):
    assert verdict(attempt, "after_call_work_within_target").status == NOT_OBSERVED
    for campaign in db.session.scalars(sa.select(Campaign)):
        campaign.settings = {
            k: v for k, v in campaign.settings.items() if k != "after_call_work_seconds"
        }
    call = connected(ready, trainer_ctx)
    hang_up(ready, call)
    db.session.commit()
    result = verdict(attempt, "after_call_work_within_target")
    assert result.status == NOT_OBSERVED and "after_call_work_seconds" in result.explanation


# --- other rules heard on the phone -----------------------------------------------------------


@pytest.mark.parametrize("booked", [True, False])
def test_a_caller_asking_to_be_called_back(ready, trainer_ctx, caller, attempt, booked):
    call = connected(ready, trainer_ctx, scenario_script(attempt, "appel-demande-rappel"))
    asked = last(attempt, "call.customer_said")
    assert "rappeler demain" in asked.payload["text"]
    if booked:
        due = (crm.clock.now() + timedelta(days=1)).astimezone(PARIS).replace(hour=11, minute=0)
        while due.weekday() >= 5:
            due += timedelta(days=1)
        here = replace(ready, interaction=("contact", call.contact_id))
        schedule_callback(here, caller, due, "Question sur sa facture")
    if call.status != "ended":  # once called back, the customer hangs up first
        hang_up(ready, call)
    db.session.commit()
    result = verdict(attempt, "callback_booked_when_asked")
    if booked:
        scheduled = last(attempt, "callback.scheduled")
        assert (result.status, result.evidence) == (MET, (asked.id, scheduled.id))
    else:
        assert (result.status, result.not_met_ids) == (NOT_MET, (asked.id,))
        assert f"appel n° {call.id} (« " in result.explanation


def test_an_answered_outbound_call_without_any_typed_turn_is_not_met(ready, attempt):
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.attempt_id == attempt.id, Campaign.key == "relance-clients-inactifs"
        )
    )
    entry = campaign.settings["call_plan"][0]  # scripted: the customer picks up and speaks
    script = item_script(entry, "relance-clients-inactifs-1")
    call = dial(ready, entry["number"], script=script).call
    hang_up(ready, call)
    db.session.commit()
    result = verdict(attempt, "outbound_opening_stated")
    assert (result.status, result.not_met_ids) == (NOT_MET, (last(attempt, "call.dialed").id,))
    assert f"appel n° {call.id} : aucune phrase d'ouverture" in result.explanation


@pytest.mark.parametrize(("slug", "status"), [("retours-procedure", MET), (None, NOT_MET)])
def test_information_call_needs_one_of_the_expected_articles(
    ready, trainer_ctx, attempt, slug, status
):
    call = connected(ready, trainer_ctx, scenario_script(attempt, "appel-info-retractation"))
    here = Ctx(attempt, ready.actor_id, "candidate", ("contact", call.contact_id))
    if slug:  # either article the scenario expects
        article = db.session.scalar(
            sa.select(Article).where(Article.attempt_id == attempt.id, Article.slug == slug)
        )
        read_article(here, article)
    hang_up(ready, call)
    db.session.commit()
    result = verdict(attempt, "knowledge_base_consulted")
    ended = last(attempt, "call.ended")
    assert result.status == status
    if slug:
        assert result.evidence == (last(attempt, "kb.read").id, ended.id)
    else:
        assert result.evidence == (ended.id,)
        assert "droit-retractation, retours-procedure" in result.explanation


def test_a_new_number_given_on_the_phone_belongs_in_the_client_file(
    ready, trainer_ctx, caller, attempt
):
    script = {
        "key": "nouveau-numero",
        "persona": {"name": "Claire Lemoine", "temper": "calm"},
        "steps": [
            {"type": "say", "say": "Bonjour, notez mon nouveau portable : 06 11 22 33 44."},
            {"type": "wait_for_words", "words": ["noté"], "reply": "Merci."},
        ],
    }
    call = connected(ready, trainer_ctx, script)
    said = last(attempt, "call.customer_said")
    result = verdict(attempt, "client_file_updated")
    assert (result.status, result.not_met_ids) == (NOT_MET, (said.id,))
    assert f"appel n° {call.id}, nouveau numéro +33611223344" in result.explanation
    here = replace(ready, interaction=("contact", call.contact_id))
    update_client(here, caller, {"phones": [PHONE, "06 11 22 33 44"]})
    db.session.commit()
    result = verdict(attempt, "client_file_updated")
    assert (result.status, result.evidence) == (MET, (said.id, last(attempt, "client.updated").id))
