"""Table tests of the card checks: digits, Luhn, brand, mask, expiry, CVV, training list."""

from __future__ import annotations

from datetime import date

import pytest

from crm.payments.cards import (
    card_brand,
    card_digits,
    check_card,
    cvv_problem,
    expiry_problem,
    mask_card,
)
from crm.training.loader import card_digest
from crm.training.scenario_schema import luhn_ok

TRAINING = [
    {"digest": card_digest("4111111111111111"), "brand": "visa"},
    {"digest": card_digest("5555555555554444"), "brand": "mastercard"},
    {"digest": card_digest("378282246310005"), "brand": "amex"},
    {"digest": card_digest("6011111111111117"), "brand": "maestro"},
]
TODAY = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("4111 1111 1111 1111", "4111111111111111"),
        ("4111-1111-1111-1111", "4111111111111111"),
        (" 4111111111111111 ", "4111111111111111"),
        ("4111 1111 1111 111a", None),
        ("4111.1111.1111.1111", None),
        ("４１１１１１１１１１１１１１１１", None),  # full-width digits are not ASCII digits
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_digits_only_after_stripping_spaces_and_dashes(raw, digits):
    assert card_digits(raw) == digits


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111111111111111", True),
        ("5555555555554444", True),
        ("378282246310005", True),
        ("4012888888881881", True),
        ("2223003122003222", True),
        ("4111111111111112", False),
        ("5555555555554440", False),
        ("378282246310006", False),
        ("0000000000000000", True),
        ("1234567812345678", False),
    ],
)
def test_luhn(number, valid):
    assert luhn_ok(number) is valid


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4111111111111111", "visa"),
        ("4012888888881881", "visa"),
        ("5105105105105100", "mastercard"),
        ("5555555555554444", "mastercard"),
        ("2221000000000009", "mastercard"),
        ("2720990000000000", "mastercard"),
        ("2220990000000000", None),
        ("2721000000000000", None),
        ("5655555555554444", None),
        ("5055555555554444", None),
        ("340000000000009", "amex"),
        ("378282246310005", "amex"),
        ("360000000000000", None),
        ("6011111111111117", None),
    ],
)
def test_brand_from_bin(number, brand):
    assert card_brand(number) == brand


@pytest.mark.parametrize(
    ("digits", "masked"),
    [
        ("4111111111111111", "411111******1111"),
        ("378282246310005", "378282*****0005"),
        ("4222222222222", "422222***2222"),
        ("4111111111111111110", "411111*********1110"),
        ("411111111111", None),  # 12 digits: BIN + last four would leave 2 hidden
        ("41111111111111111111", None),
    ],
)
def test_mask_keeps_bin_and_last_four_only(digits, masked):
    assert mask_card(digits) == masked


@pytest.mark.parametrize(
    ("expiry", "today", "problem"),
    [
        ("03/26", date(2026, 3, 31), None),  # valid through the last day of its month
        ("03/26", date(2026, 4, 1), "expirée"),
        ("02/24", date(2024, 2, 29), None),  # leap-year month end
        ("02/24", date(2024, 3, 1), "expirée"),
        ("12/26", date(2026, 12, 31), None),
        ("12/25", date(2026, 1, 1), "expirée"),
        (" 04 / 27 ", TODAY, None),
        ("13/27", TODAY, "Mois"),
        ("00/27", TODAY, "Mois"),
        ("4/27", TODAY, "format"),
        ("04/2027", TODAY, "format"),
        ("0427", TODAY, "format"),
        ("", TODAY, "format"),
        (None, TODAY, "format"),
    ],
)
def test_expiry(expiry, today, problem):
    found = expiry_problem(expiry, today)
    if problem is None:
        assert found is None
    else:
        assert problem in found


@pytest.mark.parametrize(
    ("cvv", "brand", "ok"),
    [
        ("123", "visa", True),
        ("123", "mastercard", True),
        ("123", None, True),
        ("12", "visa", False),
        ("1234", "visa", False),
        ("12a", "visa", False),
        ("1234", "amex", True),
        ("123", "amex", False),
        ("", "visa", False),
        (None, "visa", False),
        ("１２３", "visa", False),
    ],
)
def test_cvv_length_by_brand(cvv, brand, ok):
    assert (cvv_problem(cvv, brand) is None) is ok


def test_a_training_card_passes_with_its_masked_form():
    check = check_card("4111 1111 1111 1111", "12/30", "123", training_cards=TRAINING, today=TODAY)
    assert check.ok
    assert (check.masked, check.brand, check.expiry) == ("411111******1111", "visa", "12/30")


def test_amex_training_card_needs_four_digit_cvv():
    assert check_card("378282246310005", "12/30", "1234", training_cards=TRAINING, today=TODAY).ok
    check = check_card("378282246310005", "12/30", "123", training_cards=TRAINING, today=TODAY)
    assert check.errors == {
        "card.cvv": "Cryptogramme : 4 chiffres attendus pour une carte American Express."
    }


def test_a_valid_number_outside_the_training_list_is_refused():
    check = check_card("4012888888881881", "12/30", "123", training_cards=TRAINING, today=TODAY)
    assert check.errors == {
        "card.number": "Cette carte n'est pas une carte d'entraînement du scénario."
    }
    assert check.reasons == ("not_training_card",)
    assert check.masked == "401288******1881"


def test_brand_without_public_range_comes_from_the_scenario():
    check = check_card("6011111111111117", "12/30", "123", training_cards=TRAINING, today=TODAY)
    assert check.ok and check.brand == "maestro"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("4111111111111112", "luhn"),
        ("4111 1111", "format"),
        ("4111x111111111111", "format"),
        ("", "format"),
    ],
)
def test_bad_numbers(number, reason):
    check = check_card(number, "12/30", "123", training_cards=TRAINING, today=TODAY)
    assert check.reasons == (reason,)
    assert set(check.errors) == {"card.number"}


def test_every_problem_is_collected_and_nothing_typed_is_echoed():
    check = check_card("4111111111111112", "01/20", "98", training_cards=TRAINING, today=TODAY)
    assert set(check.errors) == {"card.number", "card.expiry", "card.cvv"}
    assert check.reasons == ("luhn", "expiry", "cvv")
    assert check.expiry is None
    text = " ".join(check.errors.values())
    assert "4111" not in text and "1112" not in text and "98" not in text
