"""The 78-criterion grid in a real browser: the demo's bench opens on the shift's standard (MC
ACVAD), a save brings the evaluator back where they were instead of the top of the page, and
« remplir le reste » asks first, then grades only what was left."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm.auth.models import User
from crm.evaluation.standards import get_standard
from crm.extensions import db
from crm.training.models import Attempt
from tests.browser.conftest import absent, log_in, page_replaced

pytestmark = pytest.mark.browser

MC = "mc-acvad-referentiel-certification"
WAIT = 20


def _attempt_id(app, username):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        found = db.session.scalar(sa.select(Attempt.id).where(Attempt.candidate_id == user.id))
        db.session.remove()
    return found


def _in_view(browser, element) -> bool:
    return browser.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return r.bottom > 0 && r.top < window.innerHeight;",
        element,
    )


def test_grid_keeps_its_place_and_fills_the_rest(live_server, browser):
    base = live_server.live_url
    browser.set_window_size(1440, 900)
    attempt_id = _attempt_id(live_server, "candidat1")
    log_in(browser, base, "jury")
    browser.get(f"{base}/bench/attempts/{attempt_id}/grid")
    # The shift names its standard: the grid opens on it, nothing to pick.
    assert absent(browser, By.ID, "choose-standard")
    with live_server.app_context():
        criteria = list(get_standard(MC).criteria)
    deep = criteria[40]
    select = browser.find_element(By.ID, f"grade-{deep.id}")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", select)
    Select(select).select_by_value("acquired")
    heading = browser.find_element(By.ID, f"competency-{deep.competency_id}")
    button = heading.find_element(By.CSS_SELECTOR, "button.save-competency")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    page = browser.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(browser, WAIT).until(page_replaced(page))
    assert browser.current_url.endswith(f"#competency-{deep.competency_id}")
    assert "Notes enregistrées." in browser.page_source
    assert browser.execute_script("return window.scrollY") > 1000
    assert _in_view(browser, browser.find_element(By.ID, f"competency-{deep.competency_id}"))
    summary = browser.find_element(By.ID, f"summary-{deep.competency_id}")
    assert "Acquis : 1" in summary.text

    # « Remplir le reste » asks first: dismissing changes nothing.
    browser.execute_script("window.scrollTo(0, 0);")
    Select(browser.find_element(By.ID, "fill_grade")).select_by_value("not_observed")
    browser.find_element(By.ID, "fill-rest").click()
    WebDriverWait(browser, WAIT).until(EC.alert_is_present()).dismiss()
    assert browser.find_element(By.ID, "fill-rest").is_displayed()
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "fill-rest").click()
    WebDriverWait(browser, WAIT).until(EC.alert_is_present()).accept()
    WebDriverWait(browser, WAIT).until(page_replaced(page))
    left = len(criteria) - 1
    assert f"{left} critères restants notés « Non observé »." in browser.page_source
    values = {
        s.get_attribute("id"): Select(s).first_selected_option.get_attribute("value")
        for s in browser.find_elements(By.CSS_SELECTOR, "select[id^='grade-']")
    }
    assert values[f"grade-{deep.id}"] == "acquired"
    assert sorted(set(values.values())) == ["acquired", "not_observed"]
    assert len(values) == len(criteria)
    browser.save_screenshot("/tmp/bench-grid-filled.png")
