"""Body size limits: a body past its limit is refused (413) before a byte of it is read."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

#: endpoint → config key of its own body limit (an upload: `register_body_limit`).
ENDPOINT_LIMITS: dict[str, str] = {}


def register_body_limit(endpoint: str, config_key: str) -> None:
    """Give an endpoint that takes a file its own limit, read from `config_key`."""
    ENDPOINT_LIMITS[endpoint] = config_key


def body_limit() -> int | None:
    """Bytes this request's body may hold: its endpoint's own limit (an upload), else the
    API's JSON limit, else MAX_CONTENT_LENGTH."""
    if request.endpoint in ENDPOINT_LIMITS:
        return current_app.config[ENDPOINT_LIMITS[request.endpoint]]
    if request.path.startswith("/api/"):
        return current_app.config["API_MAX_JSON_BYTES"]
    return current_app.config["MAX_CONTENT_LENGTH"]


def refuse_oversized_body() -> None:
    """First thing in every request, before authentication: refuse by the declared length, and
    make werkzeug stop reading at the limit when no length is declared (chunked bodies)."""
    limit = body_limit()
    if limit is None:
        return
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()
