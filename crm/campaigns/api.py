"""API of a shift's outbound campaign: read it, set it up (PUT), preview a target list."""

from __future__ import annotations

from flask import g, jsonify, request

from crm import clock
from crm.campaigns.setup import (
    GUIDE_STEP_LENGTH,
    GUIDE_STEPS,
    LIMITS,
    MAX_WINDOWS,
    default_setup,
    preview_targets,
    set_up_campaign,
    setup_dict,
    shift_campaign,
)
from crm.campaigns.targeting import KINDS, MAX_DAYS, SEGMENTS, TargetFilters, select_targets
from crm.db import db
from crm.errors import NotFound
from crm.training.library import load_scenario
from crm.training.models import Shift
from crm.training.staff import require_runs
from crm.web.api import commit_and, json_body, make_api_blueprint, roles
from crm.web.openapi import doc, integer, one_of, text

bp = make_api_blueprint("campaigns_api", __name__)

#: Targets shown in a preview (the count is always the whole list's).
PREVIEW = 20

_DAYS = integer(1, MAX_DAYS)
_FILTERS = {
    "kind?": one_of(*KINDS),
    "segment?": one_of(*SEGMENTS),
    "departments?": {"type": "array", "items": {"type": "string", "pattern": r"^\S{2,3}$"}},
    "city?": text(100),
    "no_order_days?": _DAYS,
    "ordered_within_days?": _DAYS,
    "not_contacted_days?": _DAYS,
    "exclude_opposed?": "boolean",
}
_TEXTS = {"type": "array", "items": {"type": "string", "maxLength": 40}, "minItems": 1}
_SETUP = {
    "base?": text(60),
    "name": text(160),
    **_FILTERS,
    "qualification_codes": _TEXTS,
    "call_guide": {
        "type": "array",
        "items": {"type": "string", "maxLength": GUIDE_STEP_LENGTH},
        "minItems": 1,
        "maxItems": GUIDE_STEPS,
    },
    "windows": {
        "type": "array",
        "items": {"type": "string", "pattern": r"^\d{2}:\d{2}-\d{2}:\d{2}$"},
        "minItems": 1,
        "maxItems": MAX_WINDOWS,
    },
    **{
        (key if key not in ("goal_count", "goal_rate") else key + "?"): integer(*bounds)
        for key, bounds in LIMITS.items()
    },
    "goal_codes": _TEXTS,
}
_REFUSALS = {
    403: "a candidate, or someone who does not run the shift (`not_staff`)",
    404: "no such shift",
}


def _shift(shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("Séance introuvable.")
    return require_runs(g.api_user, shift)


def _answer(shift: Shift) -> dict:
    """The set-up (or the defaults a new one starts from) with its target list's size."""
    row = shift_campaign(shift)
    data = load_scenario(shift.scenario)
    values = setup_dict(row) if row else {"shift_id": shift.id, **default_setup(data)}
    filters = TargetFilters(
        **{
            key: values[key] if key != "departments" else tuple(values[key] or ())
            for key in TargetFilters().to_dict()
        }
    )
    targets = select_targets(data, filters, clock.today())
    return {
        "set_up": row is not None,
        "editable": shift.status == "planned",
        "campaign": values,
        "targets": {"total": len(targets), "items": [t.to_dict() for t in targets[:PREVIEW]]},
    }


@bp.get("/shifts/<int:shift_id>/campaign")
@roles("trainer", "evaluator")
@doc(tag="Campaigns", responses=_REFUSALS)
def shift_campaign_get(shift_id):
    """A shift's outbound campaign: `campaign` (what a PUT takes), `set_up` (false: the
    scenario's defaults a new set-up starts from), `editable` (the shift is planned) and
    `targets` (`total`, and the first items of the list)."""
    return jsonify(_answer(_shift(shift_id)))


@bp.put("/shifts/<int:shift_id>/campaign")
@roles("trainer")
@doc(
    tag="Campaigns",
    body=_SETUP,
    responses={
        **_REFUSALS,
        409: "the shift has started (`invalid_transition`): its campaign no longer changes",
        422: "each bad field named (`filters` when no file or too many match)",
    },
)
def shift_campaign_put(shift_id):
    """Set up (or change) a planned shift's outbound campaign: target filters (`kind`,
    `segment`, `departments`, `city`, `no_order_days`, `ordered_within_days`,
    `not_contacted_days`, `exclude_opposed`), the `qualification_codes` that apply (the
    scenario's), the `call_guide` steps, calling rules (`windows` "HH:MM-HH:MM" Paris time,
    `max_attempts` per number, `min_spacing_minutes`, `after_call_work_seconds` maximum) and a
    goal (`goal_codes` counted as successes, `goal_count` per candidate and/or `goal_rate` in
    percent of reached targets). Recorded as `campaign.set_up` in each attempt's log; the
    candidates' worlds get it when the shift starts."""
    shift = _shift(shift_id)
    set_up_campaign(shift, json_body(), g.api_user)
    db.session.flush()
    return commit_and(_answer(shift))


@bp.post("/shifts/<int:shift_id>/campaign/targets")
@roles("trainer", "evaluator")
@doc(tag="Campaigns", body=_FILTERS, optional_body=True, responses=_REFUSALS)
def shift_campaign_targets(shift_id):
    """The target list some filters give, without storing anything: `total` and the first
    items (client number, name, number to call, kind, segment, city, department, last order
    and last contact)."""
    shift = _shift(shift_id)
    # An empty body asks for everyone (the defaults of every filter).
    targets = preview_targets(shift, json_body() if request.get_data() else {})
    return jsonify({"total": len(targets), "items": [t.to_dict() for t in targets[:PREVIEW]]})
