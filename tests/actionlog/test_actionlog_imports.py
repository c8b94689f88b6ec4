"""crm.actionlog imports no domain package: the log sits under the domains, the bench over it.

Read from the source with `ast` (tests/import_graph.py), local imports included, so a stray
`from crm.contacts.models import Contact` inside a function fails as surely as one at the top.
"""

from __future__ import annotations

from tests.import_graph import graph

#: What the log may import of the project: the shared layer (clock, database, errors, words),
#: and the attempt it is chained on
#: (the chain head lives on the attempt row and writers lock that row: DESIGN §4).
ALLOWED = (
    "crm.actionlog",
    "crm.clock",
    "crm.db",
    "crm.errors",
    "crm.i18n",
    "crm.signals",
    "crm.training.models",
    "crm.training.locking",
)


def _allowed(module: str) -> bool:
    """Within ALLOWED; the bare `crm` package is what `from crm import clock` loads first."""
    return module == "crm" or any(module == a or module.startswith(a + ".") for a in ALLOWED)


def test_the_action_log_imports_no_domain_package():
    edges = graph()
    log_modules = [m for m in edges if m == "crm.actionlog" or m.startswith("crm.actionlog.")]
    assert {"crm.actionlog.models", "crm.actionlog.services", "crm.actionlog.verbs"} <= set(
        log_modules
    )
    found = {(m, target) for m in log_modules for target in edges[m] if not _allowed(target)}
    assert found == set(), f"crm.actionlog imports above itself: {sorted(found)}"


def test_the_check_sees_a_local_import_inside_a_function(tmp_path, monkeypatch):
    from tests import import_graph

    package = tmp_path / "crm" / "actionlog"
    package.mkdir(parents=True)
    (tmp_path / "crm" / "__init__.py").write_text("")
    (tmp_path / "crm" / "contacts.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "leak.py").write_text("def f():\n    from crm.contacts import x\n")
    monkeypatch.setattr(import_graph, "ROOT", tmp_path)
    monkeypatch.setattr(import_graph, "PACKAGES", ("crm",))
    assert import_graph.graph()["crm.actionlog.leak"] == {"crm.contacts"}
