"""The role-player console: a page that static/js/roleplay.js fills from the API and pushes."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from crm.auth.access import role_required
from crm.db import db
from crm.training.models import Shift
from crm.training.staff import runs_shift
from softphone.roleplay.texts import console_texts

bp = Blueprint("roleplay", __name__, url_prefix="/room")


@bp.route("/<int:shift_id>/play")
@role_required("trainer", "evaluator")
def console(shift_id: int):
    """The role-player console of a shift: customers waiting, the one played, its turns."""
    shift = db.session.get(Shift, shift_id) or abort(404)
    if not runs_shift(current_user, shift):
        abort(403)
    return render_template("roleplay/console.html", shift=shift, texts=console_texts())
