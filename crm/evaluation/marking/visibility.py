"""Blind double marking: the one rule deciding which grades, comments and notes a viewer sees.

Every view of grading asks here and shows nothing else: the grid page and `GET /grades`, the
CSV of a shift's grades (page and API), the PDF report, the timeline's pinned notes and
`GET /notes`. The rule:

- a marker always sees their own marking (drafts included);
- the others' grids, the disagreements and the agreed grades are seen once the grading is
  *revealed*: both markings handed in, or signed off (a single marking is revealed by its
  sign-off) — before that, any other grader may still become the blind second marker;
- final grades and their comments likewise, except for the first marker, whose handed-in
  grades they are;
- a note pinned on an action is private to its author until the attempt's grading is revealed
  under every standard it is being graded against (notes belong to the attempt, not to one
  standard).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from crm.db import db
from crm.evaluation.marking.models import ActionNote, AgreedGrade, Marking
from crm.evaluation.marking.queries import Board, board
from crm.evaluation.marking.states import REVEALED


@dataclass(frozen=True)
class GradesView:
    """What one viewer may see of one attempt × standard's grading."""

    #: Both grids are in (or the grading is signed): nothing is hidden any more.
    revealed: bool
    #: The viewer's own marking, if they hold one.
    own: Marking | None
    #: The grids the viewer may read, first first.
    markings: list[Marking] = field(default_factory=list)
    #: criterion id → {"grade", "comment"}: the final grades the viewer may read.
    final: dict[str, dict] = field(default_factory=dict)
    disputes: list[str] = field(default_factory=list)
    open_disputes: list[str] = field(default_factory=list)
    agreed: dict[str, AgreedGrade] = field(default_factory=dict)


def grades_view(current: Board, viewer_id: int) -> GradesView:
    """The grading of `current` as the user `viewer_id` may see it."""
    revealed = current.state in REVEALED
    own = current.marking_of(viewer_id)
    if revealed:
        return GradesView(
            revealed=True,
            own=own,
            markings=current.markings,
            final=current.final(),
            disputes=current.disputes,
            open_disputes=current.open_disputes,
            agreed=dict(current.agreed),
        )
    first_marker = own is not None and own.role == "first"
    return GradesView(
        revealed=False,
        own=own,
        markings=[own] if own else [],
        final=current.final() if first_marker else {},
    )


def visible_final_grades(attempt_id: int, standard_id: str, viewer_id: int) -> dict[str, dict]:
    """criterion id → {"grade", "comment"}: the final grades this viewer may see."""
    return grades_view(board(attempt_id, standard_id), viewer_id).final


def notes_revealed(attempt_id: int) -> bool:
    """Whether the attempt's pinned notes are shown to all graders (see the module's rule)."""
    standards = db.session.scalars(
        sa.select(Marking.standard_id).where(Marking.attempt_id == attempt_id).distinct()
    ).all()
    return bool(standards) and all(board(attempt_id, s).state in REVEALED for s in standards)


def visible_notes(attempt_id: int, viewer_id: int) -> sa.Select:
    """The attempt's pinned notes this viewer may read, oldest first (a query, for paging)."""
    query = sa.select(ActionNote).where(ActionNote.attempt_id == attempt_id)
    if not notes_revealed(attempt_id):
        query = query.where(ActionNote.author_id == viewer_id)
    return query.order_by(ActionNote.created_at, ActionNote.id)
