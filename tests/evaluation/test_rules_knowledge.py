"""Knowledge base consulted before an information answer: scenario items and INFO contacts."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.clients.models import Client
from crm.contacts.services import open_contact, qualify_contact
from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.knowledge.models import Article
from crm.knowledge.services import read_article
from crm.training.timeline import TimelineEvent
from softphone.inbox.models import Conversation
from softphone.inbox.sending import reply
from softphone.scenarios.scheduler import TickReport, claim, fire
from tests.evaluation.conftest import last


def verdict(attempt):
    return RULES["knowledge_base_consulted"].evaluate(AttemptEvidence(attempt))


def fire_item(attempt, key: str):
    """Play a timeline item of the default scenario now, as the scheduler does."""
    event = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.key == key
        )
    )
    now = clock.now()
    assert claim(event.id, now, "test")
    fire(event.id, now, "test", TickReport())
    return db.session.get(TimelineEvent, event.id)


def read(ctx, slug: str) -> Action:
    article = db.session.scalar(
        sa.select(Article).where(Article.attempt_id == ctx.attempt.id, Article.slug == slug)
    )
    read_article(ctx, article)
    db.session.commit()
    return last("kb.read")


@pytest.fixture
def sms_tracking(attempt):
    """The SMS asking where an order is (the scenario expects article suivi-commande)."""
    event = fire_item(attempt, "sms-suivi-commande")
    return db.session.get(Conversation, event.result["conversation_id"])


def test_nothing_asked_is_not_observed(attempt):
    assert verdict(attempt).status == NOT_OBSERVED


def test_the_expected_article_read_before_the_reply_is_met(attempt, ctx, sms_tracking):
    kb = read(ctx, "suivi-commande")
    reply(ctx, sms_tracking, "Votre colis est chez le transporteur, livraison demain.")
    db.session.commit()
    result = verdict(attempt)
    assert (result.status, result.evidence) == (MET, (kb.id, last("message.sent").id))
    assert "suivi-commande" in result.explanation


def test_a_reply_without_reading_is_not_met(attempt, ctx, sms_tracking):
    reply(ctx, sms_tracking, "Votre colis arrive bientôt.")
    db.session.commit()
    read(ctx, "suivi-commande")  # after the answer: too late
    result = verdict(attempt)
    assert (result.status, result.not_met_ids) == (NOT_MET, (last("message.sent").id,))
    assert "réponse sans consulter la base (article attendu : suivi-commande)" in (
        result.explanation
    )


def test_reading_another_article_is_not_met(attempt, ctx, sms_tracking):
    kb = read(ctx, "livraison-delais-frais")
    reply(ctx, sms_tracking, "Livraison sous 48 heures.")
    db.session.commit()
    result = verdict(attempt)
    assert (result.status, result.not_met_ids) == (NOT_MET, (kb.id, last("message.sent").id))
    assert "article lu livraison-delais-frais, attendu suivi-commande" in result.explanation


@pytest.mark.parametrize("consulted", [True, False])
def test_a_contact_qualified_info_needs_an_article_read_during_it(attempt, ctx, consulted):
    client = db.session.scalars(sa.select(Client).where(Client.attempt_id == attempt.id)).first()
    contact = open_contact(ctx, client, "phone", "inbound")
    here = replace(ctx, interaction=("contact", contact.id))
    kb = read(here, "livraison-delais-frais") if consulted else None
    qualify_contact(here, contact, "INFO", "Délais de livraison donnés.")
    db.session.commit()
    result = verdict(attempt)
    qualified = last("contact.qualified")
    if consulted:
        assert (result.status, result.evidence) == (MET, (kb.id, qualified.id))
    else:
        assert (result.status, result.not_met_ids) == (NOT_MET, (qualified.id,))
        assert f"contact n° {contact.id} : réponse sans consulter la base" in result.explanation


@pytest.mark.parametrize("consulted", [True, False])
def test_an_item_expecting_any_article(attempt, ctx, consulted):
    """`kb_articles: true`: any article read before the answer will do."""
    event = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.key == "sms-livraison-samedi"
        )
    )
    event.payload = {**event.payload, "expect": {"kb_articles": True}}
    db.session.commit()
    fired = fire_item(attempt, "sms-livraison-samedi")
    conversation = db.session.get(Conversation, fired.result["conversation_id"])
    kb = read(ctx, "suivi-commande") if consulted else None  # not the pack's usual article
    reply(ctx, conversation, "Oui, nous livrons le samedi matin.")
    db.session.commit()
    result = verdict(attempt)
    sent = last("message.sent")
    if consulted:
        assert (result.status, result.evidence) == (MET, (kb.id, sent.id))
    else:
        assert (result.status, result.not_met_ids) == (NOT_MET, (sent.id,))
        assert "réponse sans consulter la base." in result.explanation
