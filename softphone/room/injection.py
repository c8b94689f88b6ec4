"""Events on demand: a trainer makes a candidate's phone ring or drops a message into the inbox.

Either one of the pack's scripted timeline items (its persona and script play the customer, as
when the clock fires it) or a free one (a number or an address, a text). The world changes
through the same services the scenario clock uses (`offer_inbound_call`, `receive_message`, the
scripted correspondent), then the injection itself is recorded in the attempt's log as the
trainer's action (`trainer.injected`, actor = the trainer), so the evaluator's timeline shows
what was injected, by whom and when.

A scripted item not fired yet is claimed (it will not fire again at its time); one already
fired is played again under a key of its own (`<key>@2`, `@3`…).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, record
from crm.auth.models import User
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _
from crm.training.library import load_scenario
from crm.training.locking import lock_attempt
from crm.training.models import Attempt
from crm.training.staff import require_runs
from crm.training.timeline import TIMELINE_KINDS, TimelineEvent, shift_elapsed
from softphone.inbox.models import Conversation, Message
from softphone.inbox.receiving import receive_message
from softphone.phone.customer import MAX_TURN
from softphone.phone.models import Call
from softphone.phone.services import offer_inbound_call
from softphone.scenarios import correspondent
from softphone.scenarios.timeline import item_script

KINDS = TIMELINE_KINDS


@dataclass(frozen=True)
class ScriptedEvent:
    """A timeline item of the pack a trainer may inject, as the room lists it."""

    key: str
    kind: str
    at: str | None
    party: str
    persona: str | None
    subject: str | None
    preview: str

    def to_dict(self) -> dict:
        """JSON form."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Injection:
    """What an injection did: the trainer's action and the call or message it brought."""

    action: Action
    call: Call | None = None
    conversation: Conversation | None = None
    message: Message | None = None
    new_conversation: bool = False


def _preview(item: dict) -> str:
    """The first words of what the customer says or writes."""
    text = item.get("body") or ""
    if not text:
        steps = item.get("script") or []
        text = next((s.get("say") for s in steps if isinstance(s, dict) and s.get("say")), "")
    text = " ".join(str(text).split())
    return text[:140] + ("…" if len(text) > 140 else "")


def scripted_events(scenario: str) -> list[ScriptedEvent]:
    """The pack's timeline items, in their order, with who plays the customer."""
    events = []
    for item in load_scenario(scenario).get("timeline") or []:
        if item.get("kind") not in KINDS:
            continue  # a scripted payment is no customer a trainer can fire
        persona = item.get("persona") or {}
        events.append(
            ScriptedEvent(
                key=item["key"],
                kind=item["kind"],
                at=item.get("at"),
                party=str(item.get("from") or ""),
                persona=persona.get("name") if isinstance(persona, dict) else None,
                subject=item.get("subject"),
                preview=_preview(item),
            )
        )
    return events


def check_running(attempt: Attempt) -> None:
    """Events reach an active attempt of a running or paused shift only (409 otherwise)."""
    if attempt.status != "active" or attempt.shift.status not in ("running", "paused"):
        raise Conflict(
            _("Cette tentative n'est pas en cours : aucun événement ne peut y arriver."),
            code="attempt_not_running",
        )


def _pack_item(attempt: Attempt, key: str) -> dict:
    """The pack's timeline item with this key (422 on `event` otherwise)."""
    for item in load_scenario(attempt.shift.scenario).get("timeline") or []:
        if item.get("key") == key and item.get("kind") in KINDS:
            return item
    raise ValidationFailed({"event": _("Événement inconnu dans le scénario de cette séance.")})


def _event_row(attempt: Attempt, item: dict, now: datetime) -> TimelineEvent:
    """The attempt's row for this item, claimed now; a fresh row when it already fired."""
    key = item["key"]
    claimed = db.session.execute(
        sa.update(TimelineEvent)
        .where(
            TimelineEvent.attempt_id == attempt.id,
            TimelineEvent.key == key,
            TimelineEvent.claimed_at.is_(None),
            TimelineEvent.fired_at.is_(None),
        )
        .values(claimed_at=now, claimed_by="trainer", fired_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount == 1:
        return db.session.scalar(
            sa.select(TimelineEvent).where(
                TimelineEvent.attempt_id == attempt.id, TimelineEvent.key == key
            )
        )
    taken = db.session.scalar(
        sa.select(sa.func.count()).where(
            TimelineEvent.attempt_id == attempt.id,
            sa.or_(TimelineEvent.key == key, TimelineEvent.key.like(f"{key}@%")),
        )
    )
    row = TimelineEvent(
        attempt_id=attempt.id,
        key=f"{key}@{taken + 1}"[:100],
        kind=item["kind"],
        fire_offset_seconds=int(shift_elapsed(attempt.shift, now)),
        payload=dict(item),
        claimed_at=now,
        claimed_by="trainer",
        fired_at=now,
    )
    db.session.add(row)
    db.session.flush()
    return row


def _validate_free(kind: str | None, body) -> None:
    """Checks of a free call no service makes; the phone and the inbox check the rest."""
    if kind == "call" and isinstance(body, str) and len(body) > MAX_TURN:
        raise ValidationFailed({"body": _("%(n)s caractères au plus.", n=MAX_TURN)})


def _renamed(error: ValidationFailed, names: dict[str, str]) -> ValidationFailed:
    """The same refusal with the service's field names as this API names them."""
    return ValidationFailed({names.get(k, k): v for k, v in error.fields.items()})


def _ring(ctx: Ctx, number: str, script: dict | None, now: datetime) -> Call:
    """Offer the call; its number's problems are reported on `party`."""
    try:
        return offer_inbound_call(ctx, number, script, now=now)
    except ValidationFailed as error:
        raise _renamed(error, {"number": "party"}) from None


def inject_event(
    attempt: Attempt,
    trainer: User,
    *,
    event: str | None = None,
    kind: str | None = None,
    party: str | None = None,
    body: str | None = None,
    subject: str | None = None,
    language: str = "fr",
    script: dict | None = None,
    attachments: list | None = None,
    now: datetime | None = None,
) -> Injection:
    """Fire a scripted item (`event`) or a free call/email/SMS/chat into a candidate's attempt.

    A free call may carry `body`, the customer's opening line, or a whole `script`. Refusals:
    409 when the attempt does not run or the phone cannot ring (agent not ready, a contact to
    qualify), 422 naming each bad field.
    """
    now = now or clock.now()
    # Only the people who run the shift steer it (403 for another trainer).
    require_runs(trainer, attempt.shift)
    check_running(attempt)
    lock_attempt(attempt.id)
    if event:
        item = _pack_item(attempt, event)
        row = _event_row(attempt, item, now)
        world = Ctx(attempt, None, "system")
        kind, party = item["kind"], item["from"]
        details = {"source": "scripted", "event": item["key"], "played_as": row.key}
        persona = item.get("persona") or {}
        details["persona"] = persona.get("name") if isinstance(persona, dict) else None
    else:
        _validate_free(kind, body)
        item, row = None, None
        # The trainer speaks for the customer of a free event.
        world = Ctx(attempt, trainer.id, "customer")
        details = {"source": "free"}
    injected = _fire(
        world, kind, party, item, row, body, subject, language, script, attachments, now
    )
    payload = {"kind": kind, "party": party, **details}
    if injected.call is not None:
        payload["call_id"] = injected.call.id
        obj = injected.call
    else:
        payload.update(
            conversation_id=injected.conversation.id,
            message_id=injected.message.id,
            subject=injected.message.subject or None,
        )
        obj = injected.message
    if item is None and body:
        payload["body"] = body.strip()
    action = record(Ctx(attempt, trainer.id, "trainer"), "trainer.injected", obj, payload)
    if row is not None:
        row.result = {"status": "injected", "action_id": action.id, **_ids(injected)}
    return Injection(
        action, injected.call, injected.conversation, injected.message, injected.new_conversation
    )


@dataclass(frozen=True)
class _Fired:
    """The call or the message an injection brought into the world."""

    call: Call | None = None
    conversation: Conversation | None = None
    message: Message | None = None
    new_conversation: bool = False


def _ids(injected: _Fired) -> dict:
    if injected.call is not None:
        return {"call_id": injected.call.id}
    return {"conversation_id": injected.conversation.id, "message_id": injected.message.id}


def _fire(world, kind, party, item, row, body, subject, language, script, attachments, now):
    """Make it happen through the phone's and the inbox's own services."""
    if kind == "call":
        if item is not None:
            script = item_script(item, row.key)
        elif script is None and body and body.strip():
            # The customer says the trainer's line on answer, then stays on the line.
            script = {
                "persona": {"name": "Client", "temper": "calm"},
                "steps": [{"type": "say", "say": body.strip()}],
            }
        call = _ring(world, party, script, now)
        return _Fired(call=call)
    if item is not None:
        received = receive_message(
            world,
            kind,
            item["from"],
            item["body"],
            subject=item.get("subject"),
            language=item.get("language", "fr"),
            attachments=item.get("attachments"),
            now=now,
        )
        # The pack's correspondent answers the candidate, as when the clock fires the item.
        correspondent.after_received(row, received.conversation, now)
    else:
        try:
            received = receive_message(
                world, kind, party, body, subject, language, attachments, now=now
            )
        except ValidationFailed as error:
            raise _renamed(error, {"channel": "kind"}) from None
    return _Fired(
        conversation=received.conversation,
        message=received.message,
        new_conversation=received.new_conversation,
    )
