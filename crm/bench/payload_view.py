"""How the evaluator's timeline shows an action's payload: words, not developer keys.

A registry: each payload key has a French label and a kind saying how its value is shown
(`client_id : 13` → « Client : Mme Morel », linked to the client's actions; amounts in euros,
durations in minutes, phone numbers as dialled in France, old → new). A verb family may show a
key its own way (`number` is a phone number on a call, an order number on an order), and a verb
may show its whole payload as one block (the self-assessment as a grid). Keys left out of the
registry are shown with their name in words, never as JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import url_for
from markupsafe import Markup, escape

from crm import channels
from crm.actionlog.models import Action
from crm.actionlog.verbs import VERBS
from crm.bench.labels import FAMILY_LABELS
from crm.clients.models import Client
from crm.db import db
from crm.evaluation.grades import GRADES
from crm.evaluation.rules.wording import duration, moment, phone
from crm.i18n import _, _l, translate
from crm.pages import format_money, local_datetime, scenario_name


@dataclass(frozen=True)
class Field:
    """How one payload key is shown: its label and the kind of its value (see RENDERERS)."""

    label: str
    kind: str = "text"


@dataclass
class Context:
    """What rendering needs beyond the payload: the attempt, and its clients' names."""

    attempt_id: int
    clients: dict[int, str] = field(default_factory=dict)


#: Keys shown the same way in every family (labels are lazy: shown in the screen's language).
FIELDS: dict[str, Field] = {
    "client_id": Field(_l("Client"), "client"),
    "matching_client_ids": Field(_l("Clients correspondant au numéro"), "clients"),
    "client_number": Field(_l("N° client")),
    "number": Field(_l("Numéro")),
    "contact_id": Field(_l("Contact"), "contact"),
    "conversation_id": Field(_l("Conversation"), "number"),
    "call_id": Field(_l("Appel"), "number"),
    "channel": Field(_l("Canal"), "channel"),
    "direction": Field(_l("Sens"), "direction"),
    "party": Field(_l("Correspondant"), "party"),
    "subject": Field(_l("Objet")),
    "language": Field(_l("Langue"), "language"),
    "code": Field(_l("Code de qualification")),
    "family": Field(_l("Famille du code"), "family"),
    "note": Field(_l("Note"), "long_text"),
    "reason": Field(_l("Motif")),
    "cause": Field(_l("Cause"), "verb"),
    "by": Field(_l("Raccroché par"), "role"),
    "from": Field(_l("État précédent"), "agent_state"),
    "to": Field(_l("Nouvel état"), "agent_state"),
    "agent_state": Field(_l("État du poste"), "agent_state"),
    "status": Field(_l("Statut"), "change"),
    "amount": Field(_l("Montant"), "money"),
    "total": Field(_l("Total TTC"), "money"),
    "total_net": Field(_l("Total HT"), "money"),
    "total_vat": Field(_l("TVA"), "money"),
    "unit_price": Field(_l("Prix unitaire"), "money"),
    "line_net": Field(_l("Montant HT de la ligne"), "money"),
    "discount_percent": Field(_l("Remise (%)")),
    "sku": Field(_l("Référence")),
    "sale_unit": Field(_l("Unité de vente")),
    "quantity": Field(_l("Quantité")),
    "line_quantity": Field(_l("Quantité sur la ligne")),
    "replaces": Field(_l("Remplace")),
    "additional": Field(_l("Vente additionnelle"), "yes_no"),
    "backorder": Field(_l("En réapprovisionnement"), "yes_no"),
    "merged": Field(_l("Ajoutée à une ligne existante"), "yes_no"),
    "recap_read": Field(_l("Récapitulatif lu"), "yes_no"),
    "restock_date": Field(_l("Date de réapprovisionnement"), "date"),
    "delivery_estimate": Field(_l("Livraison estimée"), "date"),
    "due_date": Field(_l("Échéance"), "date"),
    "deadline_at": Field(_l("Délai de réponse"), "datetime"),
    "due_at": Field(_l("Échéance"), "datetime"),
    "starts_at": Field(_l("Début"), "datetime"),
    "lines": Field(_l("Lignes"), "lines"),
    "stock": Field(_l("Stock"), "stock"),
    "backorders": Field(_l("Reliquats"), "lines"),
    "substitutions": Field(_l("Substitutions")),
    "scenario": Field(_l("Scénario"), "scenario"),
    "ring_seconds": Field(_l("Sonnerie"), "seconds"),
    "talk_seconds": Field(_l("Conversation"), "seconds"),
    "hold_seconds": Field(_l("Attente"), "seconds"),
    "duration_seconds": Field(_l("Durée"), "seconds"),
    "wrap_up_seconds": Field(_l("Après-appel"), "seconds"),
    "waiting_seconds": Field(_l("Attente avant prise en charge"), "seconds"),
    "answer_delay_seconds": Field(_l("Délai de réponse"), "seconds"),
    "seconds_in_previous_state": Field(_l("Durée de l'état précédent"), "seconds"),
    "logged_on_seconds": Field(_l("Durée de connexion"), "seconds"),
    "seconds": Field(_l("Durée"), "seconds"),
    # A call's recording (`call.recorded`): the file's fingerprint, size and the call's length.
    "duration": Field(_l("Durée"), "seconds"),
    "sha256": Field(_l("Empreinte SHA-256")),
    "bytes": Field(_l("Taille (octets)")),
    "media_type": Field(_l("Format")),
    "hold_count": Field(_l("Mises en attente")),
    "scripted": Field(_l("Client scripté"), "yes_no"),
    "new_conversation": Field(_l("Nouvelle conversation"), "yes_no"),
    "first_answer": Field(_l("Première réponse"), "yes_no"),
    "within_deadline": Field(_l("Dans le délai"), "yes_no"),
    "template": Field(_l("Modèle")),
    "template_language": Field(_l("Langue du modèle"), "language"),
    "length": Field(_l("Longueur (caractères)")),
    "segments": Field(_l("SMS")),
    "encoding": Field(_l("Codage")),
    "attachments": Field(_l("Pièces jointes"), "list"),
    "kind": Field(_l("Type")),
    "linked_by": Field(_l("Rattaché par")),
    "effects": Field(_l("Effets"), "mapping"),
    "credit": Field(_l("Encours"), "mapping"),
    "words": Field(_l("Mots")),
    "body": Field(_l("Texte"), "long_text"),
    "text": Field(_l("Texte"), "long_text"),
    "q": Field(_l("Recherche")),
    "query": Field(_l("Recherche")),
    # Dates that come due, callbacks kept, documents generated.
    "paid_in_time": Field(_l("Réglé à temps"), "money"),
    "owed_by_then": Field(_l("Dû à cette date"), "money"),
    "paid_by_then": Field(_l("Réglé à cette date"), "money"),
    "seq": Field(_l("N° d'échéance")),
    "missed_seq": Field(_l("Échéance impayée n°")),
    "missed_due_date": Field(_l("Date de l'échéance impayée"), "date"),
    "reminders_resumed": Field(_l("Relances reprises sur")),
    "made_at": Field(_l("Appel passé le"), "datetime"),
    "delay_seconds": Field(_l("Écart avec l'heure promise"), "offset"),
    "kept": Field(_l("Tenu à l'heure"), "yes_no"),
    "source": Field(_l("Origine"), "mapping"),
    "filename": Field(_l("Fichier")),
    "size": Field(_l("Taille (octets)")),
    # Internal row ids: the evaluator reads the reference or number shown beside them.
    "payment_ids": Field("", "hidden"),
    "source_id": Field("", "hidden"),
    "product_id": Field("", "hidden"),
    "line_id": Field("", "hidden"),
    "script": Field("", "hidden"),
}

#: Keys a verb family shows its own way.
FAMILY_FIELDS: dict[str, dict[str, Field]] = {
    "call": {"number": Field(_l("Numéro"), "phone")},
    "order": {"number": Field(_l("Commande"))},
    "session": {"number": Field(_l("Essai"))},
    "agenda": {"with": Field(_l("Avec"))},
    # Interviews of a survey campaign (crm.surveys): question keys and answer values as the
    # pack names them, read beside the questionnaire.
    "survey": {
        "interview_id": Field(_l("Entretien"), "number"),
        "survey": Field(_l("Questionnaire")),
        "campaign": Field(_l("Campagne")),
        "question": Field(_l("Question")),
        "answer": Field(_l("Réponse"), "auto"),
        "correction": Field(_l("Correction d'une réponse"), "yes_no"),
        "previous": Field(_l("Réponse précédente"), "auto"),
        "dropped": Field(_l("Réponses retirées (hors du nouveau parcours)"), "list"),
        "next": Field(_l("Question suivante")),
        "left": Field(_l("Question quittée")),
        "quota": Field(_l("Quota atteint")),
        "answered": Field(_l("Questions déjà répondues"), "list"),
        "answers": Field(_l("Réponses"), "mapping"),
        "path": Field(_l("Parcours des questions"), "list"),
        "callback_id": Field(_l("Rappel"), "number"),
    },
}

#: Values shown in words (French sources, translated where shown).
WORDS: dict[str, dict[str, str]] = {
    "agent_state": {
        "offline": _l("Déconnecté"),
        "ready": _l("Prêt"),
        "pause": _l("En pause"),
        "ringing": _l("Sonnerie"),
        "on_call": _l("En communication"),
        "on_hold": _l("Client en attente"),
        "wrap_up": _l("Après-appel"),
    },
    "direction": {"inbound": _l("entrant"), "outbound": _l("sortant")},
    "language": {"fr": _l("français"), "en": _l("anglais")},
    "role": {"agent": _l("le conseiller"), "customer": _l("le client")},
    "status": {"open": _l("ouverte"), "pending": _l("en attente"), "resolved": _l("résolue")},
}


#: What an action acted on (its object's table) and the interaction it happened during, in words.
OBJECTS: dict[str, str] = {
    "agent_state": _l("Poste"),
    "appointment": _l("Rendez-vous"),
    "article": _l("Article"),
    "attempt": _l("Tentative"),
    "call": _l("Appel"),
    "callback": _l("Rappel"),
    "claim": _l("Réclamation"),
    "client": _l("Client"),
    "contact": _l("Contact"),
    "contact_person": _l("Interlocuteur"),
    "contract": _l("Contrat"),
    "conversation": _l("Conversation"),
    "document": _l("Document"),
    "generated_document": _l("Document généré"),
    "installment": _l("Échéance"),
    "invoice": _l("Facture"),
    "memo": _l("Note de synthèse"),
    "message": _l("Message"),
    "offer": _l("Proposition"),
    "retention_offer": _l("Offre de fidélisation"),
    "order": _l("Commande"),
    "order_line": _l("Ligne de commande"),
    "payment": _l("Règlement"),
    "payment_plan": _l("Échéancier"),
    "product": _l("Produit"),
    "promise_to_pay": _l("Promesse de paiement"),
    "reminder": _l("Relance"),
    "self_assessment": _l("Auto-évaluation"),
    "shift": _l("Séance"),
    "campaign": _l("Campagne"),
    "shift_campaign": _l("Campagne de la séance"),
    "survey_interview": _l("Entretien d'enquête"),
}


def object_label(kind: str | None, object_id) -> str:
    """« Commande n° 229 »: an action's object (or interaction) in words."""
    if not kind:
        return ""
    name = str(OBJECTS[kind]) if kind in OBJECTS else kind.replace("_", " ")
    if object_id is None:
        return name
    return _("%(name)s n° %(number)s", name=name, number=object_id)


def _fallback(key: str) -> Field:
    return Field(key.replace("_", " ").capitalize(), "auto")


def field_of(family: str | None, key: str) -> Field:
    """How `key` is shown in actions of `family`."""
    return FAMILY_FIELDS.get(family or "", {}).get(key) or FIELDS.get(key) or _fallback(key)


def _text(value) -> Markup:
    return escape("" if value is None else value)


def _client(value, ctx: Context) -> Markup:
    if not isinstance(value, int):
        return Markup("—") if value is None else _text(value)
    name = ctx.clients.get(value) or _("client n° %(id)s", id=value)
    href = url_for("bench.timeline", attempt_id=ctx.attempt_id, client=value)
    title = _("Toutes les actions avec ce client")
    return Markup('<a href="{}" class="client-link" title="{}">{}</a>').format(href, title, name)


def _clients(value, ctx: Context) -> Markup:
    if not isinstance(value, list):
        return _client(value, ctx)
    if not value:
        return escape(_("aucun"))
    return Markup(", ").join(_client(v, ctx) for v in value)


def _contact(value, ctx: Context) -> Markup:
    if not isinstance(value, int):
        return _text(value)
    href = url_for("bench.timeline", attempt_id=ctx.attempt_id, contact=value)
    return Markup('<a href="{}">{}</a>').format(href, _("Contact n° %(id)s", id=value))


def _words(kind: str) -> Callable:
    def show(value, ctx: Context) -> Markup:
        label = WORDS[kind].get(value) if isinstance(value, str) else None
        return escape(str(label)) if label else _text(value)

    return show


def _yes_no(value, ctx: Context) -> Markup:
    if not isinstance(value, bool):
        return _auto(value, ctx)  # e.g. a count of additional sales
    return escape(_("oui") if value else _("non"))


def _money(value, ctx: Context) -> Markup:
    try:
        return escape(format_money(value))
    except (ArithmeticError, ValueError, TypeError):
        return _text(value)


def _seconds(value, ctx: Context) -> Markup:
    return escape(duration(value)) if isinstance(value, int | float) else _text(value)


def _offset(value, ctx: Context) -> Markup:
    """A signed gap: « 3 min en avance », « 1 h 00 min en retard »."""
    if not isinstance(value, int | float):
        return _text(value)
    if value < 0:
        return escape(_("%(gap)s en avance", gap=duration(-value)))
    return escape(_("%(gap)s en retard", gap=duration(value)))


def _datetime(value, ctx: Context) -> Markup:
    when = moment(value)
    return escape(local_datetime(when)) if when else _text(value)


def _date(value, ctx: Context) -> Markup:
    if isinstance(value, str) and len(value) == 10:
        year, month, day = value.split("-") if value.count("-") == 2 else ("", "", "")
        if year.isdigit() and month.isdigit() and day.isdigit():
            return escape(f"{day}/{month}/{year}")
    return _text(value) if value is not None else Markup("—")


def _change(value, ctx: Context) -> Markup:
    if isinstance(value, dict) and set(value) <= {"old", "new"}:
        old, new = (_status_word(value.get(side)) for side in ("old", "new"))
        return escape(f"{old} → {new}")
    return _auto(value, ctx)


def _status_word(value) -> str:
    return "—" if value is None else str(WORDS["status"].get(value, value))


def _lines(value, ctx: Context) -> Markup:
    if not isinstance(value, list):
        return _auto(value, ctx)  # a count (order.recap_read), not the lines themselves
    if not value:
        return escape(_("aucune"))
    items = []
    for line in value:
        if isinstance(line, dict):
            text = f"{line.get('sku', '?')} × {line.get('quantity', '?')}"
            if line.get("additional"):
                text += " " + _("(vente additionnelle)")
            if line.get("replaces"):
                text += " " + _("(remplace %(sku)s)", sku=line["replaces"])
            items.append(text)
        else:
            items.append(str(line))
    return _list_of(items)


def _stock(value, ctx: Context) -> Markup:
    if not isinstance(value, list):
        return _auto(value, ctx)
    items = [
        f"{row.get('sku', '?')} : {row.get('old', '?')} → {row.get('new', '?')}"
        if isinstance(row, dict)
        else str(row)
        for row in value or []
    ]
    return _list_of(items) if items else escape(_("aucun"))


def _list_of(items: Iterable[str]) -> Markup:
    return Markup('<ul class="payload-list">{}</ul>').format(
        Markup("").join(Markup("<li>{}</li>").format(i) for i in items)
    )


def _mapping(value, ctx: Context) -> Markup:
    if not value:
        return Markup("—")
    if not isinstance(value, dict):
        return _auto(value, ctx)
    return _list_of(f"{field_of(None, k).label or k} : {_plain(v)}" for k, v in value.items())


def _plain(value) -> str:
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} : {_plain(v)}" for k, v in value.items())
    return "—" if value is None else str(value)


def _auto(value, ctx: Context) -> Markup:
    if isinstance(value, bool):
        return _yes_no(value, ctx)
    if isinstance(value, dict):
        changed = bool(value) and set(value) <= {"old", "new"}
        return _change(value, ctx) if changed else _mapping(value, ctx)
    if isinstance(value, list):
        return _list_of(_plain(v) for v in value) if value else Markup("—")
    return _text(value) if value is not None else Markup("—")


def _long_text(value, ctx: Context) -> Markup:
    return Markup('<span class="message-body">{}</span>').format(value or "")


def _channel(value, ctx: Context) -> Markup:
    return escape(str(channels.get(value).label)) if value in channels.CHANNELS else _text(value)


def _party(value, ctx: Context) -> Markup:
    dialled = isinstance(value, str) and value.startswith("+")
    return escape(phone(value)) if dialled else _text(value)


def _verb(value, ctx: Context) -> Markup:
    """A verb named in a payload (what caused a change) by its description."""
    return escape(VERBS[value].label) if value in VERBS else _text(value)


RENDERERS: dict[str, Callable] = {
    "verb": _verb,
    "family": lambda value, ctx: escape(str(FAMILY_LABELS.get(value, value or "—"))),
    "scenario": lambda value, ctx: escape(scenario_name(value)) if value else Markup("—"),
    "text": lambda value, ctx: _text(value) if value is not None else Markup("—"),
    "number": lambda value, ctx: (
        escape(_("n° %(id)s", id=value)) if value is not None else Markup("—")
    ),
    "client": _client,
    "clients": _clients,
    "contact": _contact,
    "channel": _channel,
    "party": _party,
    "phone": lambda value, ctx: escape(phone(value)) if value else Markup("—"),
    "agent_state": _words("agent_state"),
    "direction": _words("direction"),
    "language": _words("language"),
    "role": _words("role"),
    "yes_no": _yes_no,
    "money": _money,
    "seconds": _seconds,
    "offset": _offset,
    "datetime": _datetime,
    "date": _date,
    "change": _change,
    "lines": _lines,
    "stock": _stock,
    "list": lambda value, ctx: _auto(value, ctx),
    "mapping": _mapping,
    "long_text": _long_text,
    "auto": _auto,
}


@dataclass(frozen=True)
class Shown:
    """One payload entry as shown: its label and its value (safe HTML)."""

    key: str
    label: str
    value: Markup


def shown_fields(action: Action, ctx: Context, skip: Iterable[str] = ()) -> list[Shown]:
    """The action's payload entries in words, in the payload's order."""
    family = VERBS[action.verb].family if action.verb in VERBS else None
    rows = []
    for key, value in (action.payload or {}).items():
        if key in skip:
            continue
        spec = field_of(family, key)
        if spec.kind == "hidden":
            continue
        try:
            shown = RENDERERS[spec.kind](value, ctx)
        except (TypeError, ValueError, AttributeError, ArithmeticError):
            # The log keeps every payload shape it ever had: one the kind does not expect
            # is still shown, in words, rather than breaking the page.
            shown = _auto(value, ctx)
        rows.append(Shown(key, str(spec.label), shown))
    return rows


@dataclass(frozen=True)
class SelfAssessmentGrid:
    """A self-assessment handed in, as the timeline shows it."""

    standard: str
    #: (criterion id, official wording, the candidate's grade in words, their comment).
    rows: list[tuple[str, str, str, str]]


def self_assessment_grid(action: Action) -> SelfAssessmentGrid:
    """The self-assessment of a `self_assessment.submitted` action: per criterion, in the
    standard's order, its official wording, the candidate's grade and comment."""
    from crm.evaluation.standards import StandardNotFound, get_standard

    payload = action.payload or {}
    grades, comments = payload.get("grades") or {}, payload.get("comments") or {}
    if not isinstance(grades, dict) or not isinstance(comments, dict):
        grades, comments = {}, {}  # not a shape this page knows: no rows rather than a 500
    standard_id = str(payload.get("standard", ""))
    try:
        standard = get_standard(standard_id)
    except StandardNotFound:
        title, criteria = standard_id, [(cid, "") for cid in grades]
    else:
        title, criteria = standard.short_title, [(c.id, c.text) for c in standard.criteria]
    rows = [
        (
            cid,
            text,
            translate(GRADES[grade])
            if isinstance(grade := grades.get(cid), str) and grade in GRADES
            else "—",
            str(comments.get(cid, "")),
        )
        for cid, text in criteria
        if cid in grades or cid in comments
    ]
    return SelfAssessmentGrid(title, rows)


#: Keys of the payloads that name clients (their names are read once per page).
CLIENT_KINDS = {"client", "clients"}


def client_names(attempt_id: int, actions: Iterable[Action]) -> dict[int, str]:
    """client id → display name, for every client the actions' payloads name."""
    ids: set[int] = set()
    for action in actions:
        family = VERBS[action.verb].family if action.verb in VERBS else None
        for key, value in (action.payload or {}).items():
            kind = field_of(family, key).kind
            if kind == "client" and isinstance(value, int):
                ids.add(value)
            elif kind == "clients" and isinstance(value, list):
                ids.update(v for v in value if isinstance(v, int))
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Client).where(Client.attempt_id == attempt_id, Client.id.in_(ids))
    )
    return {c.id: c.display_name for c in rows}
