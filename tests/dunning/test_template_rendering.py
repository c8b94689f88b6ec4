"""The tiny template renderer: known variables only, values formatted, stray braces refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from crm.knowledge.rendering import TemplateError, render_text, template_variables

VALUES = {
    "client": {"title": "Mme", "last_name": "Martin", "company_name": None},
    "invoice": {"number": "FA-1", "amount_due": Decimal("1234.5"), "due_on": date(2026, 3, 2)},
    "appointment": {"starts_at": datetime(2026, 3, 2, 13, 30, tzinfo=UTC)},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour {{ client.title }} {{client.last_name}}", "Bonjour Mme Martin"),
        ("{{ invoice.amount_due }}", "1\u202f234,50 €"),
        ("le {{ invoice.due_on }}", "le 02/03/2026"),
        ("à {{ appointment.starts_at }}", "à 02/03/2026 à 14:30"),  # Paris time
        ("[{{ client.company_name }}]", "[]"),
        ("Pas de variable.", "Pas de variable."),
        ("", ""),
    ],
)
def test_render(text, expected):
    assert render_text(text, VALUES) == expected


def test_english_money():
    assert render_text("{{ invoice.amount_due }}", VALUES, language="en") == "€1,234.50"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{{ client.password }}", "Variable inconnue « {{ client.password }} »"),
        ("{{ client.last_name|upper }}", "Variable inconnue"),
        ("{{ client.__class__ }}", "Variable inconnue"),
        ("{{ 7*7 }}", "Variable inconnue"),
        ("{{ order.number }}", "n'est pas disponible"),  # known, but not for this message
        ("Bonjour {{ client.last_name", "Accolades"),
        ("Bonjour client.last_name }}", "Accolades"),
        ("{% if x %}", "Accolades"),
    ],
)
def test_refusals_name_the_problem(text, words):
    with pytest.raises(TemplateError) as info:
        render_text(text, VALUES)
    assert words in info.value.message
    assert info.value.status == 422


def test_variables_in_order_of_use():
    assert template_variables("{{ b.x }} {{a.y}} {{ b.x }}") == ["b.x", "a.y"]
