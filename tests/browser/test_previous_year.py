"""The previous year in a real browser: its reports, the Data Check, the 360 report and
the pupil reports under the year's tab, read only, and last year overlaid on this
year's charts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.by import By

from tests.browser.conftest import PUPILS, VIEWER, Browser


def test_last_years_reports_under_the_years_tab(browser: Browser) -> None:
    browser.sign_in(*VIEWER, "/previous-year")
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
    browser.sign_in(*VIEWER, "/previous-year/data-check")
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


def test_last_years_pupil_list_only_with_pupil_access(browser: Browser) -> None:
    browser.sign_in(*VIEWER, "/previous-year")
    browser.wait_for("#previous-year-grid")
    nav = browser.driver.find_element(By.ID, "nav").text
    assert "Pupil List" not in nav and "Individual Pupil" not in nav
    browser.open("/previous-year/pupil-list")
    browser.wait_for_text("#_pages_content", "does not have access")
    assert not browser.driver.find_elements(By.ID, "pupil-list-grid")
    browser.open("/previous-year/individual-pupil")
    browser.wait_for_text("#_pages_content", "does not have access")
    assert not browser.driver.find_elements(By.ID, "individual-pupil-content")

    browser.sign_in(*PUPILS, "/previous-year/pupil-list")
    browser.wait_for("#pupil-list-grid .ag-center-cols-container .ag-row")
    content = browser.driver.find_element(By.ID, "_pages_content").text
    assert "2022/23" in content and "pupils listed." in content
    pills = browser.driver.find_element(By.CSS_SELECTOR, "#nav .nav-pills").text
    assert "Pupil List" in pills and "Individual Pupil" in pills
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []


def test_last_years_pupil_list_opens_last_years_individual_pupil(
    browser: Browser,
) -> None:
    browser.sign_in(*PUPILS, "/previous-year/pupil-list")
    link = browser.wait_for("#pupil-list-grid a.pupil-link")
    name = link.text
    browser.driver.execute_script("arguments[0].click()", link)
    browser.wait_for_text("#pupil-heading", name)

    address = urlparse(browser.driver.current_url)
    assert address.path == "/previous-year/individual-pupil"
    assert len(parse_qs(address.query)["pupil"][0]) == 20
    assert browser.driver.find_element(By.TAG_NAME, "h1").text == "2022/23"
    assert browser.wait_for("#pupil-ytd").text
    content = browser.driver.find_element(By.ID, "_pages_content").text
    assert "Confidential: Personal Information" in content
    assert "Download PDF" in content
    assert browser.driver.find_elements(By.ID, "pupil-marks")
    assert browser.driver.find_elements(By.ID, "pupil-register")
    active = browser.driver.find_elements(By.CSS_SELECTOR, "#nav .nav-pills .active")
    assert [link.text for link in active] == ["Individual Pupil"]
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []


def test_last_year_overlays_the_360_chart(browser: Browser) -> None:
    browser.sign_in(*VIEWER, "/360-report")
    _overlay_last_year(browser, "three-sixty-content", "last-year-overlay")

    legend = browser.driver.find_element(
        By.CSS_SELECTOR, "#three-sixty-content .legend"
    )
    assert "National, 2022/23" in legend.text
    assert browser.console_errors() == []


def test_last_year_overlays_the_school_reports_charts(browser: Browser) -> None:
    browser.sign_in(*VIEWER, "/school-reports/attendance-summary")
    _overlay_last_year(
        browser, "attendance-summary-content", "attendance-summary-last-year-overlay"
    )

    browser.open("/school-reports/absence?year_group=9")
    _overlay_last_year(browser, "absence-content", "absence-last-year-overlay")
    legend = browser.driver.find_element(By.CSS_SELECTOR, "#absence-content .legend")
    # One chart per reason, each with last year's line of that reason.
    assert "School, Absence, 2022/23 (same week of half-term)" in legend.text
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []


def _overlay_last_year(browser: Browser, content: str, toggle: str) -> None:
    """Wait for a page's chart, switch last year on, and wait for its line."""
    browser.wait_for(f"#{content} .js-plotly-plot")
    browser.driver.find_element(By.CSS_SELECTOR, f"#{toggle} input").click()
    browser.wait_for_text(
        f"#{content} .js-plotly-plot", "2022/23 (same week of half-term)"
    )
