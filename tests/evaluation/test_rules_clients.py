"""The client file updated with what the customer said: scenario items and free text."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from crm import clock
from crm.clients.models import Client
from crm.clients.services import update_client
from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.clients import _holds_all, wanted_changes
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.training.timeline import TimelineEvent
from softphone.inbox.receiving import receive_message
from softphone.scenarios.scheduler import TickReport, claim, fire
from tests.evaluation.conftest import client_numbered, last

EMAIL, MOBILE = "amandine.roussel@free.example", "06 39 98 40 22"  # Mme Roussel, C20003


def verdict(attempt):
    return RULES["client_file_updated"].evaluate(AttemptEvidence(attempt))


def writes(customer, channel, body):
    party = EMAIL if channel == "email" else MOBILE
    subject = "Mes coordonnées" if channel == "email" else None
    received = receive_message(customer, channel, party, body, subject)
    db.session.commit()
    return received.conversation


def test_nothing_said_is_not_observed(attempt, customer):
    writes(customer, "email", "Bonjour, merci pour la livraison rapide.")
    assert verdict(attempt).status == NOT_OBSERVED


@pytest.mark.parametrize(
    ("channel", "body", "update", "label"),
    [
        (
            "email",
            "Bonjour, mon nouveau numéro est le 06 11 22 33 44.",
            {"phones": [MOBILE, "06 11 22 33 44"]},
            "nouveau numéro +33611223344",
        ),
        (
            "email",
            "Écrivez-moi désormais à a.roussel@orange.example, merci.",
            {"email": "a.roussel@orange.example"},
            "nouvelle adresse e-mail a.roussel@orange.example",
        ),
        ("sms", "STOP pub svp", {"consent_sms": False}, "demande STOP (plus de SMS)"),
    ],
)
def test_new_details_from_the_customers_words(attempt, ctx, customer, channel, body, update, label):
    writes(customer, channel, body)
    said = last("message.received")
    result = verdict(attempt)
    assert (result.status, result.not_met_ids) == (NOT_MET, (said.id,))
    assert f"message n° {said.object_id}, {label}" in result.explanation
    update_client(ctx, client_numbered(attempt, "C20003"), update)
    db.session.commit()
    result = verdict(attempt)
    assert (result.status, result.evidence) == (MET, (said.id, last("client.updated").id))


def test_details_already_in_the_file_expect_nothing(attempt, customer):
    writes(customer, "email", f"Vous pouvez me joindre au {MOBILE} ou à {EMAIL}.")
    assert verdict(attempt).status == NOT_OBSERVED


def test_the_scenarios_expected_update_after_an_email(attempt, ctx):
    event = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id,
            TimelineEvent.key == "email-changement-adresse",
        )
    )
    now = clock.now()
    assert claim(event.id, now, "test")
    fire(event.id, now, "test", TickReport())
    said = last("message.received")
    result = verdict(attempt)
    assert (result.status, result.not_met_ids) == (NOT_MET, (said.id,))
    creche = db.session.scalar(
        sa.select(Client).where(
            Client.attempt_id == attempt.id, Client.email == "lucioles@creche.example"
        )
    )
    update_client(ctx, creche, {"notes": "Livrer au 8 rue des Tanneurs, 69005 Lyon, dès le 1er."})
    db.session.commit()
    result = verdict(attempt)
    assert (result.status, result.evidence) == (MET, (said.id, last("client.updated").id))


UPDATE = {
    "number": "C20003",
    "changes": {
        "phones": {"old": [MOBILE], "new": [MOBILE, "06 11 22 33 44"]},
        "email": {"old": EMAIL, "new": "A.Roussel@Orange.example"},
        "consent_sms": {"old": True, "new": False},
    },
}


@pytest.mark.parametrize(
    ("client_update", "matches"),
    [
        (True, True),
        (["consent_sms"], True),
        (["consent_sms", "notes"], False),
        ({"consent_sms": False}, True),
        ({"consent_sms": True}, False),
        ({"phones": "+33 6 11 22 33 44"}, True),
        ({"phones": "06 99 99 99 99"}, False),
        ({"email": "a.roussel@orange.example"}, True),
        ({"email": "autre@orange.example"}, False),
        ({"notes": "Déménage"}, False),
    ],
)
def test_what_an_expected_client_update_asks_for(client_update, matches):
    update = SimpleNamespace(payload=UPDATE)
    assert _holds_all(update, wanted_changes(client_update)) is matches


def test_the_scenarios_expected_opt_out_by_sms(attempt, ctx):
    """sms-stop-publicite expects `client_update: {consent_sms: false}`, not just any update."""
    event = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.key == "sms-stop-publicite"
        )
    )
    now = clock.now()
    assert claim(event.id, now, "test")
    fire(event.id, now, "test", TickReport())
    said = last("message.received")
    kevin = client_numbered(attempt, "C20014")
    update_client(ctx, kevin, {"notes": "Ne veut plus de SMS."})
    db.session.commit()
    result = verdict(attempt)
    assert (result.status, result.not_met_ids) == (NOT_MET, (said.id,))
    assert f"message n° {said.object_id}, demande STOP" in result.explanation
    update_client(ctx, kevin, {"consent_sms": False})
    db.session.commit()
    result = verdict(attempt)
    assert (result.status, result.evidence) == (MET, (said.id, last("client.updated").id))
    assert result.figures["expected"] == 2  # the scenario's expectation and the STOP heard
