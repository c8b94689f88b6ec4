"""The claim status machine: every (status, event) pair, allowed or refused."""

from __future__ import annotations

import pytest

from crm.claims.states import CLAIM_STATUSES, CLAIM_TRANSITIONS, allowed_events
from crm.errors import InvalidTransition, next_status

ALLOWED = {
    ("open", "start"): "in_progress",
    ("in_progress", "resolve"): "resolved",
    ("resolved", "close"): "closed",
    ("open", "reject"): "rejected",
    ("in_progress", "reject"): "rejected",
    ("resolved", "reopen"): "in_progress",
}
PAIRS = [(status, event) for status in CLAIM_STATUSES for event in CLAIM_TRANSITIONS]


@pytest.mark.parametrize(("status", "event"), PAIRS)
def test_every_transition(status, event):
    if (status, event) in ALLOWED:
        assert next_status(CLAIM_TRANSITIONS, "claim", status, event) == ALLOWED[(status, event)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            next_status(CLAIM_TRANSITIONS, "claim", status, event)
        assert refused.value.status == 409
        assert refused.value.code == "invalid_transition"


def test_the_table_has_exactly_the_allowed_moves():
    table = {(s, e): to for e, moves in CLAIM_TRANSITIONS.items() for s, to in moves.items()}
    assert table == ALLOWED


@pytest.mark.parametrize("status", ["closed", "rejected"])
def test_final_statuses_allow_nothing(status):
    assert allowed_events(status) == []


def test_allowed_events_follow_the_table():
    assert allowed_events("open") == ["start", "reject"]
    assert allowed_events("resolved") == ["close", "reopen"]
