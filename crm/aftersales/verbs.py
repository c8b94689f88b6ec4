"""The after-sales verbs, added to the action log's catalog when the app starts."""

from __future__ import annotations

from crm.actionlog.verbs import ADL, PLATEAU, register
from crm.i18n import N_

VERBS = (
    (
        "delivery.shipped",
        "order",
        N_("Commande remise au transporteur (colis et numéro de suivi)"),
        PLATEAU + "shipped",
    ),
    (
        "delivery.event_reported",
        "order",
        N_("Étape signalée par le transporteur (livré, incident…)"),
        PLATEAU + "reported",
    ),
    (
        "warranty.checked",
        "order",
        N_("Garantie vérifiée (fin de garantie de chaque ligne de la commande)"),
        ADL + "experienced",
    ),
    (
        "delivery.tracking_read",
        "order",
        N_("Suivi de livraison consulté (transporteur, étapes, incidents)"),
        ADL + "experienced",
    ),
    (
        "delivery.investigation_opened",
        "order",
        N_("Enquête ouverte auprès du transporteur sur un incident de livraison"),
        PLATEAU + "investigated",
    ),
    (
        "delivery.reshipped",
        "order",
        N_("Commande réexpédiée après un incident (nouvel envoi)"),
        PLATEAU + "reshipped",
    ),
    (
        "return.authorised",
        "order",
        N_("Retour autorisé (rétractation) : numéro d'autorisation et étiquette"),
        PLATEAU + "authorised",
    ),
    (
        "credit_note.issued",
        "payment",
        N_("Avoir émis (retour ou geste commercial)"),
        PLATEAU + "credited",
    ),
    (
        "refund.recorded",
        "payment",
        N_("Remboursement sur le moyen de paiement d'origine"),
        PLATEAU + "refunded",
    ),
)


def register_verbs() -> None:
    """Register the after-sales verbs (idempotent: each app start overwrites the same entries)."""
    for name, family, description, iri in VERBS:
        register(name, family, description, iri)
