"""Order-entry services: exactly which actions each records; refusals leave nothing else."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm import clock
from crm.db import db
from crm.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from crm.orders.checkout import cancel_order, confirm_order, read_recap
from crm.orders.models import Offer, Order, OrderLine
from crm.orders.offers import propose_additional, propose_substitute, record_offer
from crm.orders.services import (
    add_line,
    create_order,
    pending_shortages,
    remove_line,
)
from crm.payments.models import Payment

# The few rows these tests read are their own: the seeded world would only slow them.
pytestmark = pytest.mark.empty_world


def _state(order: Order) -> tuple:
    """Everything an order service could change: lines, offers, status, stocks, recap mark."""
    db.session.expire_all()
    lines = db.session.scalars(
        sa.select(OrderLine.product_id, OrderLine.quantity).where(OrderLine.order_id == order.id)
    ).all()
    offers = db.session.scalar(
        sa.select(sa.func.count()).select_from(Offer).where(Offer.order_id == order.id)
    )
    order = db.session.get(Order, order.id)
    stocks = tuple(p.stock for p in sorted((ln.product for ln in order.lines), key=lambda p: p.id))
    return (tuple(lines), offers, order.status, stocks, order.recap_read_at)


@pytest.fixture
def order(ctx, world, log):
    """A draft for the cash client (its creation is not part of what tests assert)."""
    order = create_order(ctx, world.cash)
    db.session.commit()
    log.new()
    return order


# -- create ------------------------------------------------------------------------------------


def test_create_order_numbers_per_attempt_and_records(ctx, world, log):
    year = clock.today().year
    first = create_order(ctx, world.cash)
    second = create_order(ctx, world.account)
    assert first.status == "draft"
    assert first.number.startswith(f"CMD-{year}-") and len(first.number) == len(f"CMD-{year}-") + 5
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1
    actions = log.new()
    assert [a.verb for a in actions] == ["order.created", "order.created"]
    assert actions[0].payload == {
        "number": first.number,
        "client_id": world.cash.id,
        "client_number": "TST-C1",
    }
    assert actions[0].object_type == "order" and actions[0].object_id == first.id


def test_order_number_continues_after_history(ctx, world, attempt):
    year = clock.today().year
    db.session.add(
        Order(
            attempt_id=attempt.id,
            number=f"CMD-{year}-00412",
            client_id=world.cash.id,
            status="delivered",
            historical=True,
        )
    )
    db.session.flush()
    assert create_order(ctx, world.cash).number == f"CMD-{year}-00413"


def test_create_order_refuses_a_client_of_another_attempt(ctx, world, log):
    with pytest.raises(NotFound):
        create_order(ctx, world.foreign_client)
    assert log.verbs() == []


# -- lines -------------------------------------------------------------------------------------


def test_add_line_prices_from_product_and_records(ctx, world, order, log):
    result = add_line(ctx, order, world.sub, 2)
    assert result.shortage is None and not result.merged
    line = result.line
    assert (line.quantity, line.unit_price, line.vat_rate) == (
        2,
        Decimal("21.50"),
        Decimal("20.00"),
    )
    assert line.discount_percent == 0 and not line.additional and not line.backorder
    actions = log.new()
    assert [a.verb for a in actions] == ["order.line_added"]
    payload = actions[0].payload
    assert payload["sku"] == "TST-RAM-ECO" and payload["quantity"] == 2
    assert payload["sale_unit"] == "Carton de 5 ramettes"
    assert payload["line_net"] == "43.00" and payload["merged"] is False
    assert world.sub.stock == 40, "stock is only taken at confirmation"


def test_same_product_twice_merges_into_one_line(ctx, world, order, log):
    add_line(ctx, order, world.sub, 2)
    result = add_line(ctx, order, world.sub, 3)
    assert result.merged and len(order.lines) == 1 and order.lines[0].quantity == 5
    actions = log.new()
    assert [a.verb for a in actions] == ["order.line_added", "order.line_added"]
    assert actions[1].payload["line_quantity"] == {"old": 2, "new": 5}


def test_running_promotion_sets_the_discount(ctx, world, order):
    line = add_line(ctx, order, world.promo, 1).line
    assert line.discount_percent == Decimal("10.00")


@pytest.mark.parametrize("quantity", [0, -1, 2.5, "abc", "", None, True, "1.5", [1], "٣"])
def test_quantity_must_be_whole_sale_units(ctx, world, order, log, quantity):
    before = _state(order)
    with pytest.raises(ValidationFailed) as refused:
        add_line(ctx, order, world.sub, quantity)
    assert refused.value.fields == {
        "quantity": "Quantité en Cartons de 5 ramettes : un nombre entier ≥ 1."
    }
    db.session.rollback()
    assert _state(order) == before and log.verbs() == []


def test_quantity_as_digits_or_integral_float_is_accepted(ctx, world, order):
    assert add_line(ctx, order, world.sub, "3").line.quantity == 3
    assert add_line(ctx, order, world.comp, 2.0).line.quantity == 2


def test_quantity_has_an_upper_bound(ctx, world, order):
    with pytest.raises(ValidationFailed) as refused:
        add_line(ctx, order, world.comp, 10000)
    assert "9999 au plus" in refused.value.fields["quantity"]
    assert "Boîtes de 50" in refused.value.fields["quantity"]


def test_stock_out_returns_the_shortage_and_records_only_the_evidence(ctx, world, order, log):
    before = _state(order)
    result = add_line(ctx, order, world.short, 4)
    assert result.line is None
    shortage = result.shortage
    assert (shortage.quantity, shortage.requested, shortage.stock) == (4, 4, 0)
    assert shortage.restock_date == world.short.restock_date
    assert [p.sku for p in shortage.substitutes] == ["TST-RAM-ECO", "TST-RAM-RECY"]
    actions = log.new()
    assert [a.verb for a in actions] == ["order.out_of_stock"]
    assert actions[0].payload == {
        "number": order.number,
        "product_id": world.short.id,
        "sku": "TST-RAM",
        "quantity": 4,
        "requested": 4,
        "stock": 0,
        "restock_date": world.short.restock_date.isoformat(),
        "substitutes": ["TST-RAM-ECO", "TST-RAM-RECY"],
    }
    db.session.commit()
    assert _state(order) == before


def test_merging_beyond_stock_is_a_shortage_of_the_total(ctx, world, order, log):
    add_line(ctx, order, world.low, 2)
    result = add_line(ctx, order, world.low, 2)
    assert result.shortage.requested == 4 and result.shortage.stock == 3
    assert order.lines[0].quantity == 2
    assert log.verbs() == ["order.line_added", "order.out_of_stock"]


def test_backorder_line_is_kept_with_the_restock_date(ctx, world, order, log):
    line = add_line(ctx, order, world.short, 4, backorder=True).line
    assert line.backorder and line.quantity == 4
    actions = log.new()
    assert [a.verb for a in actions] == ["order.line_added"]
    assert actions[0].payload["backorder"] is True
    assert actions[0].payload["restock_date"] == world.short.restock_date.isoformat()


def test_backorder_flag_does_not_stick_when_stock_suffices(ctx, world, order):
    assert add_line(ctx, order, world.sub, 2, backorder=True).line.backorder is False


def test_substitute_line_replaces_a_product_found_short(ctx, world, order, log):
    add_line(ctx, order, world.short, 4)
    line = add_line(ctx, order, world.sub, 4, replaces_product=world.short).line
    assert line.replaces_product_id == world.short.id
    actions = log.new()
    assert [a.verb for a in actions] == ["order.out_of_stock", "order.line_added"]
    assert actions[1].payload["replaces"] == "TST-RAM"
    assert pending_shortages(ctx, order) == []


def test_replacing_a_product_never_found_short_is_refused(ctx, world, order, log):
    with pytest.raises(ValidationFailed) as refused:
        add_line(ctx, order, world.sub, 4, replaces_product=world.short)
    assert "replaces_product_id" in refused.value.fields
    assert log.verbs() == []


def test_replacing_by_a_product_that_is_not_a_substitute_is_refused(ctx, world, order, log):
    add_line(ctx, order, world.short, 4)
    db.session.commit()
    log.new()
    before = _state(order)
    with pytest.raises(ValidationFailed) as refused:
        add_line(ctx, order, world.comp, 4, replaces_product=world.short)
    assert "Ramette test éco" in refused.value.fields["product_id"]
    db.session.rollback()
    assert _state(order) == before and log.verbs() == []


def test_lines_only_change_on_drafts(ctx, world, order, log):
    add_line(ctx, order, world.sub, 1)
    confirm_order(ctx, order)
    db.session.commit()
    log.new()
    with pytest.raises(InvalidTransition) as refused:
        add_line(ctx, order, world.sub, 1)
    assert "confirmée" in refused.value.message
    with pytest.raises(InvalidTransition):
        remove_line(ctx, order, order.lines[0])
    assert log.verbs() == []


def test_foreign_product_is_not_found(ctx, world, order, log):
    with pytest.raises(NotFound):
        add_line(ctx, order, world.foreign_product, 1)
    assert log.verbs() == []


def test_remove_line_records_and_clears_the_recap(ctx, world, order, log):
    line = add_line(ctx, order, world.sub, 2).line
    add_line(ctx, order, world.comp, 1)
    read_recap(ctx, order)
    assert order.recap_read_at is not None
    log.new()
    remove_line(ctx, order, line)
    assert [ln.product_id for ln in order.lines] == [world.comp.id]
    assert order.recap_read_at is None
    actions = log.new()
    assert [a.verb for a in actions] == ["order.line_removed"]
    assert actions[0].payload["sku"] == "TST-RAM-ECO" and actions[0].payload["quantity"] == 2


def test_adding_a_line_after_the_recap_clears_it(ctx, world, order):
    add_line(ctx, order, world.sub, 2)
    read_recap(ctx, order)
    add_line(ctx, order, world.comp, 1)
    assert order.recap_read_at is None


def test_remove_line_of_another_order_is_not_found(ctx, world, order):
    other = create_order(ctx, world.cash)
    line = add_line(ctx, other, world.sub, 1).line
    with pytest.raises(NotFound):
        remove_line(ctx, order, line)


# -- offers ------------------------------------------------------------------------------------


def test_record_offer_does_not_add_a_line(ctx, world, order, log):
    offer = record_offer(ctx, order, "additional", world.comp, None, True)
    assert offer.accepted and order.lines == []
    actions = log.new()
    assert [a.verb for a in actions] == ["offer.made"]
    assert actions[0].payload == {
        "number": order.number,
        "offer_id": offer.id,
        "kind": "additional",
        "product_id": world.comp.id,
        "sku": "TST-ENV",
        "for_product_id": None,
        "for_sku": None,
        "accepted": True,
    }


@pytest.mark.parametrize(
    ("kind", "product", "for_product", "field"),
    [
        ("gift", "comp", None, "kind"),
        ("substitute", "sub", None, "for_product_id"),
        ("substitute", "comp", "short", "product_id"),
        ("additional", "comp", "comp", "for_product_id"),
    ],
)
def test_record_offer_refusals(ctx, world, order, log, kind, product, for_product, field):
    for_row = getattr(world, for_product) if for_product else None
    with pytest.raises(ValidationFailed) as refused:
        record_offer(ctx, order, kind, getattr(world, product), for_row, False)
    assert field in refused.value.fields
    assert log.verbs() == [] and order.offers == []


def test_propose_substitute_accepted_adds_the_replacing_line(ctx, world, order, log):
    add_line(ctx, order, world.short, 3)
    result = propose_substitute(ctx, order, world.sub, world.short, True, 3)
    assert result.offer.kind == "substitute" and result.offer.for_product_id == world.short.id
    assert result.line_result.line.replaces_product_id == world.short.id
    assert log.verbs() == ["order.out_of_stock", "offer.made", "order.line_added"]


def test_propose_substitute_refused_adds_nothing(ctx, world, order, log):
    add_line(ctx, order, world.short, 3)
    result = propose_substitute(ctx, order, world.sub, world.short, False, "n'importe quoi")
    assert result.line_result is None and order.lines == []
    assert log.verbs() == ["order.out_of_stock", "offer.made"]


def test_propose_substitute_with_a_bad_quantity_leaves_nothing(ctx, world, order, log):
    add_line(ctx, order, world.short, 3)
    db.session.commit()
    log.new()
    with pytest.raises(ValidationFailed):
        propose_substitute(ctx, order, world.sub, world.short, True, "0")
    db.session.rollback()
    assert log.verbs() == [] and _state(order)[:2] == ((), 0)


def test_propose_additional_accepted_adds_an_additional_line(ctx, world, order, log):
    add_line(ctx, order, world.sub, 1)
    result = propose_additional(ctx, order, world.comp, True, 2, world.sub)
    assert result.line_result.line.additional and result.line_result.line.quantity == 2
    assert log.verbs() == ["order.line_added", "offer.made", "order.line_added"]


# -- recap, confirm, cancel --------------------------------------------------------------------


def test_recap_lists_everything_and_records(ctx, world, order, log):
    add_line(ctx, order, world.short, 2)
    propose_substitute(ctx, order, world.sub, world.short, True, 2)
    propose_additional(ctx, order, world.comp, True, 1, world.sub)
    add_line(ctx, order, world.low, 5, backorder=True)
    log.new()
    recap = read_recap(ctx, order)
    assert [s.replaces_name for s in recap.substitutions] == ["Ramette test"]
    assert [rl.sku for rl in recap.additional] == ["TST-ENV"]
    assert [rl.sku for rl in recap.backorders] == ["TST-AGR"]
    # 2 × 21.50 + 12.00 + 5 × 9.99 = 104.95 HT; VAT 20 % per line: 8.60 + 2.40 + 9.99
    assert (recap.totals.net, recap.totals.vat, recap.totals.gross) == (
        Decimal("104.95"),
        Decimal("20.99"),
        Decimal("125.94"),
    )
    assert recap.delivery_terms == ctx.attempt.settings["company"]["delivery_terms"]
    assert recap.payment_terms == ctx.attempt.settings["company"]["payment_terms"]
    assert isinstance(recap.delivery_estimate, date)
    assert order.recap_read_at is not None
    actions = log.new()
    assert [a.verb for a in actions] == ["order.recap_read"]
    assert actions[0].payload["total"] == "125.94" and actions[0].payload["substitutions"] == 1


def test_recap_of_an_empty_order_is_refused(ctx, order, log):
    with pytest.raises(Conflict) as refused:
        read_recap(ctx, order)
    assert refused.value.code == "empty_order"
    assert log.verbs() == [] and order.recap_read_at is None


def test_confirm_takes_stock_and_records_totals(ctx, world, order, log):
    add_line(ctx, order, world.sub, 4)
    add_line(ctx, order, world.short, 2, backorder=True)
    read_recap(ctx, order)
    log.new()
    result = confirm_order(ctx, order)
    assert result.refusal is None
    assert order.status == "confirmed" and order.confirmed_at and order.ordered_on == clock.today()
    assert world.sub.stock == 36 and world.short.stock == 0
    actions = log.new()
    assert [a.verb for a in actions] == ["order.confirmed"]
    payload = actions[0].payload
    assert payload["recap_read"] is True and payload["credit"] is None
    assert payload["total_net"] == "135.80" and payload["total"] == "162.96"
    assert payload["stock"] == [{"sku": "TST-RAM-ECO", "old": 40, "new": 36}]


def test_confirm_empty_order_is_refused(ctx, order, log):
    with pytest.raises(Conflict) as refused:
        confirm_order(ctx, order)
    assert refused.value.code == "empty_order" and order.status == "draft"
    assert log.verbs() == []


def test_confirm_twice_is_an_invalid_transition(ctx, world, order, log):
    add_line(ctx, order, world.sub, 1)
    confirm_order(ctx, order)
    log.new()
    with pytest.raises(InvalidTransition):
        confirm_order(ctx, order)
    assert log.verbs() == []


def test_credit_limit_refusal_keeps_only_its_evidence(ctx, world, log):
    order = create_order(ctx, world.account)
    add_line(ctx, order, world.sub, 4)  # 86.00 HT → 103.20 TTC; 400 owed + 103.20 > 500
    db.session.commit()
    log.new()
    before = _state(order)
    result = confirm_order(ctx, order)
    refusal = result.refusal
    assert (refusal.credit_limit, refusal.outstanding, refusal.order_total, refusal.available) == (
        Decimal("500.00"),
        Decimal("400.00"),
        Decimal("103.20"),
        Decimal("100.00"),
    )
    actions = log.new()
    assert [a.verb for a in actions] == ["order.credit_refused"]
    assert actions[0].payload == {
        "number": order.number,
        "credit_limit": "500.00",
        "outstanding": "400.00",
        "order_total": "103.20",
        "available": "100.00",
    }
    db.session.commit()
    assert _state(order) == before


def test_credit_within_limit_confirms_with_the_check_recorded(ctx, world, log):
    order = create_order(ctx, world.account)
    add_line(ctx, order, world.comp, 5)  # 60.00 HT → 72.00 TTC; 472 ≤ 500
    log.new()
    assert confirm_order(ctx, order).refusal is None
    payload = log.new()[0].payload
    assert (
        payload["credit"]["outstanding"] == "400.00" and payload["credit"]["available"] == "100.00"
    )


def test_cancel_draft_and_confirmed_gives_stock_back(ctx, world, order, log):
    add_line(ctx, order, world.sub, 4)
    confirm_order(ctx, order)
    log.new()
    cancel_order(ctx, order, "client injoignable")
    assert order.status == "cancelled" and world.sub.stock == 40
    actions = log.new()
    assert [a.verb for a in actions] == ["order.cancelled"]
    assert actions[0].payload["status"] == {"old": "confirmed", "new": "cancelled"}
    assert actions[0].payload["reason"] == "client injoignable"
    with pytest.raises(InvalidTransition):
        cancel_order(ctx, order)
    assert log.verbs() == []


def test_stock_never_below_zero_and_cancel_gives_back_what_was_taken(ctx, world, log):
    first, second = create_order(ctx, world.cash), create_order(ctx, world.cash)
    add_line(ctx, first, world.low, 2)
    add_line(ctx, second, world.low, 2)  # both fit the 3 in stock when entered
    confirm_order(ctx, first)
    log.new()
    result = confirm_order(ctx, second)
    assert world.low.stock == 0
    # The unit the stock could not fill is back-ordered on the line, not sold from nothing.
    line = second.lines[0]
    assert (line.backorder, line.backorder_quantity, line.from_stock) == (True, 1, 1)
    assert [(b.sku, b.quantity) for b in result.backorders] == [("TST-AGR", 1)]
    payload = log.new()[0].payload
    assert payload["stock"] == [{"sku": "TST-AGR", "old": 1, "new": 0}]
    assert payload["backorders"] == [
        {"line_id": line.id, "sku": "TST-AGR", "quantity": 1, "restock_date": None}
    ]
    cancel_order(ctx, second)
    assert world.low.stock == 1
    assert log.new()[0].payload["stock"] == [{"sku": "TST-AGR", "old": 0, "new": 1}]


def test_cancel_a_paid_order_is_refused(ctx, world, order, log, attempt):
    add_line(ctx, order, world.sub, 1)
    confirm_order(ctx, order)
    db.session.add(
        Payment(
            attempt_id=attempt.id,
            client_id=world.cash.id,
            order_id=order.id,
            method="transfer",
            amount=Decimal("25.80"),
            status="captured",
        )
    )
    db.session.commit()
    log.new()
    with pytest.raises(Conflict) as refused:
        cancel_order(ctx, order)
    assert refused.value.code == "order_paid" and order.status == "confirmed"
    assert log.verbs() == []


def test_pending_shortages_follow_the_log(ctx, world, order):
    add_line(ctx, order, world.short, 2)
    add_line(ctx, order, world.low, 9)
    assert [s.product.sku for s in pending_shortages(ctx, order)] == ["TST-RAM", "TST-AGR"]
    add_line(ctx, order, world.low, 9, backorder=True)
    assert [s.product.sku for s in pending_shortages(ctx, order)] == ["TST-RAM"]
