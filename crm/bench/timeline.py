"""What the evaluator's timeline shows: each action's channel, the filters, the call transcripts.

Everything is read from the log (what the server saw) and the attempt's contacts; nothing from
the softphone's own tables, so `crm` keeps not importing `softphone`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from crm import channels
from crm.actionlog.models import Action
from crm.actionlog.verbs import FAMILIES, VERBS
from crm.auth.models import User
from crm.boundary.integers import optional_db_int
from crm.contacts.models import Contact
from crm.db import db

#: Channels the timeline filters on: those worked at the desk.
CHANNELS = channels.names(at_desk=True)
#: Verbs whose payload holds one line of a call's transcript, and who spoke it.
SPOKEN = {"call.said": "agent", "call.customer_said": "customer"}
#: Verbs whose payload holds a written message's text.
WRITTEN = {"message.received": "customer", "message.sent": "agent"}


#: Query-string arguments of the timeline kept when coming back to it (after pinning a note).
TIMELINE_ARGS = ("family", "channel", "contact", "client", "standard", "criterion")


def timeline_args(args) -> dict[str, str]:
    """The timeline's own arguments found in `args` (filters, criterion being checked)."""
    return {k: args[k] for k in TIMELINE_ARGS if args.get(k)}


@dataclass(frozen=True)
class Line:
    """One line of a transcript: who, what, and the action that recorded it."""

    speaker: str
    text: str
    action_id: int


@dataclass
class TimelineFilters:
    """The filters asked for in the query string, kept only when valid."""

    family: str = ""
    channel: str = ""
    contact: int | None = None
    #: Actions whose payload names this client (`client_id`), from a client's name in a payload.
    client: int | None = None

    @classmethod
    def from_args(cls, args, contacts: dict[int, Contact]) -> TimelineFilters:
        family = args.get("family", "")
        channel = args.get("channel", "")
        # Ids spelled as no column could hold them ("²", 5,000 digits) name nothing.
        contact = optional_db_int(args.get("contact", ""))
        return cls(
            family=family if family in FAMILIES else "",
            channel=channel if channel in CHANNELS else "",
            contact=contact if contact in contacts else None,
            client=optional_db_int(args.get("client", "")),
        )

    def keep(self, action: Action, channel: str | None) -> bool:
        """Whether the action passes every filter."""
        verb = VERBS.get(action.verb)
        if self.family and (verb is None or verb.family != self.family):
            return False
        if self.channel and channel != self.channel:
            return False
        if self.client is not None and (action.payload or {}).get("client_id") != self.client:
            return False
        in_contact = action.interaction_type == "contact" and action.interaction_id == self.contact
        return self.contact is None or in_contact


@dataclass
class Timeline:
    """An attempt's actions as the bench shows them."""

    actions: list[Action]
    channels: dict[int, str | None]
    contacts: dict[int, Contact]
    filters: TimelineFilters
    #: call id → its transcript, from the whole log (not only the filtered rows).
    calls: dict[int, list[Line]] = field(default_factory=dict)
    #: user id → name of the people behind the actions shown (who played a customer, who
    #: injected an event), so the evaluator sees who did it, not only in which role.
    actors: dict[int, str] = field(default_factory=dict)
    #: call id → its `call.recorded` action: the evaluator plays the call beside its transcript.
    recordings: dict[int, Action] = field(default_factory=dict)


def attempt_contacts(attempt_id: int) -> dict[int, Contact]:
    """The attempt's own contacts (not the scenario's history), by id."""
    rows = db.session.scalars(
        sa.select(Contact)
        .where(Contact.attempt_id == attempt_id, Contact.historical.is_(False))
        .order_by(Contact.id)
    )
    return {c.id: c for c in rows}


def channel_of(action: Action, contacts: dict[int, Contact]) -> str | None:
    """The channel an action belongs to: its payload's, the phone's, or its contact's."""
    payload_channel = (action.payload or {}).get("channel")
    if payload_channel in CHANNELS:
        return payload_channel
    if (by_verb := channels.of_verb(action.verb)) is not None:
        return by_verb
    if action.interaction_type == "contact" and action.interaction_id in contacts:
        return contacts[action.interaction_id].channel
    return None


def transcripts(actions: list[Action]) -> dict[int, list[Line]]:
    """Each call's lines, in order, from `call.said` / `call.customer_said`."""
    calls: dict[int, list[Line]] = {}
    for action in actions:
        if action.verb in SPOKEN:
            call_id = (action.payload or {}).get("call_id") or action.object_id
            text = (action.payload or {}).get("text", "")
            calls.setdefault(call_id, []).append(Line(SPOKEN[action.verb], text, action.id))
    return calls


def build_timeline(attempt_id: int, args) -> Timeline:
    """The attempt's actions in order, filtered by family, channel and contact."""
    every = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt_id).order_by(Action.seq)
    ).all()
    contacts = attempt_contacts(attempt_id)
    filters = TimelineFilters.from_args(args, contacts)
    of_action = {a.id: channel_of(a, contacts) for a in every}
    kept = [a for a in every if filters.keep(a, of_action[a.id])]
    recordings = {
        (a.payload or {}).get("call_id") or a.object_id: a
        for a in every
        if a.verb == "call.recorded"
    }
    return Timeline(
        kept, of_action, contacts, filters, transcripts(every), actor_names(kept), recordings
    )


def actor_names(actions: list[Action]) -> dict[int, str]:
    """The display names of the actions' actors, by user id."""
    ids = {a.actor_id for a in actions if a.actor_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}
