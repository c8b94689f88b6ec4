"""KPIs from a shift worked through the real services: each value, its figures, its actions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm import clock
from crm.actionlog.models import Action
from crm.db import db
from crm.evaluation.kpis import attempt_kpis, shift_kpis

from .kpi_desk import work_the_desk


def by_key(kpis):
    return {k.key: k for k in kpis}


@pytest.fixture
def worked(app, attempt, people):
    return work_the_desk(app, attempt, people["cand1"].id, people["trainer"].id)


def test_every_kpi_of_a_worked_attempt(attempt, worked):
    kpis = by_key(attempt_kpis(attempt))
    expected = {
        "contacts": 3,
        "contacts.phone": 2,
        "contacts.email": 1,
        "contacts.sms": 0,
        "contacts.chat": 0,
        # (90 talk + 30 hold + 20 wrap-up) and (40 talk + 10 wrap-up), over 2 calls.
        "handling_time": 95.0,
        "after_call_work": 15.0,
        "hold_time": 15.0,
        "contacts_per_hour": round(3 / (worked.logged_on_seconds / 3600), 2),
        # Reached: the sale and the email (the absent person is CNA); one converted.
        "conversion_rate": 50.0,
        "average_basket": Decimal("30.00"),
        "additional_sale_rate": 100.0,
        # Three first inbound contacts; the unknown caller was not reached.
        "first_contact_resolution": 66.7,
        "deadline_compliance.email": 100.0,
        "deadline_compliance.sms": 0.0,
        "deadline_compliance.chat": None,
        "abandoned_calls": 33.3,
    }
    assert worked.order_total == Decimal("30.00")
    assert {key: kpis[key].value for key in expected} == expected
    assert list(kpis) == list(expected)  # no KPI missing or unexpected, in display order


def test_figures_and_actions_say_what_was_counted(attempt, worked):
    kpis = by_key(attempt_kpis(attempt))
    aht = kpis["handling_time"]
    assert aht.figures == {"handling_seconds": 190.0, "calls": 2}
    verbs = [db.session.get(Action, i).verb for i in aht.actions]
    assert sorted(verbs) == ["agent.state_changed"] * 2 + ["call.ended"] * 2
    lost = kpis["abandoned_calls"]
    assert lost.figures == {"abandoned": 1, "offered": 3}
    assert [db.session.get(Action, i).verb for i in lost.actions] == ["call.abandoned"]
    sms = kpis["deadline_compliance.sms"]
    assert sms.figures == {"within": 0, "due": 1}
    assert [db.session.get(Action, i).verb for i in sms.actions] == ["message.received"]
    basket = kpis["average_basket"]
    assert basket.figures == {"orders_total": Decimal("30.00"), "orders": 1}
    assert all(k.formula and k.label for k in kpis.values())


def test_nothing_done_is_not_measurable_not_zero(attempt):
    kpis = by_key(attempt_kpis(attempt))
    assert kpis["contacts"].value == 0  # a count: zero contacts is a measure
    for key in (
        "handling_time",
        "after_call_work",
        "hold_time",
        "contacts_per_hour",
        "conversion_rate",
        "average_basket",
        "additional_sale_rate",
        "first_contact_resolution",
        "deadline_compliance.email",
        "abandoned_calls",
    ):
        assert kpis[key].value is None, key
        assert kpis[key].display() == "non mesurable"
        assert kpis[key].to_dict()["measurable"] is False


def test_a_cancelled_order_no_longer_converts(attempt, worked, people):
    from crm.actionlog.services import Ctx
    from crm.orders.checkout import cancel_order
    from crm.orders.models import Order

    order = db.session.scalars(db.select(Order).where(Order.attempt_id == attempt.id)).all()
    order = next(o for o in order if o.status == "confirmed" and o.client.number == "K00001")
    cancel_order(Ctx(attempt, people["cand1"].id, "candidate"), order, "Erreur de saisie")
    db.session.commit()
    kpis = by_key(attempt_kpis(attempt))
    assert kpis["average_basket"].value is None
    assert kpis["conversion_rate"].value == 0.0
    assert kpis["additional_sale_rate"].value is None


def test_shift_kpis_come_from_summed_counts_not_averaged_averages(
    app, shift, attempt, other_attempt, people
):
    work_the_desk(app, attempt, people["cand1"].id, people["trainer"].id)
    work_the_desk(app, other_attempt, people["cand2"].id, people["trainer"].id, long_call=False)
    one = by_key(attempt_kpis(attempt))["handling_time"]
    two = by_key(attempt_kpis(other_attempt))["handling_time"]
    assert (one.value, two.value) == (95.0, 15.0)
    total = by_key(shift_kpis(shift))
    # (190 + 15) / 3 calls, not (95 + 15) / 2.
    assert total["handling_time"].value == round(205 / 3, 1)
    assert total["handling_time"].figures == {"handling_seconds": 205.0, "calls": 3}
    assert total["contacts"].value == 5
    assert set(total["contacts"].actions) == set(
        by_key(attempt_kpis(attempt))["contacts"].actions
    ) | set(by_key(attempt_kpis(other_attempt))["contacts"].actions)


def test_shift_kpis_leave_out_a_superseded_attempt(app, shift, attempt, people):
    from crm.training.services import reset_attempt

    work_the_desk(app, attempt, people["cand1"].id, people["trainer"].id)
    reset_attempt(attempt, people["trainer"])
    db.session.commit()
    assert by_key(shift_kpis(shift))["contacts"].value == 0
    assert by_key(attempt_kpis(attempt))["contacts"].value == 3  # still readable on its own


def test_a_deadline_still_running_is_neither_met_nor_missed(attempt, people):
    from datetime import timedelta

    from crm.actionlog.services import Ctx
    from softphone.inbox.receiving import receive_message

    customer = Ctx(attempt, people["trainer"].id, "customer")
    receive_message(customer, "email", "a@example.org", "Toujours là ?", "Suivi")
    receive_message(
        customer,
        "email",
        "b@example.org",
        "Et alors ?",
        "Relance",
        now=clock.now() - timedelta(days=2),
    )
    db.session.commit()
    email = by_key(attempt_kpis(attempt))["deadline_compliance.email"]
    # The fresh email still has 24 h; the one from two days ago missed its deadline.
    assert (email.value, email.figures) == (0.0, {"within": 0, "due": 1})
