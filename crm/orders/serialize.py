"""JSON shapes of orders, lines, offers, recaps and stock-outs: the API contract's fields."""

from __future__ import annotations

from crm.catalog.serialize import money, product_brief
from crm.orders.models import Offer, Order, OrderLine
from crm.orders.pricing import line_amounts, order_totals
from crm.orders.recap import Recap
from crm.orders.services import Shortage


def _day(value) -> str | None:
    """A date as YYYY-MM-DD, or None."""
    return value.isoformat() if value else None


def _moment(value) -> str | None:
    """A UTC datetime as ISO 8601 with offset, or None."""
    return value.isoformat(timespec="seconds") if value else None


def line_dict(line: OrderLine) -> dict:
    """A line with its product, sale unit and amounts."""
    amounts = line_amounts(line.unit_price, line.quantity, line.vat_rate, line.discount_percent)
    product = line.product
    return {
        "id": line.id,
        "product_id": product.id,
        "sku": product.sku,
        "name": product.name,
        "sale_unit": {"label": product.sale_unit_label, "quantity": product.sale_unit_quantity},
        "quantity": line.quantity,
        "unit_price": money(line.unit_price),
        "vat_rate": money(line.vat_rate),
        "discount_percent": money(line.discount_percent),
        "total_net": money(amounts.net),
        "total_vat": money(amounts.vat),
        "total": money(amounts.gross),
        "replaces_product_id": line.replaces_product_id,
        "replaces_sku": line.replaces.sku if line.replaces else None,
        "additional": line.additional,
        "backorder": line.backorder,
        "backorder_quantity": line.backorder_quantity,
        "restock_date": _day(line.product.restock_date) if line.backorder else None,
    }


def offer_dict(offer: Offer) -> dict:
    """An offer made to the client and the answer."""
    return {
        "id": offer.id,
        "order_id": offer.order_id,
        "kind": offer.kind,
        "product_id": offer.product_id,
        "sku": offer.product.sku,
        "for_product_id": offer.for_product_id,
        "for_sku": offer.for_product.sku if offer.for_product else None,
        "accepted": offer.accepted,
        "made_at": _moment(offer.made_at),
    }


def order_dict(order: Order) -> dict:
    """The order of the contract: lines, offers and totals (`total` includes VAT)."""
    totals = order_totals(order.lines)
    return {
        "id": order.id,
        "number": order.number,
        "client_id": order.client_id,
        "status": order.status,
        "historical": order.historical,
        "created_at": _moment(order.created_at),
        "confirmed_at": _moment(order.confirmed_at),
        "ordered_on": _day(order.ordered_on),
        "delivered_on": _day(order.delivered_on),
        "lines": [line_dict(line) for line in order.lines],
        "offers": [offer_dict(offer) for offer in order.offers],
        "total_net": money(totals.net),
        "total_vat": money(totals.vat),
        "total": money(totals.gross),
        "recap_read": order.recap_read_at is not None,
        "recap_read_at": _moment(order.recap_read_at),
    }


def recap_dict(recap: Recap) -> dict:
    """The recap as read to the client."""
    return {
        "order_id": recap.order_id,
        "number": recap.order_number,
        "status": recap.status,
        "client": {"number": recap.client_number, "name": recap.client_name},
        "lines": [
            {
                "line_id": rl.line_id,
                "product_id": rl.product_id,
                "sku": rl.sku,
                "name": rl.name,
                "sale_unit": {"label": rl.sale_unit_label, "quantity": rl.sale_unit_quantity},
                "quantity": rl.quantity,
                "unit_price": money(rl.unit_price),
                "discount_percent": money(rl.discount_percent),
                "vat_rate": money(rl.vat_rate),
                "total_net": money(rl.amounts.net),
                "total_vat": money(rl.amounts.vat),
                "total": money(rl.amounts.gross),
                "replaces_sku": rl.replaces_sku,
                "additional": rl.additional,
                "backorder": rl.backorder,
                "backorder_quantity": rl.backorder_quantity,
                "restock_date": _day(rl.restock_date),
                "delivery_estimate": _day(rl.delivery_estimate),
            }
            for rl in recap.lines
        ],
        "substitutions": [
            {
                "product": s.product_name,
                "replaces": s.replaces_name,
                "text": f"{s.product_name} remplace {s.replaces_name}",
            }
            for s in recap.substitutions
        ],
        "additional": [{"sku": rl.sku, "name": rl.name} for rl in recap.additional],
        "backorders": [
            {
                "sku": rl.sku,
                "name": rl.name,
                "quantity": rl.backorder_quantity,
                "restock_date": _day(rl.restock_date),
                "delivery_estimate": _day(rl.delivery_estimate),
            }
            for rl in recap.backorders
        ],
        "total_net": money(recap.totals.net),
        "total_vat": money(recap.totals.vat),
        "total": money(recap.totals.gross),
        "vat_by_rate": {rate: money(v) for rate, v in recap.totals.vat_by_rate.items()},
        "delivery_terms": recap.delivery_terms,
        "payment_terms": recap.payment_terms,
        "delivery_estimate": _day(recap.delivery_estimate),
        "recap_read": True,
    }


def shortage_details(shortage: Shortage) -> dict:
    """What a 409 `out_of_stock` carries besides its message."""
    return {
        "product_id": shortage.product.id,
        "sku": shortage.product.sku,
        "requested": shortage.requested,
        "stock": shortage.stock,
        "restock_date": _day(shortage.restock_date),
        "substitutes": [product_brief(p) for p in shortage.substitutes],
    }
