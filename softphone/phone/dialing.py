"""Outbound calls: the calling rules first, then the call connects as an outbound contact.

Dialling against the rules without acknowledging them is refused, but the warning is evidence:
`dial` records `call.rules_warned` and *returns* the refusal (`DialResult.call` is None) so that
the boundary commits the warning and then answers 409 `calling_rules`. Acknowledged breaches are
recorded as `call.rules_breached`, the do-not-call list and refusal blocks included: the CRM lets
the contact open because the candidate went on knowingly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.contacts.callbacks import check_callback_dial, complete_callback, earliest_pending
from crm.contacts.models import Callback
from crm.contacts.services import open_contact
from crm.db import db
from crm.errors import next_status
from crm.phones import clients_with_number
from softphone.phone.agent import load_agent, move_agent
from softphone.phone.calls import busy, call_ctx, checked_script, e164_or_422, no_open_contact
from softphone.phone.customer import start_customer
from softphone.phone.lookup import dial_facts
from softphone.phone.models import Call
from softphone.phone.rules import Breach, CallingPolicy, check_dial
from softphone.phone.states import AGENT_TRANSITIONS
from softphone.scenarios.played import call_customer_state


@dataclass(frozen=True)
class DialResult:
    """A call dialled, or (call None) refused by the calling rules, with the breaches."""

    call: Call | None
    breaches: tuple[Breach, ...] = ()


def dial(
    ctx: Ctx,
    number: str,
    *,
    acknowledge_rules: bool = False,
    script: dict | None = None,
    callback: Callback | None = None,
    now: datetime | None = None,
) -> DialResult:
    """Call a number: the calling rules first (warned, or breached knowingly), then connect.

    The call makes `callback` done (dialled from the callbacks list), else the client's
    pending callback due first, if any: calling the client back keeps the promise.
    """
    now = now or clock.now()
    number = e164_or_422(number)
    script = checked_script(script)
    no_open_contact(ctx)
    agent = load_agent(ctx.attempt.id)
    next_status(AGENT_TRANSITIONS, "agent", agent.state if agent else "offline", "dial")
    matches = clients_with_number(ctx.attempt.id, number)
    client = matches[0] if len(matches) == 1 else None
    if callback is not None:
        check_callback_dial(callback, [p.e164 for p in callback.client.phones], number)
        client = callback.client
    policy = CallingPolicy.from_settings(ctx.attempt.settings)
    verdict = check_dial(dial_facts(ctx.attempt, number, client, now, policy), now, policy)
    breaches = [b.to_dict() for b in verdict.breaches]
    brief = {"number": number, "client_id": client.id if client else None}
    with busy():
        if verdict.breaches and not acknowledge_rules:
            payload = {**brief, "breaches": breaches, "acknowledged": acknowledge_rules}
            record(ctx, "call.rules_warned", client, payload)
            return DialResult(None, verdict.breaches)
        contact = open_contact(
            ctx,
            client,
            "phone",
            "outbound",
            subject="Appel sortant",
            party=number,
            opposition_acknowledged=acknowledge_rules,
        )
        call = Call(
            attempt_id=ctx.attempt.id,
            direction="outbound",
            number=number,
            client_id=brief["client_id"],
            contact_id=contact.id,
            status="on_call",
            offered_at=now,
            answered_at=now,
            script_key=(script or {}).get("key"),
            customer_state=call_customer_state(ctx.attempt, script),
            # A new call has no transcript yet: known empty, the answer does not read it back.
            turns=[],
        )
        db.session.add(call)
        db.session.flush()
        move_agent(agent, "dial", now)
        agent.current_call_id = call.id
        db.session.flush()
        here = call_ctx(ctx, call)
        record(
            here,
            "call.dialed",
            call,
            {
                **brief,
                "call_id": call.id,
                "contact_id": contact.id,
                "matching_client_ids": [c.id for c in matches],
                "rules_acknowledged": [b.rule for b in verdict.breaches],
                "agent_state": agent.state,
            },
        )
        if verdict.breaches:
            record(
                here,
                "call.rules_breached",
                call,
                {**brief, "call_id": call.id, "breaches": breaches},
            )
        callback = callback or (client and earliest_pending(ctx.attempt.id, client.id))
        if callback is not None:
            complete_callback(here, callback, call.id, now)
        start_customer(ctx, call, agent, now)
    return DialResult(call, verdict.breaches)
