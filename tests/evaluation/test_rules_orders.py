"""Order rules on attempts built through the real services: met, not met, not observed."""

from __future__ import annotations

import pytest

from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED

SHORT, SUB, OTHER_SUB, EXTRA = "PAP-A4-90-5", "PAP-A4-80-5", "PAP-A4-100-R", "CLA-CHEM-ASS-100"


def ids(*actions) -> tuple[int, ...]:
    return tuple(sorted(a.id for a in actions))


def last(attempt_actions, verb):
    return [a for a in attempt_actions if a.verb == verb][-1]


@pytest.fixture
def sale(desk):
    """A phone contact with ProForm Rhône (C10013) and a draft order for them."""
    client = desk.client("C10013")
    desk.open(client)
    desk.verify(client)
    return desk.order(client)


# --- additional_sale_offered -------------------------------------------------------------------


def test_additional_sale_not_observed_without_confirmed_order(sale, judge):
    result = judge("additional_sale_offered")
    assert (result.status, result.evidence) == (NOT_OBSERVED, ())


def test_additional_sale_met_with_offer_on_each_order_and_counts(desk, sale, judge, log):
    desk.add(sale, SUB, 2)
    desk.additional(sale, EXTRA, accepted=True, quantity=1)
    offer = log.last("offer.made")
    desk.recap(sale)
    desk.confirm(sale)
    result = judge("additional_sale_offered")
    assert result.status == MET
    assert result.evidence == (offer.id,)
    assert result.figures == {"orders": 1, "offers": 1, "accepted": 1}


def test_additional_sale_not_met_names_the_order(desk, sale, judge, log):
    desk.add(sale, SUB, 2)
    desk.recap(sale)
    desk.confirm(sale)
    confirmed = log.last("order.confirmed")
    result = judge("additional_sale_offered")
    assert result.status == NOT_MET
    assert result.evidence == (confirmed.id,)
    assert sale.number in result.explanation
    assert "sans proposition de vente additionnelle" in result.explanation


def test_an_offer_refused_still_counts_as_offered(desk, sale, judge):
    desk.add(sale, SUB, 2)
    desk.additional(sale, EXTRA, accepted=False)
    desk.confirm(sale)
    result = judge("additional_sale_offered")
    assert result.status == MET
    assert result.figures == {"orders": 1, "offers": 1, "accepted": 0}


# --- substitute_offered ------------------------------------------------------------------------


def test_substitute_not_observed_without_stock_out(desk, sale, judge):
    desk.add(sale, SUB, 1)
    assert judge("substitute_offered").status == NOT_OBSERVED


def test_substitute_met_when_offered_after_the_stock_out(desk, sale, judge, log):
    desk.add(sale, SHORT, 10)
    assert log.last("order.out_of_stock")
    desk.substitute(sale, SUB, SHORT, accepted=True, quantity=10)
    offer = log.last("offer.made")
    result = judge("substitute_offered")
    assert result.status == MET
    assert result.evidence == (offer.id,)
    assert result.figures == {"stockouts": 1, "offered": 1, "accepted": 1}


def test_substitute_not_met_names_product_and_order(desk, sale, judge, log):
    desk.add(sale, SHORT, 10)
    out = log.last("order.out_of_stock")
    desk.add(sale, SHORT, 10)  # tried again: still one stock-out of one product
    again = log.last("order.out_of_stock")
    desk.add(sale, SUB, 10)  # a line, but no offer made
    result = judge("substitute_offered")
    assert result.status == NOT_MET
    assert result.evidence == ids(out, again)
    assert SHORT in result.explanation and sale.number in result.explanation
    assert result.figures["stockouts"] == 1


# --- recap_before_confirmation -----------------------------------------------------------------


def test_recap_not_observed_without_confirmation(desk, sale, judge):
    desk.add(sale, SUB, 1)
    desk.recap(sale)
    assert judge("recap_before_confirmation").status == NOT_OBSERVED


def test_recap_met_with_the_recap_and_the_confirmation(desk, sale, judge, log):
    desk.add(sale, SUB, 1)
    desk.recap(sale)
    recap = log.last("order.recap_read")
    desk.confirm(sale)
    confirmed = log.last("order.confirmed")
    result = judge("recap_before_confirmation")
    assert (result.status, result.evidence) == (MET, ids(recap, confirmed))


def test_recap_read_before_a_last_change_does_not_count(desk, sale, judge, log):
    desk.add(sale, SUB, 1)
    desk.recap(sale)
    desk.add(sale, OTHER_SUB, 1)  # changed after the recap: it must be read again
    desk.confirm(sale)
    confirmed = log.last("order.confirmed")
    result = judge("recap_before_confirmation")
    assert (result.status, result.not_met_ids) == (NOT_MET, (confirmed.id,))
    assert f"Commande {sale.number} confirmée sans lecture du récapitulatif" in result.explanation


# --- credit_limit_handled ----------------------------------------------------------------------


def test_credit_not_observed_without_refusal(desk, sale, judge):
    desk.add(sale, SUB, 1)
    desk.confirm(sale)
    assert judge("credit_limit_handled").status == NOT_OBSERVED


def test_credit_refusal_left_pending_is_not_met(desk, sale, judge, log):
    desk.limit_credit(sale.client, "1.00")
    desk.add(sale, SUB, 2)
    assert desk.confirm(sale).refusal is not None
    refused = log.last("order.credit_refused")
    result = judge("credit_limit_handled")
    assert (result.status, result.not_met_ids) == (NOT_MET, (refused.id,))
    assert sale.number in result.explanation


@pytest.mark.parametrize("settle", ["cancel", "raise_limit"])
def test_credit_refusal_then_settled_is_met(desk, sale, judge, log, settle):
    desk.limit_credit(sale.client, "1.00")
    desk.add(sale, SUB, 2)
    desk.confirm(sale)
    refused = log.last("order.credit_refused")
    if settle == "cancel":
        desk.cancel(sale)
        closing = log.last("order.cancelled")
    else:  # the account manager raised the limit, the order went through
        desk.limit_credit(sale.client, "99999.00")
        desk.confirm(sale)
        closing = log.last("order.confirmed")
    result = judge("credit_limit_handled")
    assert (result.status, result.evidence) == (MET, ids(refused, closing))


# --- written_confirmation_sent -----------------------------------------------------------------


def test_written_confirmation_not_observed_for_a_sale_outside_the_phone(desk, judge):
    client = desk.client("C10013")
    desk.open(client, channel="email")
    order = desk.order(client)
    desk.add(order, SUB, 1)
    desk.confirm(order)
    assert judge("written_confirmation_sent").status == NOT_OBSERVED


def test_written_confirmation_met_after_a_phone_sale(desk, sale, judge, log):
    desk.add(sale, SUB, 1)
    desk.confirm(sale)
    desk.confirm_in_writing(sale)
    sent = log.last("message.sent")
    result = judge("written_confirmation_sent")
    assert (result.status, result.evidence) == (MET, (sent.id,))


def test_written_confirmation_missing_names_the_order(desk, sale, judge, log):
    desk.add(sale, SUB, 1)
    desk.confirm(sale)
    confirmed = log.last("order.confirmed")
    result = judge("written_confirmation_sent")
    assert (result.status, result.not_met_ids) == (NOT_MET, (confirmed.id,))
    assert sale.number in result.explanation
