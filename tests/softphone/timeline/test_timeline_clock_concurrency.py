"""Two processes ticking at once: a ring times out once, a nudge is said once (call or chat).

Two threads with their own sessions stand for two server processes, on PostgreSQL (its row
locks are what serialises them; required in CI) and on a SQLite file. To make the race real,
the tested step is held at a barrier until the other worker reaches it too (or a short wait
runs out): without the attempt lock both workers get there with the same stale call and act
twice; with it, the second worker only reads the call once the first has committed.
"""

from __future__ import annotations

import contextlib
import os
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, verify_chain
from crm.app import create_app
from crm.auth.services import create_user
from crm.db import db
from crm.training.models import Attempt
from crm.training.services import change_shift_status, create_shift
from crm.training.timeline import TimelineEvent, parse_offset
from softphone.phone.models import Call, CallTurn
from softphone.phone.services import answer_call, set_agent_state
from softphone.scenarios import correspondent, live_calls, scheduler
from tests.conftest import postgres_database

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
NUDGE = "Vous voulez mon numéro client ?"
CHAT_NUDGE = "Allô ? Vous êtes toujours là ?"
CHAT = {
    "key": "chat-concurrent",
    "at": "+01:00",
    "kind": "chat",
    "from": "lea.girard@gmail.example",
    "body": "Bonjour ! Vous avez des micro-casques en stock ?",
    "persona": {"name": "Léa Girard", "temper": "calm"},
    "nudge_after": 30,
    "script": [
        {"type": "wait_for_words", "words": ["bluetooth"], "reply": "Le Bluetooth m'intéresse !"},
        {"type": "end", "say": "Merci, bonne journée."},
    ],
}
CALL = {
    "key": "appel-concurrent",
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
            "nudge": NUDGE,
            "nudge_after": 15,
        },
        {"type": "end", "say": "Merci."},
    ],
}
#: How long the first worker waits at the barrier for the second (which, locked out, never comes).
HOLD_SECONDS = 1.0
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def at(offset: str) -> datetime:
    """A "+mm:ss" scenario offset from T0 (the shift never pauses here)."""
    return T0 + timedelta(seconds=parse_offset(offset))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_app(request, tmp_path):
    """An application on an empty database of its own (a SQLite file, or PostgreSQL)."""
    url = (
        f"sqlite:///{tmp_path}/clock.db"
        if request.param == "sqlite"
        else postgres_database("plateau_clock" + (f"_{WORKER}" if WORKER else ""))
    )
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "CLOCK": lambda: at("+01:00")}
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def started_with(app, item: dict, *, ready: bool) -> int:
    """cand1's attempt in a shift started at T0 whose timeline is `item` alone, fired; its id."""
    with app.app_context():
        user = create_user("candidat1", "correct horse battery", "candidate", "Camille")
        shift = create_shift("bureau-direct", [user])
        change_shift_status(shift, "start")
        shift.started_at = T0
        attempt = shift.attempts[0]
        db.session.execute(sa.delete(TimelineEvent).where(TimelineEvent.attempt_id == attempt.id))
        db.session.add(
            TimelineEvent(
                attempt_id=attempt.id,
                key=item["key"],
                kind=item["kind"],
                fire_offset_seconds=parse_offset(item["at"]),
                payload=item,
            )
        )
        if ready:
            set_agent_state(Ctx(attempt, user.id, "candidate"), "ready", now=at("+00:10"))
        db.session.commit()
        assert scheduler.tick(at(item["at"])).fired == [item["key"]]
        attempt_id = attempt.id
        db.session.remove()
    return attempt_id


@pytest.fixture
def ringing(fresh_app):
    """(app, attempt id, call id): cand1 ready, the scripted call ringing since +01:00."""
    attempt_id = started_with(fresh_app, CALL, ready=True)
    with fresh_app.app_context():
        call_id = db.session.scalar(sa.select(Call.id).where(Call.attempt_id == attempt_id))
    return fresh_app, attempt_id, call_id


def tick_twice(app, now: datetime, monkeypatch, module, step: str) -> list[scheduler.TickReport]:
    """Two workers tick at `now` at once, each held at `module.step` for the other."""
    barrier = threading.Barrier(2)
    original = getattr(module, step)

    def held(*args, **kwargs):
        # Broken: the other worker is not coming (it waits for our lock), go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=HOLD_SECONDS)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, step, held)
    start = threading.Barrier(2)
    reports, errors = {}, []

    def worker(name: str) -> None:
        with app.app_context():
            try:
                start.wait(timeout=30)
                reports[name] = scheduler.tick(now, worker=name)
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return [reports["A"], reports["B"]]


def actions(attempt_id: int, verb: str) -> list[Action]:
    """The attempt's actions of one verb, in order."""
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.attempt_id == attempt_id, Action.verb == verb)
            .order_by(Action.seq)
        )
    )


def test_a_ring_past_its_delay_is_abandoned_once(ringing, monkeypatch):
    app, attempt_id, call_id = ringing
    reports = tick_twice(app, at("+01:20"), monkeypatch, live_calls, "abandon_call")

    assert reports[0].rings_timed_out + reports[1].rings_timed_out == [call_id]
    with app.app_context():
        abandoned = actions(attempt_id, "call.abandoned")
        assert [a.payload["call_id"] for a in abandoned] == [call_id]
        assert abandoned[0].payload["reason"] == "timeout"
        assert db.session.get(Call, call_id).status == "abandoned"
        assert verify_chain(db.session.get(Attempt, attempt_id)).valid


def test_a_nudge_is_said_once(ringing, monkeypatch):
    app, attempt_id, call_id = ringing
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        ctx = Ctx(attempt, attempt.candidate_id, "candidate")
        answer_call(ctx, db.session.get(Call, call_id), now=at("+01:05"))
        db.session.commit()
        db.session.remove()

    tick_twice(app, at("+01:20"), monkeypatch, live_calls, "tick_call")

    with app.app_context():
        said = [a.payload["text"] for a in actions(attempt_id, "call.customer_said")]
        assert said == ["Bonjour, c'est Nicolas Guillot.", NUDGE]
        turns = db.session.scalars(
            sa.select(CallTurn.text).where(CallTurn.call_id == call_id, CallTurn.text == NUDGE)
        ).all()
        assert turns == [NUDGE]
        assert verify_chain(db.session.get(Attempt, attempt_id)).valid


def test_a_silent_chat_customer_nudges_once(fresh_app, monkeypatch):
    attempt_id = started_with(fresh_app, CHAT, ready=False)

    tick_twice(fresh_app, at("+01:30"), monkeypatch, correspondent, "_engine")

    with fresh_app.app_context():
        replies = db.session.scalars(
            sa.select(TimelineEvent.payload).where(
                TimelineEvent.attempt_id == attempt_id, TimelineEvent.kind == "reply"
            )
        ).all()
        assert [r["body"] for r in replies] == [CHAT_NUDGE]


def test_answering_while_the_clock_times_the_ring_out_is_refused(ringing, monkeypatch):
    app, attempt_id, call_id = ringing
    client = app.test_client()
    login = {"username": "candidat1", "password": "correct horse battery"}
    token = client.post("/api/v1/auth/token", json=login).get_json()["token"]
    inside = threading.Event()
    original = live_calls.abandon_call

    def held(*args, **kwargs):
        inside.set()
        threading.Event().wait(HOLD_SECONDS)  # the candidate's answer arrives meanwhile
        return original(*args, **kwargs)

    monkeypatch.setattr(live_calls, "abandon_call", held)
    reports = []

    def clock_worker() -> None:
        with app.app_context():
            reports.append(scheduler.tick(at("+01:20"), worker="clock"))
            db.session.remove()

    thread = threading.Thread(target=clock_worker)
    thread.start()
    assert inside.wait(30)
    response = client.post(
        f"/api/v1/calls/{call_id}/answer", headers={"Authorization": f"Bearer {token}"}
    )
    thread.join(timeout=60)

    assert reports[0].rings_timed_out == [call_id]
    assert response.status_code == 409, response.get_json()
    with app.app_context():
        assert [a.payload["call_id"] for a in actions(attempt_id, "call.abandoned")] == [call_id]
        assert actions(attempt_id, "call.answered") == []
        assert db.session.get(Call, call_id).status == "abandoned"
        assert verify_chain(db.session.get(Attempt, attempt_id)).valid
