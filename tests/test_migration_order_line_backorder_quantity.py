"""The back-order quantity migration: lines back-ordered at entry are back-ordered whole."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from crm.app import create_app
from crm.extensions import db
from tests.conftest import postgres_database
from tests.test_migration_one_active_attempt import NOW, _attempt, _insert, _shift, _user

BEFORE = "5d1e8a7c2b40"
REVISION = "8f3b6c1d9e52"


def _world(conn) -> None:
    _user(conn, 1)
    _shift(conn, 10, "running")
    _attempt(conn, 100, 10, 1)
    _insert(
        conn, "client", id=1, attempt_id=100, number="C1", kind="client", segment="b2c",
        first_name="Paul", last_name="Test", country="FR", credit_limit=0,
        payment_terms_days=0, consent_email=False, consent_sms=False, consent_phone=False,
        do_not_call=False, notes="", created_at=NOW,
    )  # fmt: skip
    _insert(
        conn, "product", id=1, attempt_id=100, sku="P1", name="Ramette", category="Papier",
        description="", sale_unit_label="Carton", sale_unit_quantity=5, unit_price=10,
        vat_rate=20, stock=0,
    )  # fmt: skip
    _insert(
        conn, "order", id=1, attempt_id=100, number="CMD-1", client_id=1, status="confirmed",
        created_at=NOW, historical=False,
    )  # fmt: skip
    for line_id, backorder in ((1, True), (2, False)):
        _insert(
            conn, "order_line", id=line_id, attempt_id=100, order_id=1, product_id=1,
            quantity=4, unit_price=10, vat_rate=20, discount_percent=0, additional=False,
            backorder=backorder,
        )  # fmt: skip


def _backorder_quantity(url: str) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _world(conn)
        upgrade(revision=REVISION)
        with db.engine.begin() as conn:
            rows = conn.execute(sa.text("SELECT id, backorder_quantity FROM order_line"))
            assert dict(rows.all()) == {1: 4, 2: 0}
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE order_line SET backorder_quantity = 5 WHERE id = 2"))
        downgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            assert "backorder_quantity" not in {
                c["name"] for c in sa.inspect(conn).get_columns("order_line")
            }
        db.engine.dispose()


def test_backorder_quantity_migration_on_sqlite(tmp_path):
    _backorder_quantity(f"sqlite:///{tmp_path}/backorder.db")


@pytest.mark.postgres
def test_backorder_quantity_migration_on_postgres():
    _backorder_quantity(postgres_database("plateau_backorder_quantity", fresh=True))
