"""Calls, conversations and the scenario items behind them, read from an attempt's log.

Built once per evaluation (cached on the `AttemptEvidence`) for the rules that reason per call
or per written conversation. Reads only the log; what the scenario expects of a call or a
conversation comes from `AttemptEvidence.expectations` (its `call_id`, `conversation_id`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.actionlog.models import Action

#: Call verbs whose payload names the call (`call_id`).
CALL_VERBS = (
    "call.offered",
    "call.answered",
    "call.abandoned",
    "call.dialed",
    "call.rules_breached",
    "call.held",
    "call.resumed",
    "call.transferred",
    "call.ended",
    "call.said",
    "call.customer_said",
)


def cached(evidence, key: str, build):
    """`build(evidence)` once per evidence object (rules share what they index)."""
    store = evidence.__dict__.setdefault("_rule_cache", {})
    if key not in store:
        store[key] = build(evidence)
    return store[key]


@dataclass
class CallFacts:
    """One call as the log tells it."""

    id: int
    direction: str
    number: str = ""
    client_id: int | None = None
    contact_id: int | None = None
    #: The scripted customer's key: a timeline item key or "<campaign>-<n>" for a call plan.
    script: str | None = None
    start: Action | None = None
    answered: Action | None = None
    said: list[Action] = field(default_factory=list)
    customer_said: list[Action] = field(default_factory=list)
    held: list[Action] = field(default_factory=list)
    resumed: list[Action] = field(default_factory=list)
    #: call.ended or call.transferred.
    end: Action | None = None
    transferred: Action | None = None
    #: The agent's return to ready after the wrap-up of this call.
    wrap_up: Action | None = None
    actions: list[Action] = field(default_factory=list)


def _calls(evidence) -> dict[int, CallFacts]:
    calls: dict[int, CallFacts] = {}
    for action in evidence.actions:
        payload = action.payload or {}
        call_id = payload.get("call_id")
        if not isinstance(call_id, int):
            continue
        if action.verb == "agent.state_changed":
            if "wrap_up_seconds" in payload and call_id in calls:
                calls[call_id].wrap_up = action
                calls[call_id].actions.append(action)
            continue
        if action.verb not in CALL_VERBS:
            continue
        facts = calls.get(call_id)
        if facts is None:
            direction = "outbound" if action.verb == "call.dialed" else "inbound"
            facts = calls[call_id] = CallFacts(call_id, direction)
        facts.actions.append(action)
        facts.number = facts.number or payload.get("number") or ""
        if payload.get("client_id") and not facts.client_id:
            facts.client_id = payload["client_id"]
        if payload.get("contact_id") and not facts.contact_id:
            facts.contact_id = payload["contact_id"]
        if action.verb in ("call.offered", "call.dialed"):
            facts.start = action
            facts.script = payload.get("script")
        elif action.verb == "call.answered":
            facts.answered = action
        elif action.verb == "call.said":
            facts.said.append(action)
        elif action.verb == "call.customer_said":
            facts.customer_said.append(action)
        elif action.verb == "call.held":
            facts.held.append(action)
        elif action.verb == "call.resumed":
            facts.resumed.append(action)
        elif action.verb in ("call.ended", "call.transferred"):
            facts.end = action
            if action.verb == "call.transferred":
                facts.transferred = action
        if facts.contact_id is None and action.interaction_type == "contact":
            facts.contact_id = action.interaction_id
    _scripts_of_outbound_calls(evidence, calls)
    return calls


def _scripts_of_outbound_calls(evidence, calls: dict[int, CallFacts]) -> None:
    """Outbound calls carry no script key in the log: the call-plan entry their number reaches."""
    for facts in calls.values():
        if facts.direction == "outbound" and facts.script is None:
            facts.script = evidence.plan_entry_of(facts.number)


def calls(evidence) -> dict[int, CallFacts]:
    """The attempt's calls by id, in the order they started."""
    return cached(evidence, "calls", _calls)


@dataclass
class ConversationFacts:
    """One written conversation as the log tells it."""

    id: int
    channel: str = ""
    client_id: int | None = None
    received: list[Action] = field(default_factory=list)
    sent: list[Action] = field(default_factory=list)
    #: Contacts the conversation was worked under (conversation.taken).
    contact_ids: set[int] = field(default_factory=set)
    #: Status changes to resolved.
    resolved: list[Action] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


def _conversations(evidence) -> dict[int, ConversationFacts]:
    found: dict[int, ConversationFacts] = {}
    for action in evidence.actions:
        if action.verb not in (
            "message.received",
            "message.sent",
            "conversation.taken",
            "conversation.linked",
            "conversation.status_changed",
        ):
            continue
        payload = action.payload or {}
        cid = payload.get("conversation_id")
        if not isinstance(cid, int):
            continue
        facts = found.setdefault(cid, ConversationFacts(cid))
        facts.actions.append(action)
        facts.channel = facts.channel or payload.get("channel") or ""
        client = payload.get("client_id")
        if isinstance(client, dict):
            client = client.get("new")
        if client:
            facts.client_id = client
        if action.verb == "message.received":
            facts.received.append(action)
        elif action.verb == "message.sent":
            facts.sent.append(action)
            if payload.get("contact_id"):
                facts.contact_ids.add(payload["contact_id"])
        elif action.verb == "conversation.taken":
            facts.contact_ids.add(payload.get("contact_id"))
        elif (payload.get("status") or {}).get("new") == "resolved":
            facts.resolved.append(action)
    return found


def conversations(evidence) -> dict[int, ConversationFacts]:
    """The attempt's written conversations by id."""
    return cached(evidence, "conversations", _conversations)


def contact_clients(evidence) -> dict[int, int | None]:
    """The client of each contact opened in the attempt (contact.opened), by contact id."""

    def build(ev):
        return {
            a.object_id: (a.payload or {}).get("client_id")
            for a in ev.of("contact.opened")
            if a.object_id is not None
        }

    return cached(evidence, "contact_clients", build)
