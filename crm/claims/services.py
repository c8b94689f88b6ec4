"""Claims: open one for a client (optionally about an order) and move it through its statuses."""

from __future__ import annotations

import re

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.claims.models import CATEGORIES, Claim
from crm.claims.states import CLAIM_TRANSITIONS
from crm.clients.models import Client
from crm.db import db
from crm.errors import ValidationFailed, next_status
from crm.i18n import N_, _
from crm.orders.models import Order

MIN_DESCRIPTION = 10
MAX_DESCRIPTION = 4000
MAX_RESOLUTION = 4000


def _next_claim_number(attempt_id: int) -> str:
    """REC-<year>-<seq>: the next sequence number of the year in the attempt (4 digits)."""
    year = clock.today().year
    prefix = f"REC-{year}-"
    numbers = db.session.scalars(
        sa.select(Claim.number).where(
            Claim.attempt_id == attempt_id, Claim.number.startswith(prefix)
        )
    )
    highest = max(
        (int(m.group(1)) for n in numbers if (m := re.fullmatch(r"REC-\d{4}-(\d+)", n))),
        default=0,
    )
    return f"{prefix}{highest + 1:04d}"


def open_claim(
    ctx: Ctx, client: Client, category: str, description: str, order: Order | None = None
) -> Claim:
    """Open a claim: known category, a description of 10 characters at least, the client's order."""
    description = (description or "").strip()
    errors = {}
    if category not in CATEGORIES:
        errors["category"] = _(
            "Catégorie inconnue ; attendu : %(choices)s.", choices=", ".join(CATEGORIES)
        )
    if len(description) < MIN_DESCRIPTION:
        errors["description"] = _(
            "Décrivez la réclamation (%(n)s caractères au moins).", n=MIN_DESCRIPTION
        )
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("%(n)s caractères au plus.", n=MAX_DESCRIPTION)
    if order is not None and order.client_id != client.id:
        errors["order_id"] = _("Cette commande n'appartient pas à ce client.")
    if errors:
        raise ValidationFailed(errors)
    claim = Claim(
        attempt_id=ctx.attempt.id,
        number=_next_claim_number(ctx.attempt.id),
        client_id=client.id,
        order_id=order.id if order else None,
        category=category,
        description=description,
        status="open",
        created_at=clock.now(),
    )
    db.session.add(claim)
    db.session.flush()
    record(
        ctx,
        "claim.opened",
        claim,
        {
            "number": claim.number,
            "client_id": client.id,
            "order_id": claim.order_id,
            "order_number": order.number if order else None,
            "category": category,
            "description": description,
        },
    )
    return claim


def change_claim_status(ctx: Ctx, claim: Claim, event: str, resolution: str = "") -> Claim:
    """Apply start / resolve / close / reject / reopen (InvalidTransition, 409, if not allowed)."""
    resolution = (resolution or "").strip()
    if len(resolution) > MAX_RESOLUTION:
        raise ValidationFailed({"resolution": _("%(n)s caractères au plus.", n=MAX_RESOLUTION)})
    old = claim.status
    claim.status = next_status(CLAIM_TRANSITIONS, N_("réclamation"), old, event)
    if resolution:
        claim.resolution = resolution
    db.session.flush()
    payload = {"number": claim.number, "event": event, "old": old, "new": claim.status}
    if resolution:
        payload["resolution"] = resolution
    record(ctx, "claim.status_changed", claim, payload)
    return claim
