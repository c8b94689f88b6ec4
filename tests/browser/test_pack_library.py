"""A trainer adds a pack from the library page, previews it, and sees a broken one refused."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import log_in, page_replaced
from tests.training.test_packs import a_pack, broken_pack

pytestmark = pytest.mark.browser


def _send(browser, path):
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.ID, "pack-submit").click()
    WebDriverWait(browser, 20).until(page_replaced(page))


def test_trainer_adds_a_pack_and_sees_a_broken_one_refused(live_server, browser, tmp_path):
    base = live_server.live_url
    log_in(browser, base, "formateur")
    browser.get(f"{base}/scenarios/")
    assert "Bureau Direct" in browser.find_element(By.ID, "packs").text

    broken = tmp_path / "casse.yaml"
    broken.write_bytes(broken_pack())
    _send(browser, broken)
    problems = browser.find_element(By.ID, "pack-problems").text
    assert "Rien n'a été ajouté" in problems
    assert (
        "casse.yaml: clients[0].orders[0].lines[0].sku: sku 'NOPE-000' introuvable : "
        "aucun produit n'a ce sku" in problems
    )
    assert "casse.yaml: title: ne doit pas être vide" in problems
    assert "atelier-casse" not in browser.find_element(By.ID, "packs").text

    good = tmp_path / "atelier.yaml"
    good.write_bytes(a_pack())
    _send(browser, good)
    assert browser.current_url.endswith("/scenarios/atelier-test/")
    assert "ajouté à la bibliothèque" in browser.page_source
    figures = browser.find_element(By.ID, "pack-figures").text
    assert "clients" in figures and "produits" in figures
    rows = browser.find_elements(By.CSS_SELECTOR, "#pack-timeline tbody tr")
    assert len(rows) > 5

    # The new pack is offered when the trainer opens a shift.
    browser.get(f"{base}/shifts/")
    options = browser.find_elements(By.CSS_SELECTOR, "#scenario option")
    assert "atelier-test" in [option.get_attribute("value") for option in options]
