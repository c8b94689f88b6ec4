"""The bench pages: shifts → attempts → grid (the timeline: crm.bench.timeline_view), the
grading forms (save, hand in, agree, sign off), pinned notes, the KPIs of an attempt and of a
shift, and the CSV of a shift's grades."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.actionlog.models import Action
from crm.auth.access import role_required
from crm.bench.charts import kpi_charts
from crm.bench.forms import AgreeForm, NoteForm
from crm.bench.grid import grid_page
from crm.bench.labels import STATE_LABELS
from crm.bench.timeline import timeline_args
from crm.db import db
from crm.errors import ValidationFailed
from crm.evaluation.grid_tools import flash_filled, parse_fill, saved_anchor, with_anchor
from crm.evaluation.kpis import attempt_kpis, shift_attempts, shift_kpis
from crm.evaluation.kpis.series import attempt_series
from crm.evaluation.marking import services as marking
from crm.evaluation.marking.export import grade_rows
from crm.evaluation.marking.queries import board
from crm.evaluation.marking.services import (
    GRADERS,
    agree_grade,
    fill_ungraded_grades,
    resolve_standard,
    save_grades,
    sign_off_grades,
    submit_marking,
)
from crm.evaluation.standards import list_standards
from crm.training.models import Attempt, Shift
from crm.web.boundary import refused, unit_of_work
from crm.web.forms import EmptyForm
from crm.web.responses import csv_response

bp = Blueprint("bench", __name__)


def _attempt(attempt_id: int) -> Attempt:
    return db.session.get(Attempt, attempt_id) or abort(404)


def _standard(shift: Shift):
    """The standard of `?standard=` or the shift's; None when neither names a known one."""
    try:
        return resolve_standard(request.args.get("standard"), shift.standard)
    except ValidationFailed:
        if request.args.get("standard"):
            flash(_("Référentiel inconnu."), "error")
        return None


@bp.route("/bench/")
@role_required(*GRADERS)
def shifts():
    """Every shift, newest first, to pick the attempts to assess."""
    rows = db.session.scalars(sa.select(Shift).order_by(Shift.id.desc())).all()
    standards = {s.id: s.short_title or s.title for s in list_standards()}
    return render_template("bench/shifts.html", shifts=rows, standards=standards)


@bp.route("/bench/shifts/<int:shift_id>")
@role_required(*GRADERS)
def shift(shift_id: int):
    """The attempts of a shift with their grading state against the chosen standard."""
    shift = db.session.get(Shift, shift_id) or abort(404)
    standard = _standard(shift)
    boards = {a.id: board(a.id, standard.id) for a in shift.attempts} if standard else {}
    return render_template(
        "bench/shift.html",
        shift=shift,
        standard=standard,
        standards=list_standards(),
        boards=boards,
        state_label=lambda state: STATE_LABELS[state],
        kpis=shift_kpis(shift),
        kpi_attempts=len(shift_attempts(shift)),
        charts=kpi_charts(attempt_series(shift_attempts(shift), per_candidate=True)),
    )


@bp.route("/bench/attempts/<int:attempt_id>/grid")
@role_required(*GRADERS)
def grid(attempt_id: int):
    """The grid of a standard: verdicts, evidence, grades, self-assessment, agreement, sign-off."""
    attempt = _attempt(attempt_id)
    return grid_page(attempt, _standard(attempt.shift))


@bp.route("/bench/attempts/<int:attempt_id>/kpis")
@role_required(*GRADERS)
def kpis(attempt_id: int):
    """The attempt's KPIs, each with its formula and the figures it was computed from."""
    attempt = _attempt(attempt_id)
    return render_template(
        "bench/kpis.html",
        attempt=attempt,
        standard=_standard(attempt.shift),
        kpis=attempt_kpis(attempt),
        charts=kpi_charts(attempt_series([attempt])),
    )


@bp.route("/bench/attempts/<int:attempt_id>/grid", methods=["POST"])
@role_required(*GRADERS)
@unit_of_work
def save_grid(attempt_id: int):
    """Save my grades (« enregistrer »), save and fill the criteria left with one grade
    (« remplir le reste »), or save and hand them in (« remettre »)."""
    attempt = _attempt(attempt_id)
    standard = _standard(attempt.shift) or abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    mine = board(attempt.id, standard.id).marking_of(current_user.id)
    entries, changed = {}, []
    for criterion in standard.criteria:
        grade = request.form.get(f"grade-{criterion.id}")
        comment = request.form.get(f"comment-{criterion.id}", "")
        if grade is None:
            continue  # not on the form (read-only row)
        had = mine is not None and mine.grade_of(criterion.id) is not None
        if grade or comment.strip() or had:
            entries[criterion.id] = {"grade": grade or None, "comment": comment}
            before = mine.grade_of(criterion.id) if mine is not None else None
            if before is None or (before.grade, before.comment) != (grade, comment.strip()):
                changed.append(criterion.id)
    op = request.form.get("op")
    hand_in, filled = op == "submit", None
    with refused(quiet=True) as refusal:
        fill = parse_fill(request.form, standard) if op == "fill" else None
        if entries:
            save_grades(attempt, standard, current_user, entries)
        if fill is not None:
            filled = fill_ungraded_grades(attempt, standard, current_user, fill)
        if hand_in:
            submit_marking(attempt, standard, current_user)
    if refusal:
        flash(refusal.error.message, "error")
        page = grid_page(attempt, standard, errors=refusal.fields or None, posted=request.form)
        return page, refusal.status
    back = url_for("bench.grid", attempt_id=attempt.id, standard=standard.id)
    anchor = saved_anchor(standard, request.form.get("anchor"), changed)
    if fill is not None:
        flash_filled(filled, fill.grade)
        anchor = f"competency-{fill.competency_id}" if fill.competency_id else "grid-tools"
        return redirect(with_anchor(back, anchor))
    if not entries and not hand_in:
        flash(_("Aucune note saisie."), "info")
        return redirect(with_anchor(back, anchor))
    flash(_("Notation remise.") if hand_in else _("Notes enregistrées."), "success")
    return redirect(back if hand_in else with_anchor(back, anchor))


@bp.route("/bench/attempts/<int:attempt_id>/agree", methods=["POST"])
@role_required(*GRADERS)
@unit_of_work
def agree(attempt_id: int):
    """Record the grade both evaluators agree on for a disputed criterion."""
    attempt = _attempt(attempt_id)
    standard = _standard(attempt.shift) or abort(404)
    form = AgreeForm()
    if not form.validate_on_submit():
        flash(_("Choisissez la note convenue."), "error")
        return grid_page(attempt, standard), 422
    with refused() as refusal:
        agree_grade(
            attempt, standard, current_user, form.criterion.data, form.grade.data, form.comment.data
        )
    if refusal:
        return grid_page(attempt, standard), refusal.status
    flash(_("Note convenue enregistrée pour %(id)s.", id=form.criterion.data), "success")
    return redirect(
        url_for("bench.grid", attempt_id=attempt.id, standard=standard.id)
        + f"#criterion-{form.criterion.data}"
    )


@bp.route("/bench/attempts/<int:attempt_id>/sign-off", methods=["POST"])
@role_required(*GRADERS)
@unit_of_work
def sign_off(attempt_id: int):
    """Sign the grades off: they are locked, with the log's hash at this moment."""
    attempt = _attempt(attempt_id)
    standard = _standard(attempt.shift) or abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with refused() as refusal:
        sign_off_grades(attempt, standard, current_user)
    if refusal:
        return grid_page(attempt, standard), refusal.status
    flash(_("Notation signée : les notes sont verrouillées."), "success")
    return redirect(url_for("bench.grid", attempt_id=attempt.id, standard=standard.id))


@bp.route("/bench/attempts/<int:attempt_id>/actions/<int:action_id>/notes", methods=["POST"])
@role_required(*GRADERS)
@unit_of_work
def pin_note(attempt_id: int, action_id: int):
    """Pin a note on one action, then back to it in the timeline."""
    attempt = _attempt(attempt_id)
    action = db.session.get(Action, action_id)
    if action is None or action.attempt_id != attempt.id:
        abort(404)
    form = NoteForm()
    back = (
        url_for("bench.timeline", attempt_id=attempt.id, **timeline_args(request.args))
        + f"#action-{action.id}"
    )
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(back)
    with refused():
        marking.pin_note(attempt, action, current_user, form.body.data)
        flash(_("Note épinglée sur l'action n° %(seq)s.", seq=action.seq), "success")
    return redirect(back)


@bp.route("/shifts/<int:shift_id>/grades.csv")
@role_required(*GRADERS)
def shift_grades_csv(shift_id: int):
    """The shift's grades as CSV for French spreadsheets (one row per attempt × criterion)."""
    shift = db.session.get(Shift, shift_id) or abort(404)
    standard = _standard(shift)
    if standard is None:
        flash(_("Choisissez un référentiel pour exporter les notes."), "error")
        return redirect(url_for("bench.shift", shift_id=shift.id))
    rows = grade_rows(shift, standard, current_user.id)
    return csv_response(rows, f"notes-seance-{shift.id}-{standard.id}.csv")
