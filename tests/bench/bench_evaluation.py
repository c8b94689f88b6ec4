"""Benchmark: `evaluate()` on an attempt of 1,000, 2,000 and 10,000 actions, for every standard.

Not collected by the normal suite (the file name does not match ``test_*.py``); run the
benchmarks as tests/bench/README.md says. One attempt's log is grown through the real services
(tests/evaluation/long_shift.py: a long shift's mix of calls, sales, stock-outs, holds,
transfers, callbacks, emails, file updates and pauses) to each size of PLATEAU_BENCH_ACTIONS
(default "1000,2000,10000"); at each size every standard is evaluated and every registered rule
run, each RUNS times on a cold session (what a request sees), and the median wall-clock and CPU
(process) time printed. It asserts nothing about time (machines differ; the target is 500 ms
for 10,000 actions); it checks the evaluation saw every action.
"""

from __future__ import annotations

import os
import statistics
import time

from crm.db import db
from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.evaluation.standards import list_standards
from crm.evaluation.verdicts import evaluate, run_rules

from ..evaluation.long_shift import LongShift

#: Sizes of the evaluated log (PLATEAU_BENCH_ACTIONS, comma-separated).
SIZES = [int(n) for n in os.environ.get("PLATEAU_BENCH_ACTIONS", "1000,2000,10000").split(",")]
#: Timed runs of each operation at each size (the median is printed).
RUNS = int(os.environ.get("PLATEAU_BENCH_RUNS", "3"))


def timed(operation) -> tuple[float, float, object]:
    """Median wall-clock and CPU milliseconds of `operation` over RUNS cold runs; its result."""
    wall, cpu, result = [], [], None
    for _ in range(RUNS):
        db.session.expire_all()  # nothing loaded beforehand: as a fresh request
        started, started_cpu = time.perf_counter(), time.process_time()
        result = operation()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, result


def _every_rule(attempt):
    """Every registered rule once on one evidence; (evidence, results)."""
    evidence = AttemptEvidence(attempt)
    return evidence, run_rules(evidence, list(RULES))


def test_evaluate_a_long_log(app, attempt, people):
    shift = LongShift(app, attempt, people["cand1"], people["trainer"])
    for size in SIZES:
        started = time.perf_counter()
        shift.work_until(size)
        built = time.perf_counter() - started
        actions = attempt.action_count
        print(f"\n[bench] evaluation of {actions} actions (log grown in {built:.1f} s):")
        slowest = 0.0
        for standard in list_standards():
            wall, cpu, evaluation = timed(lambda s=standard: evaluate(attempt, s))
            slowest = max(slowest, wall)
            automatic = sum(1 for c in evaluation.criteria if c.criterion.mode == "automatic")
            print(
                f"  evaluate({standard.id}): {wall:.0f} ms (CPU {cpu:.0f} ms;"
                f" {len(evaluation.results)} rules, {automatic} automatic criteria)"
            )
        wall, cpu, (evidence, results) = timed(lambda: _every_rule(attempt))
        print(f"  every registered rule ({len(results)}) once: {wall:.0f} ms (CPU {cpu:.0f} ms)")
        print(f"  slowest standard: {slowest:.0f} ms (median of {RUNS})")
        assert len(evidence.actions) == actions
