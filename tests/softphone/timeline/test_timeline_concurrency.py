"""Two processes ticking at once (two threads and sessions, one SQLite file): each event once."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from crm.app import create_app
from crm.auth.services import create_user
from crm.db import db
from crm.training.models import Attempt, Shift
from crm.training.timeline import TimelineEvent
from softphone.inbox.models import Message
from softphone.scenarios.scheduler import tick

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


def test_concurrent_ticks_fire_every_event_exactly_once(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/c.db"})
    with app.app_context():
        db.create_all()
        user = create_user("candidat1", "correct horse battery", "candidate", "Camille")
        shift = Shift(name="Séance", scenario="bureau-direct", status="running", started_at=T0)
        db.session.add(shift)
        db.session.flush()
        attempt = Attempt(shift_id=shift.id, candidate_id=user.id, world_date=date(2026, 3, 3))
        db.session.add(attempt)
        db.session.flush()
        for i in range(12):
            db.session.add(
                TimelineEvent(
                    attempt_id=attempt.id,
                    key=f"sms-{i}",
                    kind="sms",
                    fire_offset_seconds=i,
                    payload={"from": f"06 12 34 56 {i:02d}", "body": f"Message {i}"},
                )
            )
        db.session.commit()

    now = T0 + timedelta(minutes=1)
    barrier = threading.Barrier(2)
    reports = {}

    def worker(name: str) -> None:
        with app.app_context():
            barrier.wait()
            reports[name] = tick(now, worker=name)
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    fired = reports["A"].fired + reports["B"].fired
    assert sorted(fired) == sorted(f"sms-{i}" for i in range(12))
    assert set(reports["A"].fired).isdisjoint(reports["B"].fired)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 12
        claimed = db.session.execute(sa.select(TimelineEvent.key, TimelineEvent.claimed_by)).all()
        owner = {key: by for key, by in claimed}
        assert all(owner[k] == "A" for k in reports["A"].fired)
        assert all(owner[k] == "B" for k in reports["B"].fired)
        db.engine.dispose()
