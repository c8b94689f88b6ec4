"""The import graph of the project's packages, read from the source with `ast` (nothing imported).

Every `import` and `from … import` counts, at module level or inside a function (a local import
is still a dependency), except those under `if TYPE_CHECKING:`, which never run. Relative imports
are resolved; `from package import name` depends on `package.name` too when that is a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crm", "softphone")


def _module_name(path: Path) -> str:
    """`crm/clients/cleaning.py` → `crm.clients.cleaning`; a package's `__init__` → the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the packages, by dotted name (migrations excluded: Alembic loads them)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _type_checking_only(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`)."""
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(tree: ast.AST):
    """Import nodes of a tree, skipping the bodies of `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if _type_checking_only(node):
            yield from (n for child in node.orelse for n in _imports_in(child))
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST):
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `name` (at `path`) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        targets.add(base)
        targets.update(f"{base}.{alias.name}" for alias in node.names)
    return {t for t in targets if t in known}


def graph() -> dict[str, set[str]]:
    """Module → the project modules it imports."""
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def reaches(edges: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A chain of imports from `start` to `goal` (both included), or None."""
    seen = {start}
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        for nxt in sorted(edges.get(path[-1], ())):
            if nxt == goal:
                return [*path, nxt]
            if nxt not in seen:
                seen.add(nxt)
                paths.append([*path, nxt])
    return None
