"""Back after paying, inside the desk's CRM pane (a real browser): every POST answered with a
redirect, so going back shows a page, never « Confirm Form Resubmission »."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import log_in
from tests.browser.test_desk import _wait

pytestmark = pytest.mark.browser


def _frame(browser):
    browser.switch_to.default_content()
    browser.switch_to.frame(browser.find_element(By.ID, "crm-frame"))


def _pay(browser, amount):
    _frame(browser)
    Select(browser.find_element(By.ID, "pay-method")).select_by_value("cheque")
    field = browser.find_element(By.ID, "pay-amount")
    field.clear()
    field.send_keys(amount)
    browser.find_element(By.ID, "pay-submit").click()


def test_back_after_a_refused_then_recorded_payment_shows_pages(live_server, browser):
    base = live_server.live_url
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    browser.execute_script("document.getElementById('crm-frame').src = '/clients/1/invoices'")
    _frame(browser)
    pay = _wait(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, "a[id^='pay-invoice-']"))
    pay.click()
    _wait(browser).until(lambda b: b.find_elements(By.ID, "payment-form"))
    _pay(browser, "999999")  # more than is due: refused, shown again
    _wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".has-error"))
    _pay(browser, "10")  # recorded: back to the invoices
    _wait(browser).until(lambda b: b.find_elements(By.ID, "invoices"))
    for _ in range(2):
        browser.back()
        _frame(browser)
        _wait(browser).until(lambda b: b.execute_script("return document.readyState") == "complete")
        # A page of the CRM (the payment form), not Chromium's resubmission page.
        page = browser.execute_script("return document.documentElement.outerHTML")
        assert "ERR_CACHE_MISS" not in page and "Resubmission" not in page
        assert browser.find_elements(By.ID, "payment-form") or browser.find_elements(
            By.ID, "invoices"
        )
