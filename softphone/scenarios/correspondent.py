"""Scripted correspondents: the customer behind a timeline email, SMS or chat writes back.

A timeline message may carry a persona and a script like a call. Its first message is the
item's `body`; then the engine (`softphone.scenarios.Engine`) hears the candidate's replies
(`message.sent` on that conversation, as turns) and the actions done under the conversation's
contact (identity verified, order confirmed…). What the customer answers is not written at
once: it is queued as a `reply` timeline event, due after a realistic delay (typing time for a
chat, minutes for an email), which the scheduler delivers through `receive_message` like any
other event — claimed, once. A live chat customer also nudges after a silence (`tick`).

The engine's state lives on the timeline event (`customer_state`) between messages.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

from crm import channels, clock
from crm.db import db, forget_memo, transaction_memo
from crm.training.locking import locked_row
from crm.training.models import Attempt
from crm.training.timeline import TimelineEvent, shift_elapsed
from softphone.scenarios.agenda import chats_query, chunks, customer_wakes_at, running_attempts
from softphone.scenarios.engine import Engine, Reply
from softphone.scenarios.failures import failed_state, is_failed, run_unit
from softphone.scenarios.played import live_shift, played_live, taken_over
from softphone.scenarios.timeline import REPLY_DELAY, item_script

WRITTEN = channels.names(written=True)
#: A chat customer types about this many characters a second (added to the reply delay).
TYPING_CHARS_PER_SECOND = 6
MAX_TYPING_SECONDS = 40

#: `transaction_memo` name of the correspondents started in the attempts this transaction read.
_STARTED_MEMO = "started_correspondents"

log = logging.getLogger(__name__)


def _engine(state: dict, now: datetime) -> Engine:
    """The correspondent's engine resumed at `now`."""
    return Engine(state["script"], lambda: now, state.get("engine"))


def _delay(event: TimelineEvent, channel: str, text: str) -> int:
    """Seconds before an answer arrives: the item's `reply_delay`, else the channel's."""
    delay = event.payload.get("reply_delay", REPLY_DELAY[channel])
    if channel == "chat":
        delay += min(MAX_TYPING_SECONDS, len(text) // TYPING_CHARS_PER_SECOND)
    return int(delay)


def reply_keys(event: TimelineEvent, count: int) -> list[str]:
    """Keys for this correspondent's next `count` answers: ``<item key>~<n>``, n after the last.

    The number is read from the answers already queued (the database is the only counter: a
    counter kept in `customer_state` was lost whenever an autoflush wrote the state before it
    was bumped). The caller holds the attempt's row lock (every write of an attempt takes it
    first), so two writers never read the same last number.
    """
    prefix = f"{event.key}~"
    queued = db.session.scalars(
        sa.select(TimelineEvent.key).where(
            TimelineEvent.attempt_id == event.attempt_id,
            TimelineEvent.kind == "reply",
            TimelineEvent.key.startswith(prefix, autoescape=True),
        )
    )
    numbers = [k[len(prefix) :] for k in queued]
    last = max((int(n) for n in numbers if n.isdigit()), default=0)
    return [f"{prefix}{last + i}" for i in range(1, count + 1)]


def _queue(event: TimelineEvent, reply: Reply, now: datetime) -> list[TimelineEvent]:
    """Queue the customer's lines as `reply` events (one per chat line, else one message)."""
    state = event.customer_state
    channel = state["channel"]
    lines = list(reply.lines)
    if not lines:
        return []
    texts = lines if channel == "chat" else ["\n\n".join(lines)]
    attempt = db.session.get(Attempt, event.attempt_id)
    at = int(shift_elapsed(attempt.shift, now))
    queued = []
    for key, text in zip(reply_keys(event, len(texts)), texts, strict=True):
        at += _delay(event, channel, text)
        queued.append(
            TimelineEvent(
                attempt_id=event.attempt_id,
                key=key,
                kind="reply",
                fire_offset_seconds=at,
                payload={
                    "channel": channel,
                    "from": state["party"],
                    "subject": state.get("subject"),
                    "language": state.get("language", "fr"),
                    "body": text,
                    "parent": event.key,
                },
            )
        )
    db.session.add_all(queued)
    return queued


def _save(event: TimelineEvent, engine: Engine, **changes) -> None:
    """Keep the engine's state on the event (a new dict, so the JSON column is updated)."""
    event.customer_state = {**event.customer_state, "engine": dict(engine.state), **changes}


def after_received(event: TimelineEvent, conversation, now: datetime) -> None:
    """A timeline message arrived: start its correspondent; a queued answer follows its thread."""
    if event.kind == "reply":
        parent = _parent(event)
        if parent is not None and parent.customer_state:
            # A resolved chat starts a new conversation: the customer follows it there.
            parent.customer_state = {**parent.customer_state, "conversation_id": conversation.id}
        return
    script = item_script(event.payload, event.key)
    if script is None:
        return
    engine = Engine(script, lambda: now)
    event.customer_state = {
        "script": script,
        "engine": None,
        "conversation_id": conversation.id,
        "channel": event.kind,
        "party": event.payload["from"],
        "subject": event.payload.get("subject"),
        "language": event.payload.get("language", "fr"),
    }
    attempt = db.session.get(Attempt, event.attempt_id)
    if live_shift(attempt):
        # A role-player writes this customer's answers: the script is kept for its persona.
        event.customer_state = taken_over(event.customer_state)
        return
    reply = engine.start()
    _save(event, engine)
    _queue(event, reply, now)


def silenced(event: TimelineEvent) -> bool:
    """A queued answer whose correspondent a role-player took over since: never delivered."""
    if event.kind != "reply":
        return False
    parent = _parent(event)
    return parent is not None and played_live(parent.customer_state)


def _parent(event: TimelineEvent) -> TimelineEvent | None:
    """The timeline message whose correspondent queued this answer."""
    return db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == event.attempt_id,
            TimelineEvent.key == event.payload.get("parent"),
        )
    )


#: Asked once per transaction that records an action: built once (crm/db.py: hot statements).
_STARTED = sa.select(TimelineEvent).where(
    TimelineEvent.attempt_id == sa.bindparam("attempt_id"),
    TimelineEvent.kind.in_(WRITTEN),
    TimelineEvent.customer_state.is_not(None),
)


def _live(attempt_id: int) -> list[TimelineEvent]:
    """The attempt's correspondents still in conversation.

    Every action of a contact asks, so the started correspondents are read once per
    transaction (`crm.db.transaction_memo`) and filtered on each ask by their current state;
    a correspondent that starts within the transaction clears what was read
    (`_forget_started`)."""
    started = transaction_memo(_STARTED_MEMO)
    events = started.get(attempt_id)
    if events is None:
        events = started[attempt_id] = db.session.scalars(
            _STARTED, {"attempt_id": attempt_id}
        ).all()
    return [e for e in events if _in_conversation(e.customer_state)]


@sa.event.listens_for(TimelineEvent.customer_state, "set")
def _forget_started(target, value, oldvalue, _initiator) -> None:
    """A correspondent starts (its state goes from none to some): `_live` reads them again."""
    if value is not None and oldvalue in (None, NO_VALUE, NEVER_SET) and has_app_context():
        forget_memo(_STARTED_MEMO)


def _in_conversation(state: dict | None) -> bool:
    """Whether a correspondent still talks: started, not finished, not broken."""
    if not state or is_failed(state) or played_live(state):
        return False
    return not (state.get("engine") or {}).get("finished")


def react_to_message(action) -> None:
    """Receiver of `action_recorded`: the correspondent reads the candidate's reply, or acts.

    The candidate's action is what matters: the customer's follow-up runs in a savepoint, so a
    follow-up that breaks is rolled back alone — the candidate's reply and its action commit,
    the correspondent is marked failed (logged once) and stays silent from then on.
    """
    if action.actor_role in ("system", "customer"):
        return
    sent = action.verb == "message.sent"
    if not sent and action.interaction_type != "contact":
        return
    payload = action.payload or {}
    live = _live(action.attempt_id)
    if not live:
        return
    now = clock.now()
    for event in live:
        state = event.customer_state
        if sent and payload.get("conversation_id") == state.get("conversation_id"):
            heard = {"said": payload.get("body") or ""}
        elif not sent and _works_on(state, action.interaction_id):
            heard = {"action": {"verb": action.verb, "payload": payload}}
        else:
            continue
        try:
            with db.session.begin_nested():
                _follow_up(event, heard, now)
        except Exception as error:
            log.exception("scripted correspondent %s failed; it falls silent", event.key)
            event.customer_state = failed_state(event.customer_state, error)


def _follow_up(event: TimelineEvent, heard: dict, now: datetime) -> None:
    """The correspondent hears a turn or an action, and queues what it answers."""
    engine = _engine(event.customer_state, now)
    said = heard.get("said")
    reply = engine.on_said(said) if said is not None else engine.on_action(heard["action"])
    _save(event, engine)
    _queue(event, reply, now)


def _works_on(state: dict, contact_id: int | None) -> bool:
    """Whether the candidate works this correspondent's conversation under that contact."""
    from softphone.inbox.models import Conversation

    conversation = db.session.get(Conversation, state.get("conversation_id"))
    return conversation is not None and conversation.contact_id == contact_id


def tick_correspondents(now: datetime, attempt_ids: list[int] | None = None) -> int:
    """Live chat customers due to nudge do (or give up); one transaction per customer.

    Only the customers whose silence has lasted (`Engine.wakes_at`) are visited, of these
    attempts if given. Each is decided under its attempt's row lock, re-read
    (`crm.training.locking`): two processes ticking at once serialise there, and the second
    finds the nudge already remembered in `customer_state`, so it is queued once.
    """
    due = []
    for ids in chunks(running_attempts(attempt_ids)):
        for row in db.session.execute(chats_query(ids)):
            wakes_at = customer_wakes_at(row.customer_state)
            if wakes_at is not None and wakes_at <= now:
                due.append(row.id)
    db.session.commit()  # end the read: each customer is then decided under its attempt's lock
    queued = 0
    for event_id in sorted(due):
        ticked = run_unit(
            f"correspondent {event_id}",
            partial(_tick_one, event_id, now),
            partial(_mark_failed, event_id),
        )
        queued += ticked or 0
    return queued


def _tick_one(event_id: int, now: datetime) -> int:
    """Let one customer nudge or give up, under its attempt's lock; commits; lines queued."""
    event = locked_row(TimelineEvent, event_id)
    state = event.customer_state if event is not None else None
    if not _in_conversation(state):
        db.session.rollback()
        return 0
    engine = _engine(state, now)
    reply = engine.on_tick()
    if not (reply.lines or reply.finished):
        db.session.rollback()
        return 0
    _save(event, engine)
    queued = len(_queue(event, reply, now))
    db.session.commit()
    return queued


def _mark_failed(event_id: int, error: Exception) -> None:
    """A correspondent that cannot go on: marked failed under its attempt's lock (not committed)."""
    event = locked_row(TimelineEvent, event_id)
    if event is not None:
        event.customer_state = failed_state(event.customer_state, error)
