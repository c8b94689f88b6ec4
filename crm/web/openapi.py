"""OpenAPI 3 document built from the API's own routes and their `@doc` annotations."""

from __future__ import annotations

import inspect
import re

from flask import current_app

from crm.boundary.integers import DB_INT_MAX, DB_INT_MIN

#: Text that can be stored: no NUL (PostgreSQL refuses it; crm.boundary answers 422).
_TEXT = r"^[^\u0000]*$"
#: Required text: the same, with something besides blanks (the fields are trimmed).
_REQUIRED_TEXT = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"

_ID = {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}

_TYPES = {
    "string": {"type": "string", "maxLength": 200},
    #: Search terms: any length is accepted (the search trims or refuses what it must).
    "search": {"type": "string"},
    "integer": {"type": "integer", "minimum": DB_INT_MIN, "maximum": DB_INT_MAX},
    "id": _ID,
    "boolean": {"type": "boolean"},
    "money": {"type": "string", "pattern": r"^\d{1,10}\.\d{2}$", "example": "12.50"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "ids": {"type": "array", "items": _ID, "minItems": 1},
    #: A list of ids where an empty list means none (attachments, for instance).
    "ids_or_none": {"type": "array", "items": _ID},
    "object": {"type": "object"},
    "array": {"type": "array", "items": {"type": "object"}},
}

#: A field a view does not read: ignored, if storable (text without NUL, integers in range),
#: however deep (crm.boundary checks the whole body).
_EXTRA = {"$ref": "#/components/schemas/Storable"}
#: Names of a body's properties: stored or not, a name holding NUL is refused (crm.boundary).
_NAMES = {"pattern": _TEXT}
_STORABLE = {
    "anyOf": [
        {"type": "string", "pattern": _TEXT},
        {"type": "integer", "minimum": DB_INT_MIN, "maximum": DB_INT_MAX},
        {"type": "number", "not": {"type": "integer"}},
        {"type": "boolean"},
        {"type": "array", "items": _EXTRA},
        {"type": "object", "additionalProperties": _EXTRA, "propertyNames": _NAMES},
    ],
    "nullable": True,
}

#: Query parameters every listing shares (`crm.web.api.page_args`).
_PAGING = {
    "limit": {"type": "integer", "minimum": 1},  # maximum: API_PAGE_MAX, filled per document
    "offset": {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX},
}

#: Every status an operation may answer besides its success, with the error shape.
_ERRORS = {
    400: "Malformed JSON or bad CSRF token",
    401: "No token, or one unknown, revoked or expired (`token_expired`), or of a locked account",
    403: "Role not allowed",
    404: "Not found or not in your attempt",
    409: "State conflict",
    413: "Body too large (payload_too_large, with max_bytes)",
    422: "Validation failed (fields names each bad field)",
    503: "Busy: a database lock was not had in time (code `busy`); nothing was written; "
    "retry after Retry-After seconds",
}

#: Statuses that tell the client when to try again.
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer", "minimum": 1},
    }
}


def text(max_length: int = 200, *, min_length: int | None = None) -> dict:
    """A string field of at most `max_length` characters (what `Fields.text` enforces)."""
    schema = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    return schema


def verbatim_text(max_length: int) -> dict:
    """A required string taken as typed, blanks included (`Fields.text(strip=False)`)."""
    return {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": _TEXT}


def nonblank(max_length: int) -> dict:
    """A string that, when given, must hold more than blanks (never null)."""
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        "pattern": _REQUIRED_TEXT,
        "nullable": False,
    }


def one_of(*values: str) -> dict:
    """A string that must be one of `values`."""
    return {"type": "string", "enum": sorted(values)}


def integer(minimum: int | None = None, maximum: int | None = None) -> dict:
    """A whole number within bounds (and always within the database's range)."""
    return {
        "type": "integer",
        "minimum": DB_INT_MIN if minimum is None else minimum,
        "maximum": DB_INT_MAX if maximum is None else maximum,
    }


def reply(description: str, schema: dict | None = None, *, media: str | None = None) -> dict:
    """One answer of an operation for `doc(responses=...)`: what it means, the JSON schema of
    its body (default: the Error shape for a 4xx/5xx, the listing or object shape for a
    success), and its media type (JSON unless a file: text/csv, application/pdf)."""
    return {"description": description, "schema": schema, "media": media}


def doc(
    *,
    body: dict | None = None,
    query: dict | None = None,
    tag: str = "World",
    public: bool = False,
    status: int = 200,
    responses: dict[int, str | dict] | None = None,
    optional_body: bool = False,
    body_media: dict[str, dict] | None = None,
):
    """Annotate an API view for the OpenAPI document.

    Fields map a name (`?` = optional) to a kind of `_TYPES` or a JSON schema of their own
    (`text(80)`, `one_of(...)`, `integer(1, 99)`), declaring what the view enforces.
    `status` is the success status. `responses` maps a status to its description, or to a
    `reply(description, schema, media=...)`: the success answer's shape or file type, and the
    statuses beyond the common ones (429, 502…) or a common one's meaning for this operation.
    `optional_body` when the view reads an empty body as `{}`. `body_media` maps the media
    types of a body that is not JSON (an upload) to their schema.
    """

    def decorator(view):
        view.openapi = {
            "body": body,
            "query": query,
            "tag": tag,
            "public": public,
            "status": status,
            "responses": {
                code: answer if isinstance(answer, dict) else reply(answer)
                for code, answer in (responses or {}).items()
            },
            "optional_body": optional_body,
            "body_media": body_media,
        }
        return view

    return decorator


def _dynamic(kind) -> dict | None:
    """Kinds whose values come from the installation, resolved when the document is built."""
    if kind == "standard":
        from crm.evaluation.standards import list_standards

        return one_of(*(standard.id for standard in list_standards()))
    return None


def _property(kind, *, required: bool, body: bool = True) -> dict:
    """The JSON schema of one field: a kind's name (`_TYPES`) or a schema of its own.

    What `crm.validation.Fields` does is declared: free text without NUL, non-blank when
    required; an optional field may be empty ("" in a choice, null in a body), read as absent.
    """
    schema = _dynamic(kind) or dict(
        _TYPES.get(kind, _TYPES["string"]) if isinstance(kind, str) else kind
    )
    if schema.get("type") == "string" and not ({"format", "enum", "pattern"} & set(schema)):
        schema["pattern"] = _REQUIRED_TEXT if required else _TEXT
        if required:
            schema.setdefault("minLength", 1)
    if not required:
        if "enum" in schema and not _dynamic(kind):
            schema["enum"] = ["", *schema["enum"]]
        if body:
            schema.setdefault("nullable", True)
            if schema["nullable"] and "enum" in schema:
                # OpenAPI 3.0: a nullable enum lists null among its values.
                schema["enum"] = [*schema["enum"], None]
    return schema


def _schema(fields: dict) -> dict:
    properties, required = {}, []
    for name, kind in fields.items():
        optional = name.endswith("?")
        key = name.rstrip("?")
        properties[key] = _property(kind, required=not optional)
        if not optional:
            required.append(key)
    # Fields a view does not read are ignored, but what no database could store is refused
    # anywhere in a body (crm.boundary): extra fields too.
    schema = {
        "type": "object",
        "properties": properties,
        "additionalProperties": _EXTRA,
        "propertyNames": _NAMES,
    }
    if required:
        schema["required"] = required
    return schema


#: What a file answer holds.
_FILES = {
    "text/csv": {"type": "string"},
    "application/pdf": {"type": "string", "format": "binary"},
    "audio/webm": {"type": "string", "format": "binary"},
}

#: The shape of every listing (`crm.web.api.listing`): the page of items and the total count.
_LISTING = {
    "type": "object",
    "properties": {
        "items": {"type": "array"},
        "total": {"type": "integer", "minimum": 0},
    },
    "required": ["items", "total"],
}


def _success_schema(media: str, meta: dict) -> dict:
    """A success body's default shape: a file, a listing's page, else a JSON object."""
    if media in _FILES:
        return _FILES[media]
    if "limit?" in (meta.get("query") or {}):
        return _LISTING
    return {"type": "object"}


def _response(code: int, answer: dict, meta: dict) -> dict:
    """The OpenAPI response object of one status."""
    response: dict = {"description": answer["description"]}
    if code in (429, 503):
        response["headers"] = _RETRY_AFTER
    if code == 204:
        return response
    media = answer.get("media") or "application/json"
    schema = answer.get("schema")
    if schema is None:
        schema = (
            {"$ref": "#/components/schemas/Error"} if code >= 400 else _success_schema(media, meta)
        )
    response["content"] = {media: {"schema": schema}}
    return response


def _responses(meta: dict) -> dict:
    """Every status of an operation: its success, the common errors, its own (overriding)."""
    status = meta.get("status", 200)
    answers = {status: reply("OK"), **{code: reply(text) for code, text in _ERRORS.items()}}
    answers.update(meta.get("responses") or {})
    return {str(code): _response(code, answer, meta) for code, answer in sorted(answers.items())}


def _query_parameter(name: str, kind) -> dict:
    """One query parameter; an optional one may be sent empty (`?client_id=`), which
    `crm.validation.Fields` reads as absent, as HTML forms send an unset filter."""
    key = name.rstrip("?")
    required = not name.endswith("?")
    if key in _PAGING and isinstance(kind, str):
        schema = dict(_PAGING[key])
        if key == "limit":
            schema["maximum"] = current_app.config["API_PAGE_MAX"]
    else:
        schema = _property(kind, required=required, body=False)
    parameter = {"name": key, "in": "query", "required": required, "schema": schema}
    if not required:
        parameter["allowEmptyValue"] = True
    return parameter


def _operation_base(endpoint: str) -> str:
    """An operation's id without its method: its blueprint's `operation_prefix`
    (`crm.web.api.make_api_blueprint`) and the view's name."""
    blueprint_name, _, view_name = endpoint.rpartition(".")
    blueprint = current_app.blueprints.get(blueprint_name)
    prefix = getattr(blueprint, "operation_prefix", f"{blueprint_name}_" if blueprint_name else "")
    return prefix + view_name


def build_openapi() -> dict:
    """Walk the URL map for /api/v1 routes and describe each one."""
    paths: dict = {}
    operation_ids: set[str] = set()
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.endpoint == "static":
            continue
        view = current_app.view_functions[rule.endpoint]
        meta = getattr(view, "openapi", {})
        operation_base = _operation_base(rule.endpoint)
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = {
                "operationId": f"{operation_base}_{method.lower()}",
                "summary": (view.__doc__ or "").strip().splitlines()[0] if view.__doc__ else "",
                # The whole docstring: what the operation shows whom, what it checks.
                "description": inspect.cleandoc(view.__doc__ or ""),
                "tags": [meta.get("tag", "World")],
                "responses": _responses(meta),
            }
            # In the order the path names them (`rule.arguments` is a set: its order varies
            # from one process to the next).
            params = [
                {"name": name, "in": "path", "required": True, "schema": dict(_ID)}
                for name in re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", rule.rule)
            ]
            params += [
                _query_parameter(name, kind) for name, kind in (meta.get("query") or {}).items()
            ]
            if params:
                operation["parameters"] = params
            if meta.get("body") and method in ("POST", "PATCH", "PUT"):
                operation["requestBody"] = {
                    "required": not meta.get("optional_body"),
                    "content": {"application/json": {"schema": _schema(meta["body"])}},
                }
            if meta.get("body_media") and method in ("POST", "PUT"):
                operation["requestBody"] = {
                    "required": True,
                    "content": {
                        media: {"schema": schema} for media, schema in meta["body_media"].items()
                    },
                }
            if meta.get("public"):
                operation["security"] = []
            if operation["operationId"] in operation_ids:
                raise ValueError(f"Two operations are named {operation['operationId']!r}.")
            operation_ids.add(operation["operationId"])
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Plateau API",
            "version": "1.0.0",
            "description": "JSON API v1 of Plateau (see shared/API.md).",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Storable": _STORABLE,
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "fields": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                            },
                            "required": ["code", "message"],
                        }
                    },
                },
            },
        },
        "paths": dict(sorted(paths.items())),
    }
