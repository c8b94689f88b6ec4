"""The order status machine: draft → confirmed → shipped → delivered; cancel before shipping."""

from __future__ import annotations

from crm.errors import InvalidTransition, next_status

ORDER_TRANSITIONS: dict[str, dict[str, str]] = {
    # event: {from_status: to_status}
    "confirm": {"draft": "confirmed"},
    "cancel": {"draft": "cancelled", "confirmed": "cancelled"},
    "ship": {"confirmed": "shipped"},
    "deliver": {"shipped": "delivered"},
    # Not a status change: lines, offers and the order's content change only while it is a draft.
    "edit": {"draft": "draft"},
}

STATUS_LABELS = {
    "draft": "brouillon",
    "confirmed": "confirmée",
    "shipped": "expédiée",
    "delivered": "livrée",
    "cancelled": "annulée",
}

EVENT_LABELS = {
    "confirm": "confirmer",
    "cancel": "annuler",
    "ship": "expédier",
    "deliver": "livrer",
    "edit": "modifier",
}


def order_next_status(status: str, event: str) -> str:
    """The order's status after `event`, or InvalidTransition (409) with a French message."""
    try:
        return next_status(ORDER_TRANSITIONS, "order", status, event)
    except InvalidTransition as error:
        label = STATUS_LABELS.get(status, status)
        error.message = (
            f"Commande au statut « {label} » : impossible de la {EVENT_LABELS.get(event, event)}."
        )
        raise
