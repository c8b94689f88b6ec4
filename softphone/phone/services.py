"""Phone services: offer, answer, abandon, dial, hold, resume, transfer and hang up a call.

Each validates, mutates, flushes and records its action in the caller's transaction; none
commits. A connected call is a CRM contact opened through `crm.contacts.services.open_contact`;
after the hang-up the agent stays in wrap-up until that contact is qualified (the receiver in
`agent.py`), and no call is offered or dialled while a contact is still unqualified.

Outbound calls and the calling rules live in `dialing.py`; `dial` is re-exported here with the
agent's and the scripted customer's services, so that boundaries import one module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.clients.models import Client
from crm.contacts.models import Contact
from crm.contacts.services import open_contact
from crm.db import db
from crm.errors import ValidationFailed, next_status
from crm.phones import clients_with_number
from softphone.phone.agent import load_agent, move_agent, seconds_between
from softphone.phone.agent import set_agent_state as set_agent_state
from softphone.phone.calls import (
    add_turn,
    busy,
    call_ctx,
    checked_script,
    e164_or_422,
    end_call,
    ensure_current,
    hold_total,
    no_open_contact,
    release_if_qualified,
)
from softphone.phone.customer import resume_customer, start_customer
from softphone.phone.customer import say as say
from softphone.phone.customer import tick_call as tick_call
from softphone.phone.dialing import DialResult as DialResult
from softphone.phone.dialing import dial as dial
from softphone.phone.models import Call
from softphone.phone.settings import TransferTarget, transfer_targets
from softphone.phone.states import AGENT_TRANSITIONS, CALL_TRANSITIONS
from softphone.scenarios.played import call_customer_state

TRANSFER_MODES = ("blind", "consult")


@dataclass(frozen=True)
class Answer:
    """A call answered: its contact, the screen-pop client and the customer's first lines."""

    call: Call
    contact: Contact
    client_id: int | None
    replies: list[str]


@dataclass(frozen=True)
class Transfer:
    """A call transferred, and what the colleague said when consulted."""

    call: Call
    target: TransferTarget
    reply: str | None


def offer_inbound_call(
    ctx: Ctx, number: str, script: dict | None = None, *, now: datetime | None = None
) -> Call:
    """Make the agent's phone ring with the caller's number (the timeline, or a trainer)."""
    now = now or clock.now()
    number = e164_or_422(number)
    script = checked_script(script)
    no_open_contact(ctx)
    agent = load_agent(ctx.attempt.id)
    next_status(AGENT_TRANSITIONS, "agent", agent.state if agent else "offline", "offer")
    matches = clients_with_number(ctx.attempt.id, number)
    client = matches[0] if len(matches) == 1 else None
    with busy():
        call = Call(
            attempt_id=ctx.attempt.id,
            direction="inbound",
            number=number,
            client_id=client.id if client else None,
            status="ringing",
            offered_at=now,
            script_key=(script or {}).get("key"),
            customer_state=call_customer_state(ctx.attempt, script),
        )
        db.session.add(call)
        db.session.flush()
        move_agent(agent, "offer", now)
        agent.current_call_id = call.id
        db.session.flush()
        record(
            ctx,
            "call.offered",
            call,
            {
                "call_id": call.id,
                "number": number,
                "client_id": call.client_id,
                "matching_client_ids": [c.id for c in matches],
                "script": call.script_key,
                "scripted": script is not None,
                "agent_state": agent.state,
            },
        )
    return call


def answer_call(ctx: Ctx, call: Call, *, now: datetime | None = None) -> Answer:
    """Pick up: open the inbound contact (screen pop on the caller's client) and connect."""
    now = now or clock.now()
    check_attempt(ctx, call, label="Appel")
    status = next_status(CALL_TRANSITIONS, "call", call.status, "answer")
    agent = ensure_current(load_agent(ctx.attempt.id), call)
    with busy():
        client = db.session.get(Client, call.client_id) if call.client_id else None
        contact = open_contact(
            ctx, client, "phone", "inbound", subject="Appel entrant", party=call.number
        )
        move_agent(agent, "answer", now)
        call.status, call.answered_at, call.contact_id = status, now, contact.id
        db.session.flush()
        record(
            call_ctx(ctx, call),
            "call.answered",
            call,
            {
                "call_id": call.id,
                "number": call.number,
                "client_id": call.client_id,
                "contact_id": contact.id,
                "ring_seconds": seconds_between(call.offered_at, now),
                "agent_state": agent.state,
            },
        )
        replies = start_customer(ctx, call, agent, now)
    return Answer(call, contact, call.client_id, replies)


def abandon_call(
    ctx: Ctx, call: Call, *, reason: str = "timeout", now: datetime | None = None
) -> Call:
    """The caller hung up before the answer, or the ringing delay ran out (the timeline)."""
    now = now or clock.now()
    check_attempt(ctx, call, label="Appel")
    status = next_status(CALL_TRANSITIONS, "call", call.status, "abandon")
    agent = ensure_current(load_agent(ctx.attempt.id), call)
    with busy():
        move_agent(agent, "abandon", now)
        agent.current_call_id = None
        call.status, call.ended_at, call.ended_by = status, now, "caller"
        db.session.flush()
        record(
            ctx,
            "call.abandoned",
            call,
            {
                "call_id": call.id,
                "number": call.number,
                "client_id": call.client_id,
                "ring_seconds": seconds_between(call.offered_at, now),
                "reason": reason,
                "agent_state": agent.state,
            },
        )
    return call


def hold_call(ctx: Ctx, call: Call, *, now: datetime | None = None) -> Call:
    """Put the customer on hold (the hold time is measured from now)."""
    now = now or clock.now()
    check_attempt(ctx, call, label="Appel")
    status = next_status(CALL_TRANSITIONS, "call", call.status, "hold")
    agent = ensure_current(load_agent(ctx.attempt.id), call)
    with busy():
        move_agent(agent, "hold", now)
        call.status, call.hold_started_at = status, now
        call.hold_count += 1
        db.session.flush()
        record(
            call_ctx(ctx, call),
            "call.held",
            call,
            {"call_id": call.id, "hold_count": call.hold_count, "agent_state": agent.state},
        )
    return call


def resume_call(ctx: Ctx, call: Call, *, now: datetime | None = None) -> Call:
    """Take the customer back from hold (time measured); they react to what was done meanwhile."""
    now = now or clock.now()
    check_attempt(ctx, call, label="Appel")
    status = next_status(CALL_TRANSITIONS, "call", call.status, "resume")
    agent = ensure_current(load_agent(ctx.attempt.id), call)
    with busy():
        waited = seconds_between(call.hold_started_at, now)
        move_agent(agent, "resume", now)
        call.status, call.hold_seconds = status, hold_total(call, now)
        call.hold_started_at = None
        db.session.flush()
        record(
            call_ctx(ctx, call),
            "call.resumed",
            call,
            {
                "call_id": call.id,
                "seconds": waited,
                "hold_seconds": call.hold_seconds,
                "agent_state": agent.state,
            },
        )
        resume_customer(ctx, call, agent, now)
    return call


def transfer_call(
    ctx: Ctx, call: Call, target: str, mode: str, *, now: datetime | None = None
) -> Transfer:
    """Transfer to one of the scenario's targets, blind or after consulting the colleague."""
    now = now or clock.now()
    check_attempt(ctx, call, label="Appel")
    targets = {t.key: t for t in transfer_targets(ctx.attempt)}
    errors = {}
    if target not in targets:
        errors["target"] = "Destinataire attendu : " + ", ".join(targets) + "."
    if mode not in TRANSFER_MODES:
        errors["mode"] = (
            "Mode attendu : blind (transfert direct) ou consult (transfert accompagné)."
        )
    if errors:
        raise ValidationFailed(errors)
    chosen = targets[target]
    next_status(CALL_TRANSITIONS, "call", call.status, "transfer")
    agent = ensure_current(load_agent(ctx.attempt.id), call)
    reply = chosen.answer if mode == "consult" and chosen.answer else None
    with busy():
        if reply:
            add_turn(call, "system", f"{chosen.label} : {reply}", now)
        timings = end_call(call, agent, "transfer", "agent", now)
        call.transferred_to, call.transfer_mode = chosen.key, mode
        db.session.flush()
        record(
            call_ctx(ctx, call),
            "call.transferred",
            call,
            {**timings, "target": chosen.key, "target_label": chosen.label, "mode": mode},
        )
        release_if_qualified(ctx, agent, call, now)
    return Transfer(call, chosen, reply)


def hang_up(ctx: Ctx, call: Call, *, now: datetime | None = None) -> Call:
    """End the call; the agent goes to wrap-up until the contact is qualified."""
    now = now or clock.now()
    check_attempt(ctx, call, label="Appel")
    next_status(CALL_TRANSITIONS, "call", call.status, "hang_up")
    agent = ensure_current(load_agent(ctx.attempt.id), call)
    with busy():
        outcome = ((call.customer_state or {}).get("engine") or {}).get("outcome")
        timings = end_call(call, agent, "hang_up", "agent", now)
        payload = {**timings, "by": "agent"}
        if outcome:
            payload["customer_outcome"] = outcome
        record(call_ctx(ctx, call), "call.ended", call, payload)
        release_if_qualified(ctx, agent, call, now)
    return call


__all__ = [
    "Answer",
    "DialResult",
    "Transfer",
    "abandon_call",
    "answer_call",
    "dial",
    "hang_up",
    "hold_call",
    "offer_inbound_call",
    "resume_call",
    "say",
    "set_agent_state",
    "tick_call",
    "transfer_call",
]
