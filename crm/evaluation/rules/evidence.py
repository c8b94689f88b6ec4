"""What the rules read: one attempt's actions in order, indexed once per evaluation.

The log is read with one query into plain `LoggedAction` rows rather than ORM objects: a
10,000-action log is scanned by some forty rules, and an instrumented attribute costs ten times
a slot to read, besides the ORM's bookkeeping when the rows are loaded (issue 11: an evaluation
of 10,000 actions within 500 ms).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from itertools import chain

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.campaigns.models import Campaign
from crm.clients.models import Client
from crm.extensions import db
from crm.phones import normalize_phone
from crm.training.expectations import expectations_of
from crm.training.models import Attempt
from crm.training.timeline import TimelineEvent


@dataclass(slots=True, eq=False)
class LoggedAction:
    """One action of the log as the rules read it: the row's fields, without its chain links.

    Compared by identity, as the ORM's rows of one session are (the rules put actions in sets).
    """

    id: int
    seq: int
    actor_id: int | None
    actor_role: str
    at: datetime
    verb: str
    object_type: str | None
    object_id: int | None
    interaction_type: str | None
    interaction_id: int | None
    payload: dict


#: The columns read into a `LoggedAction`, in its fields' order.
_COLUMNS = (
    Action.id,
    Action.seq,
    Action.actor_id,
    Action.actor_role,
    Action.at,
    Action.verb,
    Action.object_type,
    Action.object_id,
    Action.interaction_type,
    Action.interaction_id,
    Action.payload,
)


@contextmanager
def _collector_paused():
    """The cyclic garbage collector off for a block that builds many acyclic objects.

    Decoding 10,000 payloads allocates some 50,000 containers: the collector then runs a
    hundred times over the young objects and, now and then, once over the whole heap (up to
    200 ms in a test process), and can free nothing, since these objects hold no cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def logged_actions(attempt_id: int) -> list[LoggedAction]:
    """The attempt's actions in log order, read in one query (see the module's docstring)."""
    with _collector_paused():
        rows = db.session.execute(
            sa.select(*_COLUMNS).where(Action.attempt_id == attempt_id).order_by(Action.seq)
        )
        return [LoggedAction(*row) for row in rows]


@dataclass
class ContactTrace:
    """One contact as the log tells it: opened, the actions done under it, its qualification."""

    id: int
    opened: Action
    qualified: Action | None = None
    actions: list[Action] = field(default_factory=list)

    @property
    def channel(self) -> str:
        return self.opened.payload.get("channel", "")

    @property
    def direction(self) -> str:
        return self.opened.payload.get("direction", "")

    @property
    def client_id(self) -> int | None:
        """The client the contact was qualified with (linked later), else opened with."""
        if self.qualified is not None and self.qualified.payload.get("client_id"):
            return self.qualified.payload["client_id"]
        return self.opened.payload.get("client_id")

    @property
    def code(self) -> str | None:
        return self.qualified.payload.get("code") if self.qualified is not None else None

    def did(self, *verbs: str) -> list[Action]:
        """The actions of these verbs done during this contact, in log order."""
        return [a for a in self.actions if a.verb in verbs]


@dataclass(frozen=True)
class Expectation:
    """What a scenario item expects (its `expect:` mapping) and what played it in the log.

    The item is a timeline item or a call-plan entry (key ``<campaign>-<n>``, kind "call").
    """

    key: str
    kind: str
    expect: dict
    #: The contact that handled the item (None while nobody answered or took it).
    contact_id: int | None
    #: The call that played it (a timeline call offered, a call-plan number dialled).
    call_id: int | None = None
    #: The conversation a timeline message opened.
    conversation_id: int | None = None


class AttemptEvidence:
    """An attempt's log, read once and indexed for the rules (read-only)."""

    def __init__(self, attempt: Attempt, actions: list | None = None):
        self.attempt = attempt
        if actions is not None:
            self.actions = actions

    @cached_property
    def actions(self) -> list[LoggedAction]:
        """The attempt's actions in log order (read on first use: a standard whose criteria
        name no rule never reads the log)."""
        return logged_actions(self.attempt.id)

    @cached_property
    def final(self) -> bool:
        """Whether the log is complete (shift ended or attempt reset): what is missing now
        will stay missing, where a running shift still leaves time."""
        return not log_may_grow(self.attempt)

    @property
    def settings(self) -> dict:
        """The scenario facts kept on the attempt (desk settings, company…)."""
        return self.attempt.settings or {}

    @cached_property
    def by_verb(self) -> dict[str, list[Action]]:
        """Actions grouped by verb, each list in log order."""
        index: dict[str, list[Action]] = defaultdict(list)
        for action in self.actions:
            index[action.verb].append(action)
        return index

    @cached_property
    def _position(self) -> dict[int, int]:
        """Each action's place in the log, by the action object's id()."""
        return {id(action): i for i, action in enumerate(self.actions)}

    def of(self, *verbs: str) -> list[Action]:
        """The actions with any of these verbs, in log order."""
        found = [self.by_verb[verb] for verb in dict.fromkeys(verbs) if verb in self.by_verb]
        if len(found) == 1:
            return list(found[0])
        # Merge the verbs' lists (each in log order) rather than scan the whole log again.
        place = self._position
        return sorted(chain.from_iterable(found), key=lambda action: place[id(action)])

    @cached_property
    def contacts(self) -> dict[int, ContactTrace]:
        """Every contact opened in the log, by id, with the actions done under it."""
        traces: dict[int, ContactTrace] = {}
        for action in self.actions:
            if action.verb == "contact.opened":
                traces[action.object_id] = ContactTrace(action.object_id, action)
            if action.interaction_type != "contact" or action.interaction_id not in traces:
                continue
            trace = traces[action.interaction_id]
            trace.actions.append(action)
            if action.verb == "contact.qualified" and action.object_id == trace.id:
                trace.qualified = action
        return traces

    def contact_of(self, action: Action) -> ContactTrace | None:
        """The contact during which an action was done, if any."""
        if action.interaction_type != "contact":
            return None
        return self.contacts.get(action.interaction_id)

    @cached_property
    def campaigns(self) -> list[Campaign]:
        """The attempt's campaigns, in the pack's order."""
        return list(
            db.session.scalars(
                sa.select(Campaign)
                .where(Campaign.attempt_id == self.attempt.id)
                .order_by(Campaign.id)
            )
        )

    @cached_property
    def call_plan(self) -> dict[str, tuple[str, dict]]:
        """Call-plan entries by number (E.164): their key (``<campaign>-<n>``) and the entry.

        A number listed twice reaches its first entry, as the phone's dialler does.
        """
        plan: dict[str, tuple[str, dict]] = {}
        for campaign in self.campaigns:
            for j, entry in enumerate((campaign.settings or {}).get("call_plan") or []):
                number = (
                    normalize_phone(entry.get("number") or "") if isinstance(entry, dict) else None
                )
                if number and number not in plan:
                    plan[number] = (f"{campaign.key}-{j + 1}", entry)
        return plan

    def plan_entry_of(self, number: str | None) -> str | None:
        """The key of the call-plan entry a dialled number reaches, if any."""
        found = self.call_plan.get(normalize_phone(number or "") or "")
        return found[0] if found else None

    @cached_property
    def expectations(self) -> dict[str, Expectation]:
        """The scenario items' `expect:` mappings by item key, each linked to what played it.

        The one link between a scenario item and the log: a timeline call to the call offered
        with its script and the contact that answered it; a timeline message to the
        conversation it opened and the contact that took it; a call-plan entry to the first
        call dialled to its number and that call's contact.
        """
        events = db.session.execute(
            sa.select(
                TimelineEvent.key, TimelineEvent.kind, TimelineEvent.payload, TimelineEvent.result
            )
            .where(TimelineEvent.attempt_id == self.attempt.id, TimelineEvent.kind != "reply")
            .order_by(TimelineEvent.fire_offset_seconds, TimelineEvent.id)
        ).all()
        found = {}
        for key, kind, payload, result in events:
            expect = expectations_of(payload)
            if not expect:
                continue
            if kind == "call":
                found[key] = Expectation(key, kind, expect, *self._timeline_call(key))
            else:
                conversation = (result or {}).get("conversation_id")
                contact = self._taker(conversation)
                found[key] = Expectation(key, kind, expect, contact, None, conversation)
        for key, entry in self.call_plan.values():
            expect = expectations_of(entry)
            if expect:
                found[key] = Expectation(key, "call", expect, *self._dialled(key))
        return found

    def expectations_for(self, name: str) -> list[Expectation]:
        """The items that expect something about `name` (e.g. "substitute")."""
        return [e for e in self.expectations.values() if name in e.expect]

    def _timeline_call(self, key: str) -> tuple[int | None, int | None]:
        """(contact, call) of the item's call: the first offered with its script and answered,
        else the first offered (no contact yet)."""
        offered = [
            a.payload.get("call_id")
            for a in self.of("call.offered")
            if a.payload.get("script") == key
        ]
        for answered in self.of("call.answered"):
            if answered.payload.get("call_id") in offered:
                return answered.payload.get("contact_id"), answered.payload.get("call_id")
        return None, offered[0] if offered else None

    def _dialled(self, key: str) -> tuple[int | None, int | None]:
        """(contact, call) of the first call dialled to this call-plan entry's number."""
        for dialled in self.of("call.dialed"):
            if self.plan_entry_of(dialled.payload.get("number")) == key:
                return dialled.payload.get("contact_id"), dialled.payload.get("call_id")
        return None, None

    def _taker(self, conversation: int | None) -> int | None:
        """The contact under which a conversation was first taken."""
        for taken in self.of("conversation.taken"):
            if conversation is not None and taken.payload.get("conversation_id") == conversation:
                return taken.payload.get("contact_id")
        return None

    @cached_property
    def _client_numbers(self) -> dict[int, str]:
        rows = db.session.execute(
            sa.select(Client.id, Client.number).where(Client.attempt_id == self.attempt.id)
        )
        return {row.id: row.number for row in rows}

    def client_number(self, client_id: int | None) -> str:
        """A client's number as shown on screens (its id when the file has no number)."""
        if client_id is None:
            return "?"
        return self._client_numbers.get(client_id) or f"#{client_id}"

    @cached_property
    def created_clients(self) -> set[int]:
        """Clients (prospects) whose file was created during the attempt."""
        return {a.object_id for a in self.of("client.created")}


def log_may_grow(attempt: Attempt) -> bool:
    """Whether the attempt's log may still grow: the live attempt of a shift not ended.

    A reset attempt (superseded) or a closed one is final, whatever its shift does.
    """
    shift = attempt.shift
    return attempt.status == "active" and shift is not None and shift.status != "ended"


def client_of(action: Action) -> int | None:
    """The client an action is about: its object when a client, else its payload's client_id."""
    if action.object_type == "client":
        return action.object_id
    value = (action.payload or {}).get("client_id")
    return value if isinstance(value, int) else None
