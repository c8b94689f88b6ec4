"""The grading state in words: why a criterion shows no final grade yet.

One function for every place that prints grades (the bench pages, the grades CSV, the PDF
report), so that an empty « Note finale » always says where the grading stands. Texts are
French sources (`N_`), translated where shown (`translate`; French outside a request, as the
PDF wants).
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.evaluation.marking.queries import Board, board
from crm.evaluation.marking.states import (
    AGREED,
    FIRST_MARKING,
    FIRST_SUBMITTED,
    OPEN,
    RECONCILING,
    SECOND_MARKING,
    SIGNED,
)
from crm.i18n import N_, translate

#: Marking state → why its criteria have no final grade (yet), French source.
PENDING_REASONS = {
    OPEN: N_("aucune correction commencée"),
    FIRST_MARKING: N_("première correction en cours"),
    FIRST_SUBMITTED: N_("première correction remise, non signée"),
    SECOND_MARKING: N_("double correction : en attente du second correcteur"),
    RECONCILING: N_("double correction remise, désaccords à concilier"),
    AGREED: N_("correcteurs d'accord, en attente de signature"),
    SIGNED: N_("notation signée"),
}
#: A criterion the two markers graded differently, with no agreed grade yet.
TO_RECONCILE = N_("à concilier")
#: A criterion left ungraded in a marking that was handed in.
LEFT_UNGRADED = N_("non noté par le correcteur")


def grading_state_text(state: str) -> str:
    """Where the grading of an attempt × standard stands, in the screen's language."""
    return translate(PENDING_REASONS[state])


def ungraded_reason(current: Board, criterion_id: str, *, sees_final: bool) -> str:
    """Why `criterion_id` shows no final grade to a viewer, in the screen's language.

    `sees_final`: the viewer may read the final grades (visibility.grades_view gave them some
    or the grading is revealed); then a missing grade is a disagreement still to settle or a
    criterion the markers left ungraded, otherwise it is the grading's state that hides it."""
    if sees_final:
        if criterion_id in current.open_disputes:
            return translate(TO_RECONCILE)
        return translate(LEFT_UNGRADED)
    return grading_state_text(current.state)


@dataclass(frozen=True)
class Pending:
    """Where one attempt × standard's grading stands, for one viewer."""

    #: The grading's state in words.
    state: str
    current: Board
    #: The viewer may read the final grades (see `ungraded_reason`).
    sees_final: bool

    def reason(self, criterion_id: str) -> str:
        """Why `criterion_id` shows this viewer no final grade."""
        return ungraded_reason(self.current, criterion_id, sees_final=self.sees_final)


def pending_wording(attempt_id: int, standard_id: str, viewer_id: int) -> Pending:
    """The grading's state, and why criteria show no final grade, for one viewer."""
    from crm.evaluation.marking.visibility import grades_view

    current = board(attempt_id, standard_id)
    view = grades_view(current, viewer_id)
    return Pending(
        state=grading_state_text(current.state),
        current=current,
        sees_final=view.revealed or bool(view.final),
    )
