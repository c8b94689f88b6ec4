"""Benchmark: the scenario clock with 200 running attempts and nobody at the desk.

A shift of 200 candidates on the default scenario, on a SQLite file (the embedded mode), started
95 s ago: every attempt's first inbound call (+01:30) is due, and every agent is offline, so each
call waits in its queue (it is abandoned at +03:30). Nothing else falls due in the next 20 s.
The real clock loop (`start_scheduler`) then runs for `SECONDS` and the benchmark prints the CPU
it used (the process's CPU time over the wall time: only the clock works meanwhile) and the SQL
writes it performed (INSERT, UPDATE, DELETE statements), then the time of one poll and of one
whole agenda read (`softphone.scenarios.agenda`). Nothing about time is asserted.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm import clock
from crm.app import create_app
from crm.auth.models import User
from crm.db import db
from crm.training.services import change_shift_status, create_shift
from softphone.scenarios.agenda import attempt_counts, due_times, running_shifts_clock
from softphone.scenarios.scheduler import start_scheduler, stop_scheduler, tick

ATTEMPTS = int(os.environ.get("PLATEAU_BENCH_ATTEMPTS", "200"))
SECONDS = float(os.environ.get("PLATEAU_BENCH_SECONDS", "20"))
#: Scenario time at which the measurement starts: the first call (+01:30) waits in its queue.
ELAPSED = 95
WRITES = ("INSERT", "UPDATE", "DELETE")
REPEAT = 10


@pytest.fixture
def file_app(tmp_path):
    """An application on a fresh SQLite file, as `plateau serve` runs by default."""
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bench.db'}"}
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def _room(size: int):
    """A shift of `size` candidates on the default scenario, started `ELAPSED` seconds ago."""
    # Users are inserted directly: hashing 200 passwords would only time Argon2.
    candidates = [
        User(username=f"bench{i}", display_name=f"Bench {i}", role="candidate", password_hash="-")
        for i in range(size)
    ]
    db.session.add_all(candidates)
    db.session.flush()
    shift = create_shift("bureau-direct", candidates)
    change_shift_status(shift, "start", now=clock.now() - timedelta(seconds=ELAPSED))
    db.session.commit()
    return shift


def test_the_clock_idles_with_200_running_attempts(file_app):
    started = time.perf_counter()
    _room(ATTEMPTS)
    print(f"\n{ATTEMPTS} attempts seeded in {time.perf_counter() - started:.1f} s")
    warm = tick()  # the due calls are offered once: the agents are offline, they queue
    db.session.remove()
    print(f"first tick: {len(warm.queued)} calls queued, {len(warm.fired)} events fired")

    writes = {"count": 0}

    def count_writes(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(WRITES):
            writes["count"] += 1

    sa.event.listen(db.engine, "before_cursor_execute", count_writes)
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        start_scheduler(file_app)
        time.sleep(SECONDS)
        assert stop_scheduler(timeout=60)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count_writes)
    print(
        f"[bench] clock idle, {ATTEMPTS} running attempts, {wall:.1f} s: "
        f"CPU {cpu / wall:.1%} of a core ({cpu:.2f} s), {writes['count']} SQL writes"
    )
    # What a poll and a whole agenda cost (the loop reads the agenda again when shifts change,
    # and every minute; attempts one by one when they change).
    for name, read in (("poll", _poll), ("full agenda", lambda: due_times(clock.now()))):
        started = time.perf_counter()
        for _ in range(REPEAT):
            read()
            db.session.rollback()
        each = (time.perf_counter() - started) / REPEAT
        print(f"[bench] {name} of {ATTEMPTS} attempts: {each * 1000:.1f} ms")


def _poll() -> None:
    """What the loop reads every interval."""
    running_shifts_clock()
    attempt_counts()
