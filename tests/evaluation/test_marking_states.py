"""The double-marking machine: every (state, event) pair, and the state derived from the rows."""

from __future__ import annotations

import pytest

from crm.errors import InvalidTransition, next_status
from crm.evaluation.marking.states import (
    MARKING_STATES,
    MARKING_TRANSITIONS,
    allowed_events,
    marking_state,
)

ALLOWED = {
    ("open", "grade_first"): "first_marking",
    ("first_marking", "grade_first"): "first_marking",
    ("first_marking", "submit_first"): "first_submitted",
    ("first_submitted", "grade_second"): "second_marking",
    ("second_marking", "grade_second"): "second_marking",
    ("second_marking", "submit_second"): "reconciling",
    ("reconciling", "settle"): "agreed",
    ("reconciling", "agree"): "reconciling",
    ("agreed", "agree"): "agreed",
    # Single marking: signed on the first grid alone.
    ("first_submitted", "sign_off"): "signed",
    ("agreed", "sign_off"): "signed",
}
PAIRS = [(state, event) for state in MARKING_STATES for event in MARKING_TRANSITIONS]


@pytest.mark.parametrize(("state", "event"), PAIRS)
def test_every_transition(state, event):
    if (state, event) in ALLOWED:
        assert next_status(MARKING_TRANSITIONS, "marking", state, event) == ALLOWED[(state, event)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            next_status(MARKING_TRANSITIONS, "marking", state, event)
        assert refused.value.status == 409


def test_the_table_has_exactly_the_allowed_moves():
    table = {(s, e): to for e, moves in MARKING_TRANSITIONS.items() for s, to in moves.items()}
    assert table == ALLOWED


def test_signed_allows_nothing():
    assert allowed_events("signed") == []


def test_reconciling_cannot_be_signed_before_agreement():
    assert allowed_events("reconciling") == ["settle", "agree"]


# (first_submitted, second_submitted, open_disputes, signed) → state
DERIVED = [
    ((None, None, 0, False), "open"),
    ((False, None, 0, False), "first_marking"),
    ((True, None, 0, False), "first_submitted"),
    ((True, False, 0, False), "second_marking"),
    ((True, True, 2, False), "reconciling"),
    ((True, True, 0, False), "agreed"),
    ((True, None, 0, True), "signed"),
    ((True, True, 0, True), "signed"),
]


@pytest.mark.parametrize(("rows", "state"), DERIVED)
def test_state_derived_from_the_rows(rows, state):
    first, second, disputes, signed = rows
    assert (
        marking_state(
            first_submitted=first,
            second_submitted=second,
            open_disputes=disputes,
            signed=signed,
        )
        == state
    )
