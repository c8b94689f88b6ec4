"""The validator on what is under way with clients (promises, plans, callbacks) and on
scripted payments; the loader seeds them and the clock pays them."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import sqlalchemy as sa

from crm.contacts.models import Callback
from crm.db import db
from crm.dunning.models import PaymentPlan, PromiseToPay
from crm.training.scenario_schema import validate_scenario
from crm.yaml_text import load_yaml

DEFAULT = Path(__file__).resolve().parents[2] / "seed_data" / "scenarios" / "bureau-direct.yaml"
FILE = "bureau-direct.yaml"


@pytest.fixture(scope="module")
def default_doc() -> dict:
    """The default pack as data (its validity, card included, is checked in an app context by
    `test_default_scenario_is_valid`: the card's criteria are read from the installed standards)."""
    return load_yaml(DEFAULT.read_text(encoding="utf-8"))


@pytest.fixture
def doc(default_doc) -> dict:
    return copy.deepcopy(default_doc)


def _client(d, number):
    i = next(i for i, c in enumerate(d["clients"]) if c["number"] == number)
    return i, d["clients"][i]


def _payment(d):
    return next(i for i, t in enumerate(d["timeline"]) if t["kind"] == "payment")


def _problems(d) -> dict[str, str]:
    return {p.path: p.message for p in validate_scenario(d, FILE)}


def test_promises_are_checked(doc):
    i, client = _client(doc, "C10007")
    promise = client["invoices"][0]["promises"][0]
    promise.update(amount="999.00", due_date="-10d", method="cash")
    where = f"clients[{i}].invoices[0].promises[0]"
    problems = _problems(doc)
    assert "dépasse ce qui est dû" in problems[f"{where}.amount"]
    assert "avant made_on" in problems[f"{where}.due_date"]
    assert "cash" in problems[f"{where}.method"]


def test_payment_plans_are_checked(doc):
    i, client = _client(doc, "C10005")
    plan = client["payment_plans"][0]
    where = f"clients[{i}].payment_plans[0]"
    plan["invoices"] = ["FA-207691"]
    assert "ce client n'a pas cette facture" in _problems(doc)[f"{where}.invoices[0]"]
    plan["invoices"] = ["FA-207645"]
    plan["installments"][2]["amount"] = "274.00"
    assert "attendu 823.92" in _problems(doc)[f"{where}.installments"]
    plan["installments"][2]["amount"] = "274.64"
    plan["installments"][1]["due_date"] = "-5d"
    assert "les dates doivent croître" in _problems(doc)[f"{where}.installments[1].due_date"]
    plan["installments"][1]["due_date"] = "+29d"
    plan["installments"][1]["status"] = "paid"
    assert "après une échéance due" in _problems(doc)[f"{where}.installments[1].status"]


def test_callbacks_are_checked(doc):
    i, client = _client(doc, "C10006")
    client["callbacks"][0].update(due_at="demain", reason="x" * 301)
    problems = _problems(doc)
    assert f"clients[{i}].callbacks[0].due_at" in problems
    assert "300" in problems[f"clients[{i}].callbacks[0].reason"]


def test_scripted_payments_are_checked(doc):
    j = _payment(doc)
    doc["timeline"][j].update(invoice="FA-000000", amount="0.00", method="card", persona={})
    problems = _problems(doc)
    where = f"timeline[{j}]"
    assert "facture 'FA-" in problems[f"{where}.invoice"]
    assert "supérieur à 0.00" in problems[f"{where}.amount"]
    assert "card" in problems[f"{where}.method"]
    assert "n'a pas cette clé" in problems[f"{where}.persona"]


def test_only_payments_name_an_invoice(doc):
    j = next(i for i, t in enumerate(doc["timeline"]) if t["kind"] == "email")
    doc["timeline"][j]["invoice"] = "FA-207691"
    assert "seuls les paiements" in _problems(doc)[f"timeline[{j}].invoice"]


def test_the_loader_seeds_promises_plans_and_callbacks(attempt):
    promises = db.session.scalars(
        sa.select(PromiseToPay).where(PromiseToPay.attempt_id == attempt.id)
    ).all()
    assert sorted(str(p.amount) for p in promises) == ["406.92", "81.36"]
    assert {p.status for p in promises} == {"pending"}
    [plan] = db.session.scalars(
        sa.select(PaymentPlan).where(PaymentPlan.attempt_id == attempt.id)
    ).all()
    assert [i.status for i in plan.installments] == ["due", "due", "due"]
    assert [inv.number for inv in plan.invoices] == ["FA-207645"]
    [callback] = db.session.scalars(
        sa.select(Callback).where(Callback.attempt_id == attempt.id)
    ).all()
    assert callback.status == "pending" and "FA-207691" in callback.reason
