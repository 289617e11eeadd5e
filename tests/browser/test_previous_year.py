"""The previous year in a real browser: its reports, the Data Check and the 360 report
under the year's tab, read only, and last year overlaid on this year's charts."""

from __future__ import annotations

from urllib.parse import urlparse

from selenium.webdriver.common.by import By

from tests.browser.conftest import VIEWER, Browser


def test_last_years_reports_under_the_years_tab(browser: Browser) -> None:
    browser.sign_in(*VIEWER)
    browser.open("/previous-year")
    browser.wait_for("#previous-year-grid")
    browser.wait_for_text("#_pages_content", "Read only: the final release of 2022/23")
    heading = browser.driver.find_element(By.TAG_NAME, "h1").text
    assert heading == "2022/23"
    assert (
        "National %" in browser.driver.find_element(By.ID, "previous-year-content").text
    )

    browser.driver.find_element(By.LINK_TEXT, "Year Groups").click()
    browser.wait_for_text("#previous-year-content", "Year 7")
    assert urlparse(browser.driver.current_url).path == "/previous-year/year-groups"
    assert "2022/23" in browser.driver.find_element(By.ID, "nav").text
    active = browser.driver.find_elements(By.CSS_SELECTOR, "#nav .nav-pills .active")
    assert [link.text for link in active] == ["Year Groups"]
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []


def test_last_years_data_check_and_360_report(browser: Browser) -> None:
    browser.sign_in(*VIEWER)
    browser.open("/previous-year/data-check")
    browser.wait_for("#previous-year-grid")
    browser.wait_for_text("#previous-year-content", "Total marks")

    browser.driver.find_element(
        By.CSS_SELECTOR, "#nav .nav-pills a[href^='/previous-year/360-report']"
    ).click()
    browser.wait_for("#previous-year-360-content #three-sixty-headline")
    content = browser.driver.find_element(By.ID, "previous-year-360-content").text
    assert "Read only: the final release of 2022/23" in content
    assert "Persistent absence" in content
    browser.driver.find_element(
        By.CSS_SELECTOR, "#previous-year-period input[value='week']"
    ).click()
    browser.wait_for_text("#three-sixty-headline", "Attendance")
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []


def test_last_year_overlays_the_360_chart(browser: Browser) -> None:
    browser.sign_in(*VIEWER)
    browser.open("/360-report")
    browser.wait_for("#three-sixty-content .js-plotly-plot")
    browser.driver.find_element(By.CSS_SELECTOR, "#last-year-overlay input").click()
    browser.wait_for_text(
        "#three-sixty-content .js-plotly-plot",
        "School, 2022/23 (same week of half-term)",
    )
    legend = browser.driver.find_element(
        By.CSS_SELECTOR, "#three-sixty-content .legend"
    )
    assert "National, 2022/23" in legend.text
    assert browser.console_errors() == []
