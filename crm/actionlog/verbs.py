"""The catalog of verbs: every action recorded must use one of these.

Each verb has a description (shown to evaluators), a family (timeline filter) and the xAPI verb
IRI it maps to when statements are exported.
"""

from __future__ import annotations

from dataclasses import dataclass

ADL = "http://adlnet.gov/expapi/verbs/"
PLATEAU = "https://plateau.example/xapi/verbs/"


@dataclass(frozen=True)
class Verb:
    """A verb of the action log."""

    name: str
    family: str
    description: str
    xapi: str


FAMILIES = {
    "session": "Séance et accès",
    "client": "Fiche client",
    "catalog": "Catalogue",
    "order": "Commande",
    "offer": "Propositions",
    "payment": "Règlements",
    "dunning": "Recouvrement",
    "contact": "Contacts",
    "agenda": "Rappels et rendez-vous",
    "claim": "Réclamations",
    "kb": "Base de connaissances",
    "call": "Téléphonie",
    "message": "Messages",
}

_VERBS = [
    # session
    ("attempt.started", "session", "Tentative créée à partir du scénario", ADL + "launched"),
    (
        "attempt.reset",
        "session",
        "Tentative réinitialisée (une nouvelle la remplace)",
        ADL + "exited",
    ),
    # client file
    ("client.searched", "client", "Recherche de fiches client", PLATEAU + "searched"),
    ("client.viewed", "client", "Fiche client ouverte", ADL + "experienced"),
    ("client.created", "client", "Fiche prospect créée", PLATEAU + "created"),
    ("client.updated", "client", "Fiche client modifiée (ancien → nouveau)", PLATEAU + "updated"),
    ("identity.verified", "client", "Identité de l'appelant vérifiée", PLATEAU + "verified"),
    (
        "identity.failed",
        "client",
        "Vérification d'identité échouée",
        PLATEAU + "failed-verification",
    ),
    ("invoices.viewed", "client", "Historique des factures consulté", ADL + "experienced"),
    # catalog
    ("product.searched", "catalog", "Recherche dans le catalogue", PLATEAU + "searched"),
    ("stock.checked", "catalog", "Stock vérifié pour une quantité", PLATEAU + "checked"),
    # order
    ("order.created", "order", "Commande ouverte (brouillon)", PLATEAU + "created"),
    ("order.line_added", "order", "Ligne ajoutée à la commande", PLATEAU + "added"),
    ("order.line_removed", "order", "Ligne retirée de la commande", PLATEAU + "removed"),
    ("order.out_of_stock", "order", "Rupture constatée à la saisie", PLATEAU + "encountered"),
    ("order.recap_read", "order", "Récapitulatif de commande lu au client", PLATEAU + "read"),
    ("order.confirmed", "order", "Commande confirmée", ADL + "completed"),
    (
        "order.credit_refused",
        "order",
        "Confirmation refusée : encours dépassé",
        PLATEAU + "refused",
    ),
    ("order.cancelled", "order", "Commande annulée", PLATEAU + "cancelled"),
    # offers
    (
        "offer.made",
        "offer",
        "Proposition faite au client (substitution ou vente additionnelle)",
        PLATEAU + "offered",
    ),
    # payments
    ("payment.recorded", "payment", "Règlement enregistré et affecté", PLATEAU + "paid"),
    ("payment.refused", "payment", "Règlement refusé (carte non valide…)", PLATEAU + "refused"),
    # dunning
    ("promise.recorded", "dunning", "Promesse de paiement enregistrée", PLATEAU + "promised"),
    ("plan.created", "dunning", "Échéancier accordé", PLATEAU + "agreed"),
    ("reminder.sent", "dunning", "Relance envoyée", PLATEAU + "reminded"),
    # contacts
    ("contact.opened", "contact", "Contact ouvert avec un client", ADL + "initialized"),
    ("contact.qualified", "contact", "Contact qualifié (code et note)", PLATEAU + "qualified"),
    ("note.added", "contact", "Note ajoutée à la fiche", ADL + "commented"),
    # agenda
    ("callback.scheduled", "agenda", "Rappel programmé", PLATEAU + "scheduled"),
    ("appointment.booked", "agenda", "Rendez-vous pris", PLATEAU + "booked"),
    # claims
    ("claim.opened", "claim", "Réclamation ouverte", PLATEAU + "opened"),
    ("claim.status_changed", "claim", "Réclamation : changement de statut", PLATEAU + "updated"),
    # knowledge base
    ("kb.searched", "kb", "Recherche dans la base de connaissances", PLATEAU + "searched"),
    ("kb.read", "kb", "Article de la base de connaissances lu", ADL + "experienced"),
]

VERBS: dict[str, Verb] = {name: Verb(name, fam, desc, iri) for name, fam, desc, iri in _VERBS}


def register(name: str, family: str, description: str, xapi: str) -> None:
    """Add a verb (used by `softphone` for call and message verbs)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown verb family {family!r}")
    VERBS[name] = Verb(name, family, description, xapi)
