"""After-sales status machines with readable refusals: parcels, returns, credit notes."""

from __future__ import annotations

from crm.aftersales.machines import (
    CREDIT_NOTE_TRANSITIONS,
    DELIVERY_TRANSITIONS,
    RETURN_TRANSITIONS,
)
from crm.errors import InvalidTransition, next_status
from crm.i18n import _, _l

DELIVERY_LABELS = {
    "preparing": _l("en préparation"),
    "in_transit": _l("en transit"),
    "out_for_delivery": _l("en cours de livraison"),
    "delivered": _l("livré"),
    "incident": _l("incident"),
    "investigating": _l("enquête en cours"),
    "replaced": _l("remplacé par un nouvel envoi"),
}

EVENT_LABELS = {
    "picked_up": _l("Pris en charge par le transporteur"),
    "in_transit": _l("En transit"),
    "out_for_delivery": _l("En cours de livraison"),
    "delivered": _l("Livré"),
    "incident": _l("Incident"),
}

INCIDENT_LABELS = {
    "lost": _l("colis perdu"),
    "damaged": _l("colis endommagé"),
    "delayed": _l("retard"),
    "address_problem": _l("problème d'adresse"),
}

RETURN_LABELS = {
    "authorised": _l("autorisé"),
    "credited": _l("avoir émis"),
    "cancelled": _l("annulé"),
}

CREDIT_NOTE_LABELS = {"issued": _l("émis"), "refunded": _l("remboursé")}

_DELIVERY_REFUSALS = {
    "investigate": _l(
        "Colis au statut « %(status)s » : une enquête transporteur ne s'ouvre que sur un incident."
    ),
    "reship": _l(
        "Colis au statut « %(status)s » : on ne réexpédie qu'après un incident (perte, avarie…)."
    ),
}


def delivery_next_status(status: str, event: str) -> str:
    """The parcel's status after `event`, or InvalidTransition (409) saying why."""
    try:
        return next_status(DELIVERY_TRANSITIONS, "delivery", status, event)
    except InvalidTransition as error:
        text = _DELIVERY_REFUSALS.get(event)
        label = DELIVERY_LABELS.get(status, status)
        error.message = (
            str(text) % {"status": label}
            if text
            else _("Colis au statut « %(status)s » : événement impossible.", status=label)
        )
        raise


def return_next_status(status: str, event: str) -> str:
    """The return's status after `event`, or InvalidTransition (409)."""
    try:
        return next_status(RETURN_TRANSITIONS, "return", status, event)
    except InvalidTransition as error:
        error.message = _(
            "Retour au statut « %(status)s » : un avoir a déjà été émis ou le retour est clos.",
            status=RETURN_LABELS.get(status, status),
        )
        raise


def credit_note_next_status(status: str, event: str) -> str:
    """The credit note's status after `event`, or InvalidTransition (409)."""
    try:
        return next_status(CREDIT_NOTE_TRANSITIONS, "credit_note", status, event)
    except InvalidTransition as error:
        error.message = _(
            "Avoir au statut « %(status)s » : il a déjà été remboursé.",
            status=CREDIT_NOTE_LABELS.get(status, status),
        )
        raise
