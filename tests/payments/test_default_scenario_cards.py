"""The default scenario's training cards include the published test numbers."""

from __future__ import annotations

from datetime import date

import pytest

from crm.payments.cards import check_card


@pytest.mark.parametrize(
    ("number", "cvv"),
    [("4111 1111 1111 1111", "123"), ("5555 5555 5555 4444", "123")],
)
def test_published_test_numbers_are_training_cards(attempt, number, cvv):
    check = check_card(
        number,
        "12/30",
        cvv,
        training_cards=attempt.settings["training_cards"],
        today=date(2026, 1, 1),
    )
    assert check.ok, check.errors


def test_another_valid_number_is_not(attempt):
    check = check_card(
        "4242 4242 4242 4242",
        "12/30",
        "123",
        training_cards=attempt.settings["training_cards"],
        today=date(2026, 1, 1),
    )
    assert check.reasons == ("not_training_card",)
