"""Greeting and leave-taking, satisfaction checked: from the typed turns and the emails sent."""

from __future__ import annotations

from crm.actionlog.services import record
from crm.contacts.models import Contact
from crm.contacts.services import qualify_contact
from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED
from softphone.inbox.receiving import receive_message
from softphone.inbox.sending import reply
from softphone.phone.calls import customer_ctx
from softphone.phone.services import hang_up, say
from tests.evaluation import test_rules_calls as phone

# The phone fixtures of the telephony rule tests (a fixed clock, cand1 ready, a known caller).
caller, clock, ready, trainer_ctx = phone.caller, phone.clock, phone.ready, phone.trainer_ctx
connected, last, verdict = phone.connected, phone.last, phone.verdict

HELLO = "Bonjour, Bureau Direct, Candidat1 à votre écoute."
BYE = "Merci de votre appel, bonne journée !"


def a_call(ready, trainer_ctx, *turns, answer="Oui, merci.", end=True):
    """An inbound call: the candidate's turns, the customer answering each, then the hang-up."""
    call = connected(ready, trainer_ctx)
    for text in turns:
        say(ready, call, text)
        record(
            customer_ctx(ready, call),
            "call.customer_said",
            call,
            {"call_id": call.id, "text": answer},
        )
    if end:
        hang_up(ready, call)
    db.session.commit()
    return call


# --- greeting_and_closing ----------------------------------------------------------------------


def test_greeting_not_observed_without_a_finished_call(attempt, ready, caller, trainer_ctx):
    a_call(ready, trainer_ctx, HELLO, end=False)
    assert verdict(attempt, "greeting_and_closing").status == NOT_OBSERVED


def test_greeting_and_closing_met(attempt, ready, caller, trainer_ctx):
    a_call(ready, trainer_ctx, HELLO, "Je regarde votre commande.", BYE)
    result = verdict(attempt, "greeting_and_closing")
    assert result.status == MET
    assert len(result.met_ids) == 2  # the first and the last turn


def test_a_call_without_leave_taking_is_not_met_and_the_good_one_cited(
    attempt,
    ready,
    caller,
    trainer_ctx,
):
    good = a_call(ready, trainer_ctx, HELLO, BYE)
    qualify_contact(ready, db.session.get(Contact, good.contact_id), "INFO", "Renseigné.")
    bad = a_call(ready, trainer_ctx, "Oui ?", "C'est noté.")
    result = verdict(attempt, "greeting_and_closing")
    assert result.status == NOT_MET
    assert f"appel n° {bad.id} : pas de salutation" in result.explanation
    assert "pas de prise de congé (« C'est noté. »)" in result.explanation
    assert f"Respecté : contact n° {good.contact_id}" in result.explanation
    assert result.met_ids and result.not_met_ids


def test_an_email_without_salutation_is_not_met(attempt, ctx, customer):
    conversation = receive_message(
        customer, "email", "a@b.example", "Où est ma commande ?", "Commande"
    ).conversation
    reply(ctx, conversation, "Votre commande part demain.")
    db.session.commit()
    result = verdict(attempt, "greeting_and_closing")
    assert result.status == NOT_MET
    assert "pas de formule d'appel, pas de formule de politesse finale" in result.explanation


def test_an_email_with_salutation_and_sign_off_is_met(attempt, ctx, customer):
    conversation = receive_message(
        customer, "email", "a@b.example", "Où est ma commande ?", "Commande"
    ).conversation
    reply(
        ctx,
        conversation,
        "Bonjour Madame,\n\nVotre commande part demain.\n\nCordialement,\nBureau Direct",
    )
    db.session.commit()
    assert verdict(attempt, "greeting_and_closing").status == MET


# --- satisfaction_checked ----------------------------------------------------------------------


def test_satisfaction_not_observed_without_an_exchange(attempt, ready, caller, trainer_ctx):
    call = connected(ready, trainer_ctx)
    hang_up(ready, call)
    db.session.commit()
    assert verdict(attempt, "satisfaction_checked").status == NOT_OBSERVED


def test_satisfaction_checked_in_the_last_turns_is_met(attempt, ready, caller, trainer_ctx):
    a_call(ready, trainer_ctx, HELLO, "Puis-je vous aider pour autre chose ?", BYE)
    result = verdict(attempt, "satisfaction_checked")
    assert result.status == MET
    assert len(result.met_ids) == 1
    assert "« Puis-je vous aider pour autre chose ? »" in result.explanation


def test_satisfaction_never_asked_is_not_met(attempt, ready, caller, trainer_ctx):
    call = a_call(ready, trainer_ctx, HELLO, "C'est enregistré.", BYE)
    result = verdict(attempt, "satisfaction_checked")
    assert result.status == NOT_MET
    assert f"appel n° {call.id}" in result.explanation
    assert result.not_met_ids == (last(attempt, "call.said").id,)
