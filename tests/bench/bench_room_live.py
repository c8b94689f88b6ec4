"""Benchmark: the trainer's room of a shift with many candidates (the whole room, one tile).

Not part of the normal test run (tests/bench/README.md). The shift's candidates each log on
and get an inbound call (half answered, a quarter on hold) and an SMS, through the real
services; then the whole room (`GET /shifts/{id}/live`'s service) and one tile (what a push
computes after a commit) are timed, with the number of SQL statements each runs.
"""

from __future__ import annotations

import os
import statistics
import time

from sqlalchemy import event

from crm import clock
from crm.actionlog.services import Ctx
from crm.auth.services import create_user
from crm.db import db
from crm.training.services import change_shift_status, create_shift
from softphone.inbox.receiving import receive_message
from softphone.phone.services import answer_call, hold_call, offer_inbound_call, set_agent_state
from softphone.room.live import live_room

CANDIDATES = int(os.environ.get("PLATEAU_BENCH_ROOM_CANDIDATES", "50"))
RUNS = 5


def _statements(operation) -> int:
    count = 0

    def counter(*_args, **_kwargs):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        operation()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count


def _timed(operation) -> tuple[float, float]:
    times = []
    for _ in range(RUNS):
        db.session.expire_all()
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def test_room_of_a_large_shift(app):
    trainer = create_user("formateur", "x" * 12, "trainer", "Formateur")
    people = [
        create_user(f"c{i:03d}", "x" * 12, "candidate", f"Candidat {i:03d}")
        for i in range(CANDIDATES)
    ]
    built = time.perf_counter()
    shift = create_shift("bureau-direct", people, created_by=trainer)
    change_shift_status(shift, "start")
    db.session.commit()
    seeding = time.perf_counter() - built
    now = clock.now()
    for i, attempt in enumerate(shift.attempts):
        ctx = Ctx(attempt, attempt.candidate_id, "candidate")
        set_agent_state(ctx, "ready")
        call = offer_inbound_call(Ctx(attempt, None, "system"), "04 65 71 13 05")
        if i % 2 == 0:
            answer_call(ctx, call)
            if i % 4 == 0:
                hold_call(ctx, call)
        receive_message(Ctx(attempt, None, "system"), "sms", "06 39 98 40 22", "Allô ?", now=now)
    db.session.commit()

    def whole():
        room = live_room(db.session.get(type(shift), shift.id), clock.now())
        assert len(room.tiles) == CANDIDATES

    one_id = shift.attempts[0].id

    def one():
        live_room(db.session.get(type(shift), shift.id), clock.now(), attempt_ids={one_id})

    best, median = _timed(whole)
    statements = _statements(whole)
    tile_best, tile_median = _timed(one)
    tile_statements = _statements(one)
    print(
        f"\n[bench] room of {CANDIDATES} candidates (seeded in {seeding:.1f} s): "
        f"whole room best {best * 1000:.1f} ms, median {median * 1000:.1f} ms, "
        f"{statements} SQL statements; one tile best {tile_best * 1000:.1f} ms, "
        f"median {tile_median * 1000:.1f} ms, {tile_statements} statements"
    )
