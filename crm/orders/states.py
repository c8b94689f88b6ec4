"""The order status machine: draft → confirmed → shipped → delivered; cancel before shipping."""

from __future__ import annotations

from crm.errors import InvalidTransition, next_status
from crm.i18n import _, _l

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
    "draft": _l("brouillon"),
    "confirmed": _l("confirmée"),
    "shipped": _l("expédiée"),
    "delivered": _l("livrée"),
    "cancelled": _l("annulée"),
}

EVENT_LABELS = {
    "confirm": _l("confirmer"),
    "cancel": _l("annuler"),
    "ship": _l("expédier"),
    "deliver": _l("livrer"),
    "edit": _l("modifier"),
}


def order_next_status(status: str, event: str) -> str:
    """The order's status after `event`, or InvalidTransition (409) with a readable message."""
    try:
        return next_status(ORDER_TRANSITIONS, "order", status, event)
    except InvalidTransition as error:
        error.message = _(
            "Commande au statut « %(status)s » : impossible de la %(action)s.",
            status=STATUS_LABELS.get(status, status),
            action=EVENT_LABELS.get(event, event),
        )
        raise
