"""The desk page (`/desk`): the candidate's working screen during a running shift.

The page is a shell: its panels are filled and kept current by `static/js/desk.js` from the
JSON API (state always comes from the server), so a reload shows exactly what the server holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, current_app, render_template
from flask_login import current_user

from crm.auth.access import role_required
from crm.campaigns.models import Campaign
from crm.contacts.context import page_attempt
from crm.db import db
from crm.evaluation.candidate_report import closing_attempt
from crm.training.models import Attempt
from softphone.desk.texts import desk_texts

bp = Blueprint("desk", __name__)


@dataclass(frozen=True)
class CallGuide:
    """A campaign's call guide: its name and the steps the candidate ticks as they go."""

    campaign: str
    steps: list[str]


def guide_steps(script) -> list[str]:
    """The steps of a campaign's `script` setting: a list of lines, or one text cut into lines."""
    if isinstance(script, str):
        return [line.strip(" -•\t") for line in script.splitlines() if line.strip(" -•\t")]
    if isinstance(script, list):
        return [str(step).strip() for step in script if str(step).strip()]
    return []


def call_guides(attempt: Attempt) -> list[CallGuide]:
    """The call guides of the attempt's campaigns that have one (`script` in their settings)."""
    campaigns = db.session.scalars(
        sa.select(Campaign).where(Campaign.attempt_id == attempt.id).order_by(Campaign.id)
    )
    guides = []
    for campaign in campaigns:
        steps = guide_steps((campaign.settings or {}).get("script"))
        if steps:
            guides.append(CallGuide(campaign.name, steps))
    return guides


@bp.route("/desk")
@role_required("candidate")
def index():
    """The desk: softphone, inbox, CRM workspace, callbacks and call guide (French)."""
    attempt = page_attempt()
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
        guides=call_guides(attempt),
        poll_ms=current_app.config.get("DESK_POLL_MS", 3000),
        texts=desk_texts(),
    )
