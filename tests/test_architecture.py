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


#: Models whose look-ups are named services of their domain (endpoints call them, never query).
LOOKED_UP_BY_SERVICES = {"SalesRep": "crm.contacts.booking.find_rep"}


def test_endpoints_leave_named_look_ups_to_their_services():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    endpoints = [
        p
        for top in ("crm", "softphone")
        for name in ("api.py", "views.py")
        for p in (root / top).rglob(name)
    ]
    assert len(endpoints) > 20  # the check looks at something
    found = {
        (str(path.relative_to(root)), node.id)
        for path in endpoints
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Name) and node.id in LOOKED_UP_BY_SERVICES
    }
    assert found == set(), [
        f"{p} spells {m}: call {LOOKED_UP_BY_SERVICES[m]}" for p, m in sorted(found)
    ]
