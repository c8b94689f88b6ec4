"""A paid order says so, in a real browser: « Réglé » and « Reste dû » on the order, no second
payment offered, and *Back* to the payment form says there is nothing left to pay instead of
offering a form that can only be refused."""

from __future__ import annotations

from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import absent, log_in
from tests.browser.test_order_flow import _click

pytestmark = pytest.mark.browser

IN_STOCK = "PAP-A4-80-5"  # Papier A4 80 g blanc extra, in stock in Bureau Direct


def test_a_paid_order_offers_no_second_payment(live_server, browser):
    base = live_server.live_url
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/clients/2")
    _click(browser, "new-order")
    browser.find_element(By.ID, "line-sku").send_keys(IN_STOCK)
    browser.find_element(By.ID, "line-quantity").send_keys("1")
    _click(browser, "add-line")
    _click(browser, "read-recap")
    _click(browser, "confirm-order")
    assert browser.find_element(By.ID, "order-paid").text == "0,00 €"
    total = browser.find_element(By.ID, "order-total").text
    assert browser.find_element(By.ID, "order-due").text == total

    _click(browser, "record-payment")
    Select(browser.find_element(By.ID, "pay-method")).select_by_value("card")
    browser.find_element(By.ID, "card-number").send_keys("4111 1111 1111 1111")
    expiry = date.today().replace(year=date.today().year + 2)
    browser.find_element(By.ID, "card-expiry").send_keys(expiry.strftime("%m/%y"))
    browser.find_element(By.ID, "card-cvv").send_keys("123")
    _click(browser, "pay-submit")

    assert browser.find_element(By.ID, "order-paid").text == total
    assert browser.find_element(By.ID, "order-due").text == "0,00 €"
    assert "Entièrement réglée" in browser.find_element(By.ID, "order-settled").text
    assert absent(browser, By.ID, "record-payment")

    browser.back()
    notice = browser.find_element(By.ID, "nothing-due")
    assert "Rien à régler" in notice.text
    assert absent(browser, By.ID, "pay-submit")
