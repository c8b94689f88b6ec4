"""API for evaluators and trainers: KPIs of an attempt or a shift, and the PDF report."""

from __future__ import annotations

from flask import g, jsonify, request

from crm.db import db
from crm.errors import NotFound
from crm.evaluation.kpis import attempt_kpis, shift_attempts, shift_kpis
from crm.evaluation.views import pdf_response
from crm.training.models import Shift
from crm.web.api import attempt_or_404, make_api_blueprint, roles
from crm.web.openapi import doc, reply

bp = make_api_blueprint("kpis_api", __name__, operation_prefix="")


@bp.get("/attempts/<int:attempt_id>/kpis")
@roles("trainer", "evaluator")
@doc(tag="Evaluator")
def attempt_kpis_view(attempt_id):
    """The attempt's KPIs: value, unit, formula, figures and the actions counted."""
    attempt = attempt_or_404(attempt_id)
    return jsonify(
        {"attempt_id": attempt.id, "kpis": [kpi.to_dict() for kpi in attempt_kpis(attempt)]}
    )


@bp.get("/shifts/<int:shift_id>/kpis")
@roles("trainer", "evaluator")
@doc(tag="Evaluator")
def shift_kpis_view(shift_id):
    """The shift's KPIs, from the summed counts of each candidate's current attempt."""
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("Séance introuvable.")
    return jsonify(
        {
            "shift_id": shift.id,
            "attempt_ids": [a.id for a in shift_attempts(shift)],
            "kpis": [kpi.to_dict() for kpi in shift_kpis(shift)],
        }
    )


@bp.get("/attempts/<int:attempt_id>/report.pdf")
@roles("trainer", "evaluator")
@doc(
    tag="Evaluator",
    query={"standard?": "standard"},
    responses={200: reply("The report", media="application/pdf")},
)
def attempt_report_pdf(attempt_id):
    """The attempt's PDF report against a standard (default: the shift's standard).

    Final grades and comments are those the caller may see (blind double marking: none of the
    other marker's before both grids are in or signed). The log section gives the attempt's
    action count and chain head, those sealed at sign-off, and whether the chain verifies.
    """
    return pdf_response(attempt_or_404(attempt_id), request.args.get("standard"), g.api_user.id)
