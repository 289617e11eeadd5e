"""One live tracker and one headless Chromium for every browser test in the run.

The app serves a small demo data set (four schools, the 2023/24 year to 20 March 2024)
from a SQLite file built once per run, on a free port, so several test runs on one
machine never collide. Tests sign in through the real sign-in page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode, urlparse

import pyotp
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import BaseWSGIServer, make_server

from dashboard.config import Settings
from data.db import get_engine

AS_OF = date(2024, 3, 20)
DEMO_SCHOOLS = 4
VIEWER = ("viewer@demo.example", "demo-viewer-2026")
PUPILS = ("pupils@demo.example", "demo-pupils-2026")
# Administrators and LA officers confirm sign-in with an authenticator code.
ADMINISTRATOR = (
    "admin@demo.example",
    "demo-admin-2026",
    "DEMOADMINISTRATORTOTPSECRETAAAAA",
)
LA_OFFICER = ("la@demo.example", "demo-la-2026", "DEMOLAOFFICERTOTPSECRETTWOSIXAAA")
WAIT_SECONDS = 20
# Installed before any page script runs, so violations during start-up are kept too.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@dataclass
class Browser:
    """The driver and the address of the live app, with the steps tests share."""

    driver: WebDriver
    base_url: str

    def open(self, path: str) -> None:
        """Load a page of the app and wait for Dash to render it."""
        self.driver.get(self.base_url + path)
        self.wait_for("#_pages_content, form")

    def wait_for(self, selector: str, timeout: float = WAIT_SECONDS):  # type: ignore[no-untyped-def]
        """Return the first element matching a CSS selector once it is visible."""
        return WebDriverWait(self.driver, timeout).until(
            expected.visibility_of_element_located((By.CSS_SELECTOR, selector))
        )

    def wait_for_text(
        self, selector: str, text: str, timeout: float = WAIT_SECONDS
    ) -> None:
        """Wait until an element matching the selector contains the text."""
        WebDriverWait(self.driver, timeout).until(
            expected.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text)
        )

    def wait_for_tab(self, heading: str) -> None:
        """Wait for the tab's heading, then for its callbacks to finish."""
        self.wait_for_text("#_pages_content", heading)
        self.wait_until_settled()

    def wait_until_settled(self, timeout: float = WAIT_SECONDS) -> None:
        """Wait until the page has loaded and no Dash callback is still running."""
        WebDriverWait(self.driver, timeout).until(
            lambda driver: driver.execute_script(
                "return document.readyState === 'complete' && "
                "!document.querySelector('[data-dash-is-loading=\"true\"]');"
            )
        )

    def sign_in(self, email: str, password: str, path: str = "/") -> None:
        """Sign out if needed, then sign in through the sign-in page and land on
        `path`, as a person who followed a link to it does; wait for Dash to render
        it (so `sign_in(..., path)` serves for `sign_in(...)` then `open(path)`)."""
        self._password_step(email, password, path)
        self.wait_for("#_pages_content")

    def sign_in_with_code(
        self, email: str, password: str, secret: str, path: str = "/"
    ) -> None:
        """Sign in through the password and authenticator-code steps, landing on
        `path` as `sign_in` does."""
        self._password_step(email, password, path)
        self.wait_for("#code").send_keys(pyotp.TOTP(secret).now())
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        self.wait_for("#_pages_content")

    def _password_step(self, email: str, password: str, path: str) -> None:
        """Start from a blank page with no cookies, then send the sign-in form (the
        form carries `path` on as the page to go to next).

        The blank page first stops the previous page's callbacks, so that none of
        their answers can bring back a cookie of the previous sign-in. Should the
        form still come back as expired, it is sent once more, as a person would.
        """
        self.driver.get("about:blank")
        self.driver.delete_all_cookies()
        for _attempt in range(2):
            self.driver.get(f"{self.base_url}/login?{urlencode({'next': path})}")
            self.driver.find_element(By.ID, "email").send_keys(email)
            self.driver.find_element(By.ID, "password").send_keys(password)
            self.driver.find_element(
                By.CSS_SELECTOR, "form button[type=submit]"
            ).click()
            self.wait_for("#_pages_content, #code, .alert")
            # Past the form (the page to go to, or the code step), alerts are the
            # page's own.
            if urlparse(self.driver.current_url).path != "/login":
                return
            alerts = self.driver.find_elements(By.CSS_SELECTOR, ".alert")
            if not any("expired" in alert.text for alert in alerts):
                return

    def console_errors(self) -> list[str]:
        """Return the browser console's errors since the last call (and clear them)."""
        return [
            entry["message"]
            for entry in self.driver.get_log("browser")
            if entry["level"] == "SEVERE"
        ]

    def policy_violations(self) -> list[str]:
        """Return the Content-Security-Policy violations the page has recorded (only
        on pages loaded through the `watched` fixture)."""
        return self.driver.execute_script("return window.__cspViolations || [];")

    def duplicate_ids(self) -> list[str]:
        """Return the element ids that occur more than once in the page."""
        return self.driver.execute_script(
            "const seen = {}; document.querySelectorAll('[id]').forEach("
            "e => { seen[e.id] = (seen[e.id] || 0) + 1; });"
            "return Object.keys(seen).filter(k => seen[k] > 1);"
        )


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SQLite demo database with its sign-ins, built once per test run."""
    from dashboard.users import create_demo_users
    from data.demo import build_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'tracker.db'}"
    build_demo(url, as_of=AS_OF, schools=DEMO_SCHOOLS)
    create_demo_users(url)
    yield url
    get_engine(url).dispose()


@pytest.fixture(scope="session")
def live_app(demo_url: str) -> Iterator[str]:
    """Serve the tracker on a free loopback port; yield its base address."""
    from dashboard.app import create_app

    app = create_app(Settings(database_url=demo_url, secret_key="browser-tests"))
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def chromium() -> Iterator[WebDriver]:
    """Debian's headless Chromium with its console log readable."""
    from tests.conftest import pytest_setup_options

    options = pytest_setup_options()
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options)  # chromedriver from PATH
    yield driver
    driver.quit()


@pytest.fixture
def browser(chromium: WebDriver, live_app: str) -> Browser:
    """The shared browser, signed out, with an empty console log."""
    chromium.delete_all_cookies()
    chromium.get_log("browser")
    return Browser(chromium, live_app)


@pytest.fixture
def watched(browser: Browser) -> Iterator[Browser]:
    """The shared browser, recording Content-Security-Policy violations on every page
    it loads (`Browser.policy_violations`)."""
    added = browser.driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS}
    )
    yield browser
    browser.driver.execute_cdp_cmd(
        "Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]}
    )
