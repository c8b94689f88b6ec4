"""API: the OpenAPI document of every feature's endpoints (`/api/v1/openapi.json`).

The one endpoint that belongs to no feature: it describes them all, so it lives beside the kit
and the document builder (`crm.web.openapi`) rather than in a package of its own."""

from flask import jsonify

from crm.web.api import make_api_blueprint
from crm.web.openapi import build_openapi, doc

bp = make_api_blueprint("meta_api", __name__, operation_prefix="")


@bp.get("/openapi.json")
@doc(tag="Meta", public=True)
def openapi():
    """This OpenAPI 3 document."""
    return jsonify(build_openapi())
