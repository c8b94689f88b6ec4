"""API: claims (complaints and disputes) and their status changes."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request

from crm.claims.models import CATEGORIES, Claim
from crm.claims.serialize import claim_dict
from crm.claims.services import change_claim_status, open_claim
from crm.claims.states import CLAIM_TRANSITIONS
from crm.clients.models import Client
from crm.orders.models import Order
from crm.validation import Fields
from crm.web.api import (
    candidate_ctx,
    commit_and,
    in_attempt,
    json_body,
    listing,
    make_api_blueprint,
    page_args,
    roles,
)
from crm.web.openapi import doc, one_of, text

bp = make_api_blueprint("claims_api", __name__, operation_prefix="")


@bp.post("/claims")
@roles("candidate")
@doc(
    body={
        "client_id": "id",
        "category": one_of(*CATEGORIES),
        "description": text(4000),
        "order_id?": "id",
    },
    tag="Claims",
    status=201,
)
def claim_create():
    """Open a claim for a client, optionally about one of their orders."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    client_id = fields.ident("client_id")
    order_id = fields.ident("order_id", required=False)
    category = fields.text("category", max_length=20, choices=set(CATEGORIES))
    description = fields.text("description", max_length=4000)
    fields.done()
    client = in_attempt(Client, client_id, ctx, label="Client")
    order = in_attempt(Order, order_id, ctx, label="Commande") if order_id else None
    return commit_and(claim_dict(open_claim(ctx, client, category, description, order)), 201)


@bp.get("/claims")
@roles("candidate")
@doc(
    query={"client_id?": "id", "status?": text(20), "limit?": "integer", "offset?": "integer"},
    tag="Claims",
)
def claims_list():
    """The attempt's claims, newest first (of one client or status if asked)."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    client_id = fields.ident("client_id", required=False)
    status = fields.text("status", required=False, max_length=20)
    fields.done()
    query = sa.select(Claim).where(Claim.attempt_id == ctx.attempt.id)
    if client_id:
        query = query.where(Claim.client_id == client_id)
    if status:
        query = query.where(Claim.status == status)
    return listing(query.order_by(Claim.id.desc()), claim_dict, limit, offset)


@bp.get("/claims/<int:claim_id>")
@roles("candidate")
@doc(tag="Claims")
def claim_show(claim_id):
    """One claim."""
    ctx = candidate_ctx()
    return jsonify(claim_dict(in_attempt(Claim, claim_id, ctx, label="Réclamation")))


@bp.post("/claims/<int:claim_id>/status")
@roles("candidate")
@doc(body={"event": one_of(*CLAIM_TRANSITIONS), "resolution?": text(4000)}, tag="Claims")
def claim_status(claim_id):
    """Move a claim: start, resolve, close, reject or reopen (409 invalid_transition)."""
    ctx = candidate_ctx()
    claim = in_attempt(Claim, claim_id, ctx, label="Réclamation")
    fields = Fields(json_body())
    event = fields.text("event", max_length=20, choices=set(CLAIM_TRANSITIONS))
    resolution = fields.text("resolution", required=False, default="", max_length=4000)
    fields.done()
    return commit_and(claim_dict(change_claim_status(ctx, claim, event, resolution)))
