"""Offers made while taking an order: substitutes for short products and additional sales."""

from __future__ import annotations

from dataclasses import dataclass

from crm.actionlog.services import Ctx, check_attempt, record
from crm.catalog.models import Product
from crm.db import db
from crm.errors import ValidationFailed
from crm.i18n import _
from crm.orders.models import Offer, Order
from crm.orders.services import LineResult, add_line
from crm.orders.states import order_next_status

OFFER_KINDS = ("substitute", "additional")


@dataclass(frozen=True)
class OfferResult:
    """An offer recorded and, when accepted with a quantity, the line it added."""

    offer: Offer
    line_result: LineResult | None = None


def record_offer(
    ctx: Ctx,
    order: Order,
    kind: str,
    product: Product,
    for_product: Product | None = None,
    accepted: bool = False,
) -> Offer:
    """Record a substitute or an additional product proposed to the client, and the answer.

    An accepted offer does not add a line by itself: the line is added with `add_line`.
    """
    check_attempt(ctx, order, product, for_product)
    order_next_status(order.status, "edit")
    errors = {}
    if kind not in OFFER_KINDS:
        errors["kind"] = _("Type de proposition : « substitute » ou « additional ».")
    elif kind == "substitute" and for_product is None:
        errors["for_product_id"] = _("Indiquez le produit en rupture que ce produit remplace.")
    elif kind == "substitute" and product.id not in {p.id for p in for_product.substitutes}:
        errors["product_id"] = _(
            "« %(name)s » n'est pas un produit de substitution de « %(other)s ».",
            name=product.name,
            other=for_product.name,
        )
    if for_product is not None and for_product.id == product.id:
        errors["for_product_id"] = _("Un produit ne se propose pas à la place de lui-même.")
    if not isinstance(accepted, bool):
        errors["accepted"] = _("Réponse du client attendue (true ou false).")
    if errors:
        raise ValidationFailed(errors)
    offer = Offer(
        attempt_id=ctx.attempt.id,
        kind=kind,
        product_id=product.id,
        for_product_id=for_product.id if for_product else None,
        accepted=accepted,
    )
    order.offers.append(offer)
    db.session.flush()
    record(
        ctx,
        "offer.made",
        order,
        {
            "number": order.number,
            "offer_id": offer.id,
            "kind": kind,
            "product_id": product.id,
            "sku": product.sku,
            "for_product_id": for_product.id if for_product else None,
            "for_sku": for_product.sku if for_product else None,
            "accepted": accepted,
        },
    )
    return offer


def propose_substitute(
    ctx: Ctx, order: Order, substitute: Product, for_product: Product, accepted: bool, quantity
) -> OfferResult:
    """Offer a substitute for a short product; accepted, its line replaces the short product."""
    offer = record_offer(ctx, order, "substitute", substitute, for_product, accepted)
    if not accepted:
        return OfferResult(offer)
    return OfferResult(
        offer, add_line(ctx, order, substitute, quantity, replaces_product=for_product)
    )


def propose_additional(
    ctx: Ctx,
    order: Order,
    product: Product,
    accepted: bool,
    quantity,
    for_product: Product | None = None,
) -> OfferResult:
    """Offer an additional product; accepted, it is added as an additional line."""
    offer = record_offer(ctx, order, "additional", product, for_product, accepted)
    if not accepted:
        return OfferResult(offer)
    return OfferResult(offer, add_line(ctx, order, product, quantity, additional=True))


@dataclass(frozen=True)
class Suggestion:
    """A complement of a line's product to offer as an additional sale, and any answer given."""

    product: Product
    for_product: Product
    offer: Offer | None


def additional_suggestions(order: Order) -> list[Suggestion]:
    """Complements of the order's lines that are not on the order yet."""
    on_order = {line.product_id for line in order.lines}
    answered = {o.product_id: o for o in order.offers if o.kind == "additional"}
    seen: set[int] = set()
    found = []
    for line in order.lines:
        for complement in line.product.complements:
            if complement.id in on_order or complement.id in seen:
                continue
            seen.add(complement.id)
            found.append(Suggestion(complement, line.product, answered.get(complement.id)))
    return found
