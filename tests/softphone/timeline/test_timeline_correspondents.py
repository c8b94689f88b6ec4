"""Scripted correspondents write back after a delay; the default shift plays out exactly once."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.contacts.models import Contact
from crm.contacts.services import qualify_contact
from crm.db import db
from crm.training.library import load_scenario
from crm.training.timeline import TimelineEvent
from softphone.inbox.models import Conversation
from softphone.inbox.sending import reply
from softphone.phone.models import Call
from softphone.phone.services import answer_call, hang_up, set_agent_state
from softphone.scenarios.scheduler import tick

CHAT = {
    "key": "chat-test",
    "at": "+01:00",
    "kind": "chat",
    "from": "lea.girard@gmail.example",
    "body": "Bonjour ! Vous avez des micro-casques en stock ?",
    "persona": {"name": "Léa Girard", "temper": "calm"},
    "nudge_after": 120,
    "reply_delay": 10,
    "script": [
        {
            "type": "wait_for_words",
            "words": ["bluetooth"],
            "reply": "Le Bluetooth m'intéresse !",
        },
        {"type": "end", "say": "Merci, bonne journée."},
    ],
}


def customer_bodies(conversation: Conversation) -> list[str]:
    return [m.body for m in conversation.messages if m.direction == "in"]


def test_a_chat_customer_types_back_after_a_delay(quiet, attempt, ctx, clock, tl):
    (event,) = tl.only_events(attempt, CHAT)
    assert tick(clock.at("+01:00")).fired == ["chat-test"]
    db.session.refresh(event)
    conversation = db.session.get(Conversation, event.result["conversation_id"])
    assert event.customer_state["conversation_id"] == conversation.id

    reply(ctx, conversation, body="Bonjour, nous avons un modèle filaire et un modèle bluetooth.",
          now=clock.at("+01:30"))  # fmt: skip
    db.session.commit()
    queued = db.session.scalars(
        sa.select(TimelineEvent).where(TimelineEvent.kind == "reply").order_by(TimelineEvent.id)
    ).all()
    # 10 s of reply delay plus typing time (6 characters a second), one message per line.
    assert [(q.key, q.fire_offset_seconds) for q in queued] == [
        ("chat-test~1", 90 + 10 + 4),
        ("chat-test~2", 90 + 10 + 4 + 10 + 3),
    ]
    assert tick(clock.at("+01:43")).fired == []
    assert tick(clock.at("+01:44")).fired == ["chat-test~1"]
    assert tick(clock.at("+02:00")).fired == ["chat-test~2"]
    db.session.refresh(conversation)
    assert customer_bodies(conversation) == [
        CHAT["body"],
        "Le Bluetooth m'intéresse !",
        "Merci, bonne journée.",
    ]
    db.session.refresh(event)
    assert event.customer_state["engine"]["finished"] is True


def test_a_silent_chat_customer_nudges(quiet, attempt, clock, tl):
    tl.only_events(attempt, {**CHAT, "nudge_after": 30})
    tick(clock.at("+01:00"))
    tick(clock.at("+01:29"))
    assert (
        db.session.scalar(
            sa.select(sa.func.count(TimelineEvent.id)).where(TimelineEvent.kind == "reply")
        )
        == 0
    )
    tick(clock.at("+01:30"))
    (nudge,) = db.session.scalars(sa.select(TimelineEvent).where(TimelineEvent.kind == "reply"))
    assert nudge.payload["body"] == "Allô ? Vous êtes toujours là ?"


def _take_any_call(ctx, clock) -> None:
    """The candidate answers a ringing call, hangs up and qualifies it."""
    call = db.session.scalar(
        sa.select(Call).where(Call.attempt_id == ctx.attempt.id, Call.status == "ringing")
    )
    if call is None:
        return
    answer_call(ctx, call, now=clock.now)
    if call.status == "on_call":
        hang_up(ctx, call, now=clock.now)
    contact = db.session.get(Contact, call.contact_id)
    if contact.qualified_at is None:
        qualify_contact(ctx, contact, "INFO", "Appel traité pendant la simulation.")
    db.session.commit()


def test_the_default_shift_fires_every_event_exactly_once(quiet, attempt, ctx, clock, tl):
    pack = load_scenario("bureau-direct")
    set_agent_state(ctx, "ready", now=clock.at("+00:05"))
    db.session.commit()
    fired: list[str] = []
    for second in range(0, 46 * 60, 10):
        clock.at(f"+{second // 60:02d}:{second % 60:02d}")
        report = tick(clock.now)
        fired += report.fired
        assert report.failed == [] and report.abandoned == []
        _take_any_call(ctx, clock)
    timeline = [item["key"] for item in pack["timeline"]]
    assert [k for k in fired if "~" not in k] == timeline
    assert len(fired) == len(set(fired))
    events = tl.events_of(attempt)
    assert all(e.fired_at is not None for e in events)
    counts = dict(
        db.session.execute(
            sa.select(Action.verb, sa.func.count())
            .where(
                Action.attempt_id == attempt.id,
                Action.verb.in_(("call.offered", "message.received")),
            )
            .group_by(Action.verb)
        ).all()
    )
    kinds = [item["kind"] for item in pack["timeline"]]
    assert counts["call.offered"] == kinds.count("call")
    written = sum(kind in ("email", "sms", "chat") for kind in kinds)
    assert counts["message.received"] == written + sum("~" in k for k in fired)
