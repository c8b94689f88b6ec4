"""After-sales JSON API: tracking read, carrier investigation, re-shipment, returns, credit
notes and refunds, for the candidate inside their attempt (same services as the pages)."""

from __future__ import annotations

from flask import g, request

from crm.actionlog.services import Ctx
from crm.aftersales import carrier, credits, deliveries, returns
from crm.aftersales.machines import CARRIER_EVENTS, INCIDENTS
from crm.aftersales.models import CreditNote, Delivery, Return
from crm.aftersales.panel import order_after_sales
from crm.aftersales.serialize import (
    credit_note_dict,
    delivery_dict,
    refund_dict,
    return_dict,
)
from crm.boundary.integers import DB_INT_MAX
from crm.clients.models import Client
from crm.db import db
from crm.errors import NotFound
from crm.orders.models import Order
from crm.training.locking import lock_for_write
from crm.training.models import Attempt
from crm.validation import Fields
from crm.web.api import (
    CLIENT_LISTING_QUERY,
    candidate_ctx,
    client_listing,
    commit_and,
    in_attempt,
    json_body,
    make_api_blueprint,
    roles,
)
from crm.web.openapi import doc, integer, one_of, text

bp = make_api_blueprint("aftersales_api", __name__)

_LINES = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {
            "line_id": {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX},
            "quantity": integer(1, 9999),
        },
        "required": ["line_id", "quantity"],
    },
}


def _body() -> dict:
    """An optional JSON object: empty body → {}, malformed → 400."""
    return json_body() if request.get_data() else {}


def _note(data: dict) -> str | None:
    fields = Fields(data)
    note = fields.text("note", required=False, max_length=500)
    fields.done()
    return note


@bp.get("/orders/<int:order_id>/after-sales")
@roles("candidate")
@doc(tag="After-sales")
def order_after_sales_view(order_id):
    """An order's parcels (without their events: reading those is the recorded tracking read),
    returns, credit notes, units still returnable and the withdrawal check."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx, label="Commande")
    after = order_after_sales(order)
    withdrawal = after.withdrawal
    return commit_and(
        {
            "order_id": order.id,
            "status": order.status,
            "delivered_on": order.delivered_on.isoformat() if order.delivered_on else None,
            "deliveries": [delivery_dict(d, events=False) for d in after.deliveries],
            "returns": [return_dict(r) for r in after.returns],
            "credit_notes": [credit_note_dict(n) for n in after.credit_notes],
            "returnable": [
                {"line_id": line_id, "quantity": n} for line_id, n in after.returnable.items()
            ],
            "withdrawal": (
                None
                if withdrawal is None
                else {
                    "allowed": withdrawal.allowed,
                    "deadline": withdrawal.deadline.isoformat() if withdrawal.deadline else None,
                    "refusal": withdrawal.refusal,
                }
            ),
        }
    )


@bp.post("/orders/<int:order_id>/tracking")
@roles("candidate")
@doc(tag="After-sales")
def order_tracking(order_id):
    """Read the order's carrier tracking (recorded `delivery.tracking_read`): every parcel with
    its events; 409 `no_delivery` when the order was never handed to a carrier."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx, label="Commande")
    parcels = deliveries.read_tracking(ctx, order)
    items = [delivery_dict(d) for d in parcels]
    return commit_and({"items": items, "total": len(items)})


@bp.post("/deliveries/<int:delivery_id>/investigation")
@roles("candidate")
@doc(tag="After-sales", body={"note?": text(500)}, optional_body=True)
def delivery_investigation(delivery_id):
    """Open a carrier investigation on the parcel's incident; 409 `invalid_transition` when
    the parcel has no incident (or one is already investigated)."""
    ctx = candidate_ctx()
    note = _note(_body())
    delivery = in_attempt(Delivery, delivery_id, ctx, label="Colis")
    return commit_and(delivery_dict(deliveries.open_investigation(ctx, delivery, note)))


@bp.post("/deliveries/<int:delivery_id>/reship")
@roles("candidate")
@doc(tag="After-sales", body={"note?": text(500)}, optional_body=True, status=201)
def delivery_reship(delivery_id):
    """Send the order again in place of a parcel with an incident → 201 the new parcel."""
    ctx = candidate_ctx()
    note = _note(_body())
    delivery = in_attempt(Delivery, delivery_id, ctx, label="Colis")
    return commit_and(delivery_dict(deliveries.reship_order(ctx, delivery, note)), 201)


@bp.post("/orders/<int:order_id>/returns")
@roles("candidate")
@doc(
    tag="After-sales",
    body={"lines?": _LINES, "reason?": text(500)},
    optional_body=True,
    status=201,
)
def order_return(order_id):
    """Authorise a withdrawal (L221-18) → 201 with the authorisation number and label; all
    remaining units without `lines`. 422 on `order_id` for a business client or past the 14
    days, on `lines[i].…` for a bad line; 409 `invalid_transition` before shipping."""
    ctx = candidate_ctx()
    data = _body()
    fields = Fields(data)
    reason = fields.text("reason", required=False, max_length=500)
    lines = data.get("lines")
    if lines is not None and not isinstance(lines, list):
        fields.errors["lines"] = "Liste attendue : [{line_id, quantity}]."
    fields.done()
    order = in_attempt(Order, order_id, ctx, label="Commande")
    ret = returns.authorise_return(ctx, order, lines, reason)
    return commit_and(return_dict(ret), 201)


@bp.post("/returns/<int:return_id>/credit-note")
@roles("candidate")
@doc(tag="After-sales", status=201)
def return_credit_note(return_id):
    """Issue the credit note of an authorised return → 201; 409 when already credited."""
    ctx = candidate_ctx()
    ret = in_attempt(Return, return_id, ctx, label="Retour")
    return commit_and(credit_note_dict(credits.credit_return(ctx, ret)), 201)


@bp.post("/credit-notes")
@roles("candidate")
@doc(
    tag="After-sales",
    body={"client_id": "id", "amount": "money", "reason": text(500), "order_id?": "id"},
    status=201,
)
def goodwill_create():
    """A goodwill credit note → 201; 422 on `amount` beyond the adviser's delegation (the
    pack's `after_sales.goodwill_max`, and its percent of the order)."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    client_id = fields.ident("client_id")
    amount = fields.money("amount")
    reason = fields.text("reason", max_length=500)
    order_id = fields.ident("order_id", required=False)
    fields.done()
    client = in_attempt(Client, client_id, ctx, label="Client")
    order = in_attempt(Order, order_id, ctx, label="Commande") if order_id else None
    note = credits.grant_goodwill(ctx, client, amount, reason, order=order)
    return commit_and(credit_note_dict(note), 201)


@bp.get("/credit-notes")
@roles("candidate")
@doc(tag="After-sales", query=CLIENT_LISTING_QUERY)
def credit_note_list():
    """The attempt's credit notes, newest first, optionally for one client."""
    return client_listing(CreditNote, credit_note_dict)


@bp.post("/credit-notes/<int:note_id>/refund")
@roles("candidate")
@doc(tag="After-sales", status=201)
def credit_note_refund(note_id):
    """Refund a credit note on the original payment → 201 (a card: masked only); 409
    `no_original_payment`, `refund_exceeds_payment` or `invalid_transition`."""
    ctx = candidate_ctx()
    note = in_attempt(CreditNote, note_id, ctx, label="Avoir")
    return commit_and(refund_dict(credits.refund_credit_note(ctx, note)), 201)


def _trainer_ctx(attempt_id: int) -> Ctx:
    """The trainer acting in a candidate's attempt (as the warehouse or the carrier)."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound("Tentative introuvable.")
    lock_for_write(attempt.id)
    return Ctx(attempt, g.api_user.id, g.api_user.role, None)


@bp.post("/attempts/<int:attempt_id>/orders/<int:order_id>/ship")
@roles("trainer")
@doc(tag="After-sales", body={"carrier": text(40)}, status=201)
def attempt_order_ship(attempt_id, order_id):
    """As the warehouse: hand a confirmed or paid order to a carrier → 201 the parcel
    (recorded `delivery.shipped`, the trainer as actor); 409 `invalid_transition` for an order
    in another status, `attempt_not_running` outside a running or paused shift."""
    ctx = _trainer_ctx(attempt_id)
    fields = Fields(json_body())
    name = fields.text("carrier", max_length=40)
    fields.done()
    order = in_attempt(Order, order_id, ctx, label="Commande")
    return commit_and(delivery_dict(carrier.ship_order(ctx, order, name)), 201)


@bp.post("/attempts/<int:attempt_id>/deliveries/<int:delivery_id>/events")
@roles("trainer")
@doc(
    tag="After-sales",
    body={
        "kind": one_of(*CARRIER_EVENTS),
        "incident?": one_of(*INCIDENTS),
        "place?": text(120),
        "note?": text(500),
    },
    status=201,
)
def attempt_delivery_event(attempt_id, delivery_id):
    """As the carrier: a step of the parcel's journey → 201 the parcel with its events
    (recorded `delivery.event_reported`); `delivered` delivers the order. 422 on `incident`
    (required for, and only for, an incident), 409 when the step cannot follow the last."""
    ctx = _trainer_ctx(attempt_id)
    fields = Fields(json_body())
    kind = fields.text("kind", choices=set(CARRIER_EVENTS))
    incident = fields.text("incident", required=False, choices=set(INCIDENTS))
    place = fields.text("place", required=False, max_length=120)
    note = fields.text("note", required=False, max_length=500)
    fields.done()
    delivery = in_attempt(Delivery, delivery_id, ctx, label="Colis")
    carrier.report_event(ctx, delivery, kind, incident=incident, place=place, note=note)
    return commit_and(delivery_dict(delivery), 201)
