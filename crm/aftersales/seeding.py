"""A historical order's after-sales rows from its scenario entry: how it was paid, its parcel
with the carrier's events, and the day it was delivered."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from crm.aftersales.machines import replay
from crm.aftersales.models import Delivery, DeliveryEvent
from crm.db import db
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from crm.payments.models import Payment

PARIS = ZoneInfo("Europe/Paris")

#: The charter's 48 hours, for a delivered order whose pack gives no carrier events.
DEFAULT_TRANSIT_DAYS = 2


def seed_order_after_sales(order: Order, entry: dict, day, moment) -> None:
    """Add the order's payment and parcel to the session (the order is flushed already)."""
    paid = entry.get("payment")
    if paid:
        db.session.add(
            Payment(
                attempt_id=order.attempt_id,
                client_id=order.client_id,
                order_id=order.id,
                method=paid["method"],
                amount=order_totals(order.lines).gross,
                status="captured",
                masked_card=paid.get("masked_card"),
                card_brand=paid.get("card_brand"),
                recorded_at=order.confirmed_at,
            )
        )
    parcel = entry.get("delivery")
    delivered_on = day(entry.get("delivered_on"))
    if parcel:
        events = [
            DeliveryEvent(
                attempt_id=order.attempt_id,
                kind=event["kind"],
                incident=event.get("incident"),
                at=moment(event["at"]),
                place=event.get("place", ""),
                note=event.get("note", ""),
            )
            for event in parcel.get("events", [])
        ]
        status, _refused = replay([event.kind for event in events])
        delivery = Delivery(
            attempt_id=order.attempt_id,
            order_id=order.id,
            carrier=parcel["carrier"],
            tracking_number=parcel["tracking_number"],
            status=status,
            shipped_on=day(parcel["shipped_on"]),
            expected_on=day(parcel.get("expected_on")),
            events=events,
        )
        db.session.add(delivery)
        handed = [e.at for e in events if e.kind == "delivered"]
        if delivered_on is None and handed:
            delivered_on = handed[-1].astimezone(PARIS).date()
    if delivered_on is None and order.status in ("delivered", "returned") and order.ordered_on:
        delivered_on = order.ordered_on + timedelta(days=DEFAULT_TRANSIT_DAYS)
    order.delivered_on = delivered_on
