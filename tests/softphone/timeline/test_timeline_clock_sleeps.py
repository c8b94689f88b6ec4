"""A clock that sleeps: it knows when something is next due, writes nothing while nothing is,
and a queued call rings as soon as its agent is ready (a commit wakes the clock).

Rounds of the loop are driven by hand with the fake clock (`ClockLoop.round` answers how long
it would sleep); one test runs the real loop in its thread with a poll far longer than the
test, so only the wake-up can make the call ring. Nothing here sleeps to wait.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

import crm.clock
from crm.db import db
from crm.signals import action_recorded
from crm.training.timeline import TimelineEvent
from softphone.phone.models import Call
from softphone.phone.services import answer_call, set_agent_state
from softphone.scenarios.agenda import due_times
from softphone.scenarios.loop import ClockLoop
from softphone.scenarios.scheduler import current_loop, start_scheduler, stop_scheduler, tick

WAIT = 20
#: Longer than any test: the loop's poll never comes to the rescue.
NEVER = 3600
CALL = {
    "key": "appel-attente",
    "at": "+01:00",
    "kind": "call",
    "from": "04 65 71 20 50",
    "ring_seconds": 20,
    "queue_seconds": 120,
    "persona": {"name": "Nicolas Guillot", "temper": "calm"},
    "script": [
        {"type": "say", "say": "Bonjour, c'est Nicolas Guillot."},
        {"type": "wait_for_action", "action": {"verb": "identity.verified"}, "nudge_after": 15},
        {"type": "end", "say": "Merci."},
    ],
}
EMAIL = {
    "key": "mail-plus-tard",
    "at": "+00:30",
    "kind": "email",
    "from": "contact@cabinet-morel.example",
    "subject": "Question",
    "body": "Bonjour, une question.",
}
CHAT = {
    "key": "chat-silence",
    "at": "+00:20",
    "kind": "chat",
    "from": "lea.girard@gmail.example",
    "body": "Bonjour !",
    "persona": {"name": "Léa Girard", "temper": "calm"},
    "nudge_after": 45,
    "script": [{"type": "wait_for_words", "words": ["bonjour"], "reply": "Merci !"}],
}


@pytest.fixture
def writes(app):
    """The SQL writes (INSERT, UPDATE, DELETE) executed while the test runs."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def no_clock_left(app):
    """The test's clock loop is stopped before the app's database goes away."""
    assert stop_scheduler(timeout=WAIT)
    yield
    assert stop_scheduler(timeout=WAIT)


def test_nothing_is_written_while_a_queued_call_waits_for_nobody(quiet, attempt, clock, tl, writes):
    (event,) = tl.only_events(attempt, CALL)
    assert tick(clock.at("+01:00")).queued == ["appel-attente"]
    writes.clear()
    for offset in ("+01:01", "+01:30", "+02:00", "+02:59"):
        assert tick(clock.at(offset)).queued == []
    assert writes == []
    # The caller gives up at last: +01:00 plus 120 s in the queue.
    assert tick(clock.at("+03:00")).abandoned == ["appel-attente"]


def test_the_agenda_knows_when_each_thing_is_due(quiet, attempt, ctx, clock, tl):
    tl.only_events(attempt, EMAIL)
    assert due_times(clock.at("+00:00")).due == {attempt.id: tl.T0 + timedelta(seconds=30)}

    tl.only_events(attempt, CALL)
    tick(clock.at("+01:00"))  # queued: the agent is offline
    agenda = due_times(clock.at("+01:05"))
    assert agenda.waiting == {attempt.id}
    assert agenda.due == {attempt.id: tl.T0 + timedelta(seconds=180)}  # the caller gives up

    set_agent_state(ctx, "ready", now=clock.at("+01:10"))
    db.session.commit()
    assert due_times(clock.now).due == {attempt.id: clock.now}  # ready, and changed: now

    tick(clock.now)  # it rings
    assert due_times(clock.now).due == {attempt.id: clock.now + timedelta(seconds=20)}

    call = db.session.scalar(sa.select(Call).where(Call.attempt_id == attempt.id))
    answer_call(ctx, call, now=clock.at("+01:15"))
    db.session.commit()
    # The customer waits for the identity check and nudges after 15 s of silence.
    assert due_times(clock.now).due == {attempt.id: clock.now + timedelta(seconds=15)}


def test_a_chat_customer_is_due_when_its_silence_has_lasted(quiet, attempt, clock, tl):
    tl.only_events(attempt, CHAT)
    tick(clock.at("+00:20"))
    assert due_times(clock.now).due == {attempt.id: clock.now + timedelta(seconds=45)}


def test_the_loop_sleeps_until_the_next_due_time_then_fires_it(app, quiet, attempt, clock, tl):
    tl.only_events(attempt, EMAIL)
    beats = []

    def beat(now, attempt_ids):
        beats.append(attempt_ids)
        return tick(now, attempt_ids=attempt_ids)

    loop = ClockLoop(app, beat, interval=NEVER)
    clock.at("+00:10")
    assert loop.round() == 20  # until +00:30
    clock.at("+00:29")
    assert loop.round() == 1 and beats == []
    clock.at("+00:30")
    assert loop.round() == NEVER  # fired; nothing else to come
    assert beats == [[attempt.id]]
    (event,) = tl.events_of(attempt)
    assert event.result["status"] == "received"


def test_a_round_with_nothing_due_writes_nothing(app, quiet, attempt, clock, tl, writes):
    tl.only_events(attempt, CALL)
    loop = ClockLoop(app, lambda now, ids: tick(now, attempt_ids=ids), interval=1)
    clock.at("+01:00")
    loop.round()  # the call is queued: the agent is offline
    writes.clear()
    for _ in range(30):
        clock.advance(1)
        loop.round()
    assert writes == []


def test_a_queued_call_rings_as_soon_as_the_agent_is_ready(
    app, quiet, attempt, ctx, tl, no_clock_left
):
    # The real time, and a shift that began 70 s ago: the call (+01:00) is due.
    app.config["CLOCK"] = None
    quiet.started_at = crm.clock.now() - timedelta(seconds=70)
    tl.only_events(attempt, CALL)
    # Only the call: the pack's past dates would be settled by the loop's thread meanwhile.
    tl.no_due_dates(attempt)
    attempt_id = attempt.id
    db.session.commit()  # the test's thread holds no transaction while the loop reads
    offered = threading.Event()

    def on_action(action):
        if action.verb == "call.offered":
            offered.set()

    action_recorded.connect(on_action)
    try:
        start_scheduler(app, interval=NEVER)
        loop = current_loop()
        waiting = threading.Event()
        for _ in range(WAIT * 100):  # until the loop has queued the call and sleeps
            if loop.rounds:
                break
            waiting.wait(0.01)
        assert attempt_id in loop.waiting
        assert not offered.is_set()
        set_agent_state(ctx, "ready")
        db.session.commit()  # wakes the clock: the call rings long before any poll
        assert offered.wait(WAIT)
    finally:
        assert stop_scheduler(timeout=WAIT)
        action_recorded.disconnect(on_action)
    db.session.rollback()
    (event,) = db.session.scalars(sa.select(TimelineEvent).where(TimelineEvent.kind == "call"))
    assert event.result["status"] == "offered"


def test_another_processs_commit_is_seen_at_the_next_poll(app, quiet, attempt, ctx, clock, tl):
    # A loop that no commit of this process wakes (as in another process): only its poll.
    tl.only_events(attempt, CALL)
    fired = []

    def beat(now, attempt_ids):
        fired.extend(tick(now, attempt_ids=attempt_ids).fired)

    loop = ClockLoop(app, beat, interval=1)
    clock.at("+01:00")
    loop.round()  # queued: the agent is offline
    assert loop.waiting == {attempt.id} and fired == []
    clock.advance(1)
    loop.round()
    assert fired == []
    set_agent_state(ctx, "ready", now=clock.advance(0.5))
    db.session.commit()
    loop.round()  # the poll sees the attempt's action count move: the call rings
    assert fired == ["appel-attente"]
    assert loop.waiting == set()


def test_a_customer_state_that_cannot_be_read_is_failed_once(quiet, attempt, clock, tl, caplog):
    (event,) = tl.only_events(attempt, CHAT)
    tl.no_due_dates(attempt)  # nothing else due: the agenda ends up empty
    tick(clock.at("+00:20"))
    db.session.refresh(event)
    broken = dict(event.customer_state)
    broken["engine"] = {**broken["engine"], "pos": "nowhere"}
    event.customer_state = broken
    db.session.commit()
    agenda = due_times(clock.advance(1))  # the agenda does not fail on it: due at once
    assert list(agenda.due) == [attempt.id]
    tick(clock.now)
    db.session.refresh(event)
    assert event.customer_state["failed"].startswith("TypeError")
    assert due_times(clock.advance(1)).due == {}
    tick(clock.advance(60))
    assert [r.levelname for r in caplog.records].count("ERROR") == 1
