"""The order status machine: every (status, event) pair, allowed or refused."""

from __future__ import annotations

import pytest

from crm.errors import InvalidTransition
from crm.orders.states import ORDER_TRANSITIONS, order_next_status

STATUSES = ("draft", "confirmed", "shipped", "delivered", "cancelled")
EVENTS = ("confirm", "cancel", "ship", "deliver", "edit")

ALLOWED = {
    ("draft", "confirm"): "confirmed",
    ("draft", "cancel"): "cancelled",
    ("confirmed", "cancel"): "cancelled",
    ("confirmed", "ship"): "shipped",
    ("shipped", "deliver"): "delivered",
    ("draft", "edit"): "draft",
}


@pytest.mark.parametrize(("status", "event"), [(s, e) for s in STATUSES for e in EVENTS])
def test_every_transition(status, event):
    if (status, event) in ALLOWED:
        assert order_next_status(status, event) == ALLOWED[(status, event)]
    else:
        with pytest.raises(InvalidTransition) as refused:
            order_next_status(status, event)
        assert refused.value.code == "invalid_transition"
        assert refused.value.details == {"machine": "order", "status": status, "event": event}
        assert refused.value.message.startswith("Commande au statut « ")


def test_table_holds_exactly_the_allowed_transitions():
    table = {(s, e): to for e, moves in ORDER_TRANSITIONS.items() for s, to in moves.items()}
    assert table == ALLOWED


def test_refusal_message_is_french():
    with pytest.raises(InvalidTransition) as refused:
        order_next_status("cancelled", "confirm")
    assert refused.value.message == "Commande au statut « annulée » : impossible de la confirmer."
