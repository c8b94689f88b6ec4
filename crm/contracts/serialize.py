"""Contracts and retention offers as the JSON API shows them."""

from __future__ import annotations

from crm.contracts.models import Contract, RetentionOffer


def offer_dict(offer: RetentionOffer) -> dict:
    """A retention offer made on a contract, and the customer's answer (`status`)."""
    return {
        "id": offer.id,
        "contract_id": offer.contract_id,
        "offer": offer.offer_key,
        "label": offer.label,
        "status": offer.status,
        "created_at": offer.created_at.isoformat(),
    }


def contract_dict(contract: Contract, *, eligible: list[dict], earliest_end) -> dict:
    """A contract with the offers it may receive today and the first possible end date."""
    effective = contract.cancellation_effective_on
    confirmed = contract.cancellation_confirmed_at
    return {
        "id": contract.id,
        "number": contract.number,
        "client_id": contract.client_id,
        "plan": contract.plan,
        "monthly_price": f"{contract.monthly_price:.2f}",
        "started_on": contract.started_on.isoformat(),
        "commitment_ends_on": (
            contract.commitment_ends_on.isoformat() if contract.commitment_ends_on else None
        ),
        "status": contract.status,
        "cancellation_effective_on": effective.isoformat() if effective else None,
        "cancellation_reason": contract.cancellation_reason,
        "cancellation_confirmed_at": confirmed.isoformat() if confirmed else None,
        "earliest_end": earliest_end.isoformat(),
        "eligible_offers": [
            {k: o[k] for k in ("key", "label", "kind", "percent", "months") if k in o}
            for o in eligible
        ],
    }
