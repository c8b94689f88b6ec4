"""The words room.js and shoulder.js show (wrapped for translation, handed to the page as JSON)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from crm import channels
from crm.actionlog.verbs import VERBS
from crm.i18n import SOURCE_LANGUAGE, ngettext
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
            # Counts (calls queued, messages overdue) are not here: they change only with the
            # server's data, whose message already has the right plural (softphone/room/alerts.py).
            "idle": _("Aucune action depuis %(n)s min"),
        },
        "shift_status": {
            "planned": _("prévue"),
            "running": _("en cours"),
            "paused": _("en pause"),
            "ended": _("terminée"),
        },
        # Counted words as [singular, plural] (« %(n)s » stands for the count: the script puts
        # the number there); French counts 0 as singular, English does not.
        "counted": {
            "actions": [
                ngettext("%(n)s action", "%(n)s actions", 1, n="%(n)s"),
                ngettext("%(n)s action", "%(n)s actions", 2, n="%(n)s"),
            ],
            "qualified": [
                ngettext("%(n)s qualifié", "%(n)s qualifiés", 1, n="%(n)s"),
                ngettext("%(n)s qualifié", "%(n)s qualifiés", 2, n="%(n)s"),
            ],
            "waiting": [
                ngettext("%(n)s message en attente", "%(n)s messages en attente", 1, n="%(n)s"),
                ngettext("%(n)s message en attente", "%(n)s messages en attente", 2, n="%(n)s"),
            ],
            "candidates": [
                ngettext("%(n)s candidat", "%(n)s candidats", 1, n="%(n)s"),
                ngettext("%(n)s candidat", "%(n)s candidats", 2, n="%(n)s"),
            ],
            "ready": [
                ngettext("%(n)s prêt", "%(n)s prêts", 1, n="%(n)s"),
                ngettext("%(n)s prêt", "%(n)s prêts", 2, n="%(n)s"),
            ],
            "alerts": [
                ngettext("%(n)s alerte", "%(n)s alertes", 1, n="%(n)s"),
                ngettext("%(n)s alerte", "%(n)s alertes", 2, n="%(n)s"),
            ],
            # A campaign's progress: « 1/4 cible jointe », « 2 tentatives ».
            "reached": [
                ngettext("%(n)s cible jointe", "%(n)s cibles jointes", 1, n="%(n)s"),
                ngettext("%(n)s cible jointe", "%(n)s cibles jointes", 2, n="%(n)s"),
            ],
            "attempts": [
                ngettext("%(n)s tentative", "%(n)s tentatives", 1, n="%(n)s"),
                ngettext("%(n)s tentative", "%(n)s tentatives", 2, n="%(n)s"),
            ],
        },
        "zero_is_singular": get_locale() is None or get_locale().language == SOURCE_LANGUAGE,
        "no_contact": _("Aucun contact en cours"),
        "unknown_customer": _("Client non identifié"),
        "on_hold": _("en attente"),
        "to_qualify": _("à qualifier"),
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
            "successes": _("succès"),
            "conversion": _("de conversion"),
            "goal_met": _("objectif atteint"),
        },
        "deadline_overdue": _("hors délai"),
        "unread": [
            ngettext("%(n)s non lu", "%(n)s non lus", 1, n="%(n)s"),
            ngettext("%(n)s non lu", "%(n)s non lus", 2, n="%(n)s"),
        ],
    }
