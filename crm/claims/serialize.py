"""Claims as the JSON API shows them."""

from __future__ import annotations

from crm.claims.models import CATEGORIES, Claim
from crm.claims.states import allowed_events


def claim_dict(claim: Claim) -> dict:
    """Public fields of a claim, with the events its status allows."""
    return {
        "id": claim.id,
        "number": claim.number,
        "client_id": claim.client_id,
        "order_id": claim.order_id,
        "category": claim.category,
        "category_label": CATEGORIES.get(claim.category, claim.category),
        "description": claim.description,
        "status": claim.status,
        "resolution": claim.resolution,
        "created_at": claim.created_at.isoformat(),
        "allowed_events": allowed_events(claim.status),
    }
