"""Pages of the candidate's end of shift (« Fin de séance »): the memo and the self-assessment grid.

Reachable from the desk (a link that opens in its CRM frame while the shift runs) and after the
shift ended (the desk then offers it). In an exam-mode shift the pages show no main navigation.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from crm.actionlog.services import Ctx
from crm.auth.access import role_required
from crm.evaluation.candidate_report import (
    BODY_MAX,
    SUBJECT_MAX,
    assessment_of,
    closing_attempt,
    fill_self_assessment,
    memo_of,
    parse_entries,
    save_self_assessment,
    send_memo,
    standard_for,
    submit_self_assessment,
)
from crm.evaluation.grades import GRADES
from crm.evaluation.grid_tools import (
    competency_summaries,
    flash_filled,
    parse_fill,
    saved_anchor,
    with_anchor,
)
from crm.i18n import _, _l
from crm.training.models import Attempt
from crm.web.boundary import checkpoint, refused, unit_of_work
from crm.web.context import report_ctx

bp = Blueprint("candidate_report", __name__)


class MemoForm(FlaskForm):
    """The memo to the supervisor: a subject and a body."""

    subject = StringField(
        _l("Objet"),
        validators=[DataRequired(_l("Champ obligatoire.")), Length(max=SUBJECT_MAX)],
    )
    body = TextAreaField(
        _l("Note de synthèse"),
        validators=[DataRequired(_l("Champ obligatoire.")), Length(max=BODY_MAX)],
    )


class GridForm(FlaskForm):
    """The self-assessment grid: its fields (grade-<id>, comment-<id>) are read from the request."""


def _page(template: str, attempt: Attempt | None, status: int = 200, **context):
    """Render with exam mode kept after the shift ended (the context processor stops then)."""
    exam = bool(attempt and attempt.shift.exam_mode)
    return (
        render_template(template, attempt=attempt, exam_mode=exam, hide_nav=exam, **context),
        status,
    )


@bp.route("/end-of-shift")
@role_required("candidate")
def index():
    """Fin de séance: where the memo and the self-assessment stand, with links to both."""
    attempt = closing_attempt(current_user)
    if attempt is None:
        return _page("candidate_report/index.html", None)
    standard = standard_for(attempt)
    return _page(
        "candidate_report/index.html",
        attempt,
        memo=memo_of(attempt),
        standard=standard,
        assessment=assessment_of(attempt, standard),
    )


@bp.route("/end-of-shift/memo", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def memo():
    """Write and send the memo to the supervisor (once)."""
    ctx = report_ctx()
    sent = memo_of(ctx.attempt)
    form = MemoForm()
    status = 200
    if request.method == "POST" and sent is None:
        status = 422
        if form.validate_on_submit():
            with refused(form) as refusal:
                send_memo(ctx, form.subject.data, form.body.data)
                flash(_("Note de synthèse envoyée au superviseur."), "success")
                return redirect(url_for("candidate_report.index"))
            status = refusal.status
    elif request.method == "POST":
        flash(
            _("La note de synthèse a déjà été envoyée : elle ne peut plus être modifiée."), "error"
        )
        status = 409
    return _page("candidate_report/memo.html", ctx.attempt, status, form=form, memo=sent)


@bp.route("/end-of-shift/self-assessment", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def self_assessment():
    """Fill in the self-assessment grid: save a draft, or hand it in (then read-only)."""
    ctx = report_ctx()
    standard = standard_for(ctx.attempt)
    form = GridForm()
    assessment = assessment_of(ctx.attempt, standard)
    saved = {g.criterion_id: g for g in assessment.grades} if assessment else {}
    values = {
        c.id: (saved[c.id].grade, saved[c.id].comment) if c.id in saved else ("", "")
        for c in standard.criteria
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        before = values
        status, values, errors = _post_grid(ctx, standard, form)
        if status == 303:
            return redirect(url_for("candidate_report.index"), 303)
        if status == 302:
            changed = [cid for cid, value in values.items() if value != before.get(cid)]
            anchor = saved_anchor(standard, request.form.get("anchor"), changed)
            if request.form.get("action") == "fill":
                competency = request.form.get("fill_competency", "")
                anchor = f"competency-{competency}" if competency else "grid-tools"
            return redirect(with_anchor(url_for("candidate_report.self_assessment"), anchor))
        assessment = assessment_of(ctx.attempt, standard)
    return _page(
        "candidate_report/self_assessment.html",
        ctx.attempt,
        status,
        form=form,
        standard=standard,
        assessment=assessment,
        values=values,
        errors=errors,
        grades=GRADES,
        summaries=competency_summaries(standard, {cid: g for cid, (g, _c) in values.items()}),
    )


def _post_grid(ctx: Ctx, standard, form: GridForm):
    """Save (and, when asked, submit) the posted grid: (status, posted values, errors by id)."""
    values = {
        c.id: (
            request.form.get(f"grade-{c.id}", "").strip(),
            request.form.get(f"comment-{c.id}", ""),
        )
        for c in standard.criteria
    }
    if not form.validate_on_submit():
        flash(_("Formulaire expiré : rien n'a été enregistré, renvoyez la grille."), "error")
        return 400, values, {}
    items = [{"criterion": cid, "grade": g, "comment": c} for cid, (g, c) in values.items()]
    filling = request.form.get("action") == "fill"
    with refused(quiet=True) as refusal:
        fill = parse_fill(request.form, standard) if filling else None
        save_self_assessment(ctx, parse_entries(items, standard))
        if fill is not None:
            filled = fill_self_assessment(ctx, fill)
    if refusal:
        flash(refusal.error.message, "error")
        return refusal.status, values, _by_criterion(refusal.fields)
    if fill is not None:
        flash_filled(filled, fill.grade)
        return 302, values, {}
    if request.form.get("action") != "submit":
        flash(_("Brouillon enregistré."), "success")
        return 302, values, {}
    checkpoint()  # the draft is kept even if handing it in is refused
    with refused(quiet=True) as refusal:
        submit_self_assessment(ctx)
    if refusal:
        flash(_("Brouillon enregistré, mais la grille n'est pas remise."), "warning")
        flash(refusal.error.message, "error")
        return refusal.status, values, _by_criterion(refusal.fields)
    flash(_("Grille d'auto-évaluation remise."), "success")
    return 303, values, {}


def _by_criterion(fields: dict[str, str]) -> dict[str, str]:
    """`grades.<id>.<part>` field errors → criterion id → message."""
    found = {}
    for name, message in fields.items():
        key = name.removeprefix("grades.")
        for suffix in (".grade", ".comment"):
            key = key.removesuffix(suffix)
        found[key] = message
    return found
