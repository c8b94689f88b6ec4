"""JSON shapes of products (the API contract's fields) and money as strings."""

from __future__ import annotations

from decimal import Decimal

from crm.catalog.models import Product, Promotion
from crm.catalog.services import discounted, incl_vat, stock_status


def money(value: Decimal | None) -> str | None:
    """Decimal → "12.50"."""
    return None if value is None else f"{value:.2f}"


def product_brief(product: Product) -> dict:
    """The small form of a product used in substitutes, complements and stock-out errors."""
    return {
        "id": product.id,
        "sku": product.sku,
        "name": product.name,
        "sale_unit": {"label": product.sale_unit_label, "quantity": product.sale_unit_quantity},
        "stock": product.stock,
        "available": product.stock > 0,
        "restock_date": product.restock_date.isoformat() if product.restock_date else None,
        "unit_price": money(product.unit_price),
    }


def promotion_dict(promotion: Promotion, product: Product) -> dict:
    """A running promotion and the sale-unit price it gives."""
    return {
        "code": promotion.code,
        "label": promotion.label,
        "percent": money(promotion.percent),
        "starts_on": promotion.starts_on.isoformat(),
        "ends_on": promotion.ends_on.isoformat(),
        "unit_price": money(discounted(product.unit_price, promotion.percent)),
    }


def product_dict(product: Product, promotions: dict[str, Promotion]) -> dict:
    """The full product of the contract, plus category, VAT, description and promotion."""
    promotion = promotions.get(product.sku)
    return {
        "id": product.id,
        "sku": product.sku,
        "name": product.name,
        "category": product.category,
        "description": product.description,
        "sale_unit": {"label": product.sale_unit_label, "quantity": product.sale_unit_quantity},
        "unit_price": money(product.unit_price),
        "unit_price_incl_vat": money(incl_vat(product.unit_price, product.vat_rate)),
        "vat_rate": money(product.vat_rate),
        "stock": product.stock,
        "available": product.stock > 0,
        "stock_status": stock_status(product),
        "restock_date": product.restock_date.isoformat() if product.restock_date else None,
        "substitutes": [product_brief(p) for p in product.substitutes],
        "complements": [product_brief(p) for p in product.complements],
        "promotion": promotion_dict(promotion, product) if promotion else None,
    }
