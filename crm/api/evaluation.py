"""API for evaluators and trainers: an attempt's criteria decided by the evidence rules."""

from __future__ import annotations

from flask import jsonify, request

from crm.api.core import bp, roles
from crm.api.docs import doc
from crm.api.log import _attempt
from crm.db import db
from crm.errors import ValidationFailed
from crm.evaluation.standards import StandardNotFound, get_standard
from crm.evaluation.verdicts import evaluate
from crm.i18n import _
from crm.training.models import Shift


@bp.get("/attempts/<int:attempt_id>/evaluation")
@roles("trainer", "evaluator")
@doc(tag="Evaluator", query={"standard?": "standard"})
def attempt_evaluation(attempt_id):
    """Every criterion of a standard for the attempt: automatic verdicts with their evidence.

    Without `standard`, the shift's own standard is used; 422 (field `standard`) when there is
    none or the id is unknown.
    """
    attempt = _attempt(attempt_id)
    standard_id = (request.args.get("standard") or "").strip()
    if not standard_id:
        shift = db.session.get(Shift, attempt.shift_id)
        standard_id = shift.standard or ""
    if not standard_id:
        raise ValidationFailed({"standard": _("Indiquez le référentiel (la séance n'en a pas).")})
    try:
        standard = get_standard(standard_id)
    except StandardNotFound:
        raise ValidationFailed(
            {"standard": _("Référentiel inconnu : %(id)s.", id=standard_id)}
        ) from None
    return jsonify(evaluate(attempt, standard).to_dict())
