"""The room counts in words, in a real browser: « 1 action », « 0 alerte », « 3 candidats » in
French, « 1 action », « 0 alerts » in English — never « 1 actions »."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import log_in
from tests.browser.test_room import _ids, _wait

pytestmark = pytest.mark.browser


def _tile_count(browser, attempt_id: int, css: str) -> str:
    return _wait(browser).until(
        lambda b: b.find_element(By.CSS_SELECTOR, f"#tile-{attempt_id} .{css}").text or None
    )


def test_tiles_and_totals_count_with_real_plurals(live_server, browser):
    base = live_server.live_url
    shift_id, attempt_id = _ids(live_server, "candidat1")
    log_in(browser, base, "formateur")
    browser.get(f"{base}/room/{shift_id}")
    # A fresh attempt: a few actions (its creation, the shift's set-up), nothing qualified.
    actions = _tile_count(browser, attempt_id, "c-actions")
    assert re.fullmatch(r"1 action|([02-9]|\d\d+) actions", actions), actions
    assert _tile_count(browser, attempt_id, "c-qualified") == "0 qualifié"
    totals = browser.find_element(By.CSS_SELECTOR, ".room-totals").text
    assert "3 candidats" in totals and "0 alerte" in totals and "0 alertes" not in totals

    browser.find_element(By.CSS_SELECTOR, "form.lang button").click()
    browser.get(f"{base}/room/{shift_id}")
    actions = _tile_count(browser, attempt_id, "c-actions")
    assert re.fullmatch(r"1 action|(\d\d+|[02-9]) actions", actions), actions
    assert _tile_count(browser, attempt_id, "c-waiting") == "0 messages waiting"
    totals = browser.find_element(By.CSS_SELECTOR, ".room-totals").text
    assert "3 candidates" in totals and "0 alerts" in totals
