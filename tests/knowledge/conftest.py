"""Fixtures for knowledge tests: articles, templates and documents with known content."""

from __future__ import annotations

import pytest

from crm.db import db
from crm.knowledge.models import Article, Document, MessageTemplate


@pytest.fixture
def kb(attempt, other_attempt):
    """Two articles sharing a rare word (title vs body), a template pair, a document."""
    rows = {
        "title": Article(
            attempt_id=attempt.id,
            slug="t-zephyr",
            title="Procédure Zéphyrine",
            category="Tests",
            tags=["zéphyrine"],
            body="Comment traiter une demande.",
        ),
        "body": Article(
            attempt_id=attempt.id,
            slug="t-autre",
            title="Autre procédure",
            category="Tests",
            tags=[],
            body="On évoque la zephyrine en passant, avec un colis.",
        ),
        "foreign": Article(
            attempt_id=other_attempt.id,
            slug="t-ailleurs",
            title="Zéphyrine ailleurs",
            category="Tests",
            tags=[],
            body="Article d'une autre tentative.",
        ),
        "tpl_fr": MessageTemplate(
            attempt_id=attempt.id,
            key="t-fr",
            name="Test FR",
            channel="sms",
            language="fr",
            body="Bonjour {{ client.last_name }}",
        ),
        "tpl_en": MessageTemplate(
            attempt_id=attempt.id,
            key="t-en",
            name="Test EN",
            channel="sms",
            language="en",
            body="Hello {{ client.last_name }}",
        ),
        "doc": Document(
            attempt_id=attempt.id, key="t-doc", title="Fiche test", filename="fiche-test.pdf"
        ),
    }
    db.session.add_all(rows.values())
    db.session.commit()
    return rows


@pytest.fixture
def log(attempt, kb, action_log):
    """cand1's actions recorded after the fixtures above (or the last `mark()`)."""
    return action_log(attempt)
