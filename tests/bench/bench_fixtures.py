"""Benchmark: what the shared fixtures cost a test before any of its own work.

Not part of the normal test run (tests/bench/README.md). Times in CPU milliseconds (the
process's own, so other work on the machine does not count), best and median over RUNS, for:
a test's app (`create_app`, with Werkzeug compiling its URL builders or sharing them), and
the seeded fixtures `people` + `shift` + `other_attempt` built live as before or copied from
the templates (tests/seeded.py).
"""

from __future__ import annotations

import statistics
import time

from werkzeug.routing.rules import Rule

from crm.extensions import db

from ..conftest import TEMPLATES, _add_other_attempt, _make_people, _new_user, _start_shift
from ..conftest import _template_app as new_app
from ..url_builders import _compile_builder, _shared_builder

RUNS = 15


def cpu_timed(operation, runs: int = RUNS) -> tuple[float, float]:
    """Best and median CPU time in milliseconds over `runs`."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        operation()
        times.append((time.process_time() - start) * 1000)
    return min(times), statistics.median(times)


def report(title: str, best: float, median: float) -> None:
    print(f"\n[bench] {title}: best {best:.1f} ms, median {median:.1f} ms CPU")


def test_creating_a_tests_app(monkeypatch):
    monkeypatch.setattr(Rule, "_compile_builder", _compile_builder)
    report("create_app, builders compiled per app", *cpu_timed(new_app))
    monkeypatch.setattr(Rule, "_compile_builder", _shared_builder)
    new_app()
    report("create_app, builders shared", *cpu_timed(new_app))


def _in_fresh_app(seed) -> None:
    app = new_app()
    with app.app_context():
        seed(app)
        db.session.remove()
        db.engine.dispose()


def _live(app) -> None:
    db.create_all()
    people = _make_people(_new_user)
    shift = _start_shift(people)
    _add_other_attempt(shift, people)


def _copied(app) -> None:
    assert TEMPLATES.restore_schema(app, "schema")
    for stage in ("people", "shift", "other_attempt"):
        assert TEMPLATES.restore(app, stage) is not None


def test_seeded_fixtures_live_or_copied():
    TEMPLATES.prepare(new_app)
    app_only = cpu_timed(lambda: _in_fresh_app(lambda app: None))
    report("app alone (subtracted below)", *app_only)
    live = cpu_timed(lambda: _in_fresh_app(_live))
    report("schema + people + shift + other_attempt, live", live[0] - app_only[0],
           live[1] - app_only[1])  # fmt: skip
    copied = cpu_timed(lambda: _in_fresh_app(_copied))
    report("schema + people + shift + other_attempt, copied", copied[0] - app_only[0],
           copied[1] - app_only[1])  # fmt: skip
