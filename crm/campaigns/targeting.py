"""Target lists of an outbound campaign: the scenario's clients and prospects a filter keeps.

Pure: it reads the scenario pack (its `clients`, relative dates resolved against a day), not a
candidate's world, so that a trainer sets a shift's campaign up before any attempt runs and
every candidate gets the same list. The filters are those the world data supports: kind,
segment, department and city, last order, last contact, and the opposition to calls.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from crm.i18n import _
from crm.phones import normalize_phone
from crm.training.scenario_schema import parse_date_spec
from crm.validation import blank_is_absent

KINDS = ("client", "prospect")
SEGMENTS = ("b2b", "b2c")
#: A French department: two digits, Corsica (2A, 2B) or overseas (971–976).
DEPARTMENT = re.compile(r"^(\d{2}|2A|2B|97[1-6])$")
#: Longest horizon of the day filters (ten years).
MAX_DAYS = 3650
#: At most this many targets in one campaign (a shift's call plan, not a call centre's file).
MAX_TARGETS = 200


@dataclass(frozen=True)
class TargetFilters:
    """What a supervisor filters a call list on; empty values keep everyone."""

    kind: str = ""
    segment: str = ""
    departments: tuple[str, ...] = ()
    city: str = ""
    #: Keep files without any order in the last N days (prospects have none).
    no_order_days: int | None = None
    #: Keep files with an order in the last N days.
    ordered_within_days: int | None = None
    #: Keep files not contacted (any channel) in the last N days.
    not_contacted_days: int | None = None
    #: Leave out files on the do-not-call list or refusing phone calls.
    exclude_opposed: bool = True

    def to_dict(self) -> dict:
        """JSON form (stored on the shift's campaign, answered by the API)."""
        return {
            "kind": self.kind,
            "segment": self.segment,
            "departments": list(self.departments),
            "city": self.city,
            "no_order_days": self.no_order_days,
            "ordered_within_days": self.ordered_within_days,
            "not_contacted_days": self.not_contacted_days,
            "exclude_opposed": self.exclude_opposed,
        }


@dataclass(frozen=True)
class Target:
    """One file of the target list, with the number to call."""

    client: str
    name: str
    number: str
    kind: str
    segment: str
    city: str
    department: str
    last_order: date | None
    last_contact: date | None

    def to_dict(self) -> dict:
        """JSON form for the preview."""
        return {
            "client": self.client,
            "name": self.name,
            "number": self.number,
            "kind": self.kind,
            "segment": self.segment,
            "city": self.city,
            "department": self.department,
            "last_order": self.last_order.isoformat() if self.last_order else None,
            "last_contact": self.last_contact.isoformat() if self.last_contact else None,
        }


@dataclass
class FilterReading:
    """Filters read from raw input, with a French message per bad field."""

    filters: TargetFilters | None
    errors: dict[str, str] = field(default_factory=dict)


def _fold(text: str) -> str:
    """Lower case without accents, for comparing city names as people type them."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _days(raw, name: str, errors: dict, blank: bool) -> int | None:
    """A number of days (a whole number, or its digits as typed in a form), or None;
    `blank`: "" is not given (a form's), else refused (a JSON body's, where it is no number)."""
    if raw is None or (raw == "" and blank):
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        errors[name] = _("Nombre de jours attendu.")
        return None
    if not 1 <= value <= MAX_DAYS:
        errors[name] = _("Entre 1 et %(n)s jours.", n=MAX_DAYS)
        return None
    return value


def _departments(raw, errors: dict, blank: bool) -> tuple[str, ...]:
    """Departments from a list or, as typed in a form, a string separated by commas;
    `blank`: "" is none (a form's), else refused (a JSON body's, where a list is expected)."""
    if raw is None or (raw == "" and blank):
        return ()
    if raw == "":
        errors["departments"] = _("Liste de départements attendue (69, 2A…).")
        return ()
    items = raw.replace(";", ",").split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        errors["departments"] = _("Liste de départements attendue (69, 2A…).")
        return ()
    found = []
    for item in items:
        value = item.strip().upper() if isinstance(item, str) else None
        if not value:
            continue
        if not DEPARTMENT.match(value):
            errors["departments"] = _("Département inconnu : %(value)s (69, 2A, 974…).", value=item)
            return ()
        if value not in found:
            found.append(value)
    return tuple(found)


def read_filters(raw) -> FilterReading:
    """Filters from a mapping (JSON object or form), or the French message of each bad field."""
    raw = raw if isinstance(raw, dict) else {}
    blank = blank_is_absent(raw)
    errors: dict[str, str] = {}
    kind = raw.get("kind") or ""
    if kind not in ("", *KINDS):
        errors["kind"] = _("Valeur inconnue ; attendu : %(choices)s.", choices="client, prospect")
    segment = raw.get("segment") or ""
    if segment not in ("", *SEGMENTS):
        errors["segment"] = _("Valeur inconnue ; attendu : %(choices)s.", choices="b2b, b2c")
    city = raw.get("city") or ""
    if not isinstance(city, str) or len(city) > 100:
        errors["city"] = _("Texte de 100 caractères au plus attendu.")
        city = ""
    exclude = raw.get("exclude_opposed", True)
    if not isinstance(exclude, bool):
        errors["exclude_opposed"] = _("Vrai ou faux attendu.")
        exclude = True
    filters = TargetFilters(
        kind=kind if isinstance(kind, str) else "",
        segment=segment if isinstance(segment, str) else "",
        departments=_departments(raw.get("departments"), errors, blank),
        city=city.strip(),
        no_order_days=_days(raw.get("no_order_days"), "no_order_days", errors, blank),
        ordered_within_days=_days(
            raw.get("ordered_within_days"), "ordered_within_days", errors, blank
        ),
        not_contacted_days=_days(
            raw.get("not_contacted_days"), "not_contacted_days", errors, blank
        ),
        exclude_opposed=exclude,
    )
    if filters.no_order_days and filters.ordered_within_days and not errors:
        errors["ordered_within_days"] = _(
            "Incompatible avec « sans commande depuis » : choisissez l'un ou l'autre."
        )
    return FilterReading(None if errors else filters, errors)


def _name(entry: dict) -> str:
    person = " ".join(p for p in (entry.get("first_name"), entry.get("last_name")) if p)
    company = entry.get("company_name")
    return f"{company} ({person})" if company and person else company or person


def _last(items, today: date) -> date | None:
    days = []
    for item in items or []:
        try:
            days.append(parse_date_spec(item.get("date"), today))
        except (ValueError, AttributeError):
            continue
    return max(days, default=None)


def _target(entry: dict, today: date) -> Target | None:
    """The file as a target, or None without a valid French phone number."""
    number = next((p for p in entry.get("phones") or [] if normalize_phone(p)), None)
    if number is None:
        return None
    address = entry.get("address") or {}
    postcode = str(address.get("postcode") or "")
    department = postcode[:3] if postcode.startswith("97") else postcode[:2]
    if postcode.startswith("20") and len(postcode) == 5:
        department = "2A" if postcode < "20200" else "2B"
    return Target(
        client=entry["number"],
        name=_name(entry),
        number=number,
        kind=entry.get("kind", "prospect"),
        segment=entry.get("segment", "b2c"),
        city=str(address.get("city") or ""),
        department=department,
        last_order=_last(entry.get("orders"), today),
        last_contact=_last(entry.get("contacts"), today),
    )


def _opposed(entry: dict) -> bool:
    consent = entry.get("consent") or {}
    return bool(entry.get("do_not_call")) or consent.get("phone") is False


def _keeps(filters: TargetFilters, entry: dict, target: Target, today: date) -> bool:
    if filters.kind and target.kind != filters.kind:
        return False
    if filters.segment and target.segment != filters.segment:
        return False
    if filters.departments and target.department not in filters.departments:
        return False
    if filters.city and _fold(filters.city) not in _fold(target.city):
        return False
    if filters.exclude_opposed and _opposed(entry):
        return False
    order_age = (today - target.last_order).days if target.last_order else None
    contact_age = (today - target.last_contact).days if target.last_contact else None
    # Files never ordering are inactive however long the horizon.
    recent_order = order_age is not None and order_age < (filters.no_order_days or 0)
    if filters.no_order_days is not None and recent_order:
        return False
    if filters.ordered_within_days is not None and (
        order_age is None or order_age > filters.ordered_within_days
    ):
        return False
    return not (
        filters.not_contacted_days is not None
        and contact_age is not None
        and contact_age < filters.not_contacted_days
    )


def select_targets(data: dict, filters: TargetFilters, today: date) -> list[Target]:
    """The pack's clients and prospects the filters keep, in the pack's order."""
    found = []
    for entry in data.get("clients") or []:
        target = _target(entry, today)
        if target is not None and _keeps(filters, entry, target, today):
            found.append(target)
    return found
