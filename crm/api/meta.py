"""API: the OpenAPI document."""

from flask import jsonify

from crm.api.core import bp
from crm.api.docs import build_openapi, doc


@bp.get("/openapi.json")
@doc(tag="Meta", public=True)
def openapi():
    """This OpenAPI 3 document."""
    return jsonify(build_openapi())
