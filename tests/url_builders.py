"""One compilation of each URL builder per test process, shared by every app the tests create.

Each test creates its own app (tests/conftest.py), and Werkzeug compiles two small Python
functions per URL rule when a rule is added (`Rule._compile_builder`: an AST built, then
`compile()`d): about three quarters of `create_app()`'s time, the same functions every time.
The functions only depend on the rule's shape and reach the rule through their `self`
argument (bound per rule afterwards), so a function compiled for one app's rule serves the
identical rule of the next app. Installed by the test suite only; the app never sees it.
"""

from __future__ import annotations

from werkzeug.routing.rules import Rule

_compile_builder = Rule._compile_builder
_builders: dict[tuple, object] = {}


def _settings(converter) -> list[tuple[str, str]]:
    """A converter's own settings (not the map it belongs to, which is per app)."""
    return [(k, repr(v)) for k, v in vars(converter).items() if k != "map"]


def _shape(rule: Rule, append_unknown: bool) -> tuple:
    """Everything the compiled builder's code depends on."""
    converters = tuple(
        sorted(
            (name, type(conv).__qualname__, repr(sorted(_settings(conv))))
            for name, conv in rule._converters.items()
        )
    )
    defaults = tuple(sorted((k, repr(v)) for k, v in (rule.defaults or {}).items()))
    return (
        rule.rule,
        rule.map.host_matching,
        rule.subdomain,
        rule.host,
        rule.merge_slashes,
        tuple(rule._trace),
        defaults,
        converters,
        append_unknown,
    )


def _shared_builder(self: Rule, append_unknown: bool = True):
    key = _shape(self, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(self, append_unknown)
    return builder


def install() -> None:
    """Share compiled builders between the apps of this process (idempotent)."""
    Rule._compile_builder = _shared_builder
