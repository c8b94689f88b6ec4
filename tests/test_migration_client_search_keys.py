"""The client search keys migration: existing files get the keys the application computes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from crm.app import create_app
from crm.extensions import db
from tests.conftest import postgres_database
from tests.test_migration_one_active_attempt import NOW, _attempt, _insert, _shift

BEFORE = "c631d19c5611"
REVISION = "3a9c5e7f1b24"


def _world(conn) -> None:
    _insert(
        conn, "user", id=1, username="c1", display_name="C1", role="candidate",
        password_hash="x", active=True, session_token="t1", created_at=NOW,
    )  # fmt: skip
    _shift(conn, 10, "running")
    _attempt(conn, 100, 10, 1)
    for client_id, number, last_name in ((1, "C1", "Dupré-Lefèvre"), (2, "C2", "Martin")):
        _insert(
            conn, "client", id=client_id, attempt_id=100, number=number, kind="client",
            segment="b2b", company_name="Œuvre Commune", first_name="Éloïse",
            last_name=last_name, country="FR", credit_limit=0, payment_terms_days=0,
            consent_email=False, consent_sms=False, consent_phone=False, do_not_call=False,
            notes="", created_at=NOW,
        )  # fmt: skip
    _insert(
        conn, "client_phone", id=1, attempt_id=100, client_id=1, number="04 78 12 34 56",
        e164="+33478123456",
    )  # fmt: skip
    _insert(
        conn, "contact_person", id=1, attempt_id=100, client_id=1, first_name="Rodolphe",
        last_name="Béranger", role="", phone="06 11 22 33 44", gatekeeper=False,
    )  # fmt: skip


def _search_keys(url: str) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _world(conn)
        upgrade(revision=REVISION)
        with db.engine.begin() as conn:
            rows = conn.execute(
                sa.text("SELECT id, search_words, search_phones FROM client ORDER BY id")
            ).all()
        assert rows == [
            (
                1,
                "c1 dupre lefevre eloise oeuvre commune rodolphe beranger",
                " +33478123456 0478123456 +33611223344 0611223344 ",
            ),
            (2, "c2 martin eloise oeuvre commune", ""),
        ]
        downgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("client")}
        assert not {"search_words", "search_phones"} & columns
        db.engine.dispose()


def test_search_keys_migration_on_sqlite(tmp_path):
    _search_keys(f"sqlite:///{tmp_path}/search_keys.db")


@pytest.mark.postgres
def test_search_keys_migration_on_postgres():
    _search_keys(postgres_database("plateau_search_keys", fresh=True))
