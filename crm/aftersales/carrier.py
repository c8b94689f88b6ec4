"""The trainer plays the warehouse and the carrier during a shift: an order handed to a carrier,
a step of a parcel's journey (delivered, an incident…), recorded with the trainer as actor."""

from __future__ import annotations

from datetime import timedelta

from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.aftersales.machines import CARRIER_EVENTS, INCIDENTS
from crm.aftersales.models import Delivery, DeliveryEvent
from crm.aftersales.numbers import next_number
from crm.aftersales.states import delivery_next_status
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _
from crm.orders.models import Order
from crm.orders.states import order_next_status
from crm.training.models import Attempt


def check_running(attempt: Attempt) -> None:
    """409 unless the attempt is active in a running or paused shift."""
    if attempt.status != "active" or attempt.shift.status not in ("running", "paused"):
        raise Conflict(
            _("Cette tentative n'est pas en cours : aucun événement ne peut y arriver."),
            code="attempt_not_running",
        )


def ship_order(ctx: Ctx, order: Order, carrier: str) -> Delivery:
    """Hand a confirmed or paid order to a carrier: a parcel with its tracking number."""
    check_attempt(ctx, order)
    check_running(ctx.attempt)
    name = (carrier or "").strip()
    if not name or len(name) > 40:
        raise ValidationFailed({"carrier": _("Nom du transporteur : 1 à 40 caractères.")})
    old = order.status
    new = order_next_status(old, "ship")
    today = clock.today()
    delivery = Delivery(
        attempt_id=ctx.attempt.id,
        order_id=order.id,
        carrier=name,
        tracking_number=next_number(
            Delivery.tracking_number, Delivery.attempt_id, ctx.attempt.id, "PL", width=11
        ),
        status="preparing",
        shipped_on=today,
        expected_on=today + timedelta(days=2),
    )
    db.session.add(delivery)
    order.status = new
    db.session.flush()
    record(
        ctx,
        "delivery.shipped",
        delivery,
        {
            "order": order.number,
            "order_id": order.id,
            "carrier": delivery.carrier,
            "tracking_number": delivery.tracking_number,
            "order_status": {"old": old, "new": new},
        },
    )
    return delivery


def report_event(
    ctx: Ctx,
    delivery: Delivery,
    kind: str,
    *,
    incident: str | None = None,
    place: str | None = None,
    note: str | None = None,
) -> DeliveryEvent:
    """A step the carrier reports on a parcel; `delivered` delivers its order (the day the
    withdrawal period starts from)."""
    check_attempt(ctx, delivery)
    check_running(ctx.attempt)
    if kind not in CARRIER_EVENTS:
        raise ValidationFailed(
            {"kind": _("Étape inconnue : %(kinds)s.", kinds=", ".join(CARRIER_EVENTS))}
        )
    if kind == "incident" and incident not in INCIDENTS:
        raise ValidationFailed(
            {"incident": _("Nature de l'incident : %(kinds)s.", kinds=", ".join(INCIDENTS))}
        )
    if kind != "incident" and incident is not None:
        raise ValidationFailed({"incident": _("Seulement pour une étape « incident ».")})
    old = delivery.status
    new = delivery_next_status(old, kind)
    event = DeliveryEvent(
        attempt_id=ctx.attempt.id,
        kind=kind,
        incident=incident,
        at=clock.now(),
        place=(place or "").strip(),
        note=(note or "").strip(),
    )
    delivery.events.append(event)
    delivery.status = new
    order = delivery.order
    order_status = {"old": order.status, "new": order.status}
    if kind == "delivered" and order.status == "shipped":
        order.status = order_next_status(order.status, "deliver")
        order.delivered_on = clock.today()
        order_status["new"] = order.status
    db.session.flush()
    record(
        ctx,
        "delivery.event_reported",
        delivery,
        {
            "order": order.number,
            "tracking_number": delivery.tracking_number,
            "kind": kind,
            "incident": incident,
            "place": event.place,
            "status": {"old": old, "new": new},
            "order_status": order_status,
        },
    )
    return event
