"""The shift state machine as a transition table: every event from every status."""

from __future__ import annotations

import pytest

from crm.errors import InvalidTransition, next_status
from crm.training.states import SHIFT_TRANSITIONS

STATUSES = ["planned", "running", "paused", "ended"]
ALLOWED = {
    ("planned", "start"): "running",
    ("running", "pause"): "paused",
    ("paused", "resume"): "running",
    ("planned", "end"): "ended",
    ("running", "end"): "ended",
    ("paused", "end"): "ended",
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("event", sorted(SHIFT_TRANSITIONS))
def test_shift_transition(status, event):
    expected = ALLOWED.get((status, event))
    if expected:
        assert next_status(SHIFT_TRANSITIONS, "shift", status, event) == expected
    else:
        with pytest.raises(InvalidTransition):
            next_status(SHIFT_TRANSITIONS, "shift", status, event)
