"""The catalog of verbs: every action recorded must use one of these.

Each verb has a description (shown to evaluators), a family (timeline filter) and the xAPI verb
IRI it maps to when statements are exported. Descriptions stay French in the catalog (the API and
xAPI export them as they are); screens show `Verb.label`, in their language.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.i18n import N_, _l, translate

ADL = "http://adlnet.gov/expapi/verbs/"
PLATEAU = "https://plateau.example/xapi/verbs/"


@dataclass(frozen=True)
class Verb:
    """A verb of the action log."""

    name: str
    family: str
    description: str
    xapi: str

    @property
    def label(self) -> str:
        """The description in the screen's language (French outside a request)."""
        return translate(self.description)


FAMILIES = {
    "session": _l("Séance et accès"),
    "client": _l("Fiche client"),
    "catalog": _l("Catalogue"),
    "order": _l("Commande"),
    "offer": _l("Propositions"),
    "payment": _l("Règlements"),
    "dunning": _l("Recouvrement"),
    "contact": _l("Contacts"),
    "agenda": _l("Rappels et rendez-vous"),
    "claim": _l("Réclamations"),
    "contract": _l("Contrats et fidélisation"),
    "kb": _l("Base de connaissances"),
    "call": _l("Téléphonie"),
    "message": _l("Messages"),
    "assessment": _l("Bilan de fin de séance"),
    "survey": _l("Enquêtes"),
}

_VERBS = [
    # session
    ("attempt.started", "session", N_("Tentative créée à partir du scénario"), ADL + "launched"),
    (
        "attempt.reset",
        "session",
        N_("Tentative réinitialisée (une nouvelle la remplace)"),
        ADL + "exited",
    ),
    ("attempt.closed", "session", N_("Tentative close (fin de la séance)"), ADL + "terminated"),
    (
        "shift.staff_added",
        "session",
        N_("Formateur ou évaluateur ajouté à l'équipe de la séance"),
        PLATEAU + "added",
    ),
    (
        "shift.staff_removed",
        "session",
        N_("Formateur ou évaluateur retiré de l'équipe de la séance"),
        PLATEAU + "removed",
    ),
    (
        "campaign.set_up",
        "session",
        N_("Campagne sortante de la séance paramétrée (cible, codes, règles, objectif)"),
        PLATEAU + "configured",
    ),
    (
        "campaign.assigned",
        "session",
        N_("Campagne de la séance copiée dans le monde du candidat (plan d'appels, règles)"),
        PLATEAU + "assigned",
    ),
    # client file
    ("client.searched", "client", N_("Recherche de fiches client"), PLATEAU + "searched"),
    ("client.viewed", "client", N_("Fiche client ouverte"), ADL + "experienced"),
    ("client.created", "client", N_("Fiche prospect créée"), PLATEAU + "created"),
    (
        "client.updated",
        "client",
        N_("Fiche client modifiée (ancien → nouveau)"),
        PLATEAU + "updated",
    ),
    ("identity.verified", "client", N_("Identité de l'appelant vérifiée"), PLATEAU + "verified"),
    (
        "identity.failed",
        "client",
        N_("Vérification d'identité échouée"),
        PLATEAU + "failed-verification",
    ),
    ("invoices.viewed", "client", N_("Historique des factures consulté"), ADL + "experienced"),
    # catalog
    ("product.searched", "catalog", N_("Recherche dans le catalogue"), PLATEAU + "searched"),
    ("stock.checked", "catalog", N_("Stock vérifié pour une quantité"), PLATEAU + "checked"),
    # order
    ("order.created", "order", N_("Commande ouverte (brouillon)"), PLATEAU + "created"),
    ("order.line_added", "order", N_("Ligne ajoutée à la commande"), PLATEAU + "added"),
    ("order.line_removed", "order", N_("Ligne retirée de la commande"), PLATEAU + "removed"),
    ("order.out_of_stock", "order", N_("Rupture constatée à la saisie"), PLATEAU + "encountered"),
    ("order.recap_read", "order", N_("Récapitulatif de commande lu au client"), PLATEAU + "read"),
    ("order.confirmed", "order", N_("Commande confirmée"), ADL + "completed"),
    (
        "order.credit_refused",
        "order",
        N_("Confirmation refusée : encours dépassé"),
        PLATEAU + "refused",
    ),
    ("order.cancelled", "order", N_("Commande annulée"), PLATEAU + "cancelled"),
    # offers
    (
        "offer.made",
        "offer",
        N_("Proposition faite au client (substitution ou vente additionnelle)"),
        PLATEAU + "offered",
    ),
    # payments
    ("payment.recorded", "payment", N_("Règlement enregistré et affecté"), PLATEAU + "paid"),
    ("payment.refused", "payment", N_("Règlement refusé (carte non valide…)"), PLATEAU + "refused"),
    # dunning
    ("promise.recorded", "dunning", N_("Promesse de paiement enregistrée"), PLATEAU + "promised"),
    ("plan.created", "dunning", N_("Échéancier accordé"), PLATEAU + "agreed"),
    ("reminder.sent", "dunning", N_("Relance envoyée"), PLATEAU + "reminded"),
    ("promise.kept", "dunning", N_("Promesse de paiement tenue à sa date"), PLATEAU + "kept"),
    (
        "promise.broken",
        "dunning",
        N_("Promesse de paiement non tenue à sa date"),
        PLATEAU + "broke",
    ),
    ("installment.paid", "dunning", N_("Échéance payée à sa date"), PLATEAU + "paid-installment"),
    ("installment.missed", "dunning", N_("Échéance impayée à sa date"), PLATEAU + "missed"),
    (
        "plan.broken",
        "dunning",
        N_("Échéancier rompu : les relances reprennent sur ses factures"),
        PLATEAU + "broke-plan",
    ),
    # contacts
    ("contact.opened", "contact", N_("Contact ouvert avec un client"), ADL + "initialized"),
    ("contact.qualified", "contact", N_("Contact qualifié (code et note)"), PLATEAU + "qualified"),
    ("note.added", "contact", N_("Note ajoutée à la fiche"), ADL + "commented"),
    # agenda
    ("callback.scheduled", "agenda", N_("Rappel programmé"), PLATEAU + "scheduled"),
    (
        "callback.done",
        "agenda",
        N_("Rappel effectué (appel passé au client)"),
        PLATEAU + "called-back",
    ),
    ("appointment.booked", "agenda", N_("Rendez-vous pris"), PLATEAU + "booked"),
    # claims
    ("claim.opened", "claim", N_("Réclamation ouverte"), PLATEAU + "opened"),
    (
        "claim.status_changed",
        "claim",
        N_("Réclamation : changement de statut"),
        PLATEAU + "updated",
    ),
    # contracts: retention and cancellation
    ("retention.offer_made", "contract", N_("Offre de fidélisation proposée"), PLATEAU + "offered"),
    (
        "retention.offer_answered",
        "contract",
        N_("Réponse du client à l'offre de fidélisation"),
        PLATEAU + "answered",
    ),
    (
        "contract.cancelled",
        "contract",
        N_("Résiliation du contrat enregistrée"),
        PLATEAU + "cancelled",
    ),
    (
        "contract.cancellation_confirmed",
        "contract",
        N_("Confirmation écrite de la résiliation envoyée"),
        PLATEAU + "confirmed-cancellation",
    ),
    # documents generated from the world (attached to messages)
    (
        "document.generated",
        "message",
        N_("Document du client généré (PDF : facture, commande, échéancier)"),
        PLATEAU + "generated",
    ),
    # knowledge base
    ("kb.searched", "kb", N_("Recherche dans la base de connaissances"), PLATEAU + "searched"),
    ("kb.read", "kb", N_("Article de la base de connaissances lu"), ADL + "experienced"),
    # surveys (crm.surveys): interviews of an outbound survey campaign
    ("survey.started", "survey", N_("Entretien d'enquête commencé"), ADL + "initialized"),
    (
        "survey.answered",
        "survey",
        N_("Réponse du répondant enregistrée (ou corrigée)"),
        ADL + "answered",
    ),
    (
        "survey.went_back",
        "survey",
        N_("Retour à la question précédente pour corriger une réponse"),
        PLATEAU + "went-back",
    ),
    ("survey.completed", "survey", N_("Questionnaire complété"), ADL + "completed"),
    (
        "survey.over_quota",
        "survey",
        N_("Répondant hors quota : entretien arrêté"),
        PLATEAU + "screened-out",
    ),
    ("survey.refused", "survey", N_("Refus de répondre à l'enquête"), PLATEAU + "refused"),
    (
        "survey.postponed",
        "survey",
        N_("Entretien reporté : rappel programmé"),
        PLATEAU + "postponed",
    ),
    ("survey.abandoned", "survey", N_("Entretien abandonné en cours"), PLATEAU + "abandoned"),
    # end of shift: the candidate's own report (crm.evaluation.candidate_report)
    (
        "memo.sent",
        "assessment",
        N_("Note de synthèse envoyée au superviseur"),
        PLATEAU + "reported",
    ),
    (
        "self_assessment.submitted",
        "assessment",
        N_("Grille d'auto-évaluation remise"),
        PLATEAU + "self-assessed",
    ),
]

VERBS: dict[str, Verb] = {name: Verb(name, fam, desc, iri) for name, fam, desc, iri in _VERBS}


def register(name: str, family: str, description: str, xapi: str) -> None:
    """Add a verb (used by `softphone` for call and message verbs)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown verb family {family!r}")
    VERBS[name] = Verb(name, family, description, xapi)
