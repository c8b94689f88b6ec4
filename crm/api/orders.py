"""API: order entry (lines, offers, recap, confirmation) over the same services as the pages.

Two refusals keep their evidence: a stock-out (409 `out_of_stock`) and a credit refusal (409
`credit_limit_exceeded`) are answered AFTER committing the action the service recorded.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request

from crm.api.core import (
    bp,
    candidate_ctx,
    commit_and,
    error_response,
    in_attempt,
    json_body,
    listing,
    page_args,
    roles,
)
from crm.api.docs import doc, one_of, reply, text
from crm.api.order_schemas import ORDER, ORDER_WITH_LINE
from crm.catalog.models import Product
from crm.catalog.serialize import money
from crm.clients.models import Client
from crm.db import db
from crm.errors import NotFound
from crm.orders.checkout import cancel_order, confirm_order, read_recap
from crm.orders.models import Order, OrderLine
from crm.orders.offers import OFFER_KINDS, record_offer
from crm.orders.serialize import line_dict, offer_dict, order_dict, recap_dict, shortage_details
from crm.orders.services import add_line, create_order, remove_line, shortage_message
from crm.orders.states import ORDER_STATUSES
from crm.validation import Fields


def _order(order_id: int, ctx) -> Order:
    """An order of the caller's attempt, or 404."""
    return in_attempt(Order, order_id, ctx, label="Commande")


def _optional_body() -> dict:
    """An optional JSON object: empty body → {}, malformed → 400."""
    return json_body() if request.get_data() else {}


@bp.get("/orders")
@roles("candidate")
@doc(
    query={
        "client_id?": "id",
        "status?": one_of(*ORDER_STATUSES),
        "limit?": "integer",
        "offset?": "integer",
    }
)
def orders():
    """The attempt's orders (history included), newest first, optionally for one client."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    client_id = fields.ident("client_id", required=False)
    status = fields.text(
        "status",
        required=False,
        choices=set(ORDER_STATUSES),
    )
    fields.done()
    query = sa.select(Order).where(Order.attempt_id == ctx.attempt.id)
    if client_id is not None:
        query = query.where(
            Order.client_id == in_attempt(Client, client_id, ctx, label="Client").id
        )
    if status:
        query = query.where(Order.status == status)
    return listing(query.order_by(Order.id.desc()), order_dict, limit, offset)


@bp.post("/orders")
@roles("candidate")
@doc(body={"client_id": "id"}, status=201, responses={201: reply("The new draft", ORDER)})
def order_create():
    """Open a draft order for a client."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    client_id = fields.ident("client_id")
    fields.done()
    order = create_order(ctx, in_attempt(Client, client_id, ctx, label="Client"))
    return commit_and(order_dict(order), 201)


@bp.get("/orders/<int:order_id>")
@roles("candidate")
@doc(responses={200: reply("The order", ORDER)})
def order_show(order_id):
    """One order with its lines, offers and totals."""
    return jsonify(order_dict(_order(order_id, candidate_ctx())))


@bp.post("/orders/<int:order_id>/lines")
@roles("candidate")
@doc(
    body={
        "product_id": "id",
        "quantity": "integer",
        "replaces_product_id?": "id",
        "additional?": "boolean",
        "backorder?": "boolean",
    },
    status=201,
    responses={201: reply("The order and the line added", ORDER_WITH_LINE)},
)
def order_add_line(order_id):
    """Add sale units of a product; 409 `out_of_stock` (recorded) when stock is short."""
    ctx = candidate_ctx()
    order = _order(order_id, ctx)
    data = json_body()
    fields = Fields(data)
    product_id = fields.ident("product_id")
    replaces_id = fields.ident("replaces_product_id", required=False)
    additional = fields.boolean("additional")
    backorder = fields.boolean("backorder")
    fields.done()
    product = in_attempt(Product, product_id, ctx, label="Produit")
    replaces = (
        in_attempt(Product, replaces_id, ctx, label="Produit remplacé") if replaces_id else None
    )
    result = add_line(
        ctx,
        order,
        product,
        data.get("quantity"),
        replaces_product=replaces,
        additional=additional,
        backorder=backorder,
    )
    if result.shortage is not None:
        db.session.commit()  # the stock-out met is evidence: keep it, then refuse
        return error_response(
            409,
            "out_of_stock",
            shortage_message(result.shortage),
            None,
            **shortage_details(result.shortage),
        )
    return commit_and({**order_dict(order), "line": line_dict(result.line)}, 201)


@bp.delete("/orders/<int:order_id>/lines/<int:line_id>")
@roles("candidate")
@doc(responses={200: reply("The order without the line", ORDER)})
def order_remove_line(order_id, line_id):
    """Remove a line from a draft."""
    ctx = candidate_ctx()
    order = _order(order_id, ctx)
    line = in_attempt(OrderLine, line_id, ctx, label="Ligne")
    if line.order_id != order.id:
        raise NotFound("Ligne introuvable sur cette commande.")
    remove_line(ctx, order, line)
    return commit_and(order_dict(order))


@bp.post("/orders/<int:order_id>/offers")
@roles("candidate")
@doc(
    body={
        "kind": one_of(*OFFER_KINDS),
        "product_id": "id",
        "for_product_id?": "id",
        "accepted": "boolean",
    },
    status=201,
)
def order_offer(order_id):
    """Record a substitute or additional product offered, accepted or refused."""
    ctx = candidate_ctx()
    order = _order(order_id, ctx)
    fields = Fields(json_body())
    kind = fields.text("kind", choices=set(OFFER_KINDS))
    product_id = fields.ident("product_id")
    for_id = fields.ident("for_product_id", required=False)
    accepted = fields.boolean("accepted", required=True)
    fields.done()
    product = in_attempt(Product, product_id, ctx, label="Produit")
    for_product = in_attempt(Product, for_id, ctx, label="Produit") if for_id else None
    offer = record_offer(ctx, order, kind, product, for_product, accepted)
    return commit_and(offer_dict(offer), 201)


@bp.post("/orders/<int:order_id>/recap")
@roles("candidate")
@doc()
def order_recap(order_id):
    """The recap to read to the client (recorded as read); 409 `empty_order`."""
    ctx = candidate_ctx()
    return commit_and(recap_dict(read_recap(ctx, _order(order_id, ctx))))


@bp.post("/orders/<int:order_id>/confirm")
@roles("candidate")
@doc(responses={200: reply("The confirmed order, short lines back-ordered", ORDER)})
def order_confirm(order_id):
    """Confirm a draft (short stock is back-ordered); 409 `empty_order`, `credit_limit_exceeded`."""
    ctx = candidate_ctx()
    result = confirm_order(ctx, _order(order_id, ctx))
    if result.refusal is not None:
        db.session.commit()  # the refusal is evidence: keep it, then refuse
        refusal = result.refusal
        return error_response(
            409,
            "credit_limit_exceeded",
            (
                f"Encours dépassé : limite {refusal.credit_limit:.2f} €, encours "
                f"{refusal.outstanding:.2f} €, commande {refusal.order_total:.2f} € "
                f"(disponible {refusal.available:.2f} €)."
            ),
            None,
            credit_limit=money(refusal.credit_limit),
            outstanding=money(refusal.outstanding),
            order_total=money(refusal.order_total),
            available=money(refusal.available),
        )
    return commit_and(order_dict(result.order))


@bp.post("/orders/<int:order_id>/cancel")
@roles("candidate")
@doc(
    body={"reason?": text(500)},
    optional_body=True,
    responses={200: reply("The cancelled order", ORDER)},
)
def order_cancel(order_id):
    """Cancel a draft or an unpaid confirmed order."""
    ctx = candidate_ctx()
    order = _order(order_id, ctx)
    fields = Fields(_optional_body())
    reason = fields.text("reason", required=False, max_length=500, default="")
    fields.done()
    return commit_and(order_dict(cancel_order(ctx, order, reason)))
