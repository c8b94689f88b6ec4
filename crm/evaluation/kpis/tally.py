"""Reading an attempt's actions into the counts and sums the KPIs are derived from.

A `Tally` holds named numbers (counts, seconds, euros) and, for each, the ids of the actions
that were counted. Tallies add up (a shift's tally is the sum of its attempts'), so every KPI
is derived from totals. Only the verbs below are read; what each payload key means is set by
the service that records the verb (softphone.phone, softphone.inbox, crm.contacts, crm.orders).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from crm import channels, clock
from crm.actionlog.models import Action
from crm.db import db
from crm.training.models import Attempt

#: Qualification family of contacts where nobody was reached (no argument, no sale possible).
NOT_REACHED = "CNA"

VERBS_READ = (
    "agent.logged_on",
    "agent.logged_off",
    "agent.state_changed",
    "call.offered",
    "call.abandoned",
    "call.ended",
    "call.transferred",
    "call.held",
    "contact.opened",
    "contact.qualified",
    "callback.scheduled",
    "order.confirmed",
    "order.cancelled",
    "message.received",
    "message.sent",
)


@dataclass
class Tally:
    """Named counts and sums, each with the ids of the actions behind it."""

    values: Counter = field(default_factory=Counter)
    ids: defaultdict = field(default_factory=lambda: defaultdict(list))
    #: Attempts added into this tally.
    attempts: list[int] = field(default_factory=list)

    def count(self, name: str, amount=1, actions=()) -> None:
        """Add `amount` to `name`, remembering the actions (ids or Action rows) behind it."""
        self.values[name] += amount
        self.ids[name].extend(a if isinstance(a, int) else a.id for a in actions)

    def add(self, other: Tally) -> None:
        """Add another tally into this one (a shift's attempts)."""
        for name, value in other.values.items():
            self.values[name] += value
        for name, ids in other.ids.items():
            self.ids[name].extend(ids)
        self.attempts.extend(other.attempts)

    def get(self, name: str):
        """The number under `name` (0 when nothing was counted)."""
        return self.values.get(name, 0)

    def actions(self, *names: str) -> tuple[int, ...]:
        """Ids of the actions counted under these names, sorted, unique."""
        return tuple(sorted({i for name in names for i in self.ids.get(name, ())}))


def reference_time(attempt: Attempt) -> datetime:
    """The moment an unanswered message is judged at: the attempt's end, or now if it runs."""
    return attempt.superseded_at or attempt.shift.ended_at or clock.now()


def read_actions(attempt: Attempt) -> list[Action]:
    """The attempt's actions of the verbs KPIs read, in log order."""
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.attempt_id == attempt.id, Action.verb.in_(VERBS_READ))
            .order_by(Action.seq)
        )
    )


def tally_attempt(attempt: Attempt, actions: list[Action] | None = None) -> Tally:
    """Every count the KPIs need, for one attempt."""
    actions = read_actions(attempt) if actions is None else actions
    tally = Tally(attempts=[attempt.id])
    by_verb: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        by_verb[action.verb].append(action)
    last_at = db.session.scalar(
        sa.select(sa.func.max(Action.at)).where(Action.attempt_id == attempt.id)
    )
    _contacts(tally, by_verb)
    _calls(tally, by_verb)
    _presence(tally, by_verb, last_at)
    _orders(tally, by_verb)
    _first_contact(tally, by_verb)
    _deadlines(tally, by_verb, reference_time(attempt))
    return tally


def _contact_of(action: Action) -> int | None:
    """The contact an action happened during, if any."""
    return action.interaction_id if action.interaction_type == "contact" else None


def _opened(by_verb) -> dict[int, Action]:
    """contact id → its contact.opened action."""
    return {a.object_id: a for a in by_verb["contact.opened"]}


def _contacts(tally: Tally, by_verb) -> None:
    """Contacts handled: contacts qualified (closed), per channel of their opening."""
    opened = _opened(by_verb)
    for action in by_verb["contact.qualified"]:
        opening = opened.get(action.object_id)
        channel = opening.payload.get("channel") if opening else None
        if channel in channels.CHANNELS:
            tally.count(channels.get(channel).contacts_kpi, actions=[action])
            tally.count("contacts", actions=[action])


def _calls(tally: Tally, by_verb) -> None:
    """Calls offered and lost; for each ended call its talk, hold and after-call work."""
    tally.count("calls_offered", len(by_verb["call.offered"]), by_verb["call.offered"])
    tally.count("calls_abandoned", len(by_verb["call.abandoned"]), by_verb["call.abandoned"])
    wrap_ups = {}
    for action in by_verb["agent.state_changed"]:
        if action.payload.get("from") == "wrap_up" and action.payload.get("call_id"):
            wrap_ups[action.payload["call_id"]] = action
            tally.count("wrap_ups", actions=[action])
            tally.count("wrap_seconds", float(action.payload.get("wrap_up_seconds") or 0))
    ends = sorted(by_verb["call.ended"] + by_verb["call.transferred"], key=lambda a: a.seq)
    holds = defaultdict(list)
    for action in by_verb["call.held"]:
        holds[action.payload.get("call_id")].append(action)
    for end in ends:
        call_id = end.payload.get("call_id")
        talk = float(end.payload.get("talk_seconds") or 0)
        hold = float(end.payload.get("hold_seconds") or 0)
        tally.count("ended_calls", actions=[end])
        tally.count("hold_seconds", hold)
        if hold > 0 or holds.get(call_id):
            tally.count("held_calls", actions=[end, *holds.get(call_id, [])])
        wrap = wrap_ups.get(call_id)
        if wrap is not None:
            seconds = float(wrap.payload.get("wrap_up_seconds") or 0)
            tally.count("handled_calls", actions=[end, wrap])
            tally.count("handling_seconds", talk + hold + seconds)


def _presence(tally: Tally, by_verb, last_at: datetime | None) -> None:
    """Seconds logged on to the phone: closed sessions, plus one still open at the last action."""
    sessions = sorted(by_verb["agent.logged_on"] + by_verb["agent.logged_off"], key=lambda a: a.seq)
    start = None
    for action in sessions:
        if action.verb == "agent.logged_on":
            start = action
            continue
        seconds = action.payload.get("logged_on_seconds")
        if seconds is None and start is not None:
            seconds = (action.at - start.at).total_seconds()
        if seconds is not None:
            tally.count("presence_seconds", float(seconds), [a for a in (start, action) if a])
        start = None
    if start is not None and last_at is not None:
        tally.count("presence_seconds", max(0.0, (last_at - start.at).total_seconds()), [start])


def _orders(tally: Tally, by_verb) -> None:
    """Orders kept (confirmed, not cancelled since), their totals, additional sales, conversion."""
    cancelled = {
        a.object_id
        for a in by_verb["order.cancelled"]
        if (a.payload.get("status") or {}).get("old") == "confirmed"
    }
    converting: dict[int, list[Action]] = defaultdict(list)
    for action in by_verb["order.confirmed"]:
        if action.object_id in cancelled:
            continue
        tally.count("orders", actions=[action])
        tally.count("orders_total", Decimal(str(action.payload.get("total") or "0")))
        if any(line.get("additional") for line in action.payload.get("lines", [])):
            tally.count("orders_additional", actions=[action])
        if _contact_of(action):
            converting[_contact_of(action)].append(action)
    for action in by_verb["contact.qualified"]:
        if action.payload.get("family") == NOT_REACHED:
            continue
        tally.count("reached_contacts", actions=[action])
        if action.object_id in converting:
            tally.count("converted_contacts", actions=[action, *converting[action.object_id]])


def _first_contact(tally: Tally, by_verb) -> None:
    """Inbound requests settled at the first contact: no repeat, no callback, no transfer."""
    qualified = {a.object_id: a for a in by_verb["contact.qualified"]}
    follow_up = {
        _contact_of(a) for a in by_verb["callback.scheduled"] + by_verb["call.transferred"]
    }
    firsts: dict[object, Action] = {}
    repeated: set = set()
    for action in by_verb["contact.opened"]:
        if action.payload.get("direction") != "inbound":
            continue
        customer = action.payload.get("client_id") or action.payload.get("party")
        if customer is None:
            continue
        if customer in firsts:
            repeated.add(customer)
        else:
            firsts[customer] = action
    for customer, first in firsts.items():
        closing = qualified.get(first.object_id)
        if closing is None:
            continue  # still open: not yet a request handled
        tally.count("fcr_requests", actions=[closing])
        settled = (
            customer not in repeated
            and closing.payload.get("family") != NOT_REACHED
            and first.object_id not in follow_up
        )
        if settled:
            tally.count("fcr_resolved", actions=[closing])


def _deadlines(tally: Tally, by_verb, now: datetime) -> None:
    """Each awaited answer of a written channel: met, missed, or still running (not counted)."""
    awaited: dict[tuple, list[Action]] = defaultdict(list)
    for action in by_verb["message.received"]:
        deadline = action.payload.get("deadline_at")
        if deadline and action.payload.get("channel") in channels.names(written=True):
            awaited[(action.payload.get("conversation_id"), deadline)].append(action)
    answers = {}
    for action in by_verb["message.sent"]:
        key = (action.payload.get("conversation_id"), action.payload.get("deadline_at"))
        if action.payload.get("kind") == "reply" and key in awaited and key not in answers:
            answers[key] = action
    for (conversation_id, deadline), received in awaited.items():
        channel = received[0].payload["channel"]
        answer = answers.get((conversation_id, deadline))
        if answer is None and datetime.fromisoformat(deadline) > now:
            continue  # the deadline has not passed yet: neither met nor missed
        used = [*received, answer] if answer is not None else received
        tally.count(f"deadlines.{channel}", actions=used)
        if answer is not None and answer.payload.get("within_deadline"):
            tally.count(f"deadlines_met.{channel}", actions=used)
