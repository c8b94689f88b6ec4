"""The agent's and the call's state machines, as tables: every transition, allowed and refused."""

from __future__ import annotations

import pytest

from crm.errors import InvalidTransition, next_status
from softphone.phone.states import (
    AGENT_STATES,
    AGENT_TRANSITIONS,
    CALL_STATES,
    CALL_TRANSITIONS,
)

AGENT_ALLOWED = {
    ("log_on", "offline"): "ready",
    ("pause", "ready"): "pause",
    ("pause", "pause"): "pause",
    ("unpause", "pause"): "ready",
    ("offer", "ready"): "ringing",
    ("answer", "ringing"): "on_call",
    ("abandon", "ringing"): "ready",
    ("dial", "ready"): "on_call",
    ("hold", "on_call"): "on_hold",
    ("resume", "on_hold"): "on_call",
    ("hang_up", "on_call"): "wrap_up",
    ("hang_up", "on_hold"): "wrap_up",
    ("qualified", "wrap_up"): "ready",
    ("log_off", "ready"): "offline",
    ("log_off", "pause"): "offline",
}

CALL_ALLOWED = {
    ("answer", "ringing"): "on_call",
    ("abandon", "ringing"): "abandoned",
    ("hold", "on_call"): "on_hold",
    ("resume", "on_hold"): "on_call",
    ("hang_up", "on_call"): "ended",
    ("hang_up", "on_hold"): "ended",
    ("transfer", "on_call"): "transferred",
    ("transfer", "on_hold"): "transferred",
}


def _cases(table: dict, states: tuple, allowed: dict):
    return [
        pytest.param(event, state, allowed.get((event, state)), id=f"{event}-{state}")
        for event in table
        for state in states
    ]


@pytest.mark.parametrize(
    ("event", "state", "expected"), _cases(AGENT_TRANSITIONS, AGENT_STATES, AGENT_ALLOWED)
)
def test_agent_transitions(event, state, expected):
    if expected is None:
        with pytest.raises(InvalidTransition) as caught:
            next_status(AGENT_TRANSITIONS, "agent", state, event)
        assert caught.value.status == 409
        assert caught.value.details == {"machine": "agent", "status": state, "event": event}
    else:
        assert next_status(AGENT_TRANSITIONS, "agent", state, event) == expected


@pytest.mark.parametrize(
    ("event", "state", "expected"), _cases(CALL_TRANSITIONS, CALL_STATES, CALL_ALLOWED)
)
def test_call_transitions(event, state, expected):
    if expected is None:
        with pytest.raises(InvalidTransition):
            next_status(CALL_TRANSITIONS, "call", state, event)
    else:
        assert next_status(CALL_TRANSITIONS, "call", state, event) == expected


def test_tables_hold_only_known_states():
    for table, states in ((AGENT_TRANSITIONS, AGENT_STATES), (CALL_TRANSITIONS, CALL_STATES)):
        for moves in table.values():
            assert set(moves) <= set(states)
            assert set(moves.values()) <= set(states)


def test_final_call_states_have_no_way_out():
    for final in ("ended", "abandoned", "transferred"):
        assert all(final not in moves for moves in CALL_TRANSITIONS.values())
