"""A candidate takes a phone order end to end in a real browser; the evaluator sees it."""

from __future__ import annotations

from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import absent, log_in, page_replaced

pytestmark = pytest.mark.browser

OUT_OF_STOCK = "PAP-A4-90-5"  # Papier A4 90 g premium: out of stock in Bureau Direct
CLIENT_PHONE = "04.65.71.13.05"  # Cabinet Morel, typed in another format than the file's


def _submit(browser, element):
    """Click something that loads a new page, and wait until the old page is gone."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 20).until(page_replaced(page))


def _click(browser, element_id):
    element = WebDriverWait(browser, 20).until(EC.element_to_be_clickable((By.ID, element_id)))
    _submit(browser, element)


def test_candidate_order_with_substitute_additional_sale_and_card(live_server, browser):
    base = live_server.live_url
    log_in(browser, base, "candidat1")
    assert browser.current_url.endswith("/clients")

    # Find the client by phone number and open the file.
    browser.find_element(By.ID, "client-q").send_keys(CLIENT_PHONE)
    _click(browser, "client-search")
    results = browser.find_element(By.ID, "client-results")
    assert "Morel" in results.text
    _submit(browser, results.find_element(By.PARTIAL_LINK_TEXT, "Morel"))
    assert "C10002" in browser.page_source

    # Open a draft order and ask for the out-of-stock product.
    _click(browser, "new-order")
    browser.find_element(By.ID, "line-sku").send_keys(OUT_OF_STOCK)
    quantity = browser.find_element(By.ID, "line-quantity")
    quantity.clear()
    quantity.send_keys("2")
    _click(browser, "add-line")
    shortage = browser.find_element(By.CSS_SELECTOR, "[id^='shortage-']")
    assert "Rupture" in shortage.text

    # Take the first proposed substitute.
    substitute = shortage.find_element(By.CSS_SELECTOR, "button[id^='offer-accept-']")
    substitute_id = substitute.get_attribute("id")
    _submit(browser, substitute)
    lines = browser.find_element(By.ID, "order-lines")
    assert len(lines.find_elements(By.CSS_SELECTOR, "tr[id^='line-']")) == 1
    assert absent(browser, By.CSS_SELECTOR, "[id^='shortage-']")

    # Accept an additional product from the suggestions.
    suggestions = browser.find_element(By.ID, "suggestions")
    accept = suggestions.find_element(By.CSS_SELECTOR, "button[id^='offer-accept-']")
    assert accept.get_attribute("id") != substitute_id
    _submit(browser, accept)
    lines = browser.find_element(By.ID, "order-lines")
    assert len(lines.find_elements(By.CSS_SELECTOR, "tr[id^='line-']")) == 2

    # Read the recap, then confirm.
    _click(browser, "read-recap")
    recap = browser.find_element(By.ID, "recap")
    assert "remplace" in browser.find_element(By.ID, "recap-substitutions").text
    assert browser.find_element(By.ID, "recap-additional").text.strip()
    assert "€" in recap.find_element(By.ID, "recap-total").text
    _click(browser, "confirm-order")
    WebDriverWait(browser, 10).until(
        EC.text_to_be_present_in_element((By.ID, "order-status"), "onfirm")
    )

    # Pay by training card.
    _click(browser, "record-payment")
    Select(browser.find_element(By.ID, "pay-method")).select_by_value("card")
    browser.find_element(By.ID, "card-number").send_keys("4111 1111 1111 1111")
    expiry = date.today().replace(year=date.today().year + 2)
    browser.find_element(By.ID, "card-expiry").send_keys(expiry.strftime("%m/%y"))
    browser.find_element(By.ID, "card-cvv").send_keys("123")
    _click(browser, "pay-submit")
    WebDriverWait(browser, 10).until(
        EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "1111")
    )
    assert "4111 1111 1111 1111" not in browser.page_source
    assert "411111******1111" in browser.page_source

    # The evaluator finds every step in the attempt's timeline.
    log_in(browser, base, "jury")
    browser.get(f"{base}/shifts/")
    row = browser.find_element(By.XPATH, "//tr[td[contains(., 'candidat1')]]")
    _submit(browser, row.find_element(By.LINK_TEXT, "Chronologie"))
    assert "Journal intègre" in browser.find_element(By.ID, "chain-status").text
    verbs = [
        row.get_attribute("data-verb")
        for row in browser.find_elements(By.CSS_SELECTOR, "table.timeline tbody tr[data-verb]")
    ]
    for expected in (
        "client.searched",
        "client.viewed",
        "order.created",
        "order.out_of_stock",
        "offer.made",
        "order.line_added",
        "order.recap_read",
        "order.confirmed",
        "payment.recorded",
    ):
        assert expected in verbs, (expected, verbs)
    assert verbs.count("offer.made") >= 2
    assert verbs.index("order.recap_read") < verbs.index("order.confirmed")
    assert verbs.index("order.confirmed") < verbs.index("payment.recorded")
