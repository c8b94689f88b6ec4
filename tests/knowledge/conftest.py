"""Fixtures for knowledge tests: articles, templates and documents with known content."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.knowledge.models import Article, Document, MessageTemplate


class Log:
    """What the attempt recorded since `mark()`."""

    def __init__(self, attempt_id: int):
        self.attempt_id = attempt_id
        self.seq = 0

    def mark(self) -> Log:
        self.seq = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(Action.seq), 0)).where(
                Action.attempt_id == self.attempt_id
            )
        )
        return self

    def new(self) -> list[Action]:
        return db.session.scalars(
            sa.select(Action)
            .where(Action.attempt_id == self.attempt_id, Action.seq > self.seq)
            .order_by(Action.seq)
        ).all()

    def verbs(self) -> list[str]:
        return [a.verb for a in self.new()]


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
def log(attempt, kb):
    """Actions of cand1's attempt recorded after the fixtures."""
    return Log(attempt.id).mark()
