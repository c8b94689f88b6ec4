"""A tiny, safe renderer for message templates: `{{ object.attribute }}` placeholders only.

No expressions, no filters, no statements, no attribute access on live objects: the caller hands
plain values per object (`{"client": {"last_name": "Martin"}}`) and every placeholder must be one
of the catalog's variables (the list scenarios are validated against). Anything else is refused
with a message that names the variable, so a bad template never goes out half-rendered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from crm.errors import DomainError
from crm.i18n import _
from crm.training.scenario_schema import TEMPLATE_VARIABLES

PARIS = ZoneInfo("Europe/Paris")

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


class TemplateError(DomainError):
    """A template that cannot be rendered: unknown or unavailable variable, stray braces."""

    status = 422
    code = "template_error"


def template_variables(text: str) -> list[str]:
    """The variable names used by a template, in order of first use."""
    names: list[str] = []
    for match in _PLACEHOLDER.finditer(text or ""):
        name = match.group(1).strip()
        if name not in names:
            names.append(name)
    return names


def format_value(value, language: str = "fr") -> str:
    """A value as a person reads it: money with two decimals and €, dates day first."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if language == "fr":
            return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") + " €"
        return f"€{value:,.2f}"
    if isinstance(value, datetime):
        local = value.astimezone(PARIS)
        return local.strftime("%d/%m/%Y à %H:%M" if language == "fr" else "%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def check_template(text: str, values: Mapping[str, Mapping[str, object]] | None = None) -> None:
    """Raise TemplateError for unknown variables, unavailable ones (if `values`), stray braces."""
    for name in template_variables(text):
        if name not in TEMPLATE_VARIABLES:
            raise TemplateError(
                _(
                    "Variable inconnue « {{ %(name)s }} » dans le modèle ; "
                    "variables possibles : %(choices)s.",
                    name=name,
                    choices=", ".join(sorted(TEMPLATE_VARIABLES)),
                ),
                details={"variable": name},
            )
        if values is not None:
            obj, attr = name.split(".", 1)
            if attr not in values.get(obj, {}):
                raise TemplateError(
                    _(
                        "La variable « {{ %(name)s }} » n'est pas disponible pour ce message.",
                        name=name,
                    ),
                    details={"variable": name},
                )
    rest = _PLACEHOLDER.sub("", text or "")
    if "{{" in rest or "}}" in rest or "{%" in rest or "%}" in rest:
        raise TemplateError(
            _("Accolades mal fermées dans le modèle : chaque « {{ » doit avoir son « }} »."),
            details={"variable": None},
        )


def render_text(
    text: str, values: Mapping[str, Mapping[str, object]], *, language: str = "fr"
) -> str:
    """Replace each `{{ object.attribute }}` by its value; TemplateError if anything is off."""
    check_template(text, values)

    def substitute(match: re.Match) -> str:
        obj, attr = match.group(1).strip().split(".", 1)
        return format_value(values[obj][attr], language)

    return _PLACEHOLDER.sub(substitute, text or "")
