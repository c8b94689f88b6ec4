"""What an attempt's report holds, as plain data: assembled from the database once, then rendered
(PDF, CSV) without touching the database again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ReportCriterion:
    """One criterion row of the report."""

    id: str
    competency_id: str
    competency_title: str
    text: str
    mode: str  # automatic / judgement
    verdict: str  # met / not_met / not_observed / to_grade
    explanation: str
    evidence: tuple[int, ...]  # action ids
    grade: str | None  # crm.evaluation.grades code, None if not graded
    comment: str
    self_grade: str | None  # the candidate's self-assessment, None if not given


@dataclass(frozen=True)
class ReportKpi:
    """One indicator with its value as shown and its formula in words."""

    label: str
    value: str
    formula: str


@dataclass(frozen=True)
class ReportSignature:
    """An evaluator who signed off (or marked) the grid."""

    name: str
    role: str  # first / second evaluator
    signed_at: datetime | None


@dataclass(frozen=True)
class AttemptReport:
    """Everything the PDF report of one attempt for one standard shows."""

    candidate: str
    scenario: str
    shift: str
    shift_date: datetime | None
    standard_title: str
    standard_version: str
    attempt_id: int
    criteria: tuple[ReportCriterion, ...]
    kpis: tuple[ReportKpi, ...]
    log_hash: str
    action_count: int
    chain_valid: bool
    signed: bool
    signatures: tuple[ReportSignature, ...] = ()
    memo: str = ""
    generated_at: datetime | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
