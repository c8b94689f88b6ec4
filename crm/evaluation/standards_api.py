"""API for evaluators and trainers: the competency standards of seed_data/standards/."""

from __future__ import annotations

from flask import jsonify

from crm.evaluation.standards import list_standards
from crm.web.api import make_api_blueprint, roles
from crm.web.openapi import doc

bp = make_api_blueprint("standards_api", __name__, operation_prefix="")


@bp.get("/standards")
@roles("trainer", "evaluator")
@doc(tag="Evaluator")
def standards():
    """Each standard: id, title, short title, version and number of gradeable criteria."""
    items = [standard.to_dict() for standard in list_standards()]
    return jsonify({"items": items, "total": len(items)})
