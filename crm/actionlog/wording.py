"""The timeline's details in words: payload keys as labels, values as people read them.

The action log keeps developer keys (`client_id`, `matching_client_ids`) and raw values; the
bench shows them with a label (« Fiche client ») and readable values (no JSON, no `\\u003c`),
nested objects as nested lists. A key without a label is shown with its words spaced out.
"""

from __future__ import annotations

from crm.evaluation.grades import GRADES
from crm.i18n import _l, translate

#: Payload keys an evaluator reads most, in French (English in the catalog).
LABELS = {
    "client_id": _l("Fiche client"),
    "client": _l("Client"),
    "matching_client_ids": _l("Fiches correspondantes"),
    "contact_id": _l("Contact"),
    "conversation_id": _l("Conversation"),
    "call_id": _l("Appel"),
    "order_id": _l("Commande"),
    "invoice_id": _l("Facture"),
    "product_id": _l("Produit"),
    "status": _l("Statut"),
    "number": _l("Numéro"),
    "channel": _l("Canal"),
    "direction": _l("Sens"),
    "subject": _l("Objet"),
    "amount": _l("Montant"),
    "total": _l("Total"),
    "quantity": _l("Quantité"),
    "code": _l("Code"),
    "note": _l("Note"),
    "reason": _l("Motif"),
    "method": _l("Mode de règlement"),
    "party": _l("Correspondant"),
    "language": _l("Langue"),
    "category": _l("Catégorie"),
    "description": _l("Description"),
    "grades": _l("Niveaux"),
    "criteria": _l("Critères"),
    "counts": _l("Décompte"),
    "standard": _l("Référentiel"),
    "template": _l("Modèle"),
    "attachments": _l("Pièces jointes"),
    "segments": _l("SMS"),
    "duration_seconds": _l("Durée (s)"),
    "effects": _l("Effets"),
    "mismatches": _l("Écarts"),
    "verified": _l("Vérifiée"),
    "grade": _l("Niveau"),
    "comment": _l("Commentaire"),
}


def payload_label(key) -> str:
    """A payload key as a label: the catalog's, a grade's (a self-assessment's counts), else its
    words (« wrap up seconds »)."""
    label = LABELS.get(str(key))
    if label is not None:
        return str(label)
    if key in GRADES:
        return translate(GRADES[key])
    return str(key).replace("_", " ")


def payload_text(value, key=None) -> str:
    """A payload value as text: a grade code under `grade` as its label, else as it is."""
    if key == "grade" and value in GRADES:
        return translate(GRADES[value])
    return str(value)


def init_app(app) -> None:
    """Register the `payload_label` and `payload_text` filters for the timeline."""
    app.jinja_env.filters["payload_label"] = payload_label
    app.jinja_env.filters["payload_text"] = payload_text
