"""`product_by_sku`: the one look-up of a product by reference (the order page's line form),
comparing references as the catalog search does (`sku_key`)."""

from __future__ import annotations

import pytest

from crm.catalog.services import product_by_sku, search_products, sku_key
from crm.errors import ValidationFailed


@pytest.mark.parametrize("typed", ["TST-RAM", "tst-ram", "  Tst-Ram  "])
def test_finds_the_attempts_product_whatever_the_case_and_blanks(ctx, catalog, typed):
    assert product_by_sku(ctx, typed) == catalog.ream


def test_never_finds_another_attempts_product(ctx, catalog):
    # cand2 has a TST-RAM too: cand1 gets their own, and never cand2's.
    assert product_by_sku(ctx, "TST-RAM").attempt_id == ctx.attempt.id
    assert catalog.foreign.sku == "TST-RAM"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Saisissez ou choisissez une référence."),
        ("   ", "Saisissez ou choisissez une référence."),
        ("NOPE", "Référence inconnue dans le catalogue."),
        ("X" * 40, "Référence inconnue dans le catalogue."),
    ],
)
def test_refuses_on_sku(ctx, catalog, typed, message):
    with pytest.raises(ValidationFailed) as refused:
        product_by_sku(ctx, typed)
    assert refused.value.fields == {"sku": message}


def test_reading_a_reference_records_nothing(ctx, catalog, log):
    product_by_sku(ctx, "tst-env")
    assert log.new() == []


def test_the_search_compares_references_the_same_way(ctx, catalog):
    assert sku_key(" tst-eco ") == sku_key("TST-ECO")
    found = search_products(ctx, sku=" tst-eco ")
    assert [p.sku for p in found.products] == ["TST-ECO"]
