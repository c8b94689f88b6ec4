"""The rules of dependency that crm/README.md states, read from the source with `ast`.

crm never imports softphone (the outside world plugs into crm, not the other way); services,
models and the shared layer never import the web layer (crm.web) nor Flask's request: views
and API endpoints are the only boundary that commits or reads the request.
"""

from __future__ import annotations

from tests.import_graph import graph

#: Module names that belong to the web layer a service must not reach.
WEB = ("crm.web",)


def _under(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_crm_never_imports_softphone():
    edges = graph()
    found = {
        (module, target)
        for module, targets in edges.items()
        if module.startswith("crm.")
        for target in targets
        if _under(target, ("softphone",))
    }
    assert found == set(), sorted(found)


def test_services_and_models_never_import_the_web_layer():
    edges = graph()
    lower = [
        m
        for m in edges
        if m.rpartition(".")[2] in ("services", "models", "states", "serialize")
        or _under(m, ("crm.clock", "crm.channels", "crm.phones", "crm.actionlog"))
    ]
    assert len(lower) > 20  # the check looks at something
    found = {(m, t) for m in lower for t in edges[m] if _under(t, WEB)}
    assert found == set(), sorted(found)
