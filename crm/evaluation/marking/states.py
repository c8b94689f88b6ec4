"""The double-marking state machine of one attempt × standard: {event: {from: to}}, pure.

The state is derived from the rows (see `marking_state`), never stored:

- ``open``: nobody has graded yet;
- ``first_marking``: the first evaluator grades (a draft they can change);
- ``first_submitted``: the first marking is handed in and read-only. Either a second evaluator
  starts a blind second marking, or the first evaluator signs off alone (single marking: a
  shift marked by one evaluator is signed on the first marking's grades);
- ``second_marking``: a second evaluator grades without seeing the first's grades;
- ``reconciling``: both markings handed in and at least one criterion graded differently has no
  agreed grade yet (both evaluators now see both grids and the flags);
- ``agreed``: every disagreement has its agreed grade (or there was none);
- ``signed``: the grades are sealed with the log's hash; nothing changes any more.

The second marking starts only once the first is handed in, so that the first grid is fixed
before anyone compares with it.
"""

from __future__ import annotations

OPEN = "open"
FIRST_MARKING = "first_marking"
FIRST_SUBMITTED = "first_submitted"
SECOND_MARKING = "second_marking"
RECONCILING = "reconciling"
AGREED = "agreed"
SIGNED = "signed"

MARKING_STATES = (
    OPEN,
    FIRST_MARKING,
    FIRST_SUBMITTED,
    SECOND_MARKING,
    RECONCILING,
    AGREED,
    SIGNED,
)

MARKING_TRANSITIONS: dict[str, dict[str, str]] = {
    "grade_first": {OPEN: FIRST_MARKING, FIRST_MARKING: FIRST_MARKING},
    "submit_first": {FIRST_MARKING: FIRST_SUBMITTED},
    "grade_second": {FIRST_SUBMITTED: SECOND_MARKING, SECOND_MARKING: SECOND_MARKING},
    # Both grids in: disagreements (if any) wait for an agreed grade.
    "submit_second": {SECOND_MARKING: RECONCILING},
    # No service sends it: the state is derived from the rows and reads `agreed` as soon as the
    # last disagreement has its agreed grade; listed so that the table holds every move.
    "settle": {RECONCILING: AGREED},
    "agree": {RECONCILING: RECONCILING, AGREED: AGREED},
    "sign_off": {FIRST_SUBMITTED: SIGNED, AGREED: SIGNED},
}

#: States in which every grid of the attempt may be shown to both evaluators.
REVEALED = frozenset({RECONCILING, AGREED, SIGNED})


def marking_state(
    *,
    first_submitted: bool | None,
    second_submitted: bool | None,
    open_disputes: int,
    signed: bool,
) -> str:
    """The state from the rows: each marking's `submitted` (None: no such marking), the number
    of disagreements still without an agreed grade, and whether a sign-off exists."""
    if signed:
        return SIGNED
    if first_submitted is None:
        return OPEN
    if not first_submitted:
        return FIRST_MARKING
    if second_submitted is None:
        return FIRST_SUBMITTED
    if not second_submitted:
        return SECOND_MARKING
    return RECONCILING if open_disputes else AGREED


def allowed_events(state: str) -> list[str]:
    """The events the machine accepts from `state`, in the table's order."""
    return [event for event, moves in MARKING_TRANSITIONS.items() if state in moves]
