"""Trainer and evaluator pages: shifts, their attempts, reset and shift status buttons."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import role_required
from crm.auth.forms import EmptyForm
from crm.auth.models import Role, User
from crm.db import db
from crm.errors import DomainError
from crm.training.forms import ShiftForm
from crm.training.library import ScenarioNotFound, list_scenarios
from crm.training.models import Attempt, Shift
from crm.training.services import change_shift_status, create_shift, reset_attempt

bp = Blueprint("training", __name__, url_prefix="/shifts")

SHIFT_EVENTS = {"start", "pause", "resume", "end"}


def _shift_form() -> ShiftForm:
    form = ShiftForm()
    form.scenario.choices = [(s.slug, s.title) for s in list_scenarios() if not s.problems]
    form.candidates.choices = [
        (u.id, f"{u.display_name} ({u.username})")
        for u in db.session.scalars(
            sa.select(User).where(User.role == Role.CANDIDATE).order_by(User.username)
        )
    ]
    return form


@bp.route("/")
@role_required("trainer", "evaluator")
def shifts():
    """Every shift with its attempts."""
    rows = db.session.scalars(sa.select(Shift).order_by(Shift.id.desc())).all()
    form = _shift_form() if current_user.role == "trainer" else None
    return render_template("training/shifts.html", shifts=rows, form=form, button=EmptyForm())


@bp.route("/new", methods=["POST"])
@role_required("trainer")
def create():
    """Open a shift from the form."""
    form = _shift_form()
    if form.validate_on_submit():
        candidates = db.session.scalars(sa.select(User).where(User.id.in_(form.candidates.data)))
        try:
            shift = create_shift(
                form.scenario.data,
                list(candidates),
                created_by=current_user,
                name=form.name.data or "",
                mode=form.mode.data,
                exam_mode=form.exam_mode.data,
            )
        except ScenarioNotFound:
            db.session.rollback()
            flash(_("Ce scénario est introuvable ou invalide."), "error")
        except DomainError as error:
            # Nothing of the shift is kept: the form comes back with the reason.
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Séance « %(name)s » créée.", name=shift.name), "success")
            return redirect(url_for("training.shifts"))
    rows = db.session.scalars(sa.select(Shift).order_by(Shift.id.desc())).all()
    return render_template("training/shifts.html", shifts=rows, form=form, button=EmptyForm()), 422


@bp.route("/<int:shift_id>/<event>", methods=["POST"])
@role_required("trainer")
def change_status(shift_id: int, event: str):
    """Start, pause, resume or end a shift."""
    shift = db.session.get(Shift, shift_id) or abort(404)
    if event not in SHIFT_EVENTS:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            change_shift_status(shift, event, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Séance mise à jour."), "success")
    return redirect(url_for("training.shifts"))


@bp.route("/attempts/<int:attempt_id>/reset", methods=["POST"])
@role_required("trainer")
def reset(attempt_id: int):
    """Reset one candidate's attempt (after the browser asked for confirmation)."""
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    if EmptyForm().validate_on_submit():
        try:
            new = reset_attempt(attempt, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Tentative %(old)s réinitialisée : la tentative %(new)s la remplace.",
                    old=attempt.id,
                    new=new.id,
                ),
                "success",
            )
    return redirect(url_for("training.shifts"))
