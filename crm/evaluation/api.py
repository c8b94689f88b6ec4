"""API for evaluators and trainers: the competency standards of seed_data/standards/ and an
attempt's criteria decided by the evidence rules."""

from __future__ import annotations

from flask import jsonify, request

from crm.db import db
from crm.errors import ValidationFailed
from crm.evaluation.standards import StandardNotFound, get_standard, list_standards
from crm.evaluation.verdicts import evaluate
from crm.i18n import _
from crm.training.models import Shift
from crm.web.api import attempt_or_404, make_api_blueprint, roles
from crm.web.openapi import doc, reply

bp = make_api_blueprint("evaluation_api", __name__, operation_prefix="")


@bp.get("/standards")
@roles("trainer", "evaluator")
@doc(tag="Evaluator")
def standards():
    """Each standard: id, title, short title, version and number of gradeable criteria."""
    items = [standard.to_dict() for standard in list_standards()]
    return jsonify({"items": items, "total": len(items)})


_IDS = {"type": "array", "items": {"type": "integer"}}
_RULE_RESULT = {
    "type": "object",
    "properties": {
        "rule": {"type": "string"},
        "status": {"type": "string", "enum": ["met", "not_met", "not_observed"]},
        "explanation": {"type": "string"},
        "evidence": _IDS,
        "met_ids": _IDS,
        "not_met_ids": _IDS,
        "figures": {"type": "object"},
    },
    "required": ["rule", "status", "explanation", "evidence", "met_ids", "not_met_ids"],
}
#: The answer of GET /attempts/{id}/evaluation (see `StandardEvaluation.to_dict`).
EVALUATION_SCHEMA = {
    "type": "object",
    "properties": {
        "standard": {"type": "object"},
        "attempt_id": {"type": "integer"},
        "provisional": {
            "type": "boolean",
            "description": "Computed while the shift still runs: every verdict may change",
        },
        "criteria": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "competency": {"type": "string"},
                    "competency_title": {"type": "string"},
                    "text": {"type": "string", "description": "Official wording"},
                    "mode": {"type": "string", "enum": ["automatic", "judgement"]},
                    "status": {
                        "type": "string",
                        "enum": ["met", "not_met", "not_observed", "to_grade"],
                    },
                    "evidence": {**_IDS, "description": "Every action cited (both sides)"},
                    "met_ids": {**_IDS, "description": "Actions where the rules were respected"},
                    "not_met_ids": {**_IDS, "description": "Actions where they were not"},
                    "explanation": {"type": "string"},
                    "provisional": {
                        "type": "boolean",
                        "description": "Decided by rules from a log still growing",
                    },
                    "rules": {
                        "type": "array",
                        "items": _RULE_RESULT,
                        "description": "Each rule's result (aids on a judgement criterion)",
                    },
                },
                "required": [
                    "id",
                    "mode",
                    "status",
                    "evidence",
                    "met_ids",
                    "not_met_ids",
                    "explanation",
                    "provisional",
                ],
            },
        },
    },
    "required": ["standard", "attempt_id", "provisional", "criteria"],
}


@bp.get("/attempts/<int:attempt_id>/evaluation")
@roles("trainer", "evaluator")
@doc(
    tag="Evaluator",
    query={"standard?": "standard"},
    responses={200: reply("The criteria, decided or to grade", EVALUATION_SCHEMA)},
)
def attempt_evaluation(attempt_id):
    """Every criterion of a standard for the attempt: automatic verdicts with their evidence.

    Without `standard`, the shift's own standard is used; 422 (field `standard`) when there is
    none or the id is unknown. While the shift runs, `provisional` is true (on the answer and
    on each criterion decided or aided by rules): the log still grows. Each criterion cites both
    sides: `met_ids` (actions where its rules were respected) and `not_met_ids`.
    """
    attempt = attempt_or_404(attempt_id)
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
