"""Body size limits: a body past its limit is refused (413) before a byte of it is read."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

#: Endpoints that take an upload → the config key of their own body limit.
_UPLOADS: dict[str, str] = {}


def allow_upload(endpoint: str, config_key: str) -> None:
    """Let `endpoint` take a body up to `config[config_key]` bytes (an upload) instead of the
    pages' or the API's limit; each upload checks its own content itself."""
    _UPLOADS[endpoint] = config_key


def body_limit() -> int | None:
    """Bytes this request's body may hold: an upload's own limit, the API's JSON limit, else
    MAX_CONTENT_LENGTH."""
    if request.endpoint in _UPLOADS:
        return current_app.config[_UPLOADS[request.endpoint]]
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
