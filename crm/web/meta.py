"""API: the OpenAPI document."""

from flask import jsonify

from crm.web.api import make_api_blueprint
from crm.web.openapi import build_openapi, doc

bp = make_api_blueprint("meta_api", __name__, operation_prefix="")


@bp.get("/openapi.json")
@doc(tag="Meta", public=True)
def openapi():
    """This OpenAPI 3 document."""
    return jsonify(build_openapi())
