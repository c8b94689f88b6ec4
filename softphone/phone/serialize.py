"""JSON shapes of the phone: the agent's state with its timers, and a call with its transcript.

Timers are computed here, server-side, from the stored moments and the house clock. The
wrap-up timer comes with its campaign's maximum (`after_call_work_max`); going over it is not
recorded as an action of its own: the log already measures the wrap-up when the contact is
qualified (the agent's return to ready), which is what the evaluator's rule reads.
"""

from __future__ import annotations

from datetime import datetime

from crm.campaigns.membership import attempt_campaigns, call_after_call_work_target
from crm.contacts.services import find_open_contact as open_contact
from crm.training.models import Attempt
from softphone.phone.agent import seconds_between
from softphone.phone.calls import hold_total, talk_seconds
from softphone.phone.models import AgentState, Call
from softphone.phone.settings import pause_reasons, transfer_targets
from softphone.scenarios.played import played_live, scripted


def _iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, to the millisecond (None stays None)."""
    return value.isoformat(timespec="milliseconds") if value else None


def call_dict(call: Call, now: datetime, *, transcript: bool = False) -> dict:
    """A call, its timers and (optionally) its transcript."""
    rang_until = call.answered_at or call.ended_at or now
    body = {
        "id": call.id,
        "direction": call.direction,
        "number": call.number,
        "status": call.status,
        "client_id": call.client_id,
        "contact_id": call.contact_id,
        "offered_at": _iso(call.offered_at),
        "answered_at": _iso(call.answered_at),
        "ended_at": _iso(call.ended_at),
        "ended_by": call.ended_by,
        "ring_seconds": seconds_between(call.offered_at, rang_until),
        "talk_seconds": talk_seconds(call, now),
        "hold_seconds": hold_total(call, now),
        "hold_count": call.hold_count,
        "on_hold": call.status == "on_hold",
        "transferred_to": call.transferred_to,
        "transfer_mode": call.transfer_mode,
        #: A script plays the customer; `played_live`: a person does (the live role-play).
        "scripted": scripted(call.customer_state),
        "played_live": played_live(call.customer_state),
        "script": call.script_key,
    }
    if transcript:
        body["transcript"] = [
            {"speaker": t.speaker, "text": t.text, "at": _iso(t.at)} for t in call.turns
        ]
    return body


def phone_dict(attempt: Attempt, agent: AgentState | None, now: datetime) -> dict:
    """The agent's state, its timers and its current call (with transcript)."""
    state = agent.state if agent else "offline"
    call = agent.current_call if agent else None
    contact = open_contact(attempt.id)
    wrap_up = state == "wrap_up" and call is not None
    acw_max = (
        call_after_call_work_target(call.direction, call.number, attempt_campaigns(attempt.id))
        if wrap_up
        else None
    )
    return {
        "state": state,
        "pause_reason": agent.pause_reason if agent else None,
        "since": _iso(agent.since) if agent else None,
        "seconds_in_state": seconds_between(agent.since, now) if agent else 0.0,
        "logged_on_at": _iso(agent.logged_on_at) if agent and state != "offline" else None,
        "wrap_up_seconds": seconds_between(call.wrap_up_started_at, now) if wrap_up else None,
        "after_call_work_max": acw_max,
        "call": call_dict(call, now, transcript=True) if call else None,
        "open_contact_id": contact.id if contact else None,
        "pause_reasons": pause_reasons(attempt),
        "transfer_targets": [t.to_dict() for t in transfer_targets(attempt)],
    }
