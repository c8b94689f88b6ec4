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
from crm.i18n import lazy as _l
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


def expect_problems(value: object, path: str, names: PackNames) -> list[tuple[str, object]]:
    """(path, message) for each problem of an `expect:` mapping; [] when sound.

    Messages are lazy French source text, worded where they are shown (like the scenario
    validator's, `crm.training.scenario_schema.problems`).
    """
    known = ", ".join(EXPECT_KEYS)
    if not isinstance(value, dict) or not value:
        return [(path, _l("doit être un mapping d'attentes : %(known)s", known=known))]
    problems = []
    for key, wanted in value.items():
        where = f"{path}.{key}"
        kind = EXPECT_KEYS.get(key)
        if kind is None:
            problems.append((where, _l("attente inconnue ; connues : %(known)s", known=known)))
        elif kind == "flag" and not isinstance(wanted, bool):
            problems.append(
                (where, _l("doit être true ou false, pas %(value)s", value=repr(wanted)))
            )
        elif kind == "code" and not isinstance(wanted, str):
            message = _l("doit être un code (texte), pas %(value)s", value=repr(wanted))
            problems.append((where, message))
        elif kind == "sku" and not isinstance(wanted, str):
            message = _l("doit être un sku (texte), pas %(value)s", value=repr(wanted))
            problems.append((where, message))
        elif kind == "code" and wanted not in names.codes:
            message = _l(
                "code de qualification %(value)s introuvable : il n'est pas dans "
                "qualification_codes",
                value=repr(wanted),
            )
            problems.append((where, message))
        elif kind == "sku" and wanted not in names.skus:
            message = _l(
                "produit %(value)s introuvable : aucun produit n'a ce sku", value=repr(wanted)
            )
            problems.append((where, message))
        elif kind == "targets":
            problems += _names_problems(
                wanted, where, names.targets, _l("cible de transfert"), "transfer_targets"
            )
        elif kind == "articles":
            if wanted is not True:
                problems += _names_problems(
                    wanted, where, names.slugs, _l("article"), "knowledge_base", any_=True
                )
        elif kind == "changes":
            problems += _changes_problems(wanted, where)
    return problems


def _names_problems(wanted, where, known, what, section, any_=False) -> list[tuple[str, object]]:
    """A name of `known`, or a non-empty list of them (`what`: a lazy noun, `section`: a key)."""
    listed = [wanted] if isinstance(wanted, str) else wanted
    if not isinstance(listed, list) or not listed:
        if any_:
            message = _l(
                "doit être true (n'importe quel %(what)s) ou une liste de clés (%(what)s), "
                "pas %(value)s",
                what=what,
                value=repr(wanted),
            )
        else:
            message = _l(
                "doit être une clé (%(what)s) ou une liste de clés, pas %(value)s",
                what=what,
                value=repr(wanted),
            )
        return [(where, message)]
    problems = []
    for i, name in enumerate(listed):
        at = where if isinstance(wanted, str) else f"{where}[{i}]"
        if not isinstance(name, str):
            message = _l(
                "doit être une clé (%(what)s) en texte, pas %(value)s", what=what, value=repr(name)
            )
            problems.append((at, message))
        elif name not in known:
            message = _l(
                "%(what)s %(value)s introuvable : il n'est pas dans %(section)s",
                what=what,
                value=repr(name),
                section=section,
            )
            problems.append((at, message))
    return problems


def _unknown_field(name: object, allowed: str):
    """The message for a client field that does not exist (lazy)."""
    return _l(
        "champ de fiche client %(name)s inconnu ; permis : %(allowed)s",
        name=repr(name),
        allowed=allowed,
    )


def _changes_problems(wanted, where) -> list[tuple[str, object]]:
    """`true`, a non-empty list of client fields, or a non-empty mapping field → value."""
    fields = client_fields()
    allowed = ", ".join(fields)
    if wanted is True:
        return []
    if isinstance(wanted, list) and wanted:
        return [
            (f"{where}[{i}]", _unknown_field(name, allowed))
            for i, name in enumerate(wanted)
            if not isinstance(name, str) or name not in fields
        ]
    if isinstance(wanted, dict) and wanted:
        problems = []
        for name, value in wanted.items():
            kind = fields.get(name)
            at = f"{where}.{name}"
            if kind is None:
                problems.append((at, _unknown_field(name, allowed)))
            elif kind == "flag" and not isinstance(value, bool):
                problems.append(
                    (at, _l("doit être true ou false, pas %(value)s", value=repr(value)))
                )
            elif kind == "text" and (not isinstance(value, str) or not value.strip()):
                problems.append((at, _l("doit être un texte, pas %(value)s", value=repr(value))))
            elif name == "phones" and normalize_phone(value) is None:
                message = _l("doit être un numéro de téléphone, pas %(value)s", value=repr(value))
                problems.append((at, message))
        return problems
    message = _l(
        "doit être true (toute mise à jour), une liste de champs de fiche client ou un mapping "
        "champ: valeur, pas %(value)s",
        value=repr(wanted),
    )
    return [(where, message)]
