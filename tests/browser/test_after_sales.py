"""After-sales in the desk's CRM pane, in a real browser: the candidate reads a parcel's
tracking, authorises a withdrawal return, issues its credit note and refunds it on the card."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from crm.actionlog.models import Action
from crm.db import db
from tests.browser.conftest import log_in, page_replaced
from tests.browser.test_desk import _attempt_id

pytestmark = pytest.mark.browser

ORDER = "CMD-106331"  # Mehdi Haddad's, delivered six days ago, paid by Visa


def _submit(browser, element):
    """Click something that loads a new page in the pane, and wait until the old one is gone."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 20).until(page_replaced(page))


def _find(browser, by, value):
    return WebDriverWait(browser, 20).until(EC.element_to_be_clickable((by, value)))


def test_tracking_read_then_return_then_credit_note_refunded(live_server, browser):
    base = live_server.live_url
    attempt_id = _attempt_id(live_server, "candidat1")
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    browser.switch_to.frame(_find(browser, By.ID, "crm-frame"))

    # The client's file, then the order from its orders tab.
    _find(browser, By.ID, "client-q").send_keys("Haddad")
    _submit(browser, _find(browser, By.ID, "client-search"))
    results = browser.find_element(By.ID, "client-results")
    _submit(browser, results.find_element(By.PARTIAL_LINK_TEXT, "Haddad"))
    _find(browser, By.CSS_SELECTOR, "#client-tabs a[href='#commandes']").click()
    _submit(browser, _find(browser, By.LINK_TEXT, ORDER))
    deliveries = browser.find_element(By.ID, "deliveries")
    assert "Colissimo" in deliveries.text and "6A20458790211" in deliveries.text
    assert "Rétractation possible jusqu'au" in browser.find_element(By.ID, "withdrawal-info").text

    # Read the tracking: every step the carrier reported.
    _submit(browser, _find(browser, By.ID, "read-tracking"))
    events = browser.find_element(By.CSS_SELECTOR, ".tracking-events").text
    assert "Pris en charge par le transporteur" in events and "Remis en main propre" in events
    _submit(browser, _find(browser, By.ID, "back-to-order"))

    # Authorise the withdrawal of everything, then issue the credit note and refund it.
    _submit(browser, _find(browser, By.ID, "authorise-return"))
    assert "Retour autorisé : n° RET-" in browser.page_source
    returns = browser.find_element(By.ID, "returns")
    assert "LR" in returns.text
    _submit(browser, returns.find_element(By.CSS_SELECTOR, "button[id^='credit-return-']"))
    notes = browser.find_element(By.ID, "credit-notes")
    assert "AV-" in notes.text
    _submit(browser, notes.find_element(By.CSS_SELECTOR, "button[id^='refund-']"))
    notes = browser.find_element(By.ID, "credit-notes")
    assert "411111******1111" in notes.text and "remboursé" in notes.text
    assert "retournée" in browser.find_element(By.ID, "order-status").text
    browser.switch_to.default_content()

    with live_server.app_context():
        verbs = db.session.scalars(
            sa.select(Action.verb)
            .where(
                Action.attempt_id == attempt_id,
                Action.verb.in_(
                    (
                        "delivery.tracking_read",
                        "return.authorised",
                        "credit_note.issued",
                        "refund.recorded",
                    )
                ),
            )
            .order_by(Action.seq)
        ).all()
        db.session.remove()
    assert verbs == [
        "delivery.tracking_read",
        "return.authorised",
        "credit_note.issued",
        "refund.recorded",
    ]
