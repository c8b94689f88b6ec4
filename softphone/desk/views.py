"""The desk page (`/desk`): the candidate's working screen during a running shift.

The page is a shell: its panels are filled and kept current by `static/js/desk.js` from the
JSON API (state always comes from the server), so a reload shows exactly what the server holds.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template
from flask_login import current_user

from crm.auth.access import role_required
from crm.campaigns.models import Campaign
from crm.db import db
from crm.evaluation.candidate_report import closing_attempt
from crm.surveys.services import survey_of
from crm.training.models import Attempt
from crm.web.context import candidate_attempt
from softphone.desk.survey_texts import survey_texts
from softphone.desk.texts import desk_texts
from softphone.phone.guide import steps_of

bp = Blueprint("desk", __name__)


def has_call_guide(attempt: Attempt) -> bool:
    """Whether a campaign of the attempt has a call guide (the panel is shown then)."""
    campaigns = db.session.scalars(sa.select(Campaign).where(Campaign.attempt_id == attempt.id))
    return any(steps_of(c) for c in campaigns)


def has_survey(attempt: Attempt) -> bool:
    """Whether a campaign of the attempt runs a questionnaire (the survey panel is shown)."""
    campaigns = db.session.scalars(sa.select(Campaign).where(Campaign.attempt_id == attempt.id))
    return any(survey_of(c) for c in campaigns)


@bp.route("/desk")
@role_required("candidate")
def index():
    """The desk: softphone, inbox, CRM workspace, callbacks, call guide and survey (French)."""
    attempt = candidate_attempt()
    if attempt is None:
        # The shift may have just ended: the end-of-shift report is still open for a while.
        report = closing_attempt(current_user)
        exam_mode = bool(report and report.shift.exam_mode)
        return render_template(
            "desk/index.html",
            attempt=None,
            report_attempt=report,
            exam_mode=exam_mode,
            hide_nav=exam_mode,
        )
    exam_mode = bool(attempt.shift.exam_mode)
    return render_template(
        "desk/index.html",
        attempt=attempt,
        exam_mode=exam_mode,
        hide_nav=exam_mode,
        has_guide=has_call_guide(attempt),
        has_survey=has_survey(attempt),
        survey_texts=survey_texts(),
        poll_ms=current_app.config.get("DESK_POLL_MS", 3000),
        texts=desk_texts(),
    )
