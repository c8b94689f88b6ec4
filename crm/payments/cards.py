"""Card checks for payments taken at a distance: digits, Luhn, brand, training list, expiry, CVV.

Pure functions. Nothing here stores, logs or echoes a card number or a security code: the only
thing about the number that may leave this module is the masked form (BIN + last four), and error
messages never quote what was typed (DESIGN §4). Messages are French source text (the refused
card's action keeps them as they are); `crm.i18n.translate` shows them in the screen's language.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from crm.i18n import N_
from crm.training.loader import card_digest
from crm.training.scenario_schema import luhn_ok

#: Card numbers have 13 to 19 digits (ISO/IEC 7812); below 13, BIN + last four would show it all.
MIN_DIGITS, MAX_DIGITS = 13, 19

NUMBER, EXPIRY, CVV = "card.number", "card.expiry", "card.cvv"

_EXPIRY = re.compile(r"(\d{2})\s*/\s*(\d{2})")
_MASTERCARD_2_SERIES = range(2221, 2721)

BRAND_LABELS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express"}


def card_digits(raw: str | None) -> str | None:
    """The digits of a number typed with spaces or dashes; None if anything else is in it."""
    if not isinstance(raw, str):
        return None
    compact = re.sub(r"[\s-]", "", raw)
    if not compact or not compact.isascii() or not compact.isdigit():
        return None
    return compact


def card_brand(digits: str) -> str | None:
    """The brand from the issuer prefix (BIN): visa 4, mastercard 51–55 / 2221–2720, amex 34/37."""
    if digits.startswith("4"):
        return "visa"
    if digits[:2] in ("34", "37"):
        return "amex"
    if digits[:2] in ("51", "52", "53", "54", "55"):
        return "mastercard"
    if len(digits) >= 4 and int(digits[:4]) in _MASTERCARD_2_SERIES:
        return "mastercard"
    return None


def mask_card(digits: str) -> str | None:
    """411111******1111: the first six and last four digits; None when too short to hide any."""
    if not (MIN_DIGITS <= len(digits) <= MAX_DIGITS):
        return None
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


def expiry_problem(raw: str | None, today: date) -> str | None:
    """What is wrong with an expiry `MM/YY` on `today` (Paris), or None when it is valid.

    A card is valid through the last day of its expiry month.
    """
    match = _EXPIRY.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        return N_("Date d'expiration attendue au format MM/AA (par exemple 09/28).")
    month, year = int(match.group(1)), 2000 + int(match.group(2))
    if not 1 <= month <= 12:
        return N_("Mois d'expiration invalide : de 01 à 12.")
    last_day = date(year, month, calendar.monthrange(year, month)[1])
    if today > last_day:
        return N_("Carte expirée : la date d'expiration est dépassée.")
    return None


def normalise_expiry(raw: str) -> str:
    """`9 / 28` style input as `09/28` (call only on a valid expiry)."""
    match = _EXPIRY.fullmatch(raw.strip())
    return f"{match.group(1)}/{match.group(2)}"


def cvv_problem(raw: str | None, brand: str | None) -> str | None:
    """What is wrong with a security code: 3 digits, 4 for American Express; None if valid."""
    expected = 4 if brand == "amex" else 3
    value = raw.strip() if isinstance(raw, str) else ""
    if len(value) != expected or not value.isascii() or not value.isdigit():
        if brand == "amex":
            return N_("Cryptogramme : 4 chiffres attendus pour une carte American Express.")
        return N_("Cryptogramme : 3 chiffres attendus (au dos de la carte).")
    return None


def training_card(digits: str, training_cards: Iterable[dict]) -> dict | None:
    """The scenario's training card whose digest matches the number, if any."""
    digest = card_digest(digits)
    return next((card for card in training_cards if card.get("digest") == digest), None)


@dataclass(frozen=True)
class CardCheck:
    """The outcome of checking a card: its safe facts and, per field, what is wrong."""

    #: BIN + last four, or None when the number is too malformed to be masked safely.
    masked: str | None
    brand: str | None
    #: `MM/YY` when the expiry is valid.
    expiry: str | None
    #: Field (`card.number`, `card.expiry`, `card.cvv`) → French message (source text).
    errors: dict[str, str] = field(default_factory=dict)
    #: Machine reasons for the action log: format, luhn, not_training_card, expiry, cvv.
    reasons: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the card can be charged."""
        return not self.errors


def check_card(
    number: str | None,
    expiry: str | None,
    cvv: str | None,
    *,
    training_cards: Iterable[dict],
    today: date,
) -> CardCheck:
    """Check every part of a card and collect each problem (the number is never echoed)."""
    errors: dict[str, str] = {}
    reasons: list[str] = []
    digits = card_digits(number)
    masked = brand = None
    if digits is None or not (MIN_DIGITS <= len(digits) <= MAX_DIGITS):
        errors[NUMBER] = N_("Numéro de carte invalide : 13 à 19 chiffres attendus.")
        reasons.append("format")
    else:
        masked = mask_card(digits)
        brand = card_brand(digits)
        if not luhn_ok(digits):
            errors[NUMBER] = N_("Numéro de carte invalide (clé de contrôle) : vérifiez la saisie.")
            reasons.append("luhn")
        else:
            known = training_card(digits, training_cards)
            if known is None:
                errors[NUMBER] = N_("Cette carte n'est pas une carte d'entraînement du scénario.")
                reasons.append("not_training_card")
            else:
                # Brands without a public BIN range (cb, maestro) come from the scenario.
                brand = brand or known.get("brand") or None
    expiry_error = expiry_problem(expiry, today)
    if expiry_error:
        errors[EXPIRY] = expiry_error
        reasons.append("expiry")
    cvv_error = cvv_problem(cvv, brand)
    if cvv_error:
        errors[CVV] = cvv_error
        reasons.append("cvv")
    return CardCheck(
        masked=masked,
        brand=brand,
        expiry=None if expiry_error else normalise_expiry(expiry),
        errors=errors,
        reasons=tuple(reasons),
    )
