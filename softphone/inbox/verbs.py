"""The inbox's verbs, added to crm's catalog (family "message") when the app starts."""

from __future__ import annotations

from crm.actionlog.verbs import ADL, PLATEAU, register
from crm.i18n import N_

VERBS = (
    ("message.received", N_("Message reçu d'un client (e-mail, SMS, chat)"), PLATEAU + "received"),
    (
        "message.sent",
        N_("Message envoyé au client (réponse ou confirmation écrite)"),
        PLATEAU + "sent",
    ),
    ("conversation.opened", N_("Conversation écrite ouverte et lue"), ADL + "experienced"),
    (
        "conversation.taken",
        N_("Conversation écrite prise en charge (contact ouvert)"),
        ADL + "initialized",
    ),
    ("conversation.linked", N_("Conversation rattachée à une fiche client"), PLATEAU + "linked"),
    ("conversation.status_changed", N_("Conversation : changement de statut"), PLATEAU + "updated"),
)


def register_verbs() -> None:
    """Register the inbox's verbs (idempotent: each app start overwrites the same entries)."""
    for name, description, iri in VERBS:
        register(name, "message", description, iri)
