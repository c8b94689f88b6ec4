"""API for evaluators and trainers: the competency standards of seed_data/standards/."""

from __future__ import annotations

from flask import jsonify

from crm.api.core import bp, roles
from crm.api.docs import doc
from crm.evaluation.standards import list_standards


@bp.get("/standards")
@roles("trainer", "evaluator")
@doc(tag="Evaluator")
def standards():
    """Each standard: id, title, short title, version and number of gradeable criteria."""
    items = [standard.to_dict() for standard in list_standards()]
    return jsonify({"items": items, "total": len(items)})
