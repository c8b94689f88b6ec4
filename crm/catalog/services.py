"""Catalog reads that matter to evaluation: product search, stock checks, running promotions."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import format_decimal

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.catalog.models import Product, Promotion
from crm.db import db
from crm.errors import ValidationFailed
from crm.i18n import _
from crm.orders.pricing import to_cents

#: At or below this many sale units a product shows "Stock faible".
LOW_STOCK = 5


@dataclass(frozen=True)
class ProductSearch:
    """What a catalog search asked for and what it found."""

    query: str
    sku: str
    category: str
    products: list[Product] = field(default_factory=list)


@dataclass(frozen=True)
class StockCheck:
    """Whether `quantity` sale units of a product can ship now."""

    product: Product
    quantity: int
    stock: int
    enough: bool
    restock_date: date | None


def fold(text: str) -> str:
    """Lowercase without accents: « Enveloppes kraft » matches « ENVELOPPE Kräft »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def stock_status(product: Product) -> str:
    """`in_stock`, `low` (a few sale units left) or `out` (nothing to ship now)."""
    if product.stock <= 0:
        return "out"
    return "low" if product.stock <= LOW_STOCK else "in_stock"


def attempt_products(attempt_id: int) -> list[Product]:
    """Every product of the attempt, by category then name."""
    return list(
        db.session.scalars(
            sa.select(Product)
            .where(Product.attempt_id == attempt_id)
            .order_by(Product.category, Product.name, Product.id)
        )
    )


def sku_key(sku: str) -> str:
    """A reference as references are compared: blanks around it and case ignored."""
    return sku.strip().upper()


def product_by_sku(ctx: Ctx, sku: str) -> Product:
    """The attempt's product of this reference (as `sku_key` compares), or 422 on `sku`."""
    key = sku_key(sku or "")
    if not key:
        raise ValidationFailed({"sku": _("Saisissez ou choisissez une référence.")})
    product = None
    if len(key) <= Product.sku.type.length:  # longer is no reference of the catalog
        product = db.session.scalar(
            sa.select(Product).where(
                Product.attempt_id == ctx.attempt.id, sa.func.upper(Product.sku) == key
            )
        )
    if product is None:
        raise ValidationFailed({"sku": _("Référence inconnue dans le catalogue.")})
    return product


def categories(attempt_id: int) -> list[str]:
    """The attempt's product categories, sorted."""
    rows = db.session.scalars(
        sa.select(Product.category)
        .where(Product.attempt_id == attempt_id, Product.category != "")
        .distinct()
        .order_by(Product.category)
    )
    return list(rows)


def running_promotions(attempt_id: int, today: date | None = None) -> dict[str, Promotion]:
    """The best running promotion per SKU (highest percent) on `today` (Paris)."""
    today = today or clock.today()
    promotions = db.session.scalars(
        sa.select(Promotion).where(
            Promotion.attempt_id == attempt_id,
            Promotion.starts_on <= today,
            Promotion.ends_on >= today,
        )
    )
    best: dict[str, Promotion] = {}
    for promotion in promotions:
        for sku in promotion.skus or []:
            if sku not in best or promotion.percent > best[sku].percent:
                best[sku] = promotion
    return best


def running_promotion(product: Product, today: date | None = None) -> Promotion | None:
    """The promotion that applies to this product today, if any."""
    return running_promotions(product.attempt_id, today).get(product.sku)


def _matches(product: Product, words: list[str]) -> bool:
    """Every word appears in the SKU, name or category (accents folded)."""
    haystack = fold(f"{product.sku} {product.name} {product.category}")
    return all(word in haystack for word in words)


def search_products(
    ctx: Ctx, *, query: str = "", sku: str = "", category: str = ""
) -> ProductSearch:
    """Find products by name / SKU / category words; a search with criteria is recorded."""
    query, sku, category = (query or "").strip(), (sku or "").strip(), (category or "").strip()
    if len(query) > 100 or len(sku) > 32 or len(category) > 80:
        raise ValidationFailed({"q": _("Recherche trop longue (100 caractères au plus).")})
    products = attempt_products(ctx.attempt.id)
    # ~50 products per attempt: folding accents in Python is simpler than per-database SQL.
    words = fold(query).split()
    if words:
        products = [p for p in products if _matches(p, words)]
    if sku:
        products = [p for p in products if sku_key(p.sku) == sku_key(sku)]
    if category:
        products = [p for p in products if fold(p.category) == fold(category)]
    if query or sku or category:
        record(
            ctx,
            "product.searched",
            None,
            {
                "query": query,
                "sku": sku,
                "category": category,
                "count": len(products),
                "skus": [p.sku for p in products[:20]],
            },
        )
    return ProductSearch(query, sku, category, products)


def check_stock(ctx: Ctx, product: Product, quantity: int) -> StockCheck:
    """Can `quantity` sale units ship now? Recorded: checking stock is a skill evaluated."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValidationFailed({"quantity": _("Quantité : un nombre entier ≥ 1.")})
    check = StockCheck(
        product, quantity, product.stock, product.stock >= quantity, product.restock_date
    )
    record(
        ctx,
        "stock.checked",
        product,
        {
            "sku": product.sku,
            "quantity": quantity,
            "stock": product.stock,
            "enough": check.enough,
            "restock_date": product.restock_date,
        },
    )
    return check


#: First words of sale-unit labels that stay as they are in the plural.
INVARIABLE_HEADS = {"à", "a", "au", "aux", "par", "en", "le", "la", "l'unité"}


def equivalent_quantity(quantity: int, product, substitute) -> int:
    """Sale units of `substitute` covering `quantity` sale units of `product` (rounded up)."""
    items = quantity * product.sale_unit_quantity
    return max(1, -(-items // substitute.sale_unit_quantity))


def plural_unit(label: str) -> str:
    """« Carton de 5 ramettes » → « Cartons de 5 ramettes » (French plural of the first word)."""
    head, _, tail = (label or "").strip().partition(" ")
    if not head:
        return label
    lowered = head.lower()
    if lowered in INVARIABLE_HEADS:
        # « À l'unité », « Par 12 »: a preposition, nothing to put in the plural.
        return label
    if lowered.endswith(("s", "x", "z")):
        plural = head
    elif lowered.endswith(("au", "eu")):
        plural = head + "x"
    elif lowered.endswith("al"):
        plural = head[:-1] + "ux"
    else:
        plural = head + "s"
    return f"{plural} {tail}" if tail else plural


def incl_vat(price: Decimal, vat_rate: Decimal) -> Decimal:
    """A price including VAT, rounded half-up to the cent."""
    return to_cents(price * (Decimal(100) + vat_rate) / Decimal(100))


def discounted(price: Decimal, percent: Decimal) -> Decimal:
    """A price less a percentage, rounded half-up to the cent."""
    return to_cents(price * (Decimal(100) - percent) / Decimal(100))


def percent(value: Decimal) -> str:
    """20.00 → « 20 », 5.50 → « 5,5 » (locale-aware, no useless zeros)."""
    return format_decimal(value, format="#,##0.##")
