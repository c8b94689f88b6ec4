"""After-sales in scenario packs: the validator locates each mistake; the loader seeds the
Bureau Direct parcels, payments and delivery days the desk shows."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from crm.aftersales.models import Delivery
from crm.clients.models import Client
from crm.db import db
from crm.orders.models import Order
from crm.payments.models import Payment
from crm.training.scenario_schema import validate_scenario
from crm.yaml_text import load_yaml

DEFAULT = Path(__file__).resolve().parents[2] / "seed_data" / "scenarios" / "bureau-direct.yaml"


@pytest.fixture(scope="module")
def default_doc() -> dict:
    """The default pack as data: its validity, card included, is checked in an app context by
    `tests/training/test_scenario_schema.py::test_default_scenario_is_valid` (the card's
    criteria are read from the installed standards, which need the application)."""
    return load_yaml(DEFAULT.read_text(encoding="utf-8"))


def _order(doc, number) -> dict:
    for client in doc["clients"]:
        for order in client.get("orders", []):
            if order["number"] == number:
                return order
    raise LookupError(number)


def _problems(doc) -> dict[str, str]:
    return {p.path: p.message for p in validate_scenario(doc, "bureau-direct.yaml")}


def _late(d):
    return _order(d, "CMD-106301")


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda d: d["after_sales"].update(withdrawal_days=7), "after_sales.withdrawal_days", "14"),
        (
            lambda d: d["after_sales"].update(goodwill_max=50),
            "after_sales.goodwill_max",
            "guillemets",
        ),
        (lambda d: d["after_sales"].update(refunds=True), "after_sales.refunds", "clé inconnue"),
        (
            lambda d: _late(d)["delivery"]["events"][0].update(kind="delivered"),
            "delivery.events[0].kind",
            "ne peut pas suivre",
        ),
        (
            lambda d: _late(d)["delivery"]["events"][2].pop("incident"),
            "delivery.events[2].incident",
            "obligatoire pour un incident",
        ),
        (
            lambda d: _late(d)["delivery"]["events"][0].update(incident="lost"),
            "delivery.events[0].incident",
            "seulement pour un événement de kind incident",
        ),
        (
            lambda d: _late(d)["delivery"].update(tracking_number="DBS4471029385"),
            "delivery.tracking_number",
            "en double : déjà à clients[",
        ),
        (
            lambda d: _late(d)["delivery"].update(expected_on="-5d"),
            "delivery.expected_on",
            "avant shipped_on",
        ),
        (
            lambda d: _late(d)["payment"].update(masked_card="4970101234560019"),
            "payment.masked_card",
            "six étoiles",
        ),
        (lambda d: _late(d).update(status="paid"), "delivery", "n'a pas été expédiée"),
        (lambda d: _late(d).pop("payment") and _late(d).update(status="paid"), "payment", ""),
        (
            lambda d: _late(d).update(delivered_on="-1d"),
            "delivered_on",
            "seulement pour une commande livrée",
        ),
        (
            lambda d: _order(d, "CMD-106331")["delivery"]["events"].pop(),
            "delivery.events",
            "ajoutez un événement 'delivered'",
        ),
    ],
)
def test_each_after_sales_mistake_is_located(default_doc, mutate, path, words):
    doc = copy.deepcopy(default_doc)
    mutate(doc)
    problems = _problems(doc)
    found = {where: text for where, text in problems.items() if where.endswith(path)}
    assert found, problems
    assert any(words in text for text in found.values()), found


def test_the_default_pack_holds_the_after_sales_situations(attempt):
    """The delayed parcel of Amandine Roussel's SMS, a consumer's paid order within the
    withdrawal period, a business delivery, and orders without tracking keep a delivery day."""
    orders = {
        o.number: o
        for o in db.session.scalars(sa.select(Order).where(Order.attempt_id == attempt.id))
    }
    late = orders["CMD-106301"]
    assert late.status == "shipped" and late.client.last_name == "Roussel"
    parcel = db.session.scalar(sa.select(Delivery).where(Delivery.order_id == late.id))
    assert parcel.status == "incident" and parcel.last_incident.incident == "delayed"
    recent = orders["CMD-106331"]
    assert recent.delivered_on == attempt.world_date - timedelta(days=6)
    card = db.session.scalar(sa.select(Payment).where(Payment.order_id == recent.id))
    assert card.masked_card == "411111******1111" and card.status == "captured"
    assert orders["CMD-104285"].client.segment == "b2b"
    old = orders["CMD-106320"]
    assert old.delivered_on == old.ordered_on + timedelta(days=2)
    assert attempt.settings["after_sales"]["goodwill_max"] == "50.00"
    roussel = db.session.scalar(
        sa.select(Client).where(Client.attempt_id == attempt.id, Client.last_name == "Roussel")
    )
    assert roussel.segment == "b2c"
