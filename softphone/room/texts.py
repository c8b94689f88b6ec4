"""The words room.js and shoulder.js show (wrapped for translation, handed to the page as JSON)."""

from __future__ import annotations

from flask_babel import gettext as _

from crm import channels
from crm.actionlog.verbs import VERBS
from softphone.desk.texts import agent_state_labels, call_status_labels


def room_texts() -> dict:
    """Every word of the room's tiles, in the page's language."""
    return {
        "states": agent_state_labels(),
        "calls": call_status_labels(),
        "channels": channels.interaction_labels(),
        "directions": {"inbound": _("entrant"), "outbound": _("sortant")},
        "verbs": {name: verb.label for name, verb in VERBS.items()},
        "alerts": {
            "wrap_up_over": _("Post-appel : %(spent)s s pour %(max)s s au plus"),
            "hold": _("Client en attente depuis %(n)s s"),
            "ringing": _("Le téléphone sonne depuis %(n)s s"),
            "queued": _("%(n)s appel(s) en file : le poste n'est pas prêt"),
            "messages_overdue": _("%(n)s message(s) hors délai"),
            "idle": _("Aucune action depuis %(n)s min"),
        },
        "shift_status": {
            "planned": _("prévue"),
            "running": _("en cours"),
            "paused": _("en pause"),
            "ended": _("terminée"),
        },
        "no_contact": _("Aucun contact en cours"),
        "unknown_customer": _("Client non identifié"),
        "on_hold": _("en attente"),
        "actions": _("actions"),
        "to_qualify": _("à qualifier"),
        "qualified": _("qualifiés"),
        "waiting": _("messages en attente"),
        "overdue": _("hors délai"),
        "last": _("Dernière action"),
        "none_yet": _("Aucune action pour l'instant"),
        "by_trainer": _("par le formateur"),
        "live": _("Temps réel"),
        "offline": _("Hors ligne : actualisation toutes les 5 s"),
        "connecting": _("Connexion…"),
        "empty": _("Aucun candidat actif dans cette séance."),
        "alerts_total": _("alertes"),
        "over_shoulder": _("Voir son poste"),
        "inject": _("Déclencher un événement"),
        "speakers": {
            "agent": _("Candidat"),
            "customer": _("Client"),
            "colleague": _("Collègue"),
            "system": _("Système"),
        },
        "no_call": _("Aucun appel en cours."),
        "last_call": _("Dernier appel"),
        "no_conversations": _("Aucune conversation."),
        "campaign": {
            "title": _("Campagne :"),
            "reached": _("cibles jointes"),
            "attempts": _("tentatives"),
            "successes": _("succès"),
            "conversion": _("de conversion"),
            "goal_met": _("objectif atteint"),
        },
        "deadline_overdue": _("hors délai"),
        "unread": _("non lus"),
    }
