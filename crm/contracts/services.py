"""Retention and cancellation of a client's contract, each recorded in its own transaction.

The pack's `retention` block (kept on the attempt's settings) lists the offers an adviser may
make, with their limits and who is eligible, and the cancellation notice. An offer outside
those rules is refused with the reason (the field `offer`); a cancellation before the notice or
the end of the commitment is refused on `effective_on`.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from crm import channels, clock
from crm.actionlog.services import Ctx, record
from crm.contracts.models import Contract, RetentionOffer
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _

CONFIRMATION_CHANNELS = channels.contract_confirmation_channels()
MAX_REASON = 300


def retention_rules(ctx: Ctx) -> dict:
    """The pack's retention block: `offers` and `notice_days` (empty when the pack has none)."""
    return (ctx.attempt.settings or {}).get("retention") or {}


def months_subscribed(contract: Contract, today: date) -> int:
    """Whole months since the contract started."""
    start = contract.started_on
    months = (today.year - start.year) * 12 + today.month - start.month
    return months - (1 if today.day < start.day else 0)


def offer_refusal(offer: dict, contract: Contract, today: date) -> str | None:
    """Why this offer may not be made on this contract (French), or None if it may."""
    plans = offer.get("plans")
    if plans and contract.plan not in plans:
        return _(
            "L'offre « %(offer)s » est réservée aux formules : %(plans)s.",
            offer=offer["label"],
            plans=", ".join(plans),
        )
    needed = offer.get("min_months")
    if needed and months_subscribed(contract, today) < needed:
        return _(
            "L'offre « %(offer)s » demande %(n)s mois d'ancienneté ; ce contrat en a %(has)s.",
            offer=offer["label"],
            n=needed,
            has=months_subscribed(contract, today),
        )
    return None


def eligible_offers(ctx: Ctx, contract: Contract) -> list[dict]:
    """The pack's offers this contract may receive today."""
    today = clock.today()
    offers = retention_rules(ctx).get("offers") or []
    return [o for o in offers if offer_refusal(o, contract, today) is None]


def earliest_end(ctx: Ctx, contract: Contract) -> date:
    """The first day a cancellation may take effect: after the notice and the commitment."""
    notice = int(retention_rules(ctx).get("notice_days") or 0)
    first = clock.today() + timedelta(days=notice)
    if contract.commitment_ends_on and contract.commitment_ends_on > first:
        return contract.commitment_ends_on
    return first


def contracts_of(ctx: Ctx, client_id: int) -> list[Contract]:
    """A client's contracts in the attempt, oldest first."""
    return list(
        db.session.scalars(
            sa.select(Contract)
            .where(Contract.attempt_id == ctx.attempt.id, Contract.client_id == client_id)
            .order_by(Contract.started_on, Contract.id)
        )
    )


def offers_on(contract: Contract) -> list[RetentionOffer]:
    """The retention offers made on a contract, in order."""
    return list(
        db.session.scalars(
            sa.select(RetentionOffer)
            .where(RetentionOffer.contract_id == contract.id)
            .order_by(RetentionOffer.id)
        )
    )


def _active(contract: Contract) -> None:
    if contract.status != "active":
        raise Conflict(
            _("Le contrat %(n)s est déjà résilié.", n=contract.number),
            code="contract_cancelled",
            details={"status": contract.status},
        )


def _brief(contract: Contract) -> dict:
    return {
        "contract_id": contract.id,
        "number": contract.number,
        "client_id": contract.client_id,
        "plan": contract.plan,
        "monthly_price": f"{contract.monthly_price:.2f}",
    }


def make_offer(ctx: Ctx, contract: Contract, offer_key: str) -> RetentionOffer:
    """Make one of the pack's retention offers on an active contract, if it is eligible."""
    _active(contract)
    offers = {o["key"]: o for o in retention_rules(ctx).get("offers") or []}
    offer = offers.get(offer_key)
    if offer is None:
        raise ValidationFailed({"offer": _("Offre inconnue : choisissez une offre de la liste.")})
    refusal = offer_refusal(offer, contract, clock.today())
    if refusal:
        raise ValidationFailed({"offer": refusal})
    made = RetentionOffer(
        attempt_id=ctx.attempt.id,
        contract_id=contract.id,
        offer_key=offer_key,
        label=offer["label"],
        status="proposed",
        created_at=clock.now(),
    )
    db.session.add(made)
    db.session.flush()
    terms = {k: offer[k] for k in ("kind", "percent", "months") if k in offer}
    record(
        ctx,
        "retention.offer_made",
        made,
        {**_brief(contract), "offer_id": made.id, "offer": offer_key, "label": offer["label"]}
        | terms,
    )
    return made


def answer_offer(ctx: Ctx, offer: RetentionOffer, accepted: bool) -> RetentionOffer:
    """The customer accepts or refuses an offer still proposed."""
    if offer.status != "proposed":
        raise Conflict(
            _("Le client a déjà répondu à cette offre."),
            code="offer_answered",
            details={"status": offer.status},
        )
    _active(offer.contract)
    offer.status = "accepted" if accepted else "refused"
    db.session.flush()
    record(
        ctx,
        "retention.offer_answered",
        offer,
        {**_brief(offer.contract), "offer_id": offer.id, "offer": offer.offer_key,
         "accepted": bool(accepted)},
    )  # fmt: skip
    return offer


def cancel_contract(ctx: Ctx, contract: Contract, effective_on: date, reason: str) -> Contract:
    """Register the cancellation, effective no earlier than the notice and the commitment."""
    _active(contract)
    reason = (reason or "").strip()
    errors = {}
    first = earliest_end(ctx, contract)
    if effective_on is None:
        errors["effective_on"] = _("Indiquez la date d'effet de la résiliation.")
    elif effective_on < first:
        errors["effective_on"] = _(
            "La résiliation ne peut prendre effet avant le %(date)s (préavis et engagement).",
            date=f"{first:%d/%m/%Y}",
        )
    if not reason:
        errors["reason"] = _("Indiquez le motif de la résiliation.")
    elif len(reason) > MAX_REASON:
        errors["reason"] = _("%(n)s caractères au plus.", n=MAX_REASON)
    if errors:
        raise ValidationFailed(errors)
    contract.status = "cancelled"
    contract.cancellation_effective_on = effective_on
    contract.cancellation_reason = reason
    db.session.flush()
    record(
        ctx,
        "contract.cancelled",
        contract,
        {**_brief(contract), "effective_on": effective_on.isoformat(), "reason": reason},
    )
    return contract


def confirm_cancellation(ctx: Ctx, contract: Contract, channel: str) -> Contract:
    """Send the customer the written confirmation of a registered cancellation (once)."""
    if channel not in CONFIRMATION_CHANNELS:
        raise ValidationFailed({"channel": _("Choisissez l'e-mail ou le courrier.")})
    if contract.status != "cancelled":
        raise Conflict(
            _("Enregistrez d'abord la résiliation du contrat %(n)s.", n=contract.number),
            code="contract_active",
            details={"status": contract.status},
        )
    if contract.cancellation_confirmed_at is not None:
        raise Conflict(
            _("La confirmation de résiliation a déjà été envoyée."),
            code="already_confirmed",
            details={"status": contract.status},
        )
    contract.cancellation_confirmed_at = clock.now()
    db.session.flush()
    record(
        ctx,
        "contract.cancellation_confirmed",
        contract,
        {**_brief(contract), "channel": channel,
         "effective_on": contract.cancellation_effective_on.isoformat()},
    )  # fmt: skip
    return contract
