"""The CSV of a shift's grades: one row per attempt × criterion, for French spreadsheets.

Each row shows only what its viewer may see of the grading (visibility.grades_view), and the
attempt's log as it stands (action count and chain head) beside the one sealed at sign-off, so
that a copy of the CSV kept elsewhere can later prove the log was not rewritten.
"""

from __future__ import annotations

from crm.evaluation.grades import GRADES
from crm.evaluation.marking.queries import board
from crm.evaluation.marking.visibility import grades_view
from crm.evaluation.marking.wording import ungraded_reason
from crm.evaluation.standards import Standard
from crm.evaluation.verdicts import evaluate
from crm.i18n import N_, translate
from crm.pages import local_datetime
from crm.training.models import Shift

#: Automatic verdict → French label (translated where shown).
VERDICTS = {
    "met": N_("Atteint"),
    "not_met": N_("Non atteint"),
    "not_observed": N_("Non observé"),
    "to_grade": N_("À juger par l'évaluateur"),
}

HEADER = (
    N_("Candidat"),
    N_("Identifiant"),
    N_("Tentative"),
    N_("Critère"),
    N_("Libellé officiel"),
    N_("Verdict automatique"),
    N_("Note finale"),
    N_("Commentaire"),
    N_("Signé"),
    N_("Actions du journal"),
    N_("Tête de chaîne (SHA-256)"),
    N_("Actions à la signature"),
    N_("Tête de chaîne à la signature"),
)


def grade_rows(shift: Shift, standard: Standard, viewer_id: int) -> list[list[str]]:
    """The rows (header first) of every attempt of the shift against `standard`, with the
    grades and comments the user `viewer_id` may see."""
    rows = [[translate(h) for h in HEADER]]
    for attempt in shift.attempts:
        verdicts = {v.criterion.id: v for v in evaluate(attempt, standard).criteria}
        current = board(attempt.id, standard.id)
        view = grades_view(current, viewer_id)
        final = view.final
        sees_final = view.revealed or bool(final)
        signed = current.sign_off
        signed_text = (
            # Paris time in the screen's format, as the bench shows it (« 07/12/2026 13:24 »).
            translate(N_("oui, le %(when)s"), when=local_datetime(signed.signed_at))
            if signed
            else translate(N_("non"))
        )
        for criterion in standard.criteria:
            verdict = verdicts[criterion.id]
            graded = final.get(criterion.id)
            rows.append(
                [
                    attempt.candidate.display_name,
                    attempt.candidate.username,
                    str(attempt.id),
                    criterion.id,
                    criterion.text,
                    translate(VERDICTS[verdict.status]),
                    translate(GRADES[graded["grade"]])
                    if graded
                    else ungraded_reason(current, criterion.id, sees_final=sees_final),
                    graded["comment"] if graded else "",
                    signed_text,
                    str(attempt.action_count),
                    attempt.chain_head,
                    str(signed.action_count) if signed else "",
                    signed.chain_head if signed else "",
                ]
            )
    return rows
