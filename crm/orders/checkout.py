"""Closing an order: the recap read to the client, confirmation with its credit check, cancel.

A confirmation refused for the credit limit is evidence (`order.credit_refused`): the service
returns it in `ConfirmResult.refusal` rather than raising, so the boundary commits the action
and then answers 409 (raising would roll the action back).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, record
from crm.db import db, utcnow
from crm.errors import Conflict
from crm.i18n import _
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from crm.orders.recap import Recap, build_recap
from crm.orders.services import check_attempt
from crm.orders.states import order_next_status
from crm.payments.receivables import client_outstanding, order_paid
from crm.payments.services import eur
from crm.training.services import world_today


@dataclass(frozen=True)
class CreditRefusal:
    """Why confirming would exceed the client's credit limit."""

    credit_limit: Decimal
    outstanding: Decimal
    order_total: Decimal
    available: Decimal


@dataclass(frozen=True)
class ConfirmResult:
    """The order confirmed, or the credit refusal that kept it a draft."""

    order: Order
    refusal: CreditRefusal | None = None


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
        order.recap_read_at = utcnow()
    db.session.flush()
    recap = build_recap(order, ctx.attempt.settings.get("company", {}), world_today())
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
    """Confirm a draft: credit check (accounts on terms), stock taken, totals recorded."""
    check_attempt(ctx, order)
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
    moves = []
    for line in order.lines:
        if line.backorder:
            continue  # ships at the restock date, from stock that does not exist yet
        before = line.product.stock
        # Another order of the attempt may have taken the stock since the line was entered:
        # stock never goes below 0, and what could not be taken is recorded as `short`.
        line.product.stock = max(0, before - line.quantity)
        move = {"sku": line.product.sku, "old": before, "new": line.product.stock}
        if line.quantity > before:
            move["short"] = line.quantity - before
        moves.append(move)
    order.status = new_status
    order.confirmed_at = utcnow()
    order.ordered_on = world_today()
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
                }
                for line in order.lines
            ],
            "stock": moves,
            "credit": credit,
        },
    )
    return ConfirmResult(order)


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
