"""Six drafts of the whole stock confirmed at once (threads, one attempt): stock is taken once,
never below 0, and every other unit is back-ordered (SQLite file and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, verify_chain
from crm.app import create_app
from crm.catalog.models import Product
from crm.clients.models import Client
from crm.extensions import db
from crm.orders.checkout import confirm_order
from crm.orders.models import Order
from crm.orders.services import add_line, create_order
from crm.training.models import Attempt
from tests.conftest import postgres_database

STOCK = 33
DRAFTS = 6


def _prepare() -> tuple[int, int, list[int]]:
    """An attempt with one product of 33 in stock and six drafts of 33 units of it."""
    from crm.auth.services import create_user
    from crm.training.services import change_shift_status, create_shift

    candidate = create_user("c1", "long password", "candidate")
    shift = create_shift("bureau-direct", [candidate])
    change_shift_status(shift, "start")
    attempt = shift.attempts[0]
    product = db.session.scalars(
        sa.select(Product).where(Product.attempt_id == attempt.id).order_by(Product.id)
    ).first()
    product.stock = STOCK
    product.restock_date = clock.today() + timedelta(days=12)
    client = db.session.scalars(
        sa.select(Client)
        .where(Client.attempt_id == attempt.id, Client.credit_limit == 0)
        .order_by(Client.id)
    ).first()
    ctx = Ctx(attempt, candidate.id, "candidate")
    orders = []
    for _ in range(DRAFTS):
        order = create_order(ctx, client)
        assert add_line(ctx, order, product, STOCK).shortage is None
        orders.append(order.id)
    ids = attempt.id, product.id, orders
    # End the transaction: on SQLite every transaction is IMMEDIATE and holds the write lock.
    db.session.commit()
    db.session.remove()
    return ids


def _confirm_at_once(url: str) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        attempt_id, product_id, order_ids = _prepare()
        start = threading.Barrier(DRAFTS)
        errors = []
        # PostgreSQL: every thread reads the order and its stock before any confirms (the
        # stale read a confirmation must not trust). SQLite: a transaction holds the write
        # lock from its first read (BEGIN IMMEDIATE), so the threads start together instead.
        preload = not url.startswith("sqlite")

        def confirmer(order_id: int) -> None:
            with app.app_context():
                try:
                    if not preload:
                        start.wait(timeout=60)
                    attempt = db.session.get(Attempt, attempt_id)
                    order = db.session.get(Order, order_id)
                    if preload:
                        assert order.lines[0].product.stock == STOCK
                        start.wait(timeout=60)
                    confirm_order(Ctx(attempt, attempt.candidate_id, "candidate"), order)
                    db.session.commit()
                except Exception as error:  # reported below
                    errors.append(error)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=confirmer, args=(oid,)) for oid in order_ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors

        assert db.session.get(Product, product_id).stock == 0
        orders = db.session.scalars(sa.select(Order).where(Order.id.in_(order_ids))).all()
        assert {order.status for order in orders} == {"confirmed"}
        confirmations = db.session.scalars(
            sa.select(Action).where(
                Action.attempt_id == attempt_id, Action.verb == "order.confirmed"
            )
        ).all()
        taken = sum(m["old"] - m["new"] for a in confirmations for m in a.payload["stock"])
        assert taken == STOCK
        back_ordered = sorted(order.lines[0].backorder_quantity for order in orders)
        assert back_ordered == [0] + [STOCK] * (DRAFTS - 1)
        assert sum(len(a.payload["backorders"]) for a in confirmations) == DRAFTS - 1
        assert verify_chain(db.session.get(Attempt, attempt_id)).valid
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_sqlite_file_concurrent_confirmations_never_oversell(tmp_path):
    _confirm_at_once(f"sqlite:///{tmp_path}/stock.db")


@pytest.mark.postgres
def test_postgres_concurrent_confirmations_never_oversell():
    _confirm_at_once(postgres_database("plateau_dataright_stock"))
