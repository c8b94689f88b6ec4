"""API for trainers: the scenario library, shifts and attempt resets."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, jsonify

from crm.auth.models import Role, User
from crm.db import db
from crm.errors import NotFound, ValidationFailed
from crm.i18n import _
from crm.training.library import ScenarioNotFound, list_scenarios
from crm.training.models import Attempt, Shift
from crm.training.planning import (
    NAME_MAX,
    delete_shift,
    remove_candidate,
    rename_shift,
    set_shift_standard,
)
from crm.training.serialize import attempt_dict, scenario_dict, shift_dict
from crm.training.services import (
    add_candidate,
    change_shift_status,
    create_shift,
    reset_attempt,
)
from crm.validation import Fields
from crm.web.api import commit_and, json_body, make_api_blueprint, roles
from crm.web.openapi import doc, nonblank, one_of, text

bp = make_api_blueprint("training_api", __name__, operation_prefix="")


@bp.get("/scenarios")
@roles("trainer", "evaluator")
@doc(tag="Trainer")
def scenarios():
    """The scenario library, with validation problems if any."""
    items = [scenario_dict(s) for s in list_scenarios()]
    return jsonify({"items": items, "total": len(items)})


@bp.get("/shifts")
@roles("trainer", "evaluator")
@doc(tag="Trainer")
def shifts():
    """Every shift, newest first, with its attempts."""
    rows = db.session.scalars(sa.select(Shift).order_by(Shift.id.desc())).all()
    return jsonify({"items": [shift_dict(s) for s in rows], "total": len(rows)})


@bp.post("/shifts")
@roles("trainer")
@doc(
    body={
        "scenario": text(64),
        "candidate_ids": "ids",
        "mode?": one_of("scripted", "live"),
        "name?": text(120),
        "exam_mode?": "boolean",
        "standard?": "standard",
    },
    tag="Trainer",
    status=201,
    responses={
        409: "A candidate already has an active attempt in another shift (`candidate_busy`, "
        "its `fields` naming `candidate_ids`)"
    },
)
def shift_create():
    """Open a shift on a scenario with one attempt per candidate.

    `standard` is the id of a standard of `GET /standards` (the grid the candidate fills in at
    the end and the one the bench opens first); without it the evaluator chooses on the bench.
    """
    fields = Fields(json_body())
    scenario = fields.text("scenario", max_length=64)
    candidate_ids = fields.id_list("candidate_ids")
    mode = fields.text("mode", required=False, default="scripted", choices={"scripted", "live"})
    name = fields.text("name", required=False, default="", max_length=120)
    exam_mode = fields.boolean("exam_mode")
    standard = fields.text("standard", required=False, max_length=64)
    fields.done()
    candidates = db.session.scalars(sa.select(User).where(User.id.in_(candidate_ids))).all()
    if len(candidates) != len(set(candidate_ids)) or any(
        c.role != Role.CANDIDATE for c in candidates
    ):
        raise ValidationFailed({"candidate_ids": "Chaque identifiant doit désigner un candidat."})
    try:
        shift = create_shift(
            scenario,
            candidates,
            created_by=g.api_user,
            name=name,
            mode=mode,
            exam_mode=exam_mode,
            standard=standard,
        )
    except ScenarioNotFound:
        raise ValidationFailed({"scenario": "Scénario inconnu ou invalide."}) from None
    return commit_and(shift_dict(shift), 201)


def _shift(shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("Séance introuvable.")
    return shift


@bp.patch("/shifts/<int:shift_id>")
@roles("trainer")
@doc(
    body={"name?": nonblank(NAME_MAX), "standard?": "standard"},
    tag="Trainer",
    responses={409: "The standard cannot change once the shift has ended"},
)
def shift_update(shift_id):
    """Rename a shift and/or choose its standard (`standard: null` sets the default, MC ACVAD).

    The standard can change until the shift ends (409 afterwards); 422 names an empty or too
    long name, or an unknown standard.
    """
    shift = _shift(shift_id)
    data = json_body()
    fields = Fields(data)
    name = fields.text("name", required=False, max_length=NAME_MAX)
    standard = fields.text("standard", required=False, max_length=64)
    if "name" in data and name is None and "name" not in fields.errors:
        fields.errors["name"] = _("Champ obligatoire.")
    fields.done()
    if name is not None:
        rename_shift(shift, name)
    if "standard" in data:
        set_shift_standard(shift, standard)
    return commit_and(shift_dict(shift))


@bp.delete("/shifts/<int:shift_id>")
@roles("trainer")
@doc(
    tag="Trainer",
    status=204,
    responses={
        204: "Deleted, with its attempts",
        409: "The shift has started (`invalid_transition`)",
    },
)
def shift_delete(shift_id):
    """Delete a shift that has not started, with its attempts (409 once it has started)."""
    delete_shift(_shift(shift_id))
    db.session.commit()
    return "", 204


@bp.delete("/shifts/<int:shift_id>/candidates/<int:candidate_id>")
@roles("trainer")
@doc(
    tag="Trainer",
    responses={
        409: "The shift has started (`invalid_transition`), or the candidate is not in it "
        "(`not_in_shift`)"
    },
)
def shift_remove_candidate(shift_id, candidate_id):
    """Take a candidate out of a shift that has not started (their attempt is deleted).

    409 `invalid_transition` once the shift has started, 409 `not_in_shift` for someone who is
    not in it.
    """
    shift = _shift(shift_id)
    candidate = db.session.get(User, candidate_id)
    if candidate is None:
        raise NotFound("Candidat introuvable.")
    remove_candidate(shift, candidate)
    return commit_and(shift_dict(shift))


def _shift_event(shift_id: int, event: str):
    shift = _shift(shift_id)
    change_shift_status(shift, event, actor=g.api_user)
    return commit_and(shift_dict(shift))


@bp.post("/shifts/<int:shift_id>/start")
@roles("trainer")
@doc(tag="Trainer")
def shift_start(shift_id):
    """Start a planned shift."""
    return _shift_event(shift_id, "start")


@bp.post("/shifts/<int:shift_id>/pause")
@roles("trainer")
@doc(tag="Trainer")
def shift_pause(shift_id):
    """Pause a running shift."""
    return _shift_event(shift_id, "pause")


@bp.post("/shifts/<int:shift_id>/resume")
@roles("trainer")
@doc(tag="Trainer")
def shift_resume(shift_id):
    """Resume a paused shift."""
    return _shift_event(shift_id, "resume")


@bp.post("/shifts/<int:shift_id>/end")
@roles("trainer")
@doc(tag="Trainer")
def shift_end(shift_id):
    """End a shift."""
    return _shift_event(shift_id, "end")


@bp.post("/shifts/<int:shift_id>/candidates")
@roles("trainer")
@doc(
    body={"candidate_id": "id"},
    tag="Trainer",
    status=201,
    responses={
        409: "Already in the shift (`already_in_shift`), or the candidate has an active "
        "attempt elsewhere (`candidate_busy`, naming `candidate_id`)"
    },
)
def shift_add_candidate(shift_id):
    """Add a candidate to a shift (their own fresh attempt)."""
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("Séance introuvable.")
    fields = Fields(json_body())
    candidate_id = fields.ident("candidate_id")
    fields.done()
    candidate = db.session.get(User, candidate_id)
    if candidate is None or candidate.role != Role.CANDIDATE:
        raise ValidationFailed({"candidate_id": "Cet identifiant ne désigne pas un candidat."})
    attempt = add_candidate(shift, candidate, g.api_user)
    return commit_and(attempt_dict(attempt), 201)


@bp.get("/attempts/<int:attempt_id>")
@roles("trainer", "evaluator")
@doc(tag="Trainer")
def attempt_show(attempt_id):
    """One attempt."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound("Tentative introuvable.")
    return jsonify(attempt_dict(attempt))


@bp.post("/attempts/<int:attempt_id>/reset")
@roles("trainer")
@doc(tag="Trainer", status=201)
def attempt_reset(attempt_id):
    """Start a new attempt from the seed; the old one stays readable."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound("Tentative introuvable.")
    new = reset_attempt(attempt, g.api_user)
    return commit_and(attempt_dict(new), 201)
