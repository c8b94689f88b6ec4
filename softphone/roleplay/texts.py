"""The words roleplay.js shows (wrapped for translation, handed to the page as JSON)."""

from __future__ import annotations

from flask_babel import gettext as _

from crm import channels
from softphone.desk.texts import call_status_labels


def console_texts() -> dict:
    """Every word the console's script writes, in the page's language."""
    return {
        "calls": call_status_labels(),
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
    }
