"""The URL builders shared between the tests' apps (tests/url_builders.py) build what
Werkzeug's own compilation builds, for every rule of the app."""

from __future__ import annotations

from werkzeug.routing.converters import IntegerConverter

from crm.app import create_app
from tests.url_builders import _compile_builder


def _arguments(rule) -> dict:
    """A value for each of the rule's arguments: a number, or text that needs quoting."""
    return {
        name: 7 if isinstance(rule._converters.get(name), IntegerConverter) else "é x/y"
        for name in rule.arguments
    }


def test_every_rule_builds_as_werkzeug_compiles_it(app):
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    for rule in rules:
        values = _arguments(rule)
        own = _compile_builder(rule, False).__get__(rule, None)
        own_unknown = _compile_builder(rule, True).__get__(rule, None)
        assert rule._build(**values) == own(**values), rule.rule
        extra = {**values, "page": "2", "q": "a b"}
        assert rule._build_unknown(**extra) == own_unknown(**extra), rule.rule


def test_apps_share_the_compiled_builders(app):
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    mine = {(r.endpoint, r.rule): r for r in app.url_map.iter_rules()}
    for rule in other.url_map.iter_rules():
        assert rule._build.__func__ is mine[rule.endpoint, rule.rule]._build.__func__, rule.rule
