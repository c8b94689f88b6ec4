"""Shift staff pages: add a trainer or an evaluator to a shift, or take them off it.

On the shifts page (crm.training.views renders the forms); only a trainer who runs the shift
changes who runs it.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import role_required
from crm.auth.models import User
from crm.db import db
from crm.training.forms import StaffForm
from crm.training.models import Shift
from crm.training.staff import STAFF_ROLES, add_staff, remove_staff, runs_shift
from crm.training.views import _page, _shift_row, bp
from crm.web.boundary import unit_of_work
from crm.web.forms import EmptyForm


def staff_candidates() -> list[User]:
    """Every trainer and evaluator, by name (who may be added to a shift)."""
    import sqlalchemy as sa

    return list(
        db.session.scalars(
            sa.select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.display_name, User.id)
        )
    )


def staff_form(shift: Shift, *, formdata=True) -> StaffForm:
    """The add-staff form of one shift: trainers and evaluators who do not run it yet."""
    kwargs = {} if formdata else {"formdata": None}
    form = StaffForm(prefix=f"staff{shift.id}", **kwargs)
    form.user.choices = [
        (u.id, f"{u.display_name} ({u.username})")
        for u in staff_candidates()
        if not runs_shift(u, shift)
    ]
    return form


def _shift_run_by_me(shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id) or abort(404)
    if not runs_shift(current_user, shift):
        abort(403)
    return shift


@bp.route("/<int:shift_id>/staff", methods=["POST"])
@role_required("trainer")
@unit_of_work(back=_shift_row)
def add_staff_member(shift_id: int):
    """Add a trainer or an evaluator to the people who run a shift."""
    shift = _shift_run_by_me(shift_id)
    form = staff_form(shift)
    if not form.validate_on_submit():
        return _page(failed={("staff", shift.id): form}, status=422)
    member = db.session.get(User, form.user.data)
    add_staff(shift, member, current_user)
    flash(
        _(
            "%(who)s anime désormais la séance « %(name)s » (salle et jeu de rôle).",
            who=member.display_name,
            name=shift.name,
        ),
        "success",
    )
    return redirect(url_for("training.shifts", _anchor=f"shift-{shift.id}"))


@bp.route("/<int:shift_id>/staff/<int:user_id>/remove", methods=["POST"])
@role_required("trainer")
@unit_of_work(back=_shift_row)
def remove_staff_member(shift_id: int, user_id: int):
    """Take a trainer or an evaluator off a shift's staff."""
    shift = _shift_run_by_me(shift_id)
    member = db.session.get(User, user_id) or abort(404)
    if EmptyForm().validate_on_submit():
        remove_staff(shift, member, current_user)
        flash(
            _(
                "%(who)s n'anime plus la séance « %(name)s ».",
                who=member.display_name,
                name=shift.name,
            ),
            "success",
        )
    return redirect(url_for("training.shifts", _anchor=f"shift-{shift.id}"))
