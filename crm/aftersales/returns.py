"""Returns under the consumer's right of withdrawal (Code de la consommation, art. L221-18):
fourteen days from delivery, consumers only; an authorisation number and a return label."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.aftersales.models import Return, ReturnLine
from crm.aftersales.numbers import next_number
from crm.aftersales.rules import rules_of
from crm.boundary.integers import is_db_id
from crm.db import db
from crm.errors import ValidationFailed
from crm.i18n import _
from crm.orders.models import Order, OrderLine
from crm.orders.pricing import line_amounts
from crm.orders.states import order_next_status

REASON_MAX = 500


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def withdrawal_deadline(delivered_on: date, days: int) -> date:
    """The last day to withdraw: the period starts the day after delivery and, ending on a
    Saturday or a Sunday, runs to the next Monday (regulation 1182/71, as L221-19 applies)."""
    deadline = delivered_on + timedelta(days=days)
    while deadline.weekday() >= 5:
        deadline += timedelta(days=1)
    return deadline


@dataclass(frozen=True)
class WithdrawalCheck:
    """Whether the client may withdraw from this order today, and if not, why."""

    deadline: date | None
    #: French sentence of the refusal (None when allowed).
    refusal: str | None = None

    @property
    def allowed(self) -> bool:
        """True when the return can be authorised."""
        return self.refusal is None


def check_withdrawal(segment: str, delivered_on: date | None, today: date, days: int):
    """The law's checks on who withdraws and when (the order's status is the machine's)."""
    if segment == "b2b":
        return WithdrawalCheck(
            None,
            _(
                "Client professionnel : le droit de rétractation (art. L221-18) est réservé aux "
                "consommateurs ; proposez un retour commercial selon la procédure de retour."
            ),
        )
    if delivered_on is None:
        # Shipped, not yet received: the consumer may withdraw before the period even starts.
        return WithdrawalCheck(None)
    deadline = withdrawal_deadline(delivered_on, days)
    if today > deadline:
        return WithdrawalCheck(
            deadline,
            _(
                "Délai de rétractation dépassé : livrée le %(delivered)s, le délai de %(days)s "
                "jours (art. L221-18) a expiré le %(deadline)s.",
                delivered=_day(delivered_on),
                days=days,
                deadline=_day(deadline),
            ),
        )
    return WithdrawalCheck(deadline)


def returned_units(order: Order) -> dict[int, int]:
    """Units already sent back per order line (returns not cancelled)."""
    rows = db.session.execute(
        sa.select(ReturnLine.order_line_id, sa.func.sum(ReturnLine.quantity))
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.order_id == order.id, Return.status != "cancelled")
        .group_by(ReturnLine.order_line_id)
    )
    return {line_id: int(total) for line_id, total in rows}


def _wanted_units(order: Order, wanted: list | None) -> dict[OrderLine, int]:
    """The units to return per line: all that remain when `wanted` is None; else each
    `{"line_id", "quantity"}` checked (422 on `lines` naming what is wrong)."""
    already = returned_units(order)
    remaining = {line: line.quantity - already.get(line.id, 0) for line in order.lines}
    if wanted is None:
        units = {line: n for line, n in remaining.items() if n > 0}
        if not units:
            raise ValidationFailed({"lines": _("Tout a déjà été retourné sur cette commande.")})
        return units
    if not isinstance(wanted, list) or not wanted:
        raise ValidationFailed({"lines": _("Indiquez au moins une ligne à retourner.")})
    by_id = {line.id: line for line in order.lines}
    units: dict[OrderLine, int] = {}
    for index, item in enumerate(wanted):
        where = f"lines[{index}]"
        line_id = item.get("line_id") if isinstance(item, dict) else None
        quantity = item.get("quantity") if isinstance(item, dict) else None
        line = by_id.get(line_id) if is_db_id(line_id) else None
        if line is None:
            raise ValidationFailed({f"{where}.line_id": _("Ligne absente de cette commande.")})
        if line in units:
            raise ValidationFailed({f"{where}.line_id": _("Ligne indiquée deux fois.")})
        left = remaining[line]
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ValidationFailed({f"{where}.quantity": _("Un nombre entier ≥ 1.")})
        if quantity > left:
            raise ValidationFailed(
                {
                    f"{where}.quantity": _(
                        "%(left)s au plus : reste à retourner sur cette ligne.", left=left
                    )
                }
            )
        units[line] = quantity
    return units


def authorise_return(
    ctx: Ctx, order: Order, wanted: list | None = None, reason: str | None = None
) -> Return:
    """Authorise a withdrawal on a shipped or delivered order: number, label, amount."""
    check_attempt(ctx, order)
    order_next_status(order.status, "return")  # shipped or delivered, else 409
    text = (reason or "").strip()
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": _("%(n)s caractères au plus.", n=REASON_MAX)})
    rules = rules_of(ctx.attempt)
    today = clock.today()
    check = check_withdrawal(order.client.segment, order.delivered_on, today, rules.withdrawal_days)
    if not check.allowed:
        raise ValidationFailed({"order_id": check.refusal}, check.refusal)
    units = _wanted_units(order, wanted)
    amount = sum(
        (
            line_amounts(line.unit_price, n, line.vat_rate, line.discount_percent).gross
            for line, n in units.items()
        ),
        Decimal("0.00"),
    )
    year = today.year
    number = next_number(Return.number, Return.attempt_id, ctx.attempt.id, f"RET-{year}-")
    ret = Return(
        attempt_id=ctx.attempt.id,
        number=number,
        label_code=f"LR{number[4:].replace('-', '')}FR",
        order_id=order.id,
        client_id=order.client_id,
        status="authorised",
        deadline=check.deadline,
        amount=amount,
        reason=text,
    )
    for line, n in units.items():
        ret.lines.append(ReturnLine(attempt_id=ctx.attempt.id, order_line_id=line.id, quantity=n))
    db.session.add(ret)
    db.session.flush()
    before = order.status
    if all(returned_units(order).get(line.id, 0) >= line.quantity for line in order.lines):
        order.status = order_next_status(order.status, "return")
    db.session.flush()
    record(
        ctx,
        "return.authorised",
        ret,
        {
            "number": ret.number,
            "label_code": ret.label_code,
            "order": order.number,
            "order_id": order.id,
            "client": order.client.number,
            "segment": order.client.segment,
            "delivered_on": order.delivered_on,
            "deadline": ret.deadline,
            "lines": [
                {"line_id": line.id, "sku": line.product.sku, "quantity": n}
                for line, n in units.items()
            ],
            "amount": amount,
            "order_status": {"old": before, "new": order.status},
            "reason": text,
        },
    )
    return ret
