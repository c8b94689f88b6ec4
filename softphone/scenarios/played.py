"""Whether a scripted customer speaks, or a person plays it (the live role-play).

One flag on the customer's state (`live`) silences the script: set when the call or the
timeline message arrives in a shift of mode `live`, or when a role-player takes over a scripted
customer. The engine is then never consulted for that customer (no opening line, no answer, no
nudge); the script stays on the state for the persona the role-player reads.
"""

from __future__ import annotations

LIVE_KEY = "live"


def played_live(state: dict | None) -> bool:
    """Whether a person plays this customer instead of its script."""
    return bool(state) and bool(state.get(LIVE_KEY))


def live_shift(attempt) -> bool:
    """Whether the attempt's shift is played live (mode `live`)."""
    return attempt.shift.mode == "live"


def call_customer_state(attempt, script: dict | None) -> dict | None:
    """A new call's customer state: its script, silenced in a live shift."""
    if not script:
        return None
    state = {"script": script, "engine": None}
    if live_shift(attempt):
        state[LIVE_KEY] = True
    return state


def taken_over(state: dict | None) -> dict | None:
    """The same customer state, now played by a person (a new dict: the JSON column changes)."""
    return {**(state or {}), LIVE_KEY: True}


def scripted(state: dict | None) -> bool:
    """Whether a script plays this customer (it has one, and no person took it over)."""
    return bool(state) and bool(state.get("script")) and not played_live(state)
