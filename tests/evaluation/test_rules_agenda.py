"""Agenda rules: callbacks the customer asked for, appointments with their required fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from crm import clock
from crm.clients.models import Client
from crm.contacts.agenda import PARIS
from crm.contacts.booking import book_appointment, rep_calendars, schedule_callback
from crm.contacts.models import SalesRep
from crm.contacts.services import open_contact
from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.agenda import CALLBACK_ASKED
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.evaluation.rules.regions import region_of, sector_regions
from crm.evaluation.rules.wording import fold
from softphone.inbox.receiving import receive_message
from softphone.inbox.services import take_conversation
from tests.evaluation.conftest import client_numbered, last

MOBILE = "06 39 98 40 22"  # Mme Roussel (C20003), a consumer of the default scenario


def verdict(attempt, rule_id):
    return RULES[rule_id].evaluate(AttemptEvidence(attempt))


# --- callbacks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "asked"),
    [
        ("Pouvez-vous me rappeler au sujet de la facture ?", True),
        ("Vous pouvez me rappeler demain vers 11 heures ?", True),
        ("Rappelez-moi après 14 h, s'il vous plaît.", True),
        ("Merci de nous recontacter la semaine prochaine.", True),
        ("Could you call me back tomorrow?", True),
        ("J'ai bien reçu votre rappel de facture.", False),
        ("Je vous rappellerai moi-même.", False),
        ("Merci pour la livraison.", False),
    ],
)
def test_what_counts_as_asking_for_a_callback(words, asked):
    assert (CALLBACK_ASKED.search(fold(words)) is not None) is asked


def ask_by_sms(customer, text="Bonjour, pouvez-vous me rappeler au sujet de ma facture ?"):
    conversation = receive_message(customer, "sms", MOBILE, text).conversation
    db.session.commit()
    return conversation


def tomorrow_11h():
    day = (clock.now() + timedelta(days=1)).astimezone(PARIS).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(11, 0), PARIS)


def test_callback_not_observed_when_nobody_asks(attempt, customer):
    ask_by_sms(customer, "Bonjour, où en est ma commande ?")
    assert verdict(attempt, "callback_booked_when_asked").status == NOT_OBSERVED


def test_callback_asked_and_booked_in_the_conversations_contact(attempt, ctx, customer):
    conversation = ask_by_sms(customer)
    taken = take_conversation(ctx, conversation)
    here = replace(ctx, interaction=("contact", taken.contact.id))
    schedule_callback(here, conversation.client, tomorrow_11h(), "Question sur la facture")
    db.session.commit()
    result = verdict(attempt, "callback_booked_when_asked")
    asked = last("message.received")
    assert (result.status, result.evidence) == (MET, (asked.id, last("callback.scheduled").id))


def test_callback_asked_and_booked_for_the_client_later(attempt, ctx, customer):
    conversation = ask_by_sms(customer)
    schedule_callback(ctx, conversation.client, tomorrow_11h(), "Rappel demandé par SMS")
    db.session.commit()
    assert verdict(attempt, "callback_booked_when_asked").status == MET


def test_callback_asked_and_not_booked_is_not_met(attempt, ctx, customer):
    earlier_other = client_numbered(attempt, "C10013")
    schedule_callback(ctx, earlier_other, tomorrow_11h(), "Autre client")  # not this request
    ask_by_sms(customer)
    result = verdict(attempt, "callback_booked_when_asked")
    asked = last("message.received")
    assert (result.status, result.not_met_ids) == (NOT_MET, (asked.id,))
    assert f"message n° {asked.object_id}" in result.explanation
    assert "« Bonjour, pouvez-vous me rappeler au sujet de ma facture ? »" in result.explanation


# --- appointments -----------------------------------------------------------------------------


def test_regions_of_postcodes_and_sectors():
    assert region_of("69003") == "Auvergne-Rhône-Alpes"
    assert region_of("33000") == "Nouvelle-Aquitaine"
    assert region_of("20000") == "Corse"
    assert region_of("1000", "BE") is None and region_of("ABCDE") is None
    assert sector_regions("Île-de-France et Hauts-de-France") == {
        "Île-de-France",
        "Hauts-de-France",
    }
    assert sector_regions("Grand Ouest et Grand Est") == {
        "Bretagne",
        "Pays de la Loire",
        "Normandie",
        "Grand Est",
    }


def rep(attempt, key):
    return db.session.scalar(
        sa.select(SalesRep).where(SalesRep.attempt_id == attempt.id, SalesRep.key == key)
    )


def book(ctx, who, rep_key, topic, *, during_contact=True):
    chosen = rep(ctx.attempt, rep_key)
    slot = next(c for c in rep_calendars(ctx) if c.rep.id == chosen.id).slots[0]
    here = ctx
    if during_contact:
        contact = open_contact(ctx, who, "phone", "inbound", subject="Projet mobilier")
        here = replace(ctx, interaction=("contact", contact.id))
    appointment = book_appointment(here, who, chosen, slot.starts_at, topic)
    db.session.commit()
    return appointment


def lyon_client(attempt):
    return db.session.scalars(
        sa.select(Client)
        .where(Client.attempt_id == attempt.id, Client.postcode.startswith("69"))
        .order_by(Client.number)
    ).first()


def test_appointment_not_observed_without_one(attempt):
    assert verdict(attempt, "appointment_complete").status == NOT_OBSERVED


def test_appointment_with_every_required_field_is_met(attempt, ctx):
    who = lyon_client(attempt)
    book(ctx, who, "rep-lefevre", f"Projet de mobilier pour deux bureaux avec M. {who.last_name}")
    result = verdict(attempt, "appointment_complete")
    assert (result.status, result.evidence) == (MET, (last("appointment.booked").id,))


@pytest.mark.parametrize(
    ("rep_key", "topic", "during_contact", "gaps"),
    [
        ("rep-lefevre", "Mobilier", True, ["objet trop vague", "nom de l'interlocuteur absent"]),
        ("rep-lefevre", "Projet de mobilier pour deux bureaux", True, ["interlocuteur absent"]),
        ("rep-lefevre", "Projet de mobilier avec {name}", False, ["hors de tout contact"]),
        ("rep-marchand", "Projet de mobilier avec {name}", True, ["commercial hors secteur"]),
    ],
)
def test_appointment_missing_a_required_field_is_not_met(
    attempt, ctx, rep_key, topic, during_contact, gaps
):
    who = lyon_client(attempt)
    book(ctx, who, rep_key, topic.format(name=who.last_name), during_contact=during_contact)
    result = verdict(attempt, "appointment_complete")
    assert (result.status, result.not_met_ids) == (NOT_MET, (last("appointment.booked").id,))
    for gap in gaps:
        assert gap in result.explanation
    if rep_key == "rep-marchand":
        assert "client en Auvergne-Rhône-Alpes" in result.explanation
