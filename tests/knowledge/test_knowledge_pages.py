"""Knowledge pages: browse by category, search (recorded), read (recorded)."""

from __future__ import annotations

import pytest


@pytest.fixture
def browser(login, kb):
    """The test client logged in as cand1."""
    return login("candidat1")


def test_browse_search_and_read(browser, kb, log):
    index = browser.get("/knowledge").get_data(as_text=True)
    assert "Procédure Zéphyrine" in index and "Zéphyrine ailleurs" not in index
    assert log.verbs() == []
    found = browser.get("/knowledge?q=zephyrine").get_data(as_text=True)
    assert "2 articles trouvés" in found
    assert found.index("Procédure Zéphyrine") < found.index("Autre procédure")
    article = browser.get(f"/knowledge/{kb['title'].id}?q=zephyrine").get_data(as_text=True)
    assert "Comment traiter une demande." in article
    assert log.verbs() == ["kb.searched", "kb.read"]


def test_nothing_found_says_so(browser, kb):
    html = browser.get("/knowledge?q=licorne").get_data(as_text=True)
    assert "Aucun article ne contient tous ces mots" in html


def test_foreign_article_is_a_404_page(browser, kb):
    assert browser.get(f"/knowledge/{kb['foreign'].id}").status_code == 404


def test_trainer_gets_403(client, login, kb):
    login("formateur")
    assert client.get("/knowledge").status_code == 403
