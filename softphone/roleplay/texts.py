"""The words roleplay.js shows (wrapped for translation, handed to the page as JSON)."""

from __future__ import annotations

from flask_babel import gettext as _

from crm import channels
from crm.orders.states import STATUS_LABELS as ORDER_STATUS_LABELS
from softphone.desk.texts import call_status_labels


def console_texts() -> dict:
    """Every word the console's script writes, in the page's language."""
    return {
        "calls": call_status_labels(),
        # Statuses in words, as the CRM pages say them (not « open », « confirmed »).
        "conversation_status": {
            "open": _("ouverte"),
            "pending": _("en attente"),
            "resolved": _("résolue"),
        },
        "order_status": {key: str(label) for key, label in ORDER_STATUS_LABELS.items()},
        "invoice_status": {
            "paid": _("payée"),
            "partial": _("partiellement payée"),
            "unpaid": _("à payer"),
            "overdue": _("échue impayée"),
        },
        "left_to_pay": _("reste dû %(amount)s"),
        # « Téléphones : … » in French, « Phone numbers: … » in English.
        "labelled": _("%(label)s : %(value)s"),
        "channels": channels.interaction_labels(by_kind=True),
        "speakers": {"agent": _("Conseiller"), "customer": _("Client"), "system": _("Système")},
        "nothing": _("Aucun client à jouer pour l'instant."),
        "take": _("Prendre"),
        "open": _("Ouvrir"),
        "played_by": _("joué par %(who)s"),
        "scripted": _("scripté"),
        "your_turn": _("à vous"),
        "no_client": _("Client non identifié dans le CRM"),
        "persona": _("Personnage"),
        "temper": _("Humeur"),
        "orders": _("Commandes"),
        "invoices": _("Factures"),
        "phones": _("Téléphones"),
        "connected": _("Connecté"),
        "disconnected": _("Déconnecté : reconnexion…"),
        "error": _("Erreur"),
        "review": _("Revoir"),
        "call_over": _("Appel terminé : il reste lisible dans « Récemment terminés »."),
        "conversation_over": _(
            "Conversation résolue : elle reste lisible dans « Récemment terminés »."
        ),
    }
