"""OpenAPI 3 document built from the API's own routes and their `@doc` annotations."""

from __future__ import annotations

import inspect
import re

from flask import current_app

_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "money": {"type": "string", "pattern": r"^\d+\.\d{2}$", "example": "12.50"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "ids": {"type": "array", "items": {"type": "integer"}},
    "object": {"type": "object"},
    "array": {"type": "array", "items": {"type": "object"}},
}


def doc(
    *,
    body: dict | None = None,
    query: dict | None = None,
    tag: str = "World",
    public: bool = False,
    status: int = 200,
    responses: dict | None = None,
    response: dict | None = None,
):
    """Annotate an API view for the OpenAPI document (name → type or schema; `?` = optional).

    `responses` adds or overrides statuses: status → description, or (description, schema);
    `response` is the JSON schema of the success answer, when declared.
    """

    def decorator(view):
        view.openapi = {
            "body": body,
            "query": query,
            "tag": tag,
            "public": public,
            "status": status,
            "responses": responses or {},
            "response": response,
        }
        return view

    return decorator


def _schema(fields: dict) -> dict:
    properties, required = {}, []
    for name, kind in fields.items():
        optional = name.endswith("?")
        key = name.rstrip("?")
        # A kind is a name of _TYPES, or a JSON schema of its own (constraints included).
        schema_of = kind if isinstance(kind, dict) else _TYPES.get(kind, {"type": "string"})
        properties[key] = dict(schema_of)
        if not optional:
            required.append(key)
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _response(code: int, answer, error: dict) -> dict:
    """One response object from a description, or a (description, schema) pair."""
    description, schema = answer if isinstance(answer, tuple) else (answer, None)
    response: dict = {"description": description}
    if code == 204:
        return response
    if schema is None and code >= 400:
        schema = error
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    if code == 429:
        response["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again",
                "schema": {"type": "integer", "minimum": 1},
            }
        }
    return response


def build_openapi() -> dict:
    """Walk the URL map for /api/v1 routes and describe each one."""
    paths: dict = {}
    error = {"$ref": "#/components/schemas/Error"}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.endpoint == "static":
            continue
        view = current_app.view_functions[rule.endpoint]
        meta = getattr(view, "openapi", {})
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = {
                "operationId": rule.endpoint.replace("api.", "") + "_" + method.lower(),
                "summary": (view.__doc__ or "").strip().splitlines()[0] if view.__doc__ else "",
                # The whole docstring: what the operation shows whom, what it checks.
                "description": inspect.cleandoc(view.__doc__ or ""),
                "tags": [meta.get("tag", "World")],
                "responses": {
                    str(meta.get("status", 200)): {"description": "OK"},
                    "400": {
                        "description": "Malformed JSON",
                        "content": {"application/json": {"schema": error}},
                    },
                    "401": {
                        "description": "No token, or one unknown, revoked or expired "
                        "(`token_expired`), or of a locked account",
                        "content": {"application/json": {"schema": error}},
                    },
                    "403": {"description": "Role not allowed"},
                    "404": {"description": "Not found or not in your attempt"},
                    "409": {
                        "description": "State conflict",
                        "content": {"application/json": {"schema": error}},
                    },
                    "422": {
                        "description": "Validation failed",
                        "content": {"application/json": {"schema": error}},
                    },
                    "503": {
                        "description": "Busy: a database lock was not had in time (code "
                        "`busy`); nothing was written; retry after Retry-After seconds",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        "content": {"application/json": {"schema": error}},
                    },
                },
            }
            for code, answer in meta.get("responses", {}).items():
                operation["responses"][str(code)] = _response(code, answer, error)
            params = [
                {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
                for name in rule.arguments
            ]
            for name, kind in (meta.get("query") or {}).items():
                params.append(
                    {
                        "name": name.rstrip("?"),
                        "in": "query",
                        "required": not name.endswith("?"),
                        "schema": _TYPES.get(kind, {"type": "string"}),
                    }
                )
            if params:
                operation["parameters"] = params
            if meta.get("body") and method in ("POST", "PATCH", "PUT"):
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": _schema(meta["body"])}},
                }
            if meta.get("response"):
                success = operation["responses"][str(meta.get("status", 200))]
                success["content"] = {"application/json": {"schema": meta["response"]}}
            if meta.get("public"):
                operation["security"] = []
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
                }
            },
        },
        "paths": dict(sorted(paths.items())),
    }
