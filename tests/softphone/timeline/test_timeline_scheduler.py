"""The scheduler fires due events once, queues calls the agent cannot take, times rings out."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.training.services import change_shift_status
from softphone.inbox.models import Conversation, Message
from softphone.phone.models import Call
from softphone.phone.services import answer_call, set_agent_state
from softphone.scenarios.scheduler import tick

CALL = {
    "key": "appel-test",
    "at": "+01:00",
    "kind": "call",
    "from": "04 65 71 20 50",
    "ring_seconds": 20,
    "persona": {"name": "Nicolas Guillot", "temper": "calm"},
    "script": [
        {"type": "say", "say": "Bonjour, c'est Nicolas Guillot."},
        {
            "type": "wait_for_action",
            "action": {"verb": "identity.verified"},
            "nudge": "Vous voulez mon numéro client ?",
            "nudge_after": 15,
        },
        {"type": "end", "say": "Merci."},
    ],
}
EMAIL = {
    "key": "email-test",
    "at": "+02:00",
    "kind": "email",
    "from": "contact@cabinet-morel.example",
    "subject": "Duplicata",
    "body": "Bonjour, un duplicata de facture, s'il vous plaît.",
}


def verbs(attempt, since: int = 0) -> list[str]:
    """The verbs recorded in the attempt after action id `since`."""
    return list(
        db.session.scalars(
            sa.select(Action.verb)
            .where(Action.attempt_id == attempt.id, Action.id > since)
            .order_by(Action.id)
        )
    )


def last_action_id() -> int:
    return db.session.scalar(sa.select(sa.func.max(Action.id))) or 0


def test_due_events_fire_once_and_not_before(quiet, attempt, ctx, clock, tl):
    call_event, email_event = tl.only_events(attempt, CALL, EMAIL)
    set_agent_state(ctx, "ready", now=clock.at("+00:10"))
    db.session.commit()
    mark = last_action_id()

    assert tick(clock.at("+00:59")).fired == []
    report = tick(clock.at("+02:00"))
    assert report.fired == ["appel-test", "email-test"]
    assert verbs(attempt, mark) == ["call.offered", "message.received"]
    db.session.refresh(call_event)
    call = db.session.get(Call, call_event.result["call_id"])
    assert (call.status, call.number, call.script_key) == ("ringing", "+33465712050", "appel-test")
    assert call.client_id is not None  # screen pop: the number is ProForm Rhône's
    assert call_event.claimed_by and call_event.fired_at == clock.now
    conversation = db.session.get(Conversation, email_event.result["conversation_id"])
    assert (conversation.channel, conversation.subject) == ("email", "Duplicata")

    again = tick(clock.advance(5))
    assert again.fired == [] and verbs(attempt, mark)[2:] == []


def test_two_workers_never_fire_the_same_event(quiet, attempt, clock, tl):
    from softphone.scenarios.scheduler import claim

    events = tl.only_events(attempt, EMAIL, {**EMAIL, "key": "email-2", "subject": "Autre"})
    now = clock.at("+03:00")
    wins = {e.id: [w for w in ("A", "B", "A", "B") if claim(e.id, now, w)] for e in events}
    assert wins == {events[0].id: ["A"], events[1].id: ["A"]}
    # A tick only sees unclaimed events: those were claimed, nothing fires.
    assert tick(now, worker="B").fired == []


def test_a_paused_shift_fires_nothing_and_resumes_with_its_offsets(quiet, attempt, clock, tl):
    tl.only_events(attempt, EMAIL)
    change_shift_status(quiet, "pause", now=clock.at("+01:30"))
    db.session.commit()
    assert tick(clock.at("+10:00")).fired == []
    change_shift_status(quiet, "resume", now=clock.now)
    db.session.commit()
    # 8:30 of pause: the email (due at +02:00 of scenario time) comes 30 s after the resume.
    assert tick(clock.advance(29)).fired == []
    assert tick(clock.advance(1)).fired == ["email-test"]


def test_a_call_waits_for_a_ready_agent_then_is_abandoned(quiet, attempt, ctx, clock, tl):
    (event,) = tl.only_events(attempt, {**CALL, "queue_seconds": 60})
    mark = last_action_id()
    report = tick(clock.at("+01:00"))
    assert report.queued == ["appel-test"] and report.fired == []
    db.session.refresh(event)
    assert event.claimed_at is None and event.result["status"] == "queued"
    assert event.result["reason"] == "invalid_transition"
    assert verbs(attempt, mark) == []

    # Nothing changed in the attempt: the call is not tried again, only given up at last.
    assert tick(clock.at("+01:59")).queued == []
    report = tick(clock.at("+02:00"))
    assert report.abandoned == ["appel-test"]
    abandoned = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.id > mark)
    ).all()
    assert [a.verb for a in abandoned] == ["call.abandoned"]
    assert abandoned[0].payload["reason"] == "not_ready"
    assert abandoned[0].payload["tries"] == 2
    assert tick(clock.advance(60)).abandoned == []


def test_a_queued_call_rings_once_the_agent_is_ready(quiet, attempt, ctx, clock, tl):
    tl.only_events(attempt, CALL)
    assert tick(clock.at("+01:00")).queued == ["appel-test"]
    set_agent_state(ctx, "ready", now=clock.at("+01:20"))
    db.session.commit()
    assert tick(clock.at("+01:21")).fired == ["appel-test"]


def test_an_unanswered_call_is_abandoned_after_its_ring_seconds(quiet, attempt, ctx, clock, tl):
    (event,) = tl.only_events(attempt, CALL)
    set_agent_state(ctx, "ready", now=clock.at("+00:10"))
    db.session.commit()
    tick(clock.at("+01:00"))
    mark = last_action_id()
    assert tick(clock.at("+01:19")).rings_timed_out == []
    call_id = tl.events_of(attempt)[0].result["call_id"]
    assert tick(clock.at("+01:20")).rings_timed_out == [call_id]
    assert verbs(attempt, mark) == ["call.abandoned"]
    assert db.session.get(Call, call_id).status == "abandoned"


def test_a_connected_scripted_caller_nudges_on_the_clock(quiet, attempt, ctx, clock, tl):
    tl.only_events(attempt, CALL)
    set_agent_state(ctx, "ready", now=clock.at("+00:10"))
    db.session.commit()
    tick(clock.at("+01:00"))
    call = db.session.scalar(sa.select(Call).where(Call.attempt_id == attempt.id))
    answer_call(ctx, call, now=clock.at("+01:05"))
    db.session.commit()
    mark = last_action_id()
    tick(clock.at("+01:19"))
    assert verbs(attempt, mark) == []
    tick(clock.at("+01:20"))
    assert verbs(attempt, mark) == ["call.customer_said"]
    assert call.turns[-1].text == "Vous voulez mon numéro client ?"


def test_a_broken_message_fails_once_and_never_loops(quiet, attempt, clock, tl):
    tl.only_events(attempt, {**EMAIL, "from": "pas-une-adresse"})
    assert tick(clock.at("+02:00")).failed == ["email-test"]
    (event,) = tl.events_of(attempt)
    assert event.result["status"] == "failed" and "ValidationFailed" in event.result["error"]
    assert tick(clock.advance(10)).failed == []
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
