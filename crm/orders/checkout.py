"""Closing an order: the recap read to the client, confirmation with its credit check, cancel.

A confirmation refused for the credit limit is evidence (`order.credit_refused`): the service
returns it in `ConfirmResult.refusal` rather than raising, so the boundary commits the action
and then answers 409 (raising would roll the action back).

Stock is taken at confirmation, under the attempt's lock and from stock re-read there: other
orders of the attempt may have taken it since the lines were entered. What stock cannot fill
becomes a back-order on the line (shipped at the catalogue's restock date), never a sale of
stock that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, check_attempt, record
from crm.catalog.models import Product
from crm.db import db
from crm.errors import Conflict
from crm.i18n import _
from crm.orders.models import Order, OrderLine
from crm.orders.pricing import order_totals
from crm.orders.recap import Recap, build_recap
from crm.orders.states import order_next_status
from crm.payments.receivables import client_outstanding, order_paid
from crm.payments.services import eur
from crm.training.locking import lock_attempt


@dataclass(frozen=True)
class CreditRefusal:
    """Why confirming would exceed the client's credit limit."""

    credit_limit: Decimal
    outstanding: Decimal
    order_total: Decimal
    available: Decimal


@dataclass(frozen=True)
class BackOrder:
    """Sale units of a line that confirmation could not take from stock."""

    line: OrderLine
    sku: str
    name: str
    quantity: int
    restock_date: date | None

    def payload(self) -> dict:
        """The back-order as the confirmation's action records it."""
        return {
            "line_id": self.line.id,
            "sku": self.sku,
            "quantity": self.quantity,
            "restock_date": self.restock_date,
        }


@dataclass(frozen=True)
class ConfirmResult:
    """The order confirmed (with what stock could not fill), or the credit refusal."""

    order: Order
    refusal: CreditRefusal | None = None
    backorders: tuple[BackOrder, ...] = ()


def _take_stock(line: OrderLine) -> tuple[dict | None, BackOrder | None]:
    """Take a line's units from its product's stock; the shortfall becomes a back-order.

    The product was re-read under the attempt's lock. The decrement is also guarded in SQL
    (`stock >= n`), so that even a writer that skipped the lock cannot drive stock below 0.
    """
    product = line.product
    if line.backorder and line.backorder_quantity == line.quantity:
        return None, None  # back-ordered whole at entry: ships at the restock date
    wanted = line.from_stock
    before = product.stock
    taken = min(wanted, before)
    if taken:
        done = db.session.execute(
            sa.update(Product)
            .where(Product.id == product.id, Product.stock >= taken)
            .values(stock=Product.stock - taken)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            raise Conflict(
                _(
                    "Le stock de %(name)s a changé pendant la confirmation : réessayez.",
                    name=product.name,
                ),
                code="stock_changed",
            )
        db.session.refresh(product, ["stock"])
    move = {"sku": product.sku, "old": before, "new": before - taken}
    short = wanted - taken
    if not short:
        return move, None
    line.backorder = True
    line.backorder_quantity += short
    back = BackOrder(line, product.sku, product.name, short, product.restock_date)
    return move, back


def read_recap(ctx: Ctx, order: Order) -> Recap:
    """Build the recap read to the client, mark the order as recapped and record it."""
    check_attempt(ctx, order)
    if order.status not in ("draft", "confirmed"):
        order_next_status(order.status, "edit")
    if not order.lines:
        raise Conflict(
            _("La commande ne contient aucune ligne : rien à récapituler."), code="empty_order"
        )
    if order.status == "draft":
        order.recap_read_at = clock.now()
    db.session.flush()
    recap = build_recap(order, ctx.attempt.settings.get("company", {}), clock.today())
    record(
        ctx,
        "order.recap_read",
        order,
        {
            "number": order.number,
            "status": order.status,
            "lines": len(recap.lines),
            "total_net": recap.totals.net,
            "total_vat": recap.totals.vat,
            "total": recap.totals.gross,
            "substitutions": len(recap.substitutions),
            "additional": len(recap.additional),
            "backorders": len(recap.backorders),
            "delivery_estimate": recap.delivery_estimate,
        },
    )
    return recap


def confirm_order(ctx: Ctx, order: Order) -> ConfirmResult:
    """Confirm a draft: credit check (accounts on terms), stock taken or back-ordered, totals
    recorded."""
    check_attempt(ctx, order)
    # The boundary has usually taken it already (crm.training.locking.lock_for_write); taking
    # it here keeps the service right on its own. Then the order and its products are re-read:
    # what was loaded before the lock may predate another confirmation's commit.
    lock_attempt(ctx.attempt.id)
    db.session.refresh(order)
    for line in order.lines:
        db.session.refresh(line.product)
    new_status = order_next_status(order.status, "confirm")
    if not order.lines:
        raise Conflict(
            _("La commande ne contient aucune ligne : rien à confirmer."), code="empty_order"
        )
    totals = order_totals(order.lines)
    client = order.client
    credit = None
    # Only accounts paying on terms have a limit; credit_limit 0 means the client pays at order.
    if client.credit_limit > 0:
        outstanding = client_outstanding(client.id, ctx.attempt.id)
        available = client.credit_limit - outstanding
        credit = {
            "credit_limit": client.credit_limit,
            "outstanding": outstanding,
            "order_total": totals.gross,
            "available": max(available, Decimal("0.00")),
        }
        if outstanding + totals.gross > client.credit_limit:
            record(ctx, "order.credit_refused", order, {"number": order.number, **credit})
            return ConfirmResult(order, CreditRefusal(**credit))
    moves, backorders = [], []
    for line in order.lines:
        move, back = _take_stock(line)
        if move is not None:
            moves.append(move)
        if back is not None:
            backorders.append(back)
    order.status = new_status
    order.confirmed_at = clock.now()
    order.ordered_on = clock.today()
    db.session.flush()
    record(
        ctx,
        "order.confirmed",
        order,
        {
            "number": order.number,
            "client_id": client.id,
            "total_net": totals.net,
            "total_vat": totals.vat,
            "total": totals.gross,
            "recap_read": order.recap_read_at is not None,
            "lines": [
                {
                    "sku": line.product.sku,
                    "quantity": line.quantity,
                    "additional": line.additional,
                    "replaces": line.replaces.sku if line.replaces else None,
                    "backorder": line.backorder,
                    "backorder_quantity": line.backorder_quantity,
                    "restock_date": line.product.restock_date if line.backorder else None,
                }
                for line in order.lines
            ],
            "stock": moves,
            # What stock could not fill at confirmation (lines back-ordered at entry are in
            # `lines` only): the candidate is told, and the evaluator sees it here.
            "backorders": [back.payload() for back in backorders],
            "credit": credit,
        },
    )
    return ConfirmResult(order, backorders=tuple(backorders))


def _stock_taken(ctx: Ctx, order: Order) -> dict[str, int]:
    """Sale units taken from stock per SKU when the order was confirmed (from its action)."""
    payload = db.session.scalar(
        sa.select(Action.payload)
        .where(
            Action.attempt_id == ctx.attempt.id,
            Action.verb == "order.confirmed",
            Action.object_type == "order",
            Action.object_id == order.id,
        )
        .order_by(Action.seq.desc())
        .limit(1)
    )
    moves = payload.get("stock", []) if isinstance(payload, dict) else []
    return {move["sku"]: move["old"] - move["new"] for move in moves}


def cancel_order(ctx: Ctx, order: Order, reason: str = "") -> Order:
    """Cancel a draft or a confirmed order not yet paid; a confirmed order gives its stock back."""
    check_attempt(ctx, order)
    old = order.status
    new = order_next_status(old, "cancel")
    restored = []
    if old == "confirmed":
        paid = order_paid(order)
        if paid > 0:
            raise Conflict(
                _(
                    "Commande déjà réglée (%(amount)s) : annulation impossible sans remboursement.",
                    amount=eur(paid),
                ),
                code="order_paid",
            )
        # Give back exactly what confirmation took (it never took below 0), as its action says.
        taken = _stock_taken(ctx, order)
        for line in order.lines:
            if taken.get(line.product.sku):
                before = line.product.stock
                line.product.stock = before + taken[line.product.sku]
                restored.append({"sku": line.product.sku, "old": before, "new": line.product.stock})
    order.status = new
    db.session.flush()
    record(
        ctx,
        "order.cancelled",
        order,
        {
            "number": order.number,
            "status": {"old": old, "new": new},
            "reason": reason,
            "stock": restored,
        },
    )
    return order
