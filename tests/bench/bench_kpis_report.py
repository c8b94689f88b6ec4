"""Benchmarks: KPIs of an attempt with ~2,000 actions; the PDF of a 78-criterion grid.

Not part of the normal test run (see tests/bench/README.md for the command that prints the
figures). Each benchmark builds its data with the real services, then times the operation a
few times and prints the best and median times.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from io import BytesIO

from pypdf import PdfReader

import crm.clock
from crm.actionlog.services import Ctx
from crm.contacts.services import qualify_contact
from crm.db import db
from crm.evaluation.kpis import attempt_kpis
from crm.evaluation.pdf import render_report
from crm.evaluation.standards import get_standard
from softphone.phone.services import (
    answer_call,
    hang_up,
    hold_call,
    offer_inbound_call,
    resume_call,
    say,
    set_agent_state,
)

from ..clocks import FakeClock
from ..evaluation.report_samples import sample_report

TARGET_ACTIONS = 2000
RUNS = 5


def timed(operation, runs: int = RUNS) -> tuple[float, float, object]:
    """Best and median wall time in milliseconds over `runs`, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = operation()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times), result


def report(title: str, best: float, median: float, detail: str) -> None:
    print(f"\n[bench] {title}: best {best:.1f} ms, median {median:.1f} ms ({detail})")


def test_kpis_of_an_attempt_with_2000_actions(app, attempt, people):
    clock = FakeClock(crm.clock.now() - timedelta(hours=8))
    app.config["CLOCK"] = clock
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    trainer = Ctx(attempt, people["trainer"].id, "trainer")
    set_agent_state(ctx, "ready")
    db.session.commit()
    start = time.perf_counter()
    calls = 0
    while attempt.action_count < TARGET_ACTIONS:
        call = offer_inbound_call(trainer, f"04 99 00 {calls // 100:02d} {calls % 100:02d}")
        clock.advance(5)
        answered = answer_call(ctx, call)
        for turn in ("Bonjour, que puis-je pour vous ?", "Je regarde.", "Voilà qui est fait."):
            clock.advance(20)
            say(ctx, call, turn)
        hold_call(ctx, call)
        clock.advance(15)
        resume_call(ctx, call)
        clock.advance(30)
        hang_up(ctx, call)
        clock.advance(12)
        qualify_contact(ctx, answered.contact, "INFO", "Renseignement donné.")
        db.session.commit()
        calls += 1
    built = time.perf_counter() - start
    db.session.expire_all()

    best, median, kpis = timed(lambda: attempt_kpis(attempt))

    by_key = {k.key: k for k in kpis}
    assert by_key["contacts"].value == calls
    assert by_key["handling_time"].value is not None
    report(
        "KPIs of one attempt",
        best,
        median,
        f"{attempt.action_count} actions, {calls} calls; log built in {built:.1f} s",
    )


def test_pdf_of_a_78_criterion_grid(app):
    criteria = get_standard("mc-acvad-referentiel-certification").criteria
    assert len(criteria) == 78
    data = sample_report(criteria, evidence_size=12)

    best, median, pdf = timed(lambda: render_report(data))

    assert pdf.startswith(b"%PDF")
    report(
        "PDF report, 78 criteria",
        best,
        median,
        f"{len(pdf) // 1024} KiB, {len(PdfReader(BytesIO(pdf)).pages)} pages",
    )
