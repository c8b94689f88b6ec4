"""Browser fixtures: a real server thread on a real SQLite file, and headless Chromium.

Outside CI a machine without Chromium skips these tests; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from crm import clock
from crm.app import create_app
from crm.extensions import db
from tests.seeded import Template

#: The demo users' password (`plateau demo`).
DEMO_PASSWORD = "plateau-demo"

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
    "--lang=fr-FR",
]


#: How long a lookup waits for its element to appear (Selenium's implicit wait), in seconds.
IMPLICIT_WAIT = 10


def _binaries() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (browser and driver):
        message = "Debian's chromium and chromium-driver are needed for browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return browser, driver


class DemoTemplate:
    """The migrated, demo-seeded database, built once per test process (and world day) and
    copied into each browser test's file (tests/seeded.py's backup and re-stamping: the copy
    reads as if seeded the moment it is taken, its log's chains re-linked over the new times).

    Building it (every migration, then `plateau demo`) costs a second or more; a copy costs a
    few milliseconds.
    """

    def __init__(self) -> None:
        self.template: Template | None = None
        self.day: date | None = None

    def copy_to(self, path: Path) -> None:
        """Write the demo database to the file `path`, stamped now."""
        template = self._built()
        target = sqlite3.connect(path)
        try:
            template.copy_into(target)
        finally:
            target.close()

    def _built(self) -> Template:
        today = clock.today()
        if self.template is None or self.day != today:
            self.template = self._build()
            self.day = today
        return self.template

    @staticmethod
    def _build() -> Template:
        from crm.cli import seed_demo, upgrade_database

        with tempfile.TemporaryDirectory() as folder:
            app = create_app(
                {
                    "TESTING": True,
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.db",
                    "PACK_DIR": f"{folder}/packs",
                }
            )
            with app.app_context():
                start = clock.now()
                upgrade_database()
                seed_demo()
                db.session.remove()
                end = clock.now()
                raw = db.engine.raw_connection()
                try:
                    conn = sqlite3.connect(":memory:", check_same_thread=False)
                    raw.driver_connection.backup(conn)
                finally:
                    raw.close()
                db.engine.dispose()
        return Template.of(conn, {}, start, end)


DEMO = DemoTemplate()


@pytest.fixture
def live_server(tmp_path):
    """Plateau served from a thread on a file database built by the migrations, demo seeded
    (a copy of the process's DemoTemplate)."""
    DEMO.copy_to(tmp_path / "browser.db")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/browser.db",
            "SERVER_NAME": None,
            "PACK_DIR": str(tmp_path / "packs"),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.live_url = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium driven by Selenium 4."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = _binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    # The console, to catch what the Content-Security-Policy refused.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(IMPLICIT_WAIT)
    yield driver
    refused = csp_violations(driver)
    artifacts = os.environ.get("PLATEAU_BROWSER_ARTIFACTS")
    if artifacts:
        os.makedirs(artifacts, exist_ok=True)
        driver.save_screenshot(os.path.join(artifacts, "last-page.png"))
    driver.quit()
    assert refused == [], "the Content-Security-Policy refused something a page needs"


def csp_violations(driver) -> list[str]:
    """Console messages since the last call where the Content-Security-Policy refused something."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]


def absent(driver, by: str, value: str) -> bool:
    """Whether the page now holds no element matching (by, value), asked at once.

    Under the implicit wait, `find_elements` finding nothing waits the whole wait before
    answering (ten seconds for every absence asserted). Ask only once the page (or the
    redraw) that must not hold it is there: a loaded page, or a wait on what replaced it.
    """
    driver.implicitly_wait(0)
    try:
        return not driver.find_elements(by, value)
    finally:
        driver.implicitly_wait(IMPLICIT_WAIT)


def page_replaced(old):
    """Wait condition: the document that held `old` is gone (a navigation happened).

    Chromium sometimes answers a query on an element of a document being torn down with an
    inspector error ("Node with given id does not belong to the document") instead of a stale
    element reference; both mean the old page is gone.
    """
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def gone(_driver) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error) or "No node with given id" in str(
                error
            ):
                return True
            raise
        return False

    return gone


def log_in(browser, base: str, username: str, *, timeout: float = 15) -> None:
    """Log a demo user in through the real form, and wait until the login page is left."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    browser.get(f"{base}/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.ID, "login-submit").click()
    WebDriverWait(browser, timeout).until(lambda b: "/login" not in b.current_url)
