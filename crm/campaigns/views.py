"""The trainer's campaign set-up page of a shift (evaluators who run it read it)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm import clock
from crm.auth.access import role_required
from crm.auth.models import Role
from crm.campaigns.forms import CampaignForm
from crm.campaigns.setup import (
    default_setup,
    outbound_campaigns,
    scenario_codes,
    set_up_campaign,
    setup_dict,
    shift_campaign,
)
from crm.campaigns.targeting import read_filters, select_targets
from crm.db import db
from crm.training.library import load_scenario
from crm.training.models import Shift
from crm.training.staff import runs_shift
from crm.web.boundary import refused, unit_of_work

bp = Blueprint("campaigns", __name__, url_prefix="/shifts")

#: Targets listed under the form (the count is the whole list's).
PREVIEW = 20


def _shift(shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id) or abort(404)
    if not runs_shift(current_user, shift):
        abort(403)
    return shift


def _form(data: dict, *, formdata=True) -> CampaignForm:
    kwargs = {} if formdata else {"formdata": None}
    form = CampaignForm(**kwargs)
    form.base.choices = [(c["key"], c["name"]) for c in outbound_campaigns(data)]
    labels = {c["code"]: c["label"] for c in data.get("qualification_codes") or []}
    codes = [(code, f"{code} — {labels[code]}") for code in scenario_codes(data)]
    form.qualification_codes.choices = codes
    form.goal_codes.choices = codes
    return form


def _page(shift: Shift, form: CampaignForm, data: dict, *, filters_error=None, status=200):
    reading = read_filters(form.to_raw())
    targets = select_targets(data, reading.filters, clock.today()) if reading.filters else []
    return render_template(
        "campaigns/setup.html",
        shift=shift,
        form=form,
        row=shift_campaign(shift),
        editable=shift.status == "planned" and current_user.role == Role.TRAINER,
        targets=targets[:PREVIEW],
        total=len(targets),
        filters_error=filters_error,
    ), status


@bp.route("/<int:shift_id>/campaign")
@role_required("trainer", "evaluator")
def setup(shift_id: int):
    """A shift's outbound campaign: its set-up form (trainers, while planned) and targets."""
    shift = _shift(shift_id)
    data = load_scenario(shift.scenario)
    row = shift_campaign(shift)
    form = _form(data, formdata=False)
    form.fill(setup_dict(row) if row else default_setup(data))
    return _page(shift, form, data)


@bp.route("/<int:shift_id>/campaign", methods=["POST"])
@role_required("trainer")
@unit_of_work
def save(shift_id: int):
    """Set up or change the shift's campaign (while the shift is planned)."""
    shift = _shift(shift_id)
    data = load_scenario(shift.scenario)
    form = _form(data)
    if not form.validate_on_submit():
        return _page(shift, form, data, status=422)
    created = shift_campaign(shift) is None
    with refused(form) as refusal:
        set_up_campaign(shift, form.to_raw(), current_user)
    if refusal:
        # The target filters are one setting of several inputs: said above the target list.
        filters_error = refusal.fields.get("filters")
        status = 422 if refusal.fields else 409
        return _page(shift, form, data, filters_error=filters_error, status=status)
    flash(
        _(
            "Campagne « %(name)s » enregistrée pour la séance « %(shift)s ».",
            name=form.name.data,
            shift=shift.name,
        )
        if created
        else _("Campagne « %(name)s » modifiée.", name=form.name.data),
        "success",
    )
    return redirect(url_for("campaigns.setup", shift_id=shift.id))
