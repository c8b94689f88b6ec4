"""State machines of the agent and of a call, as `{event: {from: to}}` tables.

Used with `crm.errors.next_status`: a move missing from a table is a 409 invalid_transition.
"""

from __future__ import annotations

AGENT_STATES = ("offline", "ready", "pause", "ringing", "on_call", "on_hold", "wrap_up")

AGENT_TRANSITIONS: dict[str, dict[str, str]] = {
    "log_on": {"offline": "ready"},
    # Pausing again while paused changes the reason.
    "pause": {"ready": "pause", "pause": "pause"},
    "unpause": {"pause": "ready"},
    "offer": {"ready": "ringing"},
    "answer": {"ringing": "on_call"},
    # The caller hung up before the answer, or the scenario's ringing delay ran out.
    "abandon": {"ringing": "ready"},
    "dial": {"ready": "on_call"},
    "hold": {"on_call": "on_hold"},
    "resume": {"on_hold": "on_call"},
    # Hang-up, transfer, or the customer hanging up: after-call work until qualification.
    "hang_up": {"on_call": "wrap_up", "on_hold": "wrap_up"},
    "qualified": {"wrap_up": "ready"},
    "log_off": {"ready": "offline", "pause": "offline"},
}

CALL_STATES = ("ringing", "on_call", "on_hold", "ended", "abandoned", "transferred")
#: Calls that are over.
CALL_FINAL = ("ended", "abandoned", "transferred")

CALL_TRANSITIONS: dict[str, dict[str, str]] = {
    "answer": {"ringing": "on_call"},
    "abandon": {"ringing": "abandoned"},
    "hold": {"on_call": "on_hold"},
    "resume": {"on_hold": "on_call"},
    "hang_up": {"on_call": "ended", "on_hold": "ended"},
    "transfer": {"on_call": "transferred", "on_hold": "transferred"},
}
