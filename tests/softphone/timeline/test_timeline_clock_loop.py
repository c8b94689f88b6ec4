"""The scenario clock's background loop: it beats what is due, survives a failing tick, starts
once, stops at once.

Nothing here sleeps to wait for the loop: the beats signal threading Events, which the tests wait
on with a generous limit (a stuck loop fails the test instead of hanging it).
"""

from __future__ import annotations

import logging
import threading

import pytest
import sqlalchemy as sa
from flask import current_app

from crm.db import db
from crm.signals import action_recorded
from softphone.inbox.models import Message
from softphone.scenarios import loop
from softphone.scenarios.scheduler import start_scheduler, stop_scheduler

#: Generous: the loop beats every 10 ms; a machine under load may take much longer.
WAIT = 20
INTERVAL = 0.01
EMAIL = {
    "key": "mail-boucle",
    "at": "+00:30",
    "kind": "email",
    "from": "contact@cabinet-morel.example",
    "subject": "Boucle",
    "body": "Bonjour, une question.",
}


class Beats:
    """A fake beat: counts its calls (in an app context) and says when it reached `until`.

    It fires nothing, so the event it is called for stays due: the loop calls it again one
    interval later (never in a busy loop).
    """

    def __init__(self, until: int = 3, fail_first: int = 0):
        self.count = 0
        self.until = until
        self.fail_first = fail_first
        self.reached = threading.Event()
        self.apps = set()
        self.attempts = []

    def __call__(self, now, attempt_ids) -> None:
        self.apps.add(current_app.name)
        self.attempts.append(list(attempt_ids))
        self.count += 1
        if self.count >= self.until:
            self.reached.set()
        if self.count <= self.fail_first:
            raise RuntimeError(f"broken beat {self.count}")


@pytest.fixture(autouse=True)
def no_clock_left(app):
    """Each test starts without a clock in this process and leaves none running (stopped
    before the app's database goes away: the loop reads it)."""
    assert stop_scheduler(timeout=WAIT)
    yield
    assert stop_scheduler(timeout=WAIT)


@pytest.fixture
def due(quiet, attempt, app, tl):
    """cand1's attempt has one email due: the loop reads the real time, the shift began at T0."""
    tl.only_events(attempt, EMAIL)
    app.config["CLOCK"] = None
    return attempt


def test_the_loop_beats_what_is_due_again_and_again_in_an_app_context(app, due):
    # Read before the loop runs: the test's in-memory database is one connection shared with
    # the loop's thread, and loading an expired attribute then would begin a second transaction.
    attempt_id = due.id
    beats = Beats(until=3)
    task = start_scheduler(app, interval=INTERVAL, beat=beats)
    assert beats.reached.wait(WAIT)
    assert task.is_alive() and task.name == "plateau-scenario-clock"
    assert beats.apps == {app.name}
    assert beats.attempts[:3] == [[attempt_id]] * 3


def test_a_failing_tick_is_logged_and_the_loop_goes_on(app, due, caplog):
    caplog.set_level(logging.ERROR, logger=loop.__name__)
    beats = Beats(until=4, fail_first=2)
    start_scheduler(app, interval=INTERVAL, beat=beats)
    assert beats.reached.wait(WAIT)
    failures = [r for r in caplog.records if r.getMessage() == "scenario clock tick failed"]
    assert len(failures) >= 2
    assert str(failures[0].exc_info[1]) == "broken beat 1"


def test_the_clock_starts_once_per_process(app, due):
    first = Beats(until=3)
    second = Beats()
    task = start_scheduler(app, interval=INTERVAL, beat=first)
    assert start_scheduler(app, interval=INTERVAL, beat=second) is task
    assert first.reached.wait(WAIT)
    assert second.count == 0


def test_a_stopped_clock_has_ended_and_can_start_again(app, due):
    beats = Beats(until=1)
    task = start_scheduler(app, interval=INTERVAL, beat=beats)
    assert beats.reached.wait(WAIT)
    assert stop_scheduler(timeout=WAIT)
    assert not task.is_alive()
    stopped_at = beats.count
    again = Beats(until=1)
    assert start_scheduler(app, interval=INTERVAL, beat=again) is not task
    assert again.reached.wait(WAIT)
    assert beats.count == stopped_at  # the old loop never beat again


def test_stopping_cuts_a_long_sleep_short(app, quiet):
    # Nothing is due: the loop sleeps a whole interval (an hour) unless stopped.
    task = start_scheduler(app, interval=3600)
    assert stop_scheduler(timeout=WAIT)
    assert not task.is_alive()


def test_with_socketio_the_loop_is_its_background_task(app, due):
    class FakeSocketIO:
        """What the loop uses of Flask-SocketIO: a background task."""

        def start_background_task(self, target):
            self.task = threading.Thread(target=target, daemon=True)
            self.task.start()
            return self.task

    socketio = FakeSocketIO()
    beats = Beats(until=1)
    task = start_scheduler(app, socketio, interval=INTERVAL, beat=beats)
    assert task is socketio.task
    assert beats.reached.wait(WAIT)


def test_the_real_tick_fires_a_due_event_once(due, tl):
    attempt = due
    received = threading.Event()

    def on_action(action):
        if action.verb == "message.received":
            received.set()

    action_recorded.connect(on_action)
    try:
        start_scheduler(current_app._get_current_object(), interval=INTERVAL)
        assert received.wait(WAIT)
        assert stop_scheduler(timeout=WAIT)
    finally:
        action_recorded.disconnect(on_action)
    db.session.rollback()
    (event,) = tl.events_of(attempt)
    assert event.result["status"] == "received"
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 1
