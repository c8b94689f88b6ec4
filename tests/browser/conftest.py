"""Browser fixtures: a real server thread on a real SQLite file, and headless Chromium.

Outside CI a machine without Chromium skips these tests; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable
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

#: The browser window's size (width, height) in pixels.
WINDOW_SIZE = (1400, 1000)

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size={},{}".format(*WINDOW_SIZE),
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


def new_driver(profile: Path):
    """A headless Chromium driven by Selenium 4, with the profile folder `profile`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = _binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    # The console, to catch what the Content-Security-Policy refused.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(IMPLICIT_WAIT)
    return driver


class SharedChromium:
    """The test process's Chromium, handed to one test after another (starting one costs one to
    three seconds), each as a new browser would find it: one window of the default size, on a
    blank page, no cookie, nothing cached or stored for the pages the last test visited, an
    empty console. A Chromium that stopped answering is replaced."""

    def __init__(self, profiles: Callable[[], Path]):
        self.profiles = profiles
        self.driver = None
        #: Whether the last test changed the browser itself (see TAINTING).
        self.tainted = False

    def take(self):
        """The driver, alive and clean, for the next test."""
        if self.driver is not None and not _answers(self.driver):
            self.quit()
        if self.driver is None:
            self.driver = new_driver(self.profiles())
        driver = self.driver
        self.tainted = False
        for name in TAINTING:
            setattr(driver, name, self._tainting(getattr(type(driver), name).__get__(driver)))
        driver.implicitly_wait(IMPLICIT_WAIT)
        width, height = WINDOW_SIZE
        driver.set_window_size(width, height)
        driver.get_log("browser")  # what an earlier page wrote is not this test's
        return driver

    def _tainting(self, method):
        """`method`, noting that the browser no longer is as new."""

        def call(*args, **kwargs):
            self.tainted = True
            return method(*args, **kwargs)

        return call

    def clean(self) -> None:
        """After a test, while its server still answers: leave its pages and forget them (a
        browser the test changed is replaced instead)."""
        driver = self.driver
        if self.tainted:
            self.quit()
            return
        try:
            _dismiss_alert(driver)
            origins = _origins(driver)
            keep = driver.window_handles[0]
            for handle in driver.window_handles[1:]:
                driver.switch_to.window(handle)
                driver.close()
            driver.switch_to.window(keep)
            driver.get("about:blank")  # stops the page's scripts, sockets and timers
            cdp = type(driver).execute_cdp_cmd.__get__(driver)  # not the tainting one
            cdp("Network.clearBrowserCookies", {})
            cdp("Network.clearBrowserCache", {})
            for origin in origins:
                cdp("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        except Exception:
            # Whatever state it was left in, the next test gets a new Chromium.
            self.quit()

    def quit(self) -> None:
        """Stop the driver and its Chromium (if any)."""
        if self.driver is not None:
            with contextlib.suppress(Exception):  # already gone
                self.driver.quit()
            self.driver = None


#: Driver methods that change the browser beyond its pages (DevTools commands: URLs blocked,
#: scripts added to every new document…; network conditions; permissions). A test that calls
#: one gets its Chromium replaced after it, not cleaned.
TAINTING = ("execute_cdp_cmd", "set_network_conditions", "set_permissions")


def _answers(driver) -> bool:
    """Whether the driver and its Chromium still answer."""
    from selenium.common.exceptions import WebDriverException

    try:
        driver.window_handles  # noqa: B018  (a round trip to Chromium)
    except WebDriverException:
        return False
    return True


def _dismiss_alert(driver) -> None:
    """Close an alert or confirmation the last page left open (it blocks every command)."""
    from selenium.common.exceptions import NoAlertPresentException

    with contextlib.suppress(NoAlertPresentException):
        driver.switch_to.alert.dismiss()


def _origins(driver) -> set[str]:
    """The http(s) origins of the pages open in the driver's windows."""
    found = set()
    for handle in driver.window_handles:
        driver.switch_to.window(handle)
        url = driver.current_url
        if url.startswith(("http://", "https://")):
            found.add("/".join(url.split("/", 3)[:3]))
    return found


@pytest.fixture(scope="session")
def _chromium(tmp_path_factory):
    """The test process's shared Chromium (see SharedChromium), stopped at the end."""
    shared = SharedChromium(lambda: tmp_path_factory.mktemp("chromium-profile"))
    yield shared
    shared.quit()


@pytest.fixture
def browser(_chromium):
    """Headless Chromium driven by Selenium 4: the process's, as a new one would be."""
    driver = _chromium.take()
    yield driver
    refused = csp_violations(driver)
    artifacts = os.environ.get("PLATEAU_BROWSER_ARTIFACTS")
    if artifacts:
        os.makedirs(artifacts, exist_ok=True)
        driver.save_screenshot(os.path.join(artifacts, "last-page.png"))
    _chromium.clean()
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
