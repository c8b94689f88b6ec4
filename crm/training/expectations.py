"""What a timeline item or call-plan entry expects of the candidate (`expect:`), read by the rules.

The one way a scenario tells the evidence rules what only it knows. A closed set of keys, so that
a typo in a pack is an error rather than a silently ignored wish:

- ``identity: true`` — the caller's identity is verified during the contact;
- ``qualification: CODE`` — the contact is qualified with this code of the pack;
- ``substitute: SKU`` — a product of the request is out of stock and this substitute is offered;
- ``additional_sale: true`` — an additional sale is offered on the order taken;
- ``written_confirmation: true`` — the order taken is confirmed in writing (email or SMS);
- ``resolved: true|false`` — whether the request can be settled during this first contact
  (``false``: a transfer or a callback is the right answer; first-contact resolution skips it);
- ``transfer: KEY`` (or a list of keys, any of them) — the call is transferred to this
  transfer target;
- ``kb_articles: [SLUG, …]`` (any of them), or ``true`` for any article — an article of the
  knowledge base is read before the answer;
- ``client_update: true`` (any change), ``[FIELD, …]`` (these fields change) or
  ``{FIELD: VALUE}`` (these fields take these values) — the client file is updated with what the
  customer said.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.clients.cleaning import EDITABLE, EDITABLE_FLAGS
from crm.phones import normalize_phone

#: key → the kind of value it takes ("flag": true/false, "code": a qualification code,
#: "sku": a product of the pack, "targets": transfer target keys, "articles": article slugs,
#: "changes": client-file fields).
EXPECT_KEYS = {
    "identity": "flag",
    "qualification": "code",
    "substitute": "sku",
    "additional_sale": "flag",
    "written_confirmation": "flag",
    "resolved": "flag",
    "transfer": "targets",
    "kb_articles": "articles",
    "client_update": "changes",
}


@dataclass(frozen=True)
class PackNames:
    """What an `expect:` mapping may name in its pack."""

    skus: frozenset = field(default_factory=frozenset)
    codes: frozenset = field(default_factory=frozenset)
    targets: frozenset = field(default_factory=frozenset)
    slugs: frozenset = field(default_factory=frozenset)


def expectations_of(item: dict | None) -> dict:
    """The `expect:` mapping of a timeline item or call-plan entry (empty when it has none)."""
    value = (item or {}).get("expect")
    return dict(value) if isinstance(value, dict) else {}


def names_of(value) -> list[str]:
    """A one-or-many value (`transfer: a` or `transfer: [a, b]`) as a list."""
    return [value] if isinstance(value, str) else list(value or [])


def client_fields() -> dict[str, str]:
    """Fields a client update may name → "flag" or "text" (what their value must be)."""
    return {name: "flag" if name in EDITABLE_FLAGS else "text" for name in EDITABLE}


def expect_problems(value: object, path: str, names: PackNames) -> list[tuple[str, str]]:
    """(path, message) for each problem of an `expect:` mapping; [] when sound."""
    if not isinstance(value, dict) or not value:
        return [(path, "must be a mapping of expectations: " + ", ".join(EXPECT_KEYS))]
    problems = []
    for key, wanted in value.items():
        where = f"{path}.{key}"
        kind = EXPECT_KEYS.get(key)
        if kind is None:
            problems.append((where, "unknown expectation; known: " + ", ".join(EXPECT_KEYS)))
        elif kind == "flag" and not isinstance(wanted, bool):
            problems.append((where, f"must be true or false, got {wanted!r}"))
        elif kind in ("code", "sku") and not isinstance(wanted, str):
            problems.append((where, f"must be a {kind} (text), got {wanted!r}"))
        elif kind == "code" and wanted not in names.codes:
            problems.append(
                (where, f"unknown qualification code {wanted!r}: not in qualification_codes")
            )
        elif kind == "sku" and wanted not in names.skus:
            problems.append((where, f"unknown product {wanted!r}: no product has this sku"))
        elif kind == "targets":
            problems += _names_problems(
                wanted, where, names.targets, "transfer target", "transfer_targets"
            )
        elif kind == "articles":
            if wanted is not True:
                problems += _names_problems(
                    wanted, where, names.slugs, "article", "knowledge_base", any_=True
                )
        elif kind == "changes":
            problems += _changes_problems(wanted, where)
    return problems


def _names_problems(wanted, where, known, what, section, any_=False) -> list[tuple[str, str]]:
    """A name of `known`, or a non-empty list of them."""
    listed = [wanted] if isinstance(wanted, str) else wanted
    if not isinstance(listed, list) or not listed:
        shape = f"true (any {what}), " if any_ else f"a {what} key or "
        return [(where, f"must be {shape}a list of {what} keys, got {wanted!r}")]
    problems = []
    for i, name in enumerate(listed):
        at = where if isinstance(wanted, str) else f"{where}[{i}]"
        if not isinstance(name, str):
            problems.append((at, f"must be a {what} key (text), got {name!r}"))
        elif name not in known:
            problems.append((at, f"unknown {what} {name!r}: not in {section}"))
    return problems


def _changes_problems(wanted, where) -> list[tuple[str, str]]:
    """`true`, a non-empty list of client fields, or a non-empty mapping field → value."""
    fields = client_fields()
    hint = "allowed: " + ", ".join(fields)
    if wanted is True:
        return []
    if isinstance(wanted, list) and wanted:
        return [
            (f"{where}[{i}]", f"unknown client field {name!r}; {hint}")
            for i, name in enumerate(wanted)
            if not isinstance(name, str) or name not in fields
        ]
    if isinstance(wanted, dict) and wanted:
        problems = []
        for name, value in wanted.items():
            kind = fields.get(name)
            if kind is None:
                problems.append((f"{where}.{name}", f"unknown client field {name!r}; {hint}"))
            elif kind == "flag" and not isinstance(value, bool):
                problems.append((f"{where}.{name}", f"must be true or false, got {value!r}"))
            elif kind == "text" and (not isinstance(value, str) or not value.strip()):
                problems.append((f"{where}.{name}", f"must be a text, got {value!r}"))
            elif name == "phones" and normalize_phone(value) is None:
                problems.append((f"{where}.{name}", f"must be a phone number, got {value!r}"))
        return problems
    return [
        (
            where,
            "must be true (any update), a list of client fields or a mapping field: value, "
            f"got {wanted!r}",
        )
    ]
