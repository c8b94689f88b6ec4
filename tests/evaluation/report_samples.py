"""Report data built directly (no database): for the renderer's tests and the benchmark."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from crm.evaluation.kpis import Tally
from crm.evaluation.kpis.formulas import derive
from crm.evaluation.report import AttemptReport, ReportCriterion, Signature, Signer

GRADE_CYCLE = ("acquired", "in_progress", "not_acquired", "not_observed", None)
STATUS_CYCLE = ("met", "not_met", "not_observed")
HEAD = "9f2c" * 16


def sample_tally() -> Tally:
    """Counts of a plausible 45-minute shift."""
    t = Tally()
    for name, value in {
        "contacts": 9,
        "contacts.phone": 6,
        "contacts.email": 2,
        "contacts.chat": 1,
        "handled_calls": 6,
        "handling_seconds": 1143.5,
        "wrap_ups": 6,
        "wrap_seconds": 214.0,
        "ended_calls": 6,
        "hold_seconds": 95.0,
        "held_calls": 2,
        "presence_seconds": 2700.0,
        "reached_contacts": 7,
        "converted_contacts": 3,
        "orders": 3,
        "orders_total": Decimal("412.80"),
        "orders_additional": 2,
        "fcr_requests": 6,
        "fcr_resolved": 5,
        "deadlines.email": 3,
        "deadlines_met.email": 2,
        "deadlines.sms": 1,
        "calls_offered": 7,
        "calls_abandoned": 1,
    }.items():
        t.count(name, value, range(1, 4))
    return t


def sample_report(criteria, *, signed: bool = True, evidence_size: int = 3) -> AttemptReport:
    """A report over these standard criteria, verdicts and grades cycling through every value."""
    rows = []
    for i, c in enumerate(criteria):
        automatic = i % 3 == 0
        status = STATUS_CYCLE[(i // 3) % 3] if automatic else "to_grade"
        rows.append(
            ReportCriterion(
                id=c.id,
                competency_id=c.competency_id,
                competency_title=c.competency_title,
                text=c.text,
                mode="automatic" if automatic else "judgement",
                status=status,
                explanation=(
                    f"Commande n° CMD-2026-{i:05d} confirmée sans proposition de vente "
                    "additionnelle ; récapitulatif lu avant la confirmation."
                    if automatic
                    else ""
                ),
                evidence=tuple(range(10 + i, 10 + i + evidence_size)) if automatic else (),
                grade=GRADE_CYCLE[i % 5],
                comment="Reformulation claire, écoute active ; pense à l'œil du client."
                if i % 2
                else "",
                self_grade=GRADE_CYCLE[(i + 1) % 5],
            )
        )
    moment = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    signature = Signature(
        (Signer("Jeanne Évaluatrice", "first"), Signer("Paul Second", "second")),
        datetime(2026, 11, 25, 11, 5, tzinfo=UTC),
        HEAD,
        412,
    )
    return AttemptReport(
        attempt_id=12,
        attempt_number=1,
        candidate="Chloé Lefèvre",
        candidate_username="candidat1",
        shift="Séance du matin — groupe B",
        shift_started_at=moment,
        shift_ended_at=datetime(2026, 11, 25, 10, 15, tzinfo=UTC),
        scenario="Bureau Direct — fournitures de bureau",
        standard_id="cqp-relation-commerciale-a-distance",
        standard_title="CQP Relation commerciale à distance",
        standard_version="2019",
        criteria=tuple(rows),
        kpis=tuple(derive(sample_tally())),
        chain_head=HEAD,
        action_count=412,
        chain_valid=True,
        signature=signature if signed else None,
        generated_at=datetime(2026, 11, 25, 11, 30, tzinfo=UTC),
    )
