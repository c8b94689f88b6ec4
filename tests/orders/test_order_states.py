"""The order status machine: every (status, event) pair, allowed or refused."""

from __future__ import annotations

import pytest

from crm.errors import InvalidTransition
from crm.orders.states import ORDER_STATUSES, ORDER_TRANSITIONS, allows, order_next_status

EVENTS = ("confirm", "cancel", "pay", "ship", "reship", "deliver", "return", "edit")

ALLOWED = {
    ("draft", "confirm"): "confirmed",
    ("draft", "cancel"): "cancelled",
    ("confirmed", "cancel"): "cancelled",
    ("confirmed", "pay"): "paid",
    ("confirmed", "ship"): "shipped",
    ("paid", "ship"): "shipped",
    ("shipped", "reship"): "shipped",
    ("delivered", "reship"): "shipped",
    ("shipped", "deliver"): "delivered",
    ("shipped", "return"): "returned",
    ("delivered", "return"): "returned",
    ("draft", "edit"): "draft",
}

#: Refusals with a sentence of their own (what to do instead).
SPECIAL = {("paid", "cancel"), ("shipped", "cancel"), ("delivered", "cancel"), ("paid", "pay")}


@pytest.mark.parametrize(("status", "event"), [(s, e) for s in ORDER_STATUSES for e in EVENTS])
def test_every_transition(status, event):
    if (status, event) in ALLOWED:
        assert order_next_status(status, event) == ALLOWED[(status, event)]
        assert allows(status, event)
    else:
        assert not allows(status, event)
        with pytest.raises(InvalidTransition) as refused:
            order_next_status(status, event)
        assert refused.value.code == "invalid_transition"
        assert refused.value.details == {"machine": "order", "status": status, "event": event}
        if (status, event) not in SPECIAL:
            assert refused.value.message.startswith("Commande au statut « ")


def test_table_holds_exactly_the_allowed_transitions():
    table = {(s, e): to for e, moves in ORDER_TRANSITIONS.items() for s, to in moves.items()}
    assert table == ALLOWED


def test_refusal_message_is_french():
    with pytest.raises(InvalidTransition) as refused:
        order_next_status("cancelled", "confirm")
    assert refused.value.message == "Commande au statut « annulée » : impossible de la confirmer."


def test_a_paid_order_is_neither_paid_again_nor_cancelled():
    with pytest.raises(InvalidTransition) as cancel:
        order_next_status("paid", "cancel")
    assert "proposez un retour" in cancel.value.message
    with pytest.raises(InvalidTransition) as pay:
        order_next_status("paid", "pay")
    assert pay.value.message.startswith("Commande déjà réglée")


def test_a_shipped_order_cannot_be_cancelled_but_can_be_returned():
    with pytest.raises(InvalidTransition) as cancel:
        order_next_status("shipped", "cancel")
    assert "retourner" in cancel.value.message
    assert order_next_status("shipped", "return") == "returned"
