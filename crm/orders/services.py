"""Order entry: draft orders and their lines in sale units (offers.py and checkout.py follow on).

A stock-out met while entering a line is evidence an evaluator needs (`order.out_of_stock`)
even though nothing else changes. Raising a Conflict would make the boundary roll back and lose
that action, so `add_line` *returns* the refusal in `LineResult.shortage`; the boundary commits
the recorded action and then answers 409. Every other refusal raises and leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, check_attempt, record
from crm.boundary.integers import optional_db_int
from crm.catalog.models import Product
from crm.catalog.services import plural_unit, running_promotion
from crm.clients.models import Client
from crm.db import db
from crm.errors import NotFound, ValidationFailed
from crm.i18n import _
from crm.orders.models import Order, OrderLine
from crm.orders.pricing import line_amounts
from crm.orders.states import order_next_status
from crm.training.models import Attempt

#: Most sale units one line may hold (keeps amounts far inside Numeric(12, 2)).
MAX_QUANTITY = 9999


@dataclass(frozen=True)
class Shortage:
    """Stock too short for what the client asked: what the candidate can offer instead."""

    product: Product
    #: Sale units asked for in this request.
    quantity: int
    #: Sale units wanted on the order (including any already on the line).
    requested: int
    stock: int
    restock_date: date | None
    substitutes: list[Product]


@dataclass(frozen=True)
class LineResult:
    """A line added (or merged), or the shortage that refused it."""

    line: OrderLine | None
    shortage: Shortage | None = None
    merged: bool = False


def whole_quantity(raw, product: Product) -> int:
    """A positive whole number of sale units, or 422 on `quantity` naming the sale unit."""
    value = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        # Past the database's range is past MAX_QUANTITY too (and int() refuses 4,300 digits).
        value = optional_db_int(raw)
        value = MAX_QUANTITY + 1 if value is None else value
    unit = plural_unit(product.sale_unit_label)
    if value is None or value < 1:
        raise ValidationFailed(
            {"quantity": _("Quantité en %(unit)s : un nombre entier ≥ 1.", unit=unit)}
        )
    if value > MAX_QUANTITY:
        raise ValidationFailed(
            {"quantity": _("Quantité en %(unit)s : %(max)s au plus.", unit=unit, max=MAX_QUANTITY)}
        )
    return value


def shortage_message(shortage: Shortage) -> str:
    """The sentence of a stock-out, as the API answers it (in the screen's language)."""
    product = shortage.product
    text = _(
        "Rupture : %(name)s (%(sku)s) — stock %(stock)s, demandé %(requested)s %(unit)s",
        name=product.name,
        sku=product.sku,
        stock=shortage.stock,
        requested=shortage.requested,
        unit=plural_unit(product.sale_unit_label).lower(),
    )
    if shortage.restock_date:
        restock = _("réappro prévu le %(date)s", date=f"{shortage.restock_date:%d/%m/%Y}")
        text = _("%(first)s ; %(second)s", first=text, second=restock)
    if shortage.substitutes:
        names = ", ".join(p.name for p in shortage.substitutes)
        substitutes = _("produits de substitution : %(names)s", names=names)
        text = _("%(first)s ; %(second)s", first=text, second=substitutes)
    return text + "."


def next_order_number(attempt_id: int, year: int) -> str:
    """CMD-<year>-<5 digits>, after every number of the attempt's orders of that year."""
    prefix = f"CMD-{year}-"
    numbers = db.session.scalars(
        sa.select(Order.number).where(
            Order.attempt_id == attempt_id, Order.number.like(prefix + "%")
        )
    )
    suffixes = (n[len(prefix) :] for n in numbers)
    seq = max((int(s) for s in suffixes if s.isdigit()), default=0) + 1
    return f"{prefix}{seq:05d}"


def create_order(ctx: Ctx, client: Client) -> Order:
    """Open a draft order for a client (prospects and do-not-call clients included)."""
    check_attempt(ctx, client)
    # Lock the attempt row first so two drafts of one attempt never compute the same number.
    db.session.execute(sa.select(Attempt.id).where(Attempt.id == ctx.attempt.id).with_for_update())
    order = Order(
        attempt_id=ctx.attempt.id,
        number=next_order_number(ctx.attempt.id, clock.today().year),
        client_id=client.id,
        status="draft",
    )
    db.session.add(order)
    db.session.flush()
    record(
        ctx,
        "order.created",
        order,
        {"number": order.number, "client_id": client.id, "client_number": client.number},
    )
    return order


def _shortage_payloads(ctx: Ctx, order: Order) -> list[dict]:
    """The payloads of the stock-outs met on this order, oldest first (from the action log)."""
    payloads = db.session.scalars(
        sa.select(Action.payload)
        .where(
            Action.attempt_id == ctx.attempt.id,
            Action.verb == "order.out_of_stock",
            Action.object_type == "order",
            Action.object_id == order.id,
        )
        .order_by(Action.seq)
    )
    return [p for p in payloads if isinstance(p, dict)]


def pending_shortages(ctx: Ctx, order: Order) -> list[Shortage]:
    """Stock-outs met on this draft and not yet settled by a line (substitute or back-order)."""
    if order.status != "draft":
        return []
    settled = {line.product_id for line in order.lines}
    settled |= {line.replaces_product_id for line in order.lines if line.replaces_product_id}
    latest: dict[int, dict] = {}
    for payload in _shortage_payloads(ctx, order):
        if payload.get("product_id") not in settled:
            latest[payload["product_id"]] = payload
    shortages = []
    for product_id, payload in latest.items():
        product = db.session.get(Product, product_id)
        if product is None or product.attempt_id != ctx.attempt.id:
            continue
        shortages.append(
            Shortage(
                product,
                int(payload.get("quantity", 1)),
                int(payload.get("requested", 1)),
                product.stock,
                product.restock_date,
                product.substitutes,
            )
        )
    return shortages


def _check_replacement(ctx: Ctx, order: Order, product: Product, replaced: Product) -> None:
    """A substitute line must replace a product found short on this order, by one of its subs."""
    if replaced.id not in {p.get("product_id") for p in _shortage_payloads(ctx, order)}:
        raise ValidationFailed(
            {
                "replaces_product_id": (
                    _(
                        "« %(name)s » n'a pas été constaté en rupture sur cette commande : "
                        "ajoutez-le d'abord, la substitution viendra si le stock manque.",
                        name=replaced.name,
                    )
                )
            }
        )
    if product.id not in {p.id for p in replaced.substitutes}:
        names = ", ".join(p.name for p in replaced.substitutes) or _("aucun")
        raise ValidationFailed(
            {
                "product_id": (
                    _(
                        "« %(name)s » n'est pas un produit de substitution de "
                        "« %(other)s » (substituts prévus : %(names)s).",
                        name=product.name,
                        other=replaced.name,
                        names=names,
                    )
                )
            }
        )


def add_line(
    ctx: Ctx,
    order: Order,
    product: Product,
    quantity,
    *,
    replaces_product: Product | None = None,
    additional: bool = False,
    backorder: bool = False,
) -> LineResult:
    """Add sale units of a product to a draft; same product twice merges into one line."""
    check_attempt(ctx, order, product, replaces_product)
    order_next_status(order.status, "edit")
    quantity = whole_quantity(quantity, product)
    if replaces_product is not None:
        _check_replacement(ctx, order, product, replaces_product)
    existing = next((line for line in order.lines if line.product_id == product.id), None)
    before = existing.quantity if existing else 0
    total = before + quantity
    if total > MAX_QUANTITY:
        unit = plural_unit(product.sale_unit_label)
        raise ValidationFailed(
            {"quantity": _("Quantité en %(unit)s : %(max)s au plus.", unit=unit, max=MAX_QUANTITY)}
        )
    back_ordered = backorder or (existing is not None and existing.backorder)
    if product.stock < total and not back_ordered:
        shortage = Shortage(
            product, quantity, total, product.stock, product.restock_date, product.substitutes
        )
        record(
            ctx,
            "order.out_of_stock",
            order,
            {
                "number": order.number,
                "product_id": product.id,
                "sku": product.sku,
                "quantity": quantity,
                "requested": total,
                "stock": product.stock,
                "restock_date": product.restock_date,
                "substitutes": [p.sku for p in shortage.substitutes],
            },
        )
        return LineResult(None, shortage)
    # Stock is NOT decremented here but at confirmation: a draft may be edited or abandoned
    # during the call, and reserving at entry would leak stock from every abandoned draft.
    # A back-order flag only sticks when the stock really is short.
    still_short = product.stock < total
    if existing is not None:
        line = existing
        line.quantity = total
        line.backorder = back_ordered and still_short
        line.backorder_quantity = line.quantity if line.backorder else 0
        if replaces_product is not None and line.replaces_product_id is None:
            line.replaces_product_id = replaces_product.id
    else:
        promotion = running_promotion(product)
        line = OrderLine(
            attempt_id=ctx.attempt.id,
            product_id=product.id,
            quantity=quantity,
            unit_price=product.unit_price,
            vat_rate=product.vat_rate,
            discount_percent=promotion.percent if promotion else Decimal("0"),
            replaces_product_id=replaces_product.id if replaces_product else None,
            additional=additional,
            backorder=back_ordered and still_short,
            backorder_quantity=quantity if back_ordered and still_short else 0,
        )
        order.lines.append(line)
    order.recap_read_at = None
    db.session.flush()
    amounts = line_amounts(line.unit_price, line.quantity, line.vat_rate, line.discount_percent)
    record(
        ctx,
        "order.line_added",
        order,
        {
            "number": order.number,
            "line_id": line.id,
            "product_id": product.id,
            "sku": product.sku,
            "sale_unit": product.sale_unit_label,
            "quantity": quantity,
            "line_quantity": {"old": before, "new": line.quantity} if existing else line.quantity,
            "unit_price": line.unit_price,
            "discount_percent": line.discount_percent,
            "line_net": amounts.net,
            "replaces": replaces_product.sku if replaces_product else None,
            "additional": line.additional,
            "backorder": line.backorder,
            "restock_date": product.restock_date if line.backorder else None,
            "merged": existing is not None,
        },
    )
    return LineResult(line, None, merged=existing is not None)


def remove_line(ctx: Ctx, order: Order, line: OrderLine) -> None:
    """Take a line off a draft."""
    check_attempt(ctx, order, line)
    if line.order_id != order.id:
        raise NotFound(_("Ligne introuvable sur cette commande."))
    order_next_status(order.status, "edit")
    payload = {
        "number": order.number,
        "line_id": line.id,
        "product_id": line.product_id,
        "sku": line.product.sku,
        "quantity": line.quantity,
        "replaces": line.replaces.sku if line.replaces else None,
        "additional": line.additional,
        "backorder": line.backorder,
    }
    order.lines.remove(line)
    order.recap_read_at = None
    db.session.flush()
    record(ctx, "order.line_removed", order, payload)
