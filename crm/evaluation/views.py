"""Evaluation pages: the PDF report of an attempt (trainers and evaluators)."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user

from crm.auth.access import role_required
from crm.db import db
from crm.errors import ValidationFailed
from crm.evaluation.pdf import render_report
from crm.evaluation.report import build_report, report_standard
from crm.i18n import _
from crm.training.models import Attempt

bp = Blueprint("evaluation", __name__, url_prefix="/attempts")


def pdf_response(attempt: Attempt, requested_standard: str | None, viewer_id: int):
    """The report of `attempt` as the user `viewer_id` may see it, as a PDF response
    (ValidationFailed on a bad `standard`)."""
    standard = report_standard(attempt, requested_standard)
    data = render_report(build_report(attempt, standard.id, viewer_id))
    response = send_file(
        BytesIO(data),
        mimetype="application/pdf",
        download_name=f"rapport-tentative-{attempt.id}-{standard.id}.pdf",
    )
    # Grades and the log move until sign-off: never serve a stale copy.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:attempt_id>/report.pdf")
@role_required("trainer", "evaluator")
def report_pdf(attempt_id: int):
    """The attempt's report against the chosen standard (?standard=, else the shift's)."""
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    try:
        return pdf_response(attempt, request.args.get("standard"), current_user.id)
    except ValidationFailed as error:
        message = error.fields["standard"]
        title = _("Rapport impossible")
        return render_template("errors/error.html", code=422, title=title, message=message), 422
