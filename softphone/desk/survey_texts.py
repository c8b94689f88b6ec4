"""The French words the desk's survey panel (static/js/survey-panel.js) shows."""

from __future__ import annotations

from flask_babel import gettext as _


def survey_texts() -> dict:
    """Every sentence survey-panel.js may show, in the page's language."""
    return {
        "progress": _("Question %(n)s (questionnaire de %(total)s questions au plus)"),
        "quota": _("%(label)s : %(count)s / %(max)s"),
        "quota_full": _("complet"),
        "yes": _("Oui"),
        "no": _("Non"),
        "scale": _("Note de %(min)s à %(max)s"),
        "optional": _("(facultatif : laissez vide pour passer)"),
        "statuses": {
            "in_progress": _("Entretien en cours"),
            "completed": _("Questionnaire complété."),
            "over_quota": _("Répondant hors quota : remerciez-le et arrêtez l'entretien."),
            "refused": _("Refus enregistré."),
            "postponed": _("Entretien reporté : rappel programmé."),
            "abandoned": _("Entretien abandonné."),
        },
        "reason": _("Motif : %(reason)s"),
        "field_line": _("%(field)s : %(message)s"),
        "error": _("Action refusée."),
        "network": _("Le serveur ne répond pas : réessayez."),
    }
