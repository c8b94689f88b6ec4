"""The report of one attempt against one standard: its data, and the assembler that gathers it.

`AttemptReport` (and the dataclasses it holds) is everything the PDF shows, already decided:
the renderer (crm/evaluation/pdf.py) only lays it out. `build_report(attempt, standard_id,
viewer_id)` reads it from the services: the automatic verdicts (`verdicts.evaluate`), the KPIs, the
candidate's self-assessment, the final grades the viewer may see and the sign-off
(`crm.evaluation.marking`), and the log's chain head and length, verified against the heads
sealed at sign-off. It only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import force_locale

from crm import clock
from crm.actionlog.models import Action
from crm.actionlog.services import verify_chain
from crm.bench.charts import kpi_charts
from crm.db import db
from crm.errors import ValidationFailed
from crm.evaluation.kpis import Kpi, attempt_kpis
from crm.evaluation.kpis.series import attempt_series
from crm.evaluation.self_assessment import self_grades
from crm.evaluation.standards import Standard, StandardNotFound, get_standard, list_standards
from crm.evaluation.verdicts import evaluate
from crm.i18n import _
from crm.training.library import scenario_title
from crm.training.models import Attempt


@dataclass(frozen=True)
class ReportCriterion:
    """One criterion as reported: wording, automatic verdict and proof, grades."""

    id: str
    competency_id: str
    competency_title: str
    text: str
    mode: str  # automatic / judgement
    status: str  # met / not_met / not_observed / to_grade
    explanation: str
    #: Numbers (seq) in the attempt's log of the actions that prove the verdict.
    evidence: tuple[int, ...]
    grade: str | None  # crm.evaluation.grades code, None while not graded
    comment: str
    self_grade: str | None
    #: Of those: where the criterion's rules were respected, and where they were not.
    met: tuple[int, ...] = ()
    not_met: tuple[int, ...] = ()
    #: Decided while the shift still ran: the verdict may have changed since.
    provisional: bool = False
    #: Without a grade: why (marking.wording.ungraded_reason), else "".
    pending: str = ""


@dataclass(frozen=True)
class Signer:
    """An evaluator who signed, and as which marker (first / second)."""

    name: str
    role: str


@dataclass(frozen=True)
class Signature:
    """The sign-off: who, when, and the log as it stood then."""

    signers: tuple[Signer, ...]
    signed_at: datetime
    chain_head: str
    action_count: int


@dataclass(frozen=True)
class AttemptReport:
    """Everything the PDF report of an attempt shows."""

    attempt_id: int
    attempt_number: int
    candidate: str
    candidate_username: str
    shift: str
    shift_started_at: datetime | None
    shift_ended_at: datetime | None
    scenario: str
    standard_id: str
    standard_title: str
    standard_version: str
    criteria: tuple[ReportCriterion, ...]
    kpis: tuple[Kpi, ...]
    chain_head: str
    action_count: int
    chain_valid: bool
    signature: Signature | None
    generated_at: datetime
    #: Final grades exist that blind double marking hides from this viewer.
    grades_hidden: bool = False
    #: The report was made while the shift still ran: its automatic verdicts may change.
    provisional: bool = False
    #: The KPI page's charts (crm.bench.charts.Chart), drawn in the report.
    charts: tuple = ()
    #: Where the grading stands (marking.wording.grading_state_text).
    grading_state: str = ""


def action_numbers(attempt_id: int, ids) -> dict[int, int]:
    """action id → its number (seq) in the attempt's log."""
    ids = set(ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Action.id, Action.seq).where(Action.attempt_id == attempt_id, Action.id.in_(ids))
    )
    return dict(rows.all())


def _signature(sign_off) -> Signature | None:
    """The sign-off row (crm.evaluation.marking.SignOff) as report data."""
    if sign_off is None:
        return None
    return Signature(
        signers=tuple(
            Signer(s.get("display_name") or s.get("username", ""), s.get("role", ""))
            for s in sign_off.signers
        ),
        signed_at=sign_off.signed_at,
        chain_head=sign_off.chain_head,
        action_count=sign_off.action_count,
    )


def _french_charts(attempt: Attempt) -> tuple:
    """The attempt's KPI charts, worded in French as the rest of the report."""
    if not has_request_context():
        return tuple(kpi_charts(attempt_series([attempt])))
    with force_locale("fr"):
        return tuple(kpi_charts(attempt_series([attempt])))


def build_report(attempt: Attempt, standard_id: str, viewer_id: int) -> AttemptReport:
    """Gather the report of `attempt` against a standard (StandardNotFound if unknown), with
    the grades and comments the user `viewer_id` may see (blind double marking)."""
    from crm.evaluation.marking import (
        final_grades,
        pending_wording,
        sign_off_of,
        visible_final_grades,
    )

    standard = get_standard(standard_id)
    evaluation = evaluate(attempt, standard)
    grades = visible_final_grades(attempt.id, standard.id, viewer_id)
    pending = pending_wording(attempt.id, standard.id, viewer_id)
    own = self_grades(attempt.id, standard.id)
    numbers = action_numbers(attempt.id, [i for v in evaluation.criteria for i in v.evidence])
    criteria = tuple(
        ReportCriterion(
            id=v.criterion.id,
            competency_id=v.criterion.competency_id,
            competency_title=v.criterion.competency_title,
            text=v.criterion.text,
            mode=v.criterion.mode,
            status=v.status,
            explanation=v.explanation,
            evidence=tuple(sorted(numbers[i] for i in v.evidence if i in numbers)),
            met=tuple(sorted(numbers[i] for i in v.met_ids if i in numbers)),
            not_met=tuple(sorted(numbers[i] for i in v.not_met_ids if i in numbers)),
            provisional=v.provisional,
            grade=(grades.get(v.criterion.id) or {}).get("grade"),
            comment=(grades.get(v.criterion.id) or {}).get("comment") or "",
            self_grade=own.get(v.criterion.id),
            pending="" if v.criterion.id in grades else pending.reason(v.criterion.id),
        )
        for v in evaluation.criteria
    )
    shift = attempt.shift
    candidate = attempt.candidate
    return AttemptReport(
        attempt_id=attempt.id,
        attempt_number=attempt.number,
        candidate=candidate.display_name or candidate.username,
        candidate_username=candidate.username,
        shift=shift.name,
        shift_started_at=shift.started_at,
        shift_ended_at=shift.ended_at,
        scenario=scenario_title(shift.scenario),
        standard_id=standard.id,
        standard_title=standard.title,
        standard_version=standard.version,
        criteria=criteria,
        kpis=tuple(attempt_kpis(attempt)),
        charts=_french_charts(attempt),
        chain_head=attempt.chain_head,
        action_count=attempt.action_count,
        chain_valid=verify_chain(attempt).valid,
        signature=_signature(sign_off_of(attempt.id, standard.id)),
        generated_at=clock.now(),
        grades_hidden=not grades and bool(final_grades(attempt.id, standard.id)),
        provisional=evaluation.provisional,
        grading_state=pending.state,
    )


def report_standard(attempt: Attempt, requested: str | None) -> Standard:
    """The standard a report is asked for (else the shift's); 422 on `standard` otherwise."""
    standard_id = (requested or "").strip() or attempt.shift.standard
    if not standard_id:
        raise ValidationFailed(
            {"standard": _("Choisissez le référentiel du rapport (paramètre « standard »).")}
        )
    try:
        return get_standard(standard_id)
    except StandardNotFound:
        known = ", ".join(s.id for s in list_standards())
        raise ValidationFailed(
            {"standard": _("Référentiel inconnu. Référentiels : %(known)s.", known=known)}
        ) from None
