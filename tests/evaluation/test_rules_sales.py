"""What the sales came to: substitutes sold, additional sales made, orders taken to the end."""

from __future__ import annotations

import pytest

from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED
from tests.evaluation.conftest import last

SHORT, SUB, EXTRA = "PAP-A4-90-5", "PAP-A4-80-5", "CLA-CHEM-ASS-100"


def ids(*actions) -> tuple[int, ...]:
    return tuple(sorted(a.id for a in actions))


@pytest.fixture
def sale(desk):
    """A phone contact with ProForm Rhône (C10013) and a draft order for them."""
    client = desk.client("C10013")
    desk.open(client)
    desk.verify(client)
    return desk.order(client)


def end_shift(attempt):
    attempt.shift.status = "ended"
    db.session.flush()


# --- substitute_sold ---------------------------------------------------------------------------


def test_substitute_sold_not_observed_without_stock_out(desk, sale, judge):
    desk.add(sale, SUB, 1)
    desk.confirm(sale)
    assert judge("substitute_sold").status == NOT_OBSERVED


def test_substitute_sold_met_when_the_confirmed_order_carries_it(desk, sale, judge, log):
    desk.add(sale, SHORT, 10)
    desk.substitute(sale, SUB, SHORT, accepted=True, quantity=10)
    offer = log.last("offer.made")
    desk.confirm(sale)
    confirmed = log.last("order.confirmed")
    result = judge("substitute_sold")
    assert (result.status, result.met_ids) == (MET, ids(offer, confirmed))
    assert f"{SUB} à la place de {SHORT}" in result.explanation
    assert result.figures == {"stockouts": 1, "sold": 1, "pending": 0}


def test_substitute_refused_is_not_sold_and_both_orders_are_cited(desk, sale, judge, log):
    desk.add(sale, SHORT, 10)
    desk.substitute(sale, SUB, SHORT, accepted=True, quantity=10)
    desk.confirm(sale)
    sold = log.last("order.confirmed")
    desk.qualify("VENTE")
    second = desk.order(desk.client("C10013"))
    desk.add(second, SHORT, 10)
    out = log.last("order.out_of_stock")
    desk.substitute(second, SUB, SHORT, accepted=False)
    refused = log.last("offer.made")
    desk.add(second, EXTRA, 1)
    desk.confirm(second)
    result = judge("substitute_sold")
    assert result.status == NOT_MET
    assert result.not_met_ids == ids(out, refused)
    assert sold.id in result.met_ids
    assert f"rupture de {SHORT} sur la commande {second.number} : substitut refusé" in (
        result.explanation
    )
    assert f"Vendu : {SUB} ← {SHORT}" in result.explanation


def test_a_draft_waits_while_the_shift_runs_and_fails_once_it_ended(
    attempt, desk, sale, judge, log
):
    desk.add(sale, SHORT, 10)
    out = log.last("order.out_of_stock")
    assert judge("substitute_sold").status == NOT_OBSERVED
    end_shift(attempt)
    result = judge("substitute_sold")
    assert (result.status, result.not_met_ids) == (NOT_MET, (out.id,))
    assert "aucun substitut proposé" in result.explanation


# --- additional_sale_made ----------------------------------------------------------------------


def test_additional_sale_made_not_observed_without_confirmed_order(desk, sale, judge):
    desk.add(sale, SUB, 1)
    assert judge("additional_sale_made").status == NOT_OBSERVED


def test_additional_sale_made_met_and_orders_without_one_cited(desk, sale, judge, log):
    desk.add(sale, SUB, 1)
    desk.additional(sale, EXTRA, accepted=True)
    offer = log.last("offer.made")
    desk.confirm(sale)
    with_extra = log.last("order.confirmed")
    desk.qualify("VENTE")
    second = desk.order(desk.client("C10013"))
    desk.add(second, SUB, 1)
    desk.confirm(second)
    without = log.last("order.confirmed")
    result = judge("additional_sale_made")
    assert result.status == MET
    assert (result.met_ids, result.not_met_ids) == (ids(offer, with_extra), (without.id,))
    assert f"commande {sale.number} ({EXTRA})" in result.explanation
    assert f"Sans vente additionnelle : {second.number}" in result.explanation
    assert result.figures == {"orders": 2, "with_additional": 1}


def test_additional_sale_refused_everywhere_is_not_met(desk, sale, judge, log):
    desk.add(sale, SUB, 1)
    desk.additional(sale, EXTRA, accepted=False)
    refused = log.last("offer.made")
    desk.confirm(sale)
    confirmed = log.last("order.confirmed")
    result = judge("additional_sale_made")
    assert (result.status, result.not_met_ids) == (NOT_MET, ids(refused, confirmed))
    assert "propositions refusées : 1" in result.explanation


def test_a_cancelled_order_does_not_count_as_sold(desk, sale, judge):
    desk.add(sale, SUB, 1)
    desk.additional(sale, EXTRA, accepted=True)
    desk.confirm(sale)
    desk.cancel(sale)
    assert judge("additional_sale_made").status == NOT_OBSERVED


# --- orders_completed --------------------------------------------------------------------------


def test_orders_completed_met_when_confirmed_or_cancelled(desk, sale, judge, log):
    desk.add(sale, SUB, 1)
    desk.confirm(sale)
    confirmed = log.last("order.confirmed")
    other = desk.order(desk.client("C10013"))
    desk.cancel(other)
    cancelled = log.last("order.cancelled")
    result = judge("orders_completed")
    assert (result.status, result.met_ids) == (MET, ids(confirmed, cancelled))


def test_a_draft_left_after_the_contact_is_not_met(desk, sale, judge):
    created = last("order.created")
    assert judge("orders_completed").status == NOT_OBSERVED  # the contact is still open
    desk.qualify("INFO")
    result = judge("orders_completed")
    assert (result.status, result.not_met_ids) == (NOT_MET, (created.id,))
    assert sale.number in result.explanation
