"""Under the Content-Security-Policy, pages whose scripts moved to static files still work and
the console reports nothing refused (the browser fixture also checks every browser test)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm.clients.models import Client
from crm.extensions import db
from crm.training.models import Attempt
from tests.browser.conftest import csp_violations, log_in

pytestmark = pytest.mark.browser

WAIT = 15


def _first(app, model, **where):
    with app.app_context():
        return db.session.scalar(sa.select(model.id).filter_by(**where).order_by(model.id))


def test_the_candidates_pages_and_desk_run_under_the_policy(live_server, browser):
    base = live_server.live_url
    log_in(browser, base, "candidat1")
    attempt_id = _first(live_server, Attempt, status="active")
    client_id = _first(live_server, Client, attempt_id=attempt_id)

    # Client file tabs (static/js/client-tabs.js).
    browser.get(f"{base}/clients/{client_id}")
    browser.find_element(By.CSS_SELECTOR, '#client-tabs a[href="#factures"]').click()
    assert browser.find_element(By.ID, "factures").is_displayed()
    assert not browser.find_element(By.ID, "fiche").is_displayed()
    assert csp_violations(browser) == []

    # The desk: the Socket.IO websocket connects, and framed CRM pages hide their top bar.
    browser.get(f"{base}/desk")
    WebDriverWait(browser, WAIT).until(
        lambda b: b.find_element(By.ID, "link-badge").get_attribute("data-mode") == "live"
    )
    frame = browser.find_element(By.ID, "crm-frame")
    WebDriverWait(browser, WAIT).until(
        lambda b: b.execute_script(
            "return arguments[0].contentDocument.documentElement.classList.contains('in-desk')",
            frame,
        )
    )
    browser.switch_to.frame(frame)
    assert not browser.find_element(By.CSS_SELECTOR, ".topbar").is_displayed()
    browser.switch_to.default_content()
    assert csp_violations(browser) == []


def test_the_timeline_filters_apply_on_change(live_server, browser):
    base = live_server.live_url
    log_in(browser, base, "jury")
    attempt_id = _first(live_server, Attempt, status="active")
    browser.get(f"{base}/attempts/{attempt_id}/timeline")
    family = Select(browser.find_element(By.ID, "family"))
    value = family.options[1].get_attribute("value")
    family.select_by_value(value)  # data-autosubmit, handled by static/js/plateau.js
    WebDriverWait(browser, WAIT).until(lambda b: f"family={value}" in b.current_url)
    assert csp_violations(browser) == []
