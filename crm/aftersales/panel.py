"""What the order screen and the client's account show of after-sales (read only, nothing
recorded): parcels, warranty terms, withdrawal period, returns, credit notes and refunds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from crm import clock
from crm.aftersales.deliveries import order_deliveries
from crm.aftersales.models import CreditNote, Delivery, Refund, Return
from crm.aftersales.returns import WithdrawalCheck, check_withdrawal, returned_units
from crm.aftersales.rules import AfterSalesRules, rules_of
from crm.aftersales.warranty import LineWarranty, order_warranties
from crm.db import db
from crm.orders.models import Order
from crm.orders.states import allows
from crm.training.models import Attempt


@dataclass(frozen=True)
class OrderAfterSales:
    """The order's after-sales section."""

    deliveries: list[Delivery]
    returns: list[Return]
    credit_notes: list[CreditNote]
    #: Units still returnable per order line id.
    returnable: dict[int, int]
    #: None when the order's status allows no return (draft, confirmed, paid…).
    withdrawal: WithdrawalCheck | None
    rules: AfterSalesRules
    today: date
    #: The lines with a warranty (delivered orders): its terms; the end date is what the
    #: recorded check tells (crm.aftersales.warranty.check_warranty).
    warranties: list[LineWarranty]


def order_after_sales(order: Order) -> OrderAfterSales:
    """The after-sales rows and checks of one order."""
    returns = list(
        db.session.scalars(sa.select(Return).where(Return.order_id == order.id).order_by(Return.id))
    )
    notes = list(
        db.session.scalars(
            sa.select(CreditNote).where(CreditNote.order_id == order.id).order_by(CreditNote.id)
        )
    )
    already = returned_units(order)
    rules = rules_of(db.session.get(Attempt, order.attempt_id))
    today = clock.today()
    withdrawal = None
    if allows(order.status, "return"):
        withdrawal = check_withdrawal(
            order.client.segment, order.delivered_on, today, rules.withdrawal_days
        )
    return OrderAfterSales(
        deliveries=order_deliveries(order),
        returns=returns,
        credit_notes=notes,
        returnable={line.id: line.quantity - already.get(line.id, 0) for line in order.lines},
        withdrawal=withdrawal,
        rules=rules,
        today=today,
        warranties=order_warranties(order),
    )


@dataclass(frozen=True)
class ClientAccount:
    """Credit notes and refunds on a client's account."""

    credit_notes: list[CreditNote]
    refunds: list[Refund]


def client_account(client) -> ClientAccount:
    """The client's credit notes (newest first) and the refunds made on them."""
    notes = list(
        db.session.scalars(
            sa.select(CreditNote)
            .where(CreditNote.attempt_id == client.attempt_id, CreditNote.client_id == client.id)
            .order_by(CreditNote.id.desc())
        )
    )
    refunds = list(
        db.session.scalars(
            sa.select(Refund)
            .where(Refund.attempt_id == client.attempt_id, Refund.client_id == client.id)
            .order_by(Refund.id.desc())
        )
    )
    return ClientAccount(notes, refunds)
