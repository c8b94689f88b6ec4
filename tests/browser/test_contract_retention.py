"""Retention in a real browser, in the desk's CRM pane: the candidate opens a subscriber's
contract, sees only the offers the rules allow, makes one, records the refusal, registers the
cancellation at the first date allowed and sends its written confirmation."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm.actionlog.models import Action
from crm.auth.models import User
from crm.auth.services import create_user
from crm.db import db
from crm.training.services import change_shift_status, create_shift
from tests.browser.conftest import DEMO_PASSWORD, log_in, page_replaced

pytestmark = pytest.mark.browser

PACK = "fidelisation-mistral-mobile"


def _subscriber_shift(app) -> int:
    """A running shift on the retention pack for a candidate of its own; their attempt's id."""
    with app.app_context():
        candidate = create_user("abonnes1", DEMO_PASSWORD, "candidate", "Inès Abonnés")
        trainer = db.session.scalar(sa.select(User).where(User.role == "trainer").limit(1))
        shift = create_shift(PACK, [candidate], created_by=trainer)
        change_shift_status(shift, "start")
        db.session.commit()
        attempt_id = shift.attempts[0].id
        db.session.remove()
    return attempt_id


def _submit(browser, element):
    """Click something that loads a new page in the pane, and wait until the old one is gone."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 20).until(page_replaced(page))


def _find(browser, by, value):
    return WebDriverWait(browser, 20).until(EC.element_to_be_clickable((by, value)))


def _shot(browser, name: str) -> None:
    """A screenshot when PLATEAU_BROWSER_ARTIFACTS names a folder (to look at the page)."""
    folder = os.environ.get("PLATEAU_BROWSER_ARTIFACTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        browser.save_screenshot(os.path.join(folder, name))


def test_offer_refused_then_cancellation_confirmed(live_server, browser):
    base = live_server.live_url
    attempt_id = _subscriber_shift(live_server)
    log_in(browser, base, "abonnes1")
    browser.get(f"{base}/desk")
    browser.switch_to.frame(_find(browser, By.ID, "crm-frame"))

    _find(browser, By.ID, "client-q").send_keys("Benali")
    _submit(browser, _find(browser, By.ID, "client-search"))
    results = browser.find_element(By.ID, "client-results")
    _submit(browser, results.find_element(By.PARTIAL_LINK_TEXT, "Benali"))
    _find(browser, By.CSS_SELECTOR, "#client-tabs a[href='#contrats']").click()
    _submit(browser, _find(browser, By.LINK_TEXT, "CT-880201"))

    _shot(browser, "contract-active.png")
    # The 5G plan of 16 months: the 20 % discount and the free month, not the box's 30 %.
    choices = [o.text for o in Select(_find(browser, By.ID, "offer")).options]
    assert choices == ["—", "20 % de remise pendant 6 mois", "Un mois d'abonnement offert"]
    Select(browser.find_element(By.ID, "offer")).select_by_visible_text(
        "Un mois d'abonnement offert"
    )
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "#offer-form button"))
    assert "Offre proposée : Un mois d'abonnement offert." in browser.page_source
    _submit(browser, _find(browser, By.CSS_SELECTOR, "form[id^='refuse-'] button"))
    assert "Refusée" in browser.find_element(By.ID, "offers").text

    # The date is prefilled with the first one allowed; the reason is the customer's.
    _find(browser, By.ID, "reason").send_keys("Départ à Montréal le mois prochain.")
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "#cancel-form button"))
    assert "Résilié" in browser.find_element(By.ID, "contract-status").text
    assert "à envoyer" in browser.find_element(By.ID, "confirmation").text
    _shot(browser, "contract-cancelled.png")
    _submit(browser, _find(browser, By.CSS_SELECTOR, "#confirm-form button"))
    assert "envoyée le" in browser.find_element(By.ID, "confirmation").text
    _shot(browser, "contract-confirmed.png")
    browser.switch_to.default_content()

    with live_server.app_context():
        verbs = db.session.scalars(
            sa.select(Action.verb)
            .where(Action.attempt_id == attempt_id, Action.verb.in_(_RETENTION_VERBS))
            .order_by(Action.seq)
        ).all()
        db.session.remove()
    assert verbs == list(_RETENTION_VERBS)


_RETENTION_VERBS = (
    "retention.offer_made",
    "retention.offer_answered",
    "contract.cancelled",
    "contract.cancellation_confirmed",
)
