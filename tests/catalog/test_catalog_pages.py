"""Catalog pages: search with stock badges, and a product sheet explaining its sale unit."""

from __future__ import annotations

import pytest

from crm.db import db


@pytest.fixture
def browser(login, catalog):
    """The test client logged in as candidat1."""
    return login("candidat1")


def test_index_lists_with_badges_and_records_searches(browser, catalog, log):
    page = browser.get("/catalog").get_data(as_text=True)
    assert "Ramette Élysée" in page and "Stock faible" in page and "En stock" in page
    assert "Rupture — réappro le" in page
    assert log.new() == [], "browsing is not a search"
    found = browser.get("/catalog?q=kraft").get_data(as_text=True)
    assert "Enveloppes kraft" in found and "Ramette Élysée" not in found
    by_category = browser.get("/catalog?category=Papeterie+test").get_data(as_text=True)
    assert "Ramette Élysée éco" in by_category and "Enveloppes kraft" not in by_category
    db.session.expire_all()
    assert [a.verb for a in log.new()] == ["product.searched", "product.searched"]


def test_index_refuses_a_too_long_query(browser, catalog):
    response = browser.get("/catalog?q=" + "x" * 101)
    assert response.status_code == 422
    assert "Recherche trop longue" in response.get_data(as_text=True)


def test_show_explains_the_sale_unit_prices_and_links(browser, catalog, log):
    page = browser.get(f"/catalog/{catalog.ream.id}").get_data(as_text=True)
    assert "Vendu par Carton de 5 ramettes" in page
    assert "24,90 € par Carton de 5 ramettes" in page and "29,88 €" in page
    assert "Ramette Élysée éco" in page and "Enveloppes kraft" in page
    promo = browser.get(f"/catalog/{catalog.envelopes.id}").get_data(as_text=True)
    assert "Promo enveloppes" in promo and "10,20 €" in promo
    checked = browser.get(f"/catalog/{catalog.envelopes.id}?quantity=9").get_data(as_text=True)
    assert "stock insuffisant (4 disponibles)" in checked
    bad = browser.get(f"/catalog/{catalog.envelopes.id}?quantity=abc")
    assert bad.status_code == 422 and 'value="abc"' in bad.get_data(as_text=True)
    db.session.expire_all()
    assert [a.verb for a in log.new()] == ["stock.checked"]


def test_foreign_product_is_404_and_trainer_403(browser, client, login, catalog):
    assert browser.get(f"/catalog/{catalog.foreign.id}").status_code == 404
    assert browser.get("/catalog/999999").status_code == 404


def test_trainer_gets_403(client, login, catalog):
    login("formateur")
    assert client.get("/catalog").status_code == 403
    assert client.get(f"/catalog/{catalog.ream.id}").status_code == 403
