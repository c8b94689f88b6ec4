"""Benchmark: resetting a candidate's attempt on the default scenario (the reset service).

Not collected by the normal suite; run the benchmarks as tests/bench/README.md says. It resets
one attempt of the seeded shift PLATEAU_BENCH_RESETS times (default 10), each the new attempt of
the previous reset, as `plateau attempt reset` does (the service, then one commit), and prints
the median and the slowest in wall-clock and CPU time. It asserts nothing about time; it checks
each reset gave a fresh world (the seeded clients are there).
"""

from __future__ import annotations

import os
import statistics
import time

import sqlalchemy as sa

from crm.clients.models import Client
from crm.db import db
from crm.training.services import reset_attempt

RESETS = int(os.environ.get("PLATEAU_BENCH_RESETS", "10"))


def test_reset_the_default_scenario(attempt, people):
    current = attempt
    wall, cpu = [], []
    for _ in range(RESETS):
        started, started_cpu = time.perf_counter(), time.process_time()
        current = reset_attempt(current, people["trainer"])
        db.session.commit()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        clients = db.session.scalar(
            sa.select(sa.func.count()).select_from(Client).where(Client.attempt_id == current.id)
        )
        assert clients > 0
    median = statistics.median(wall) * 1000
    print(
        f"\n[bench] reset of the default scenario ×{RESETS}: median {median:.0f}"
        f" ms (CPU {statistics.median(cpu) * 1000:.0f} ms), slowest {max(wall) * 1000:.0f} ms"
        f" ({clients} clients per world)"
    )
