"""The factories (tests/factories.py) and the `empty_world` mark that puts them under the
shared fixtures: same people, shift and settings as a seeded attempt, no world rows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.services import verify_chain
from crm.clients.models import Client
from crm.extensions import db
from crm.training.library import load_scenario
from crm.training.loader import attempt_settings
from tests.factories import gen_client, gen_invoice, gen_order, gen_product


@pytest.mark.empty_world
def test_an_empty_world_attempt_has_the_scenarios_settings_and_no_rows(attempt, other_attempt):
    assert attempt.settings == attempt_settings(load_scenario("bureau-direct"))
    assert attempt.shift.status == "running" and attempt.shift.started_at is not None
    assert other_attempt.shift_id == attempt.shift_id
    assert db.session.scalar(sa.select(sa.func.count(Client.id))) == 0
    for one in (attempt, other_attempt):
        assert verify_chain(one).valid and one.action_count == 1


@pytest.mark.empty_world
def test_the_factories_make_the_rows_they_are_asked_for(attempt):
    client = gen_client(attempt, "T-9", "Durand", phones=["06 12 34 56 78"], segment="b2b")
    product = gen_product(attempt, "T-SKU-9", price="10.00", stock=3)
    order = gen_order(attempt, client, "T-CMD-9", lines=((product, 2),), status="confirmed")
    invoice = gen_invoice(attempt, client, "T-FA-9", due_in=-5, amount="24.00", order=order)
    db.session.commit()
    assert client.phones[0].e164 == "+33612345678" and client.kind == "client"
    assert [(line.product_id, line.quantity) for line in order.lines] == [(product.id, 2)]
    assert (invoice.due_on - invoice.issued_on).days == 30 and invoice.order_id == order.id


def test_without_the_mark_the_attempt_is_seeded(attempt):
    count = sa.select(sa.func.count(Client.id)).where(Client.attempt_id == attempt.id)
    assert db.session.scalar(count) > 0
