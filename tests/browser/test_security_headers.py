"""The Content-Security-Policy in a real browser: every page works under it, and an
injected inline script is refused."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest

from tests.browser.conftest import PUPILS, Browser
from tests.browser.test_shell import TABS

# Installed before any page script runs, so violations during start-up are kept too.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(browser: Browser) -> Iterator[Browser]:
    """The shared browser, recording policy violations on every page it loads."""
    added = browser.driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS}
    )
    yield browser
    browser.driver.execute_cdp_cmd(
        "Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]}
    )


def _violations(browser: Browser) -> list[str]:
    return browser.driver.execute_script("return window.__cspViolations || [];")


def test_the_live_app_sends_the_policy(browser: Browser) -> None:
    with urllib.request.urlopen(browser.base_url + "/login") as response:
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"

    assert "script-src 'self' 'sha256-" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy


def test_the_sign_in_page_works_under_the_policy(watched: Browser) -> None:
    watched.open("/login")

    assert _violations(watched) == []
    assert watched.console_errors() == []


def test_every_tab_works_under_the_policy(watched: Browser) -> None:
    watched.sign_in(*PUPILS)
    for path, heading in TABS:
        watched.open(path)
        watched.wait_for_text("#_pages_content", heading)
        watched.wait_for("footer")

        assert _violations(watched) == [], path
        assert watched.console_errors() == [], path


def test_charts_draw_under_the_policy(watched: Browser) -> None:
    watched.sign_in(*PUPILS, "/360-report")
    watched.wait_for(".js-plotly-plot .main-svg")

    assert _violations(watched) == []
    assert watched.console_errors() == []


def test_an_injected_inline_script_is_refused(watched: Browser) -> None:
    watched.sign_in(*PUPILS)
    watched.driver.execute_script(
        "const s = document.createElement('script');"
        "s.textContent = 'window.__injected = true;';"
        "document.body.appendChild(s);"
    )

    assert watched.driver.execute_script("return window.__injected === true;") is False
    assert any(v.startswith("script-src") for v in _violations(watched))
