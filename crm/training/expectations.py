"""What a timeline item expects of the candidate (`expect:`), read by the evidence rules.

A closed set of keys, so that a typo in a pack is an error rather than a silently ignored wish:

- ``identity: true`` — the caller's identity is verified during the contact;
- ``qualification: CODE`` — the contact is qualified with this code of the pack;
- ``substitute: SKU`` — a product of the request is out of stock and this substitute is offered;
- ``additional_sale: true`` — an additional sale is offered on the order taken;
- ``written_confirmation: true`` — the order taken is confirmed in writing (email or SMS);
- ``resolved: true|false`` — whether the request can be settled during this first contact
  (``false``: a transfer or a callback is the right answer; first-contact resolution skips it).
"""

from __future__ import annotations

#: key → the kind of value it takes ("flag": true/false, "code": a qualification code,
#: "sku": a product of the pack).
EXPECT_KEYS = {
    "identity": "flag",
    "qualification": "code",
    "substitute": "sku",
    "additional_sale": "flag",
    "written_confirmation": "flag",
    "resolved": "flag",
}


def expectations_of(item: dict | None) -> dict:
    """The `expect:` mapping of a timeline item (empty when it has none)."""
    value = (item or {}).get("expect")
    return dict(value) if isinstance(value, dict) else {}


def expect_problems(value: object, path: str, skus: set, codes: set) -> list[tuple[str, str]]:
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
        elif kind == "code" and wanted not in codes:
            problems.append(
                (where, f"unknown qualification code {wanted!r}: not in qualification_codes")
            )
        elif kind == "sku" and wanted not in skus:
            problems.append((where, f"unknown product {wanted!r}: no product has this sku"))
    return problems
