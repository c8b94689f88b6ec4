"""Deliveries: the candidate reads a parcel's tracking, opens a carrier investigation on an
incident, and sends the order again when the parcel is lost or damaged."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.aftersales.models import Delivery
from crm.aftersales.numbers import next_number
from crm.aftersales.states import delivery_next_status
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _
from crm.orders.models import Order
from crm.orders.states import STATUS_LABELS, order_next_status

#: Most characters of a note the candidate adds to an investigation or a re-shipment.
NOTE_MAX = 500


def order_deliveries(order: Order) -> list[Delivery]:
    """The order's parcels, first sent first."""
    return list(
        db.session.scalars(
            sa.select(Delivery)
            .where(Delivery.attempt_id == order.attempt_id, Delivery.order_id == order.id)
            .order_by(Delivery.shipped_on, Delivery.id)
        )
    )


def _summary(delivery: Delivery) -> dict:
    """A parcel as an action's payload shows it: what the candidate saw."""
    last = delivery.events[-1] if delivery.events else None
    return {
        "delivery_id": delivery.id,
        "carrier": delivery.carrier,
        "tracking_number": delivery.tracking_number,
        "status": delivery.status,
        "expected_on": delivery.expected_on,
        "events": len(delivery.events),
        "last_event": (
            {"kind": last.kind, "incident": last.incident, "at": last.at} if last else None
        ),
    }


def read_tracking(ctx: Ctx, order: Order) -> list[Delivery]:
    """Read an order's carrier tracking to the client (recorded: it is evidence)."""
    check_attempt(ctx, order)
    deliveries = order_deliveries(order)
    if not deliveries:
        raise Conflict(
            _(
                "Commande %(number)s (%(status)s) : aucun envoi chez un transporteur, "
                "pas de suivi à lire.",
                number=order.number,
                status=STATUS_LABELS.get(order.status, order.status),
            ),
            code="no_delivery",
        )
    record(
        ctx,
        "delivery.tracking_read",
        order,
        {
            "number": order.number,
            "order_status": order.status,
            "deliveries": [_summary(d) for d in deliveries],
        },
    )
    return deliveries


def _note(note: str | None) -> str:
    """The candidate's note, trimmed; 422 on `note` past NOTE_MAX characters."""
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        raise ValidationFailed({"note": _("%(n)s caractères au plus.", n=NOTE_MAX)})
    return text


def open_investigation(ctx: Ctx, delivery: Delivery, note: str | None = None) -> Delivery:
    """Open an investigation with the carrier on a parcel's incident (reference recorded)."""
    check_attempt(ctx, delivery)
    text = _note(note)
    old = delivery.status
    new = delivery_next_status(old, "investigate")
    incident = delivery.last_incident
    delivery.status = new
    delivery.investigation_reference = f"ENQ-{delivery.tracking_number[-10:]}"
    delivery.investigation_opened_at = clock.now()
    db.session.flush()
    record(
        ctx,
        "delivery.investigation_opened",
        delivery,
        {
            "order": delivery.order.number,
            "carrier": delivery.carrier,
            "tracking_number": delivery.tracking_number,
            "incident": incident.incident if incident else None,
            "reference": delivery.investigation_reference,
            "status": {"old": old, "new": new},
            "note": text,
        },
    )
    return delivery


def _working_days_after(day: date, days: int) -> date:
    """`days` working days (Monday–Friday) after `day`."""
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def reship_order(ctx: Ctx, delivery: Delivery, note: str | None = None) -> Delivery:
    """Send the order again after an incident: the parcel is replaced by a new one."""
    check_attempt(ctx, delivery)
    text = _note(note)
    order = delivery.order
    old = delivery.status
    replaced = delivery_next_status(old, "reship")
    order_status = order_next_status(order.status, "reship")
    today = clock.today()
    prefix = f"{(delivery.carrier[:2] or 'PL').upper()}R"
    new = Delivery(
        attempt_id=ctx.attempt.id,
        order_id=order.id,
        carrier=delivery.carrier,
        tracking_number=next_number(
            Delivery.tracking_number, Delivery.attempt_id, ctx.attempt.id, prefix, width=9
        ),
        status="preparing",
        shipped_on=today,
        expected_on=_working_days_after(today, 2),
    )
    db.session.add(new)
    db.session.flush()
    delivery.status = replaced
    delivery.replaced_by_id = new.id
    before = order.status
    order.status = order_status
    if before == "delivered":
        order.delivered_on = None  # the goods are on their way again
    db.session.flush()
    record(
        ctx,
        "delivery.reshipped",
        order,
        {
            "number": order.number,
            "replaced": {
                "delivery_id": delivery.id,
                "tracking_number": delivery.tracking_number,
                "incident": delivery.last_incident.incident if delivery.last_incident else None,
                "status": {"old": old, "new": replaced},
            },
            "delivery_id": new.id,
            "carrier": new.carrier,
            "tracking_number": new.tracking_number,
            "expected_on": new.expected_on,
            "order_status": {"old": before, "new": order.status},
            "note": text,
        },
    )
    return new
