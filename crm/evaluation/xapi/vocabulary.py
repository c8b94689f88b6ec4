"""The IRIs of Plateau's xAPI vocabulary: activity types, extensions, and what each object is.

Verb IRIs live with the verbs (`crm.actionlog.verbs`). Vocabulary IRIs are fixed (they name
concepts, the same for every installation); activity ids are built on the configured base URL
of the installation (`XAPI_BASE_URL`), so two installations never mint the same activity.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.i18n import N_

VOCABULARY = "https://plateau.example/xapi/"
ACTIVITY_TYPES = VOCABULARY + "activities/"
EXTENSIONS = VOCABULARY + "extensions/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"

#: Context extensions: where the statement comes from in the attempt's log.
EXT_SEQ = EXTENSIONS + "log-seq"
EXT_HASH = EXTENSIONS + "log-hash"
EXT_LOG_VERB = EXTENSIONS + "log-verb"
EXT_ACTOR_ROLE = EXTENSIONS + "actor-role"
EXT_INTERACTION = EXTENSIONS + "interaction"


@dataclass(frozen=True)
class ObjectKind:
    """How one kind of log object becomes an xAPI activity."""

    #: Path segment of the activity id under the attempt: <base>/attempts/<id>/<segment>/<n>.
    segment: str
    #: Activity type IRI.
    type: str
    #: French name (catalog source text); "%(id)s" is the object's id.
    name: str


def _kind(segment: str, type_name: str, name: str) -> ObjectKind:
    return ObjectKind(segment, ACTIVITY_TYPES + type_name, name)


#: Log object types (`Action.object_type`, a table name) → activity description.
OBJECT_KINDS: dict[str, ObjectKind] = {
    "attempt": ObjectKind("", ADL_ACTIVITIES + "simulation", N_("Tentative n° %(id)s")),
    "client": _kind("clients", "client-file", N_("Fiche client n° %(id)s")),
    "product": _kind("products", "product", N_("Produit n° %(id)s")),
    "order": _kind("orders", "order", N_("Commande n° %(id)s")),
    "payment": _kind("payments", "payment", N_("Règlement n° %(id)s")),
    "invoice": _kind("invoices", "invoice", N_("Facture n° %(id)s")),
    "promise_to_pay": _kind("promises", "promise-to-pay", N_("Promesse de paiement n° %(id)s")),
    "payment_plan": _kind("payment-plans", "payment-plan", N_("Échéancier n° %(id)s")),
    "reminder": _kind("reminders", "reminder", N_("Relance n° %(id)s")),
    "contact": _kind("contacts", "contact", N_("Contact n° %(id)s")),
    "callback": _kind("callbacks", "callback", N_("Rappel n° %(id)s")),
    "appointment": _kind("appointments", "appointment", N_("Rendez-vous n° %(id)s")),
    "claim": _kind("claims", "claim", N_("Réclamation n° %(id)s")),
    "article": _kind("articles", "knowledge-article", N_("Article n° %(id)s")),
    "call": _kind("calls", "phone-call", N_("Appel n° %(id)s")),
    "agent_state": _kind("phone", "softphone", N_("Poste téléphonique")),
    "conversation": _kind("conversations", "conversation", N_("Conversation n° %(id)s")),
    "message": _kind("messages", "message", N_("Message n° %(id)s")),
    "memo": _kind("memos", "memo", N_("Note de synthèse n° %(id)s")),
    "self_assessment": _kind(
        "self-assessments", "self-assessment", N_("Auto-évaluation n° %(id)s")
    ),
}

#: Objects of any other table: still a valid activity, named by its type.
OTHER_KIND = _kind("objects", "object", N_("Objet n° %(id)s"))

#: Actions without an object (searches, a call lost before it had a row): what they were about.
UNSPECIFIED_OBJECTS: dict[str, ObjectKind] = {
    "client.searched": _kind("clients", "client-files", N_("Fichier clients")),
    "product.searched": _kind("products", "catalog", N_("Catalogue")),
    "kb.searched": _kind("articles", "knowledge-base", N_("Base de connaissances")),
    "call.abandoned": _kind("calls", "phone-queue", N_("File d'appels entrants")),
}

#: Activities of the context: the shift, the scenario and the standard of the shift.
SHIFT_TYPE = ACTIVITY_TYPES + "shift"
SCENARIO_TYPE = ACTIVITY_TYPES + "scenario"
STANDARD_TYPE = ACTIVITY_TYPES + "competency-standard"
SHIFT_NAME = N_("Séance n° %(id)s")
SCENARIO_NAME = N_("Scénario %(id)s")
STANDARD_NAME = N_("Référentiel %(id)s")
