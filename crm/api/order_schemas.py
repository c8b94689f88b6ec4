"""JSON schemas of the order representation (crm.orders.serialize) for the OpenAPI document."""

from __future__ import annotations

from crm.orders.states import ORDER_STATUSES

_MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$", "example": "12.50"}
_INT = {"type": "integer"}
_ID_OR_NULL = {"type": "integer", "nullable": True}
_TEXT = {"type": "string"}
_TEXT_OR_NULL = {"type": "string", "nullable": True}
_DAY_OR_NULL = {"type": "string", "format": "date", "nullable": True}
_MOMENT_OR_NULL = {"type": "string", "format": "date-time", "nullable": True}
_FLAG = {"type": "boolean"}


def _object(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": sorted(properties)}


ORDER_LINE = _object(
    {
        "id": _INT,
        "product_id": _INT,
        "sku": _TEXT,
        "name": _TEXT,
        "sale_unit": _object({"label": _TEXT, "quantity": _INT}),
        "quantity": {"type": "integer", "minimum": 1, "description": "Sale units ordered."},
        "unit_price": _MONEY,
        "vat_rate": _MONEY,
        "discount_percent": _MONEY,
        "total_net": _MONEY,
        "total_vat": _MONEY,
        "total": _MONEY,
        "replaces_product_id": _ID_OR_NULL,
        "replaces_sku": _TEXT_OR_NULL,
        "additional": _FLAG,
        "backorder": {
            "type": "boolean",
            "description": "Some or all units ship at the restock date instead of from stock.",
        },
        "backorder_quantity": {
            "type": "integer",
            "minimum": 0,
            "description": (
                "Sale units back-ordered: the whole line when back-ordered at entry, the "
                "shortfall when confirmation found the stock short (0 otherwise)."
            ),
        },
        "restock_date": {
            **_DAY_OR_NULL,
            "description": "The catalogue's restock date of a back-ordered line (else null).",
        },
    }
)

OFFER = _object(
    {
        "id": _INT,
        "order_id": _INT,
        "kind": {"type": "string", "enum": ["substitute", "additional"]},
        "product_id": _INT,
        "sku": _TEXT,
        "for_product_id": _ID_OR_NULL,
        "for_sku": _TEXT_OR_NULL,
        "accepted": _FLAG,
        "made_at": _MOMENT_OR_NULL,
    }
)

ORDER = _object(
    {
        "id": _INT,
        "number": _TEXT,
        "client_id": _INT,
        "status": {
            "type": "string",
            "enum": list(ORDER_STATUSES),
        },
        "historical": _FLAG,
        "created_at": _MOMENT_OR_NULL,
        "confirmed_at": _MOMENT_OR_NULL,
        "ordered_on": _DAY_OR_NULL,
        "delivered_on": _DAY_OR_NULL,
        "lines": {"type": "array", "items": ORDER_LINE},
        "offers": {"type": "array", "items": OFFER},
        "total_net": _MONEY,
        "total_vat": _MONEY,
        "total": _MONEY,
        "recap_read": _FLAG,
        "recap_read_at": _MOMENT_OR_NULL,
    }
)

#: The answer to adding a line: the order, and the line added (or merged into).
ORDER_WITH_LINE = {"allOf": [ORDER, _object({"line": ORDER_LINE})]}
