"""The French words desk.js shows (wrapped for translation, handed to the page as JSON)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import pgettext

from crm import channels
from crm.contacts.callbacks import STATE_LABELS
from crm.i18n import N_, ngettext, translate

#: Pause reasons scenarios commonly use (their data is French); others are shown as written.
PAUSE_REASONS = (
    N_("Pause"),
    N_("Formation"),
    N_("Réunion"),
    N_("Administratif"),
    N_("Déjeuner"),
    N_("Débriefing"),
)

#: Agent states as the candidate reads them.
STATE_KEYS = ("offline", "ready", "pause", "ringing", "on_call", "on_hold", "wrap_up")
CALL_KEYS = ("ringing", "on_call", "on_hold", "ended", "abandoned", "transferred")


def agent_state_labels() -> dict[str, str]:
    """Agent state → French label."""
    return {
        "offline": _("Déconnecté"),
        "ready": _("Prêt"),
        "pause": _("En pause"),
        "ringing": _("Sonnerie"),
        "on_call": _("En communication"),
        "on_hold": _("Client en attente"),
        "wrap_up": _("Après-appel"),
    }


def call_status_labels() -> dict[str, str]:
    """Call status → French label."""
    return {
        "ringing": _("sonne"),
        "on_call": _("en cours"),
        "on_hold": _("en attente"),
        "ended": _("terminé"),
        "abandoned": _("perdu"),
        "transferred": _("transféré"),
    }


def desk_texts() -> dict:
    """Every sentence desk.js may show, in the page's language."""
    return {
        "states": agent_state_labels(),
        "calls": call_status_labels(),
        "conversation_status": {
            "open": _("ouverte"),
            "pending": _("en attente"),
            "resolved": _("résolue"),
        },
        "channels": {n: str(label) for n, label in channels.labels(written=True).items()},
        "speakers": {
            "agent": _("Vous"),
            "customer": pgettext("speaker", "Client"),
            "colleague": _("Collègue"),
            "system": _("Système"),
        },
        # French puts a space before the colon, English does not.
        "speaker_line": _("%(speaker)s :"),
        "pause_reasons": {reason: translate(reason) for reason in PAUSE_REASONS},
        "live": _("Temps réel"),
        "polling": _("Hors ligne : actualisation toutes les 3 s"),
        "connecting": _("Connexion…"),
        "incoming": _("Appel entrant"),
        "unknown_caller": _("Numéro inconnu"),
        "no_call": _("Aucun appel en cours."),
        "no_conversation": _("Choisissez une conversation."),
        "no_conversations": _("Aucune conversation."),
        "no_callbacks": _("Aucun rappel planifié."),
        **{f"callback_is_{state}": str(label) for state, label in STATE_LABELS.items()},
        "callback_manual": _("programmé à la main"),
        "callback_from_contact": _("suite au contact n° %(number)s"),
        "callback_from_coded_contact": _("suite au contact n° %(number)s (%(code)s)"),
        # « Pièces jointes : … » in French, « Attachments: … » in English.
        "labelled": _("%(label)s : %(value)s"),
        "callback_call": _("Rappeler"),
        # Why an action button is disabled, shown beside it and as its title.
        "why_not_ready": _("Passez en « Prêt » pour appeler."),
        "why_on_call": _("Un appel est en cours."),
        "why_wrap_up": _("Qualifiez d'abord le contact (après-appel)."),
        "why_already_ready": _("Vous êtes déjà prêt."),
        "why_offline": _("Passez d'abord en « Prêt »."),
        "why_already_offline": _("Téléphone déjà déconnecté."),
        "why_taken": _("Déjà prise en charge."),
        "attach_documents": _("Documents du client (PDF)"),
        "overdue": _("en retard"),
        "left": _("restant"),
        # « 1 non lu », « 2 non lus » (« %(n)s » is the count; shown only when there are some).
        "unread": [
            ngettext("%(n)s non lu", "%(n)s non lus", 1, n="%(n)s"),
            ngettext("%(n)s non lu", "%(n)s non lus", 2, n="%(n)s"),
        ],
        "from": _("De"),
        "to": _("À"),
        "attachments": _("Pièces jointes"),
        "choose_code": _("— code de qualification —"),
        "no_template": _("— texte libre —"),
        "segments": _("%(chars)s caractères, %(segments)s SMS (%(encoding)s)"),
        "rules_warning": _("Règles d'appel :"),
        "dial_anyway": _("Appeler malgré tout"),
        "qualified": _("Contact qualifié."),
        "taken": _(
            "Conversation prise en charge : un contact est ouvert, à qualifier une fois traité."
        ),
        "status_set": _("Statut changé."),
        "sent": _("Message envoyé."),
        "network": _("Le serveur ne répond pas : réessayez."),
        # A refused field, named by its label: « Code : Champ obligatoire. ».
        "field_line": _("%(field)s : %(message)s"),
        "error": _("Action refusée."),
        "callback_due": _("à rappeler"),
        "open_file": _("Ouvrir la fiche"),
        "client": _("Client"),
        "prospect": _("Inconnu : recherchez ou créez un prospect."),
        "plan_call": _("Appeler"),
        "no_plan": _("Aucun numéro à appeler."),
        "plan_attempts": _("Tentatives récentes : %(count)s"),
        "plan_last": _("Dernier résultat :"),
        "plan_never": _("Jamais qualifié"),
        "plan_ok": _("Appel possible maintenant"),
        "guide_idle": _("Les étapes se cochent pendant un contact."),
    }
