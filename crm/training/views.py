"""Trainer and evaluator pages: shifts, their attempts, reset and shift status buttons."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import role_required
from crm.auth.models import Role, User
from crm.db import db
from crm.errors import DomainError
from crm.evaluation.standards import list_standards
from crm.i18n import N_
from crm.training.forms import AddCandidateForm, ShiftForm, ShiftSettingsForm
from crm.training.library import ScenarioNotFound, list_scenarios
from crm.training.models import Attempt, Shift
from crm.training.planning import delete_shift, remove_candidate, rename_shift, set_shift_standard
from crm.training.services import add_candidate, change_shift_status, create_shift, reset_attempt
from crm.training.staff import shift_staff
from crm.web.boundary import refused, unit_of_work
from crm.web.forms import EmptyForm

bp = Blueprint("training", __name__, url_prefix="/shifts")

SHIFT_EVENTS = {"start", "pause", "resume", "end"}
#: What each status button says once done (its own words, not a generic "updated").
EVENT_DONE = {
    "start": N_("Séance « %(name)s » démarrée : les postes des candidats sont ouverts."),
    "pause": N_("Séance « %(name)s » en pause : l'horloge du scénario est arrêtée."),
    "resume": N_("Séance « %(name)s » reprise."),
    "end": N_("Séance « %(name)s » terminée : les candidats ne peuvent plus agir."),
}


def _standard_choices() -> list[tuple[str, str]]:
    return [(s.id, s.short_title or s.title) for s in list_standards()]


def _candidates() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User).where(User.role == Role.CANDIDATE).order_by(User.username)
        )
    )


def _shift_form() -> ShiftForm:
    form = ShiftForm()
    form.scenario.choices = [(s.slug, s.title) for s in list_scenarios() if not s.problems]
    form.standard.choices = _standard_choices()
    form.candidates.choices = [(u.id, f"{u.display_name} ({u.username})") for u in _candidates()]
    return form


def _settings_form(shift: Shift, *, formdata=True) -> ShiftSettingsForm:
    """The rename/standard form of one shift (prefixed: the page holds one per shift)."""
    kwargs = {} if formdata else {"formdata": None}
    form = ShiftSettingsForm(
        prefix=f"shift{shift.id}", name=shift.name, standard=shift.standard, **kwargs
    )
    form.standard.choices = _standard_choices()
    return form


def _add_form(shift: Shift, candidates: list[User], *, formdata=True) -> AddCandidateForm:
    """The add-a-candidate form of one shift: candidates without an active attempt in it."""
    kwargs = {} if formdata else {"formdata": None}
    form = AddCandidateForm(prefix=f"add{shift.id}", **kwargs)
    inside = {a.candidate_id for a in shift.attempts if a.status == "active"}
    form.candidate.choices = [
        (u.id, f"{u.display_name} ({u.username})") for u in candidates if u.id not in inside
    ]
    return form


def _page(form: ShiftForm | None = None, *, failed: dict | None = None, status: int = 200):
    """The shift list; `failed` maps (kind, shift id) to a form that failed validation."""
    rows = db.session.scalars(sa.select(Shift).order_by(Shift.id.desc())).all()
    trainer = current_user.role == Role.TRAINER
    failed = failed or {}
    settings, adding = {}, {}
    if trainer:
        candidates = _candidates()
        for shift in rows:
            if shift.status == "ended":
                continue
            settings[shift.id] = failed.get(("settings", shift.id)) or _settings_form(
                shift, formdata=False
            )
            adding[shift.id] = failed.get(("add", shift.id)) or _add_form(
                shift, candidates, formdata=False
            )
    standards = {s.id: s.short_title or s.title for s in list_standards()}
    return render_template(
        "training/shifts.html",
        shifts=rows,
        **_staff_context(rows, failed),
        form=(form or _shift_form()) if trainer else None,
        settings_forms=settings,
        add_forms=adding,
        standards=standards,
        button=EmptyForm(),
    ), status


def _staff_context(rows: list[Shift], failed: dict) -> dict:
    """Who runs each shift, which ones the person runs, and the add-staff forms (trainers)."""
    from crm.training.staff_views import staff_form

    staff = {shift.id: shift_staff(shift) for shift in rows}
    mine = {shift.id for shift in rows if any(u.id == current_user.id for u in staff[shift.id])}
    forms = {}
    if current_user.role == Role.TRAINER:
        for shift in rows:
            if shift.id in mine and shift.status != "ended":
                forms[shift.id] = failed.get(("staff", shift.id)) or staff_form(
                    shift, formdata=False
                )
    return {"staff": staff, "runs": mine, "staff_forms": forms}


def _load_shift(shift_id: int) -> Shift:
    return db.session.get(Shift, shift_id) or abort(404)


def _shifts_page(**_args) -> str:
    """Where a refused button goes back to: the shift list."""
    return url_for("training.shifts")


def _shift_row(shift_id: int, **_args) -> str:
    """Where a refused button of one shift goes back to: its row in the list."""
    return url_for("training.shifts", _anchor=f"shift-{shift_id}")


@bp.route("/")
@role_required("trainer", "evaluator")
def shifts():
    """Every shift with its attempts."""
    return _page()


@bp.route("/new", methods=["POST"])
@role_required("trainer")
@unit_of_work
def create():
    """Open a shift from the form."""
    form = _shift_form()
    if form.validate_on_submit():
        candidates = db.session.scalars(sa.select(User).where(User.id.in_(form.candidates.data)))
        # Nothing of the shift is kept when refused: the form comes back with the reason.
        with refused(form, flash_all=True):
            shift = _create_shift(form, list(candidates))
            flash(_("Séance « %(name)s » créée.", name=shift.name), "success")
            return redirect(url_for("training.shifts"))
    return _page(form, status=422)


def _create_shift(form: ShiftForm, candidates: list[User]) -> Shift:
    """The shift the form asks for; a scenario missing from the library is a refusal."""
    try:
        return create_shift(
            form.scenario.data,
            candidates,
            created_by=current_user,
            name=form.name.data or "",
            mode=form.mode.data,
            exam_mode=form.exam_mode.data,
            standard=form.standard.data or None,
        )
    except ScenarioNotFound as missing:
        raise DomainError(_("Ce scénario est introuvable ou invalide.")) from missing


@bp.route("/<int:shift_id>/<event>", methods=["POST"])
@role_required("trainer")
@unit_of_work(back=_shifts_page)
def change_status(shift_id: int, event: str):
    """Start, pause, resume or end a shift."""
    shift = _load_shift(shift_id)
    if event not in SHIFT_EVENTS:
        abort(404)
    if EmptyForm().validate_on_submit():
        change_shift_status(shift, event, actor=current_user)
        flash(_(EVENT_DONE[event], name=shift.name), "success")
    return redirect(url_for("training.shifts"))


@bp.route("/<int:shift_id>/settings", methods=["POST"])
@role_required("trainer")
@unit_of_work(back=_shifts_page)
def settings(shift_id: int):
    """Rename a shift and choose its standard."""
    shift = _load_shift(shift_id)
    form = _settings_form(shift)
    if not form.validate_on_submit():
        return _page(failed={("settings", shift.id): form}, status=422)
    old_name, old_standard = shift.name, shift.standard
    rename_shift(shift, form.name.data)
    set_shift_standard(shift, form.standard.data or None)
    if shift.name != old_name:
        flash(
            _("Séance renommée : « %(old)s » devient « %(new)s ».", old=old_name, new=shift.name),
            "success",
        )
    if shift.standard != old_standard:
        label = dict(_standard_choices()).get(shift.standard, shift.standard)
        flash(
            _("Référentiel de « %(name)s » : %(standard)s.", name=shift.name, standard=label),
            "success",
        )
    if shift.name == old_name and shift.standard == old_standard:
        flash(_("Rien à changer pour « %(name)s ».", name=shift.name), "info")
    return redirect(url_for("training.shifts", _anchor=f"shift-{shift.id}"))


@bp.route("/<int:shift_id>/candidates", methods=["POST"])
@role_required("trainer")
@unit_of_work(back=_shift_row)
def add(shift_id: int):
    """Add a candidate to a shift (their own fresh attempt)."""
    shift = _load_shift(shift_id)
    form = _add_form(shift, _candidates())
    if not form.validate_on_submit():
        return _page(failed={("add", shift.id): form}, status=422)
    candidate = db.session.get(User, form.candidate.data)
    add_candidate(shift, candidate, current_user)
    flash(
        _(
            "%(candidate)s rejoint la séance « %(name)s » avec sa propre tentative.",
            candidate=candidate.display_name,
            name=shift.name,
        ),
        "success",
    )
    return redirect(url_for("training.shifts", _anchor=f"shift-{shift.id}"))


@bp.route("/<int:shift_id>/candidates/<int:user_id>/remove", methods=["POST"])
@role_required("trainer")
@unit_of_work(back=_shift_row)
def remove(shift_id: int, user_id: int):
    """Take a candidate out of a shift that has not started."""
    shift = _load_shift(shift_id)
    candidate = db.session.get(User, user_id) or abort(404)
    if EmptyForm().validate_on_submit():
        remove_candidate(shift, candidate)
        flash(
            _(
                "%(candidate)s ne fait plus partie de la séance « %(name)s ».",
                candidate=candidate.display_name,
                name=shift.name,
            ),
            "success",
        )
    return redirect(url_for("training.shifts", _anchor=f"shift-{shift.id}"))


@bp.route("/<int:shift_id>/delete", methods=["POST"])
@role_required("trainer")
@unit_of_work(back=_shifts_page)
def delete(shift_id: int):
    """Delete a shift that has not started, with its attempts."""
    shift = _load_shift(shift_id)
    name = shift.name
    if EmptyForm().validate_on_submit():
        delete_shift(shift)
        flash(_("Séance « %(name)s » supprimée.", name=name), "success")
    return redirect(url_for("training.shifts"))


@bp.route("/attempts/<int:attempt_id>/reset", methods=["POST"])
@role_required("trainer")
@unit_of_work(back=_shifts_page)
def reset(attempt_id: int):
    """Reset one candidate's attempt (after the browser asked for confirmation)."""
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    if EmptyForm().validate_on_submit():
        new = reset_attempt(attempt, current_user)
        flash(
            _(
                "Tentative %(old)s réinitialisée : la tentative %(new)s la remplace.",
                old=attempt.id,
                new=new.id,
            ),
            "success",
        )
    return redirect(url_for("training.shifts"))
