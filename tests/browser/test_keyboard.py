"""The keyboard alone: tabbing reaches a report's filters before its table, and the
focused control shows a visible ring."""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import PUPILS, Browser

MAX_TABS = 60
# Where focus is: inside the filter bar, inside the report's grid, and the outline of
# what shows it (a filter dropdown takes focus on a hidden proxy; its button shows it).
FOCUS = """
const focused = document.activeElement;
const shown = focused.classList.contains('dash-dropdown-focus-target')
  ? focused.parentElement.querySelector('.dash-dropdown') : focused;
const style = getComputedStyle(shown);
return {
  filter: !!focused.closest('.filter-bar'),
  grid: !!focused.closest('.ag-root-wrapper'),
  tag: focused.tagName,
  outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
};
"""


def tab_stops(browser: Browser) -> list[dict]:
    """Tab from the top of the page; return where focus lands, up to the report's grid."""
    browser.driver.execute_script(
        "document.activeElement.blur(); window.scrollTo(0, 0)"
    )
    stops = []
    for _ in range(MAX_TABS):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        stops.append(browser.driver.execute_script(FOCUS))
        if stops[-1]["grid"]:
            break
    return stops


def test_tabbing_reaches_the_filters_before_the_table(browser: Browser) -> None:
    browser.sign_in(*PUPILS, "/school-reports/year-groups")
    browser.wait_for("#year-groups-content .ag-row")
    browser.wait_until_settled()

    stops = tab_stops(browser)

    kinds = ["filter" if s["filter"] else "grid" if s["grid"] else "" for s in stops]
    assert "filter" in kinds and "grid" in kinds, stops
    assert kinds.index("filter") < kinds.index("grid")
    assert all(stop["outline"] for stop in stops if stop["tag"] in ("A", "BUTTON")), (
        stops
    )
    assert all(stop["outline"] for stop in stops if stop["filter"]), stops


def test_tabbing_on_absence_patterns_reaches_filters_then_the_weeks_switch(
    browser: Browser,
) -> None:
    browser.sign_in(*PUPILS, "/school-reports/absence-patterns")
    browser.wait_for("#patterns-table tbody tr")
    browser.wait_until_settled()
    browser.driver.execute_script(
        "document.activeElement.blur(); window.scrollTo(0, 0)"
    )

    stops = []
    for _ in range(MAX_TABS):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        stop = browser.driver.execute_script(FOCUS)
        stop["switch"] = browser.driver.execute_script(
            "return !!document.activeElement.closest('#patterns-period');"
        )
        stops.append(stop)
        if stop["switch"]:
            break

    kinds = [
        "filter" if s["filter"] else "switch" if s["switch"] else "" for s in stops
    ]
    assert "filter" in kinds and kinds[-1] == "switch", stops
    assert kinds.index("filter") < kinds.index("switch")
    assert all(stop["outline"] for stop in stops if stop["filter"] or stop["switch"]), (
        stops
    )
