"""After-sales machines and the withdrawal period: every transition, every boundary day."""

from __future__ import annotations

from datetime import date

import pytest

from crm.aftersales.machines import (
    CREDIT_NOTE_TRANSITIONS,
    DELIVERY_STATUSES,
    DELIVERY_TRANSITIONS,
    RETURN_TRANSITIONS,
    replay,
)
from crm.aftersales.returns import check_withdrawal, withdrawal_deadline
from crm.aftersales.states import (
    credit_note_next_status,
    delivery_next_status,
    return_next_status,
)
from crm.errors import InvalidTransition

pytestmark = pytest.mark.empty_world

DELIVERY_ALLOWED = {
    ("preparing", "picked_up"): "in_transit",
    ("in_transit", "in_transit"): "in_transit",
    ("in_transit", "out_for_delivery"): "out_for_delivery",
    ("in_transit", "delivered"): "delivered",
    ("out_for_delivery", "delivered"): "delivered",
    ("preparing", "incident"): "incident",
    ("in_transit", "incident"): "incident",
    ("out_for_delivery", "incident"): "incident",
    ("delivered", "incident"): "incident",
    ("incident", "incident"): "incident",
    ("incident", "investigate"): "investigating",
    ("incident", "reship"): "replaced",
    ("investigating", "reship"): "replaced",
}


@pytest.mark.parametrize(
    ("status", "event"), [(s, e) for s in DELIVERY_STATUSES for e in DELIVERY_TRANSITIONS]
)
def test_every_delivery_transition(status, event):
    if (status, event) in DELIVERY_ALLOWED:
        assert delivery_next_status(status, event) == DELIVERY_ALLOWED[(status, event)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            delivery_next_status(status, event)
        assert refused.value.details == {"machine": "delivery", "status": status, "event": event}
        assert refused.value.message.startswith("Colis au statut « ")


def test_delivery_table_is_exactly_the_allowed_moves():
    table = {(s, e): to for e, moves in DELIVERY_TRANSITIONS.items() for s, to in moves.items()}
    assert table == DELIVERY_ALLOWED


def test_investigation_refused_without_incident_says_why():
    with pytest.raises(InvalidTransition) as refused:
        delivery_next_status("delivered", "investigate")
    assert "ne s'ouvre que sur un incident" in refused.value.message


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([], ("preparing", None)),
        (["picked_up", "in_transit", "out_for_delivery", "delivered"], ("delivered", None)),
        (["picked_up", "incident"], ("incident", None)),
        (["picked_up", "delivered", "incident"], ("incident", None)),
        (["delivered"], ("preparing", 0)),
        (["picked_up", "delivered", "in_transit"], ("delivered", 2)),
    ],
)
def test_replay_of_carrier_events(events, expected):
    assert replay(events) == expected


@pytest.mark.parametrize(
    ("machine", "table", "statuses"),
    [
        (return_next_status, RETURN_TRANSITIONS, ("authorised", "credited", "cancelled")),
        (credit_note_next_status, CREDIT_NOTE_TRANSITIONS, ("issued", "refunded")),
    ],
)
def test_return_and_credit_note_machines(machine, table, statuses):
    for event, moves in table.items():
        for status in statuses:
            if status in moves:
                assert machine(status, event) == moves[status]
            else:
                with pytest.raises(InvalidTransition):
                    machine(status, event)


# -- the withdrawal period (L221-18) -------------------------------------------------------------


# Monday 2026-03-02 + 14 days = Monday 2026-03-16; Thursday 2026-03-05 + 14 = Thursday 19th;
# Saturday 2026-03-07 + 14 = Saturday 21st → runs to Monday 23rd.
@pytest.mark.parametrize(
    ("delivered", "deadline"),
    [
        (date(2026, 3, 2), date(2026, 3, 16)),
        (date(2026, 3, 5), date(2026, 3, 19)),
        (date(2026, 3, 7), date(2026, 3, 23)),
        (date(2026, 3, 8), date(2026, 3, 23)),
    ],
)
def test_withdrawal_deadline_moves_past_a_weekend(delivered, deadline):
    assert withdrawal_deadline(delivered, 14) == deadline


def test_withdrawal_on_the_last_day_is_allowed_and_the_next_day_refused():
    delivered = date(2026, 3, 5)
    last = check_withdrawal("b2c", delivered, date(2026, 3, 19), 14)
    assert last.allowed and last.deadline == date(2026, 3, 19)
    late = check_withdrawal("b2c", delivered, date(2026, 3, 20), 14)
    assert not late.allowed
    assert late.refusal == (
        "Délai de rétractation dépassé : livrée le 05/03/2026, le délai de 14 jours "
        "(art. L221-18) a expiré le 19/03/2026."
    )


def test_a_business_client_has_no_legal_withdrawal():
    check = check_withdrawal("b2b", date(2026, 3, 5), date(2026, 3, 6), 14)
    assert not check.allowed
    assert check.refusal.startswith("Client professionnel : le droit de rétractation")


def test_a_parcel_not_yet_received_can_be_withdrawn_from():
    check = check_withdrawal("b2c", None, date(2026, 3, 6), 14)
    assert check.allowed and check.deadline is None


def test_a_pack_may_grant_more_days():
    assert check_withdrawal("b2c", date(2026, 3, 5), date(2026, 3, 30), 30).allowed
