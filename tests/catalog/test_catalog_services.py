"""Catalog services: search (recorded when it has criteria), stock status, promotions, checks."""

from __future__ import annotations

import pytest

from crm.catalog.services import (
    check_stock,
    fold,
    running_promotion,
    search_products,
    stock_status,
)
from crm.errors import ValidationFailed


def _skus(found):
    return [p.sku for p in found.products if p.sku.startswith("TST-")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("elysee", ["TST-RAM", "TST-ECO"]),
        ("RAMETTE éco", ["TST-ECO"]),
        ("tst-env", ["TST-ENV"]),
        ("courrier test", ["TST-ENV"]),
        ("kraft ramette", []),
    ],
)
def test_search_by_words_is_case_and_accent_insensitive(ctx, catalog, log, query, expected):
    found = search_products(ctx, query=query)
    assert sorted(_skus(found)) == sorted(expected)
    actions = log.new()
    assert [a.verb for a in actions] == ["product.searched"]
    assert actions[0].payload["query"] == query
    assert actions[0].payload["count"] == len(found.products)


def test_search_by_sku_and_category(ctx, catalog, log):
    assert _skus(search_products(ctx, sku="tst-eco")) == ["TST-ECO"]
    assert sorted(_skus(search_products(ctx, category="papeterie TEST"))) == ["TST-ECO", "TST-RAM"]
    assert [a.verb for a in log.new()] == ["product.searched", "product.searched"]


def test_browsing_without_criteria_is_not_recorded(ctx, catalog, log):
    found = search_products(ctx)
    assert {"TST-RAM", "TST-ECO", "TST-ENV"} <= set(_skus(found))
    assert "Ramette autre" not in [p.name for p in found.products], "never another attempt's"
    assert log.new() == []


def test_too_long_query_is_refused_and_not_recorded(ctx, catalog, log):
    with pytest.raises(ValidationFailed) as refused:
        search_products(ctx, query="x" * 101)
    assert "q" in refused.value.fields
    assert log.new() == []


def test_stock_status(catalog):
    assert stock_status(catalog.ream) == "out"
    assert stock_status(catalog.envelopes) == "low"
    assert stock_status(catalog.eco) == "in_stock"


def test_running_promotion_only_between_its_dates(catalog):
    assert running_promotion(catalog.envelopes).code == "TSTENV"
    assert running_promotion(catalog.eco) is None
    assert running_promotion(catalog.ream) is None


def test_check_stock_records(ctx, catalog, log):
    check = check_stock(ctx, catalog.envelopes, 5)
    assert not check.enough and check.stock == 4
    assert check_stock(ctx, catalog.eco, 40).enough
    actions = log.new()
    assert [a.verb for a in actions] == ["stock.checked", "stock.checked"]
    assert actions[0].payload == {
        "sku": "TST-ENV",
        "quantity": 5,
        "stock": 4,
        "enough": False,
        "restock_date": None,
    }
    with pytest.raises(ValidationFailed):
        check_stock(ctx, catalog.eco, 0)
    assert len(log.new()) == 2


def test_fold():
    assert fold("Élysée ÉCO") == "elysee eco"


@pytest.mark.parametrize(
    ("label", "plural"),
    [
        ("Carton de 5 ramettes", "Cartons de 5 ramettes"),
        ("À l'unité (ramette de 500 feuilles)", "À l'unité (ramette de 500 feuilles)"),
        ("Boîte de 50", "Boîtes de 50"),
        ("Lot de 10", "Lots de 10"),
    ],
)
def test_plural_unit_leaves_prepositions_alone(label, plural):
    from crm.catalog.services import plural_unit

    assert plural_unit(label) == plural


def test_equivalent_quantity_converts_between_sale_units():
    from types import SimpleNamespace

    from crm.catalog.services import equivalent_quantity

    box_of_5 = SimpleNamespace(sale_unit_quantity=5)
    single = SimpleNamespace(sale_unit_quantity=1)
    box_of_10 = SimpleNamespace(sale_unit_quantity=10)
    assert equivalent_quantity(3, box_of_5, single) == 15
    assert equivalent_quantity(3, box_of_5, box_of_10) == 2
    assert equivalent_quantity(1, single, box_of_10) == 1
