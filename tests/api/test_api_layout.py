"""One rule for JSON endpoints: each feature's `api.py` on a blueprint of the kit
(`crm.web.api.make_api_blueprint`), its `*_dict` serializers beside it, never in `api.py`;
public endpoints are those documented public; every operation has an id of its own."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest
from flask import jsonify

from crm.web.api import is_public_endpoint, make_api_blueprint
from crm.web.openapi import build_openapi, doc

ROOT = Path(__file__).resolve().parents[2]


def _api_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")]


def test_the_layer_package_is_gone():
    assert importlib.util.find_spec("crm.api") is None


def test_every_endpoint_hangs_on_a_kit_blueprint_in_its_features_api_module(app):
    rules = _api_rules(app)
    assert len(rules) > 100
    for rule in rules:
        blueprint = app.blueprints[rule.endpoint.rpartition(".")[0]]
        assert hasattr(blueprint, "operation_prefix"), rule.endpoint  # made by the kit
        module = app.view_functions[rule.endpoint].__module__
        assert module.rpartition(".")[2] in ("api", "meta") or module.endswith("_api"), module


def test_no_api_module_defines_a_serializer():
    modules = [*ROOT.glob("crm/**/api.py"), *ROOT.glob("crm/**/*_api.py")]
    modules += ROOT.glob("softphone/**/api.py")
    assert len(modules) > 15
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        assert not [name for name in defined if name.endswith("_dict")], path


def test_public_endpoints_are_the_documented_ones(app, client):
    with app.test_request_context():
        public = {r.endpoint for r in _api_rules(app) if is_public_endpoint(r.endpoint)}
        document = build_openapi()
    assert public == {"auth_api.auth_token", "meta_api.openapi"}
    unsecured = {
        f"{method} {path}"
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if operation.get("security") == []
    }
    assert unsecured == {"post /api/v1/auth/token", "get /api/v1/openapi.json"}
    # Anyone reads the document; nobody reads the rest without a user.
    assert client.get("/api/v1/openapi.json").status_code == 200
    refused = client.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthorized"


def test_operation_ids_keep_their_published_names(client):
    document = client.get("/api/v1/openapi.json").get_json()
    ids = {
        f"{method} {path}": operation["operationId"]
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    # crm's features keep the ids of the single blueprint they came from; softphone's theirs.
    assert ids["get /api/v1/clients/{client_id}"] == "client_show_get"
    assert ids["post /api/v1/auth/token"] == "auth_token_post"
    assert ids["get /api/v1/phone"] == "phone_phone_show_get"
    assert ids["get /api/v1/inbox"] == "inbox_inbox_get"


def test_path_parameters_follow_the_path(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, methods in document["paths"].items():
        named = [part[1:-1] for part in path.split("/") if part.startswith("{")]
        for operation in methods.values():
            in_path = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            assert in_path == named, path


def test_two_operations_of_one_id_are_refused(app):
    twin = make_api_blueprint("twin_api", __name__, operation_prefix="")

    @twin.get("/twin")
    @doc(tag="Meta")
    def client_show():
        """A view named like the client file's."""
        return jsonify({})

    app.register_blueprint(twin)
    with app.test_request_context(), pytest.raises(ValueError, match="client_show_get"):
        build_openapi()
