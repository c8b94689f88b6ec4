"""API of shift staff: who runs a shift (GET), adding someone (POST), taking them off (DELETE)."""

from __future__ import annotations

from flask import g, jsonify

from crm.api.core import commit_and, json_body, make_api_blueprint, roles
from crm.api.docs import doc
from crm.auth.models import User
from crm.db import db
from crm.errors import NotFound
from crm.training.models import Shift
from crm.training.staff import add_staff, remove_staff, require_runs, shift_staff
from crm.validation import Fields

bp = make_api_blueprint("staff_api", __name__)

_REFUSALS = {
    403: "a candidate, an evaluator changing the staff, or someone who does not run the shift "
    "(`not_staff`)",
    404: "no such shift or user",
}


def _shift(shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("Séance introuvable.")
    return require_runs(g.api_user, shift)


def staff_dict(shift: Shift) -> dict:
    """The people who run a shift, creator first."""
    items = [
        {
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "created_shift": user.id == shift.created_by_id,
        }
        for user in shift_staff(shift)
    ]
    return {"shift_id": shift.id, "items": items, "total": len(items)}


@bp.get("/shifts/<int:shift_id>/staff")
@roles("trainer", "evaluator")
@doc(tag="Trainer", responses=_REFUSALS)
def shift_staff_list(shift_id):
    """Who runs a shift: the trainer who opened it (`created_shift`) and the staff added."""
    return jsonify(staff_dict(_shift(shift_id)))


@bp.post("/shifts/<int:shift_id>/staff")
@roles("trainer")
@doc(
    tag="Trainer",
    status=201,
    body={"user_id": "id"},
    responses={
        **_REFUSALS,
        409: "`already_staff`, or the shift has ended (`invalid_transition`)",
        422: "`user_id` missing, or not a trainer or an evaluator",
    },
)
def shift_staff_add(shift_id):
    """Add a trainer or an evaluator to a shift's staff (recorded as `shift.staff_added` in
    every active attempt's log); they then see its room and play its customers."""
    shift = _shift(shift_id)
    fields = Fields(json_body())
    user_id = fields.ident("user_id")
    fields.done()
    member = db.session.get(User, user_id)
    if member is None:
        raise NotFound("Utilisateur introuvable.")
    add_staff(shift, member, g.api_user)
    return commit_and(staff_dict(shift), 201)


@bp.delete("/shifts/<int:shift_id>/staff/<int:user_id>")
@roles("trainer")
@doc(
    tag="Trainer",
    responses={**_REFUSALS, 409: "`shift_creator` (always runs it) or `not_staff_member`"},
)
def shift_staff_remove(shift_id, user_id):
    """Take someone off a shift's staff (`shift.staff_removed`); its creator always stays."""
    shift = _shift(shift_id)
    member = db.session.get(User, user_id)
    if member is None:
        raise NotFound("Utilisateur introuvable.")
    remove_staff(shift, member, g.api_user)
    return commit_and(staff_dict(shift))
