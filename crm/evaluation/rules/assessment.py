"""Rules on the candidate's end-of-shift report: the memo sent, the self-assessment handed in.

Both are due at the end of the shift: while it runs, their absence is "not observed" (there is
still time); once the shift has ended, it is "not met". An attempt that was reset is not the one
the candidate reports on, so its missing report is "not observed" too.
"""

from __future__ import annotations

import sqlalchemy as sa

from crm.db import db
from crm.evaluation.rules.base import EvidenceRule, RuleResult, register
from crm.evaluation.self_assessment import SelfAssessment, SelfGrade
from crm.i18n import N_, _, ngettext


def _report_due(evidence) -> str | None:
    """None when the report is due now; else why its absence proves nothing yet."""
    attempt = evidence.attempt
    if attempt.status == "superseded":
        return _("Tentative réinitialisée : le bilan est attendu dans la tentative suivante.")
    if attempt.shift.status != "ended":
        return _("La séance n'est pas terminée : le bilan est attendu à la fin.")
    return None


@register
class MemoSent(EvidenceRule):
    """A memo (note de synthèse) was sent to the supervisor."""

    id = "memo_sent"
    title = N_("Note de synthèse envoyée au superviseur en fin de séance")

    def evaluate(self, evidence) -> RuleResult:
        sent = evidence.of("memo.sent")
        if sent:
            action = sent[-1]
            return self.met(
                _(
                    "Note de synthèse « %(subject)s » envoyée au superviseur (%(words)s mots).",
                    subject=action.payload.get("subject", ""),
                    words=action.payload.get("words", 0),
                ),
                [action],
                words=action.payload.get("words", 0),
            )
        why = _report_due(evidence)
        if why:
            return self.not_observed(why)
        return self.not_met(_("Aucune note de synthèse envoyée au superviseur."))


@register
class SelfAssessmentFilled(EvidenceRule):
    """The self-assessment grid was filled in completely and handed in."""

    id = "self_assessment_filled"
    title = N_("Grille d'auto-évaluation remplie et remise")

    def evaluate(self, evidence) -> RuleResult:
        submitted = evidence.of("self_assessment.submitted")
        if submitted:
            action = submitted[-1]
            counts = action.payload.get("counts", {})
            return self.met(
                ngettext(
                    "Grille d'auto-évaluation remise : %(num)s critère évalué "
                    "(%(acquired)s acquis, %(in_progress)s en cours d'acquisition, "
                    "%(not_acquired)s non acquis, %(not_observed)s).",
                    "Grille d'auto-évaluation remise : %(num)s critères évalués "
                    "(%(acquired)s acquis, %(in_progress)s en cours d'acquisition, "
                    "%(not_acquired)s non acquis, %(not_observed)s).",
                    action.payload.get("criteria", 0),
                    acquired=counts.get("acquired", 0),
                    in_progress=counts.get("in_progress", 0),
                    not_acquired=counts.get("not_acquired", 0),
                    not_observed=ngettext(
                        "%(num)s non observé",
                        "%(num)s non observés",
                        counts.get("not_observed", 0),
                    ),
                ),
                [action],
                criteria=action.payload.get("criteria", 0),
                **counts,
            )
        why = _report_due(evidence)
        if why:
            return self.not_observed(why)
        drafted = _drafted(evidence.attempt.id)
        if drafted:
            return self.not_met(
                ngettext(
                    "Grille d'auto-évaluation commencée (%(num)s critère évalué) "
                    "mais jamais remise.",
                    "Grille d'auto-évaluation commencée (%(num)s critères évalués) "
                    "mais jamais remise.",
                    drafted,
                ),
                drafted=drafted,
            )
        return self.not_met(_("Aucune grille d'auto-évaluation remplie."))


def _drafted(attempt_id: int) -> int:
    """How many criteria the attempt's unsubmitted drafts grade (world read, no action)."""
    return db.session.scalar(
        sa.select(sa.func.count(SelfGrade.id))
        .join(SelfAssessment)
        .where(SelfAssessment.attempt_id == attempt_id, SelfAssessment.submitted_at.is_(None))
    )
