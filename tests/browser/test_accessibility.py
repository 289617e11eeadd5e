"""axe-core on every page: no serious or critical WCAG 2.2 AA violation.

axe is vendored in tests/browser/vendor (see its README), injected into each page once
Dash has finished rendering it, and run against the WCAG A and AA rules only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import ADMINISTRATOR, PUPILS, WAIT_SECONDS, Browser
from tests.browser.test_shell import TABS

AXE_SOURCE = (Path(__file__).parent / "vendor/axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
# Parts of Dash's own widgets that take no attributes from the app, so the app cannot
# fix them; each is left out of the scan by itself, every rule still runs elsewhere.
THIRD_PARTY = [
    # dcc.Dropdown (Dash 4) takes keyboard focus on an aria-hidden proxy input and
    # opens its listbox from there (aria-hidden-focus).
    ".dash-dropdown-focus-target",
    # dcc.DatePickerSingle/Range put aria-haspopup and aria-expanded on a wrapper div
    # without a role (aria-allowed-attr); the date input inside has its own label.
    ".dash-datepicker-input-wrapper",
    # dcc.Upload's file input has no id or label to point at (label); the drop zone's
    # text names it.
    ".desk-upload > input[type=file]",
]
RUN_AXE = """
const [tags, skipped, done] = arguments;
axe.run({exclude: skipped.map(selector => [selector])},
        {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(results => done(results.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map(n => n.target.join(" "))}))))
  .catch(error => done([{id: "axe-error", impact: "critical", help: String(error),
      targets: []}]));
"""


def blocking_violations(browser: Browser) -> list[dict]:
    """Run axe on the page as it stands; return its serious and critical violations."""
    browser.wait_until_settled()
    browser.driver.set_script_timeout(WAIT_SECONDS)
    browser.driver.execute_script(AXE_SOURCE)
    violations = browser.driver.execute_async_script(RUN_AXE, WCAG_TAGS, THIRD_PARTY)
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    """Return violations one per line: rule, impact and the elements it names."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {v['targets']}" for v in violations
    )


def test_the_sign_in_page_has_no_serious_violations(browser: Browser) -> None:
    browser.driver.get(browser.base_url + "/login")
    browser.wait_for("form")
    found = blocking_violations(browser)
    assert found == [], describe(found)


@pytest.mark.parametrize(("path", "heading"), TABS, ids=[path for path, _ in TABS])
def test_every_tab_has_no_serious_violations(
    browser: Browser, path: str, heading: str
) -> None:
    browser.sign_in(*PUPILS, path)
    browser.wait_for_tab(heading)
    found = blocking_violations(browser)
    assert found == [], describe(found)


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/data-desk", "#desk-status .desk-status"),
        ("/audit-log", "#audit-log-grid .ag-row"),
    ],
)
def test_the_administrators_pages_have_no_serious_violations(
    browser: Browser, path: str, ready: str
) -> None:
    browser.sign_in_with_code(*ADMINISTRATOR, path)
    browser.wait_for(ready)
    found = blocking_violations(browser)
    assert found == [], describe(found)
