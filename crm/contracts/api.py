"""API: a client's contracts, retention offers and their answers, cancellations."""

from __future__ import annotations

from flask import jsonify

from crm.clients.models import Client
from crm.contracts.models import Contract, RetentionOffer
from crm.contracts.serialize import contract_dict, offer_dict
from crm.contracts.services import (
    CONFIRMATION_CHANNELS,
    MAX_REASON,
    answer_offer,
    cancel_contract,
    confirm_cancellation,
    contracts_of,
    earliest_end,
    eligible_offers,
    make_offer,
)
from crm.validation import Fields
from crm.web.api import candidate_ctx, commit_and, in_attempt, json_body, make_api_blueprint, roles
from crm.web.openapi import doc, one_of, text

bp = make_api_blueprint("contracts_api", __name__, operation_prefix="")


def _shown(ctx, contract: Contract) -> dict:
    return contract_dict(
        contract, eligible=eligible_offers(ctx, contract), earliest_end=earliest_end(ctx, contract)
    )


@bp.get("/clients/<int:client_id>/contracts")
@roles("candidate")
@doc(tag="Contracts")
def client_contracts(client_id):
    """A client's contracts, each with the retention offers it may receive today."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx, label="Client")
    return jsonify({"items": [_shown(ctx, c) for c in contracts_of(ctx, client.id)]})


@bp.post("/contracts/<int:contract_id>/offers")
@roles("candidate")
@doc(body={"offer": text(80)}, tag="Contracts", status=201)
def contract_offer(contract_id):
    """Make one of the pack's retention offers on the contract (422 `offer` outside the rules)."""
    ctx = candidate_ctx()
    contract = in_attempt(Contract, contract_id, ctx, label="Contrat")
    fields = Fields(json_body())
    key = fields.text("offer", max_length=80)
    fields.done()
    return commit_and(offer_dict(make_offer(ctx, contract, key)), 201)


@bp.post("/retention-offers/<int:offer_id>/answer")
@roles("candidate")
@doc(body={"accepted": "boolean"}, tag="Contracts")
def offer_answer(offer_id):
    """Record the customer's answer to an offer (409 if already answered)."""
    ctx = candidate_ctx()
    offer = in_attempt(RetentionOffer, offer_id, ctx, label="Offre")
    fields = Fields(json_body())
    accepted = fields.boolean("accepted", required=True)
    fields.done()
    return commit_and(offer_dict(answer_offer(ctx, offer, accepted)))


@bp.post("/contracts/<int:contract_id>/cancellation")
@roles("candidate")
@doc(body={"effective_on": "date", "reason": text(MAX_REASON)}, tag="Contracts")
def contract_cancel(contract_id):
    """Register the cancellation (422 `effective_on` before the notice or the commitment)."""
    ctx = candidate_ctx()
    contract = in_attempt(Contract, contract_id, ctx, label="Contrat")
    fields = Fields(json_body())
    effective_on = fields.day("effective_on")
    reason = fields.text("reason", max_length=MAX_REASON)
    fields.done()
    return commit_and(_shown(ctx, cancel_contract(ctx, contract, effective_on, reason)))


@bp.post("/contracts/<int:contract_id>/cancellation/confirmation")
@roles("candidate")
@doc(body={"channel": one_of(*CONFIRMATION_CHANNELS)}, tag="Contracts")
def contract_confirm(contract_id):
    """Send the written confirmation of the cancellation (409 before it or a second time)."""
    ctx = candidate_ctx()
    contract = in_attempt(Contract, contract_id, ctx, label="Contrat")
    fields = Fields(json_body())
    channel = fields.text("channel", max_length=10, choices=set(CONFIRMATION_CHANNELS))
    fields.done()
    return commit_and(_shown(ctx, confirm_cancellation(ctx, contract, channel)))
