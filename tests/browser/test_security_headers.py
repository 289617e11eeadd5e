"""The Content-Security-Policy in a real browser: the sign-in page and charts work
under it, and an injected inline script is refused. Every tab is checked for
violations by test_shell's every-tab test."""

from __future__ import annotations

import urllib.request

from tests.browser.conftest import PUPILS, Browser


def test_the_live_app_sends_the_policy(browser: Browser) -> None:
    with urllib.request.urlopen(browser.base_url + "/login") as response:
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"

    assert "script-src 'self' 'sha256-" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy


def test_the_sign_in_page_works_under_the_policy(watched: Browser) -> None:
    watched.open("/login")

    assert watched.policy_violations() == []
    assert watched.console_errors() == []


def test_charts_draw_under_the_policy(watched: Browser) -> None:
    watched.sign_in(*PUPILS, "/360-report")
    watched.wait_for(".js-plotly-plot .main-svg")

    assert watched.policy_violations() == []
    assert watched.console_errors() == []


def test_an_injected_inline_script_is_refused(watched: Browser) -> None:
    watched.sign_in(*PUPILS)
    watched.driver.execute_script(
        "const s = document.createElement('script');"
        "s.textContent = 'window.__injected = true;';"
        "document.body.appendChild(s);"
    )

    assert watched.driver.execute_script("return window.__injected === true;") is False
    assert any(v.startswith("script-src") for v in watched.policy_violations())
