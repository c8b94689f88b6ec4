"""The order status machine, from entry to after-sales.

draft → confirmed → (paid) → shipped → delivered; a cancel only before shipping and before any
payment; a return (withdrawal) once shipped. Paying in full before shipping makes the order
`paid` (payments on account after shipping change no status); a re-shipment after a lost or
damaged parcel puts a shipped or delivered order back in transit.
"""

from __future__ import annotations

from crm.errors import InvalidTransition, next_status
from crm.i18n import _, _l

ORDER_TRANSITIONS: dict[str, dict[str, str]] = {
    # event: {from_status: to_status}
    "confirm": {"draft": "confirmed"},
    "cancel": {"draft": "cancelled", "confirmed": "cancelled"},
    "pay": {"confirmed": "paid"},
    "ship": {"confirmed": "shipped", "paid": "shipped"},
    "reship": {"shipped": "shipped", "delivered": "shipped"},
    "deliver": {"shipped": "delivered"},
    # Every unit sent back; a partial return leaves the status as it is.
    "return": {"shipped": "returned", "delivered": "returned"},
    # Not a status change: lines, offers and the order's content change only while it is a draft.
    "edit": {"draft": "draft"},
}

ORDER_STATUSES = ("draft", "confirmed", "paid", "shipped", "delivered", "returned", "cancelled")

STATUS_LABELS = {
    "draft": _l("brouillon"),
    "confirmed": _l("confirmée"),
    "paid": _l("réglée"),
    "shipped": _l("expédiée"),
    "delivered": _l("livrée"),
    "returned": _l("retournée"),
    "cancelled": _l("annulée"),
}

EVENT_LABELS = {
    "confirm": _l("confirmer"),
    "cancel": _l("annuler"),
    "pay": _l("régler"),
    "ship": _l("expédier"),
    "reship": _l("réexpédier"),
    "deliver": _l("livrer"),
    "return": _l("retourner"),
    "edit": _l("modifier"),
}

#: Refusals that deserve their own sentence: what the candidate should do instead.
_REFUSALS = {
    ("paid", "cancel"): _l(
        "Commande réglée : elle ne s'annule plus ; proposez un retour (rétractation) "
        "ou un avoir remboursé."
    ),
    ("shipped", "cancel"): _l(
        "Commande expédiée : elle ne s'annule plus ; le client peut la retourner (rétractation)."
    ),
    ("delivered", "cancel"): _l(
        "Commande livrée : elle ne s'annule plus ; le client peut la retourner (rétractation)."
    ),
    ("paid", "pay"): _l("Commande déjà réglée : aucun règlement n'est attendu."),
}


def order_next_status(status: str, event: str) -> str:
    """The order's status after `event`, or InvalidTransition (409) with a readable message."""
    try:
        return next_status(ORDER_TRANSITIONS, "order", status, event)
    except InvalidTransition as error:
        special = _REFUSALS.get((status, event))
        error.message = (
            str(special)
            if special
            else _(
                "Commande au statut « %(status)s » : impossible de la %(action)s.",
                status=STATUS_LABELS.get(status, status),
                action=EVENT_LABELS.get(event, event),
            )
        )
        raise


def allows(status: str, event: str) -> bool:
    """Whether the machine allows `event` from `status` (what a page offers)."""
    return status in ORDER_TRANSITIONS.get(event, {})
