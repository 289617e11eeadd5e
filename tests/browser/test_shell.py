"""The shell in a real browser: sign-in, every tab, filters in the address, sign-out."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from data.db import session_scope
from data.schema import School
from tests.browser.conftest import (
    ADMINISTRATOR,
    PUPILS,
    VIEWER,
    WAIT_SECONDS,
    Browser,
)

TABS = (
    ("/", "Attendance"),
    ("/360-report", "360 report"),
    ("/school-reports/attendance-summary", "Attendance Summary"),
    ("/school-reports/year-groups", "Year Groups"),
    ("/school-reports/pupil-groups", "Pupil Groups"),
    ("/school-reports/absence", "Absence"),
    ("/school-reports/absence-patterns", "Absence patterns"),
    ("/school-reports/data-check", "Data Check"),
    ("/pupil-reports/pupil-list", "Pupil List"),
    ("/pupil-reports/individual-pupil", "Individual Pupil"),
    ("/pupil-reports/at-risk", "Pupils at risk"),
    ("/previous-year", "2022/23"),
    ("/regional-attendance", "Regional attendance"),
)


def _query(browser: Browser) -> dict[str, list[str]]:
    return parse_qs(urlparse(browser.driver.current_url).query)


def _choose(browser: Browser, name: str, label: str) -> None:
    """Pick an option of a filter dropdown by its visible label, then wait until the
    dropdown shows it and the address carries the choice."""
    control = browser.wait_for(f'button[id*=\'"name":"{name}"\']')
    control.click()
    option = WebDriverWait(browser.driver, WAIT_SECONDS).until(
        expected.element_to_be_clickable(
            (By.XPATH, f"//*[@role='option'][normalize-space(.)='{label}']")
        )
    )
    option.click()
    browser.wait_for_text(f'button[id*=\'"name":"{name}"\']', label)
    if label != "All":
        WebDriverWait(browser.driver, WAIT_SECONDS).until(
            lambda _driver: name in _query(browser)
        )


def test_pages_need_signing_in(browser: Browser) -> None:
    browser.driver.get(browser.base_url + "/school-reports/year-groups")
    assert urlparse(browser.driver.current_url).path == "/login"
    assert "Sign in" in browser.driver.title


def test_a_wrong_password_is_refused(browser: Browser) -> None:
    browser.driver.get(browser.base_url + "/login")
    browser.driver.find_element(By.ID, "email").send_keys(VIEWER[0])
    browser.driver.find_element(By.ID, "password").send_keys("not-the-password")
    browser.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert urlparse(browser.driver.current_url).path == "/login"
    assert "password" in browser.wait_for(".alert").text.lower()


@pytest.mark.parametrize(("path", "heading"), TABS)
def test_every_tab_renders_without_errors(
    watched: Browser, path: str, heading: str
) -> None:
    """Each tab renders its heading, header and footer with unique element ids, no
    console errors and no Content-Security-Policy violations."""
    watched.sign_in(*PUPILS, path)
    watched.wait_for_text("#_pages_content", heading)
    watched.wait_for("footer")
    assert (
        "For internal school use only"
        in watched.driver.find_element(By.TAG_NAME, "footer").text
    )
    watched.wait_for_text("header", "Latest reports display data to")
    assert watched.duplicate_ids() == []
    assert watched.console_errors() == []
    assert watched.policy_violations() == []


def test_the_header_names_school_release_and_user(browser: Browser) -> None:
    browser.sign_in(*VIEWER)
    browser.wait_for_text("header", "Latest reports display data to Fri 15 March")
    header = browser.driver.find_element(By.TAG_NAME, "header").text
    assert "Sign out" in header
    # The demo's year ended in July 2024, long before the clock's today.
    notice = browser.wait_for("#year-notice").text
    assert notice.startswith("The 2023/24 year is complete")


def test_filters_follow_the_user_between_tabs_and_reloads(browser: Browser) -> None:
    browser.sign_in(*VIEWER, "/school-reports/year-groups")
    _choose(browser, "year_group", "Year 9")
    browser.wait_for_text("#nav", "School reports")
    assert _query(browser).get("year_group") == ["9"]

    browser.driver.find_element(By.LINK_TEXT, "Attendance Summary").click()
    browser.wait_for_text("#_pages_content", "Attendance Summary")
    assert urlparse(browser.driver.current_url).path.endswith("attendance-summary")
    assert _query(browser).get("year_group") == ["9"]

    browser.driver.refresh()
    browser.wait_for_text('[id*=\'"name":"year_group"\']', "Year 9")
    assert _query(browser).get("year_group") == ["9"]
    assert browser.console_errors() == []


def test_a_user_of_several_schools_picks_the_school(
    browser: Browser, demo_url: str
) -> None:
    with session_scope(demo_url) as session:
        schools = dict(session.execute(select(School.name, School.id)).all())
    picker = 'button[id*=\'"name":"school"\']'
    browser.sign_in_with_code(*ADMINISTRATOR, "/school-reports/attendance-summary")
    browser.wait_for("#attendance-summary-content .ag-row")
    shown = browser.wait_for(picker).text
    assert shown in schools
    before = browser.driver.find_element(By.ID, "attendance-summary-content").text

    other = min(name for name in schools if name != shown)
    _choose(browser, "school", other)
    assert _query(browser).get("school") == [schools[other]]
    WebDriverWait(browser.driver, WAIT_SECONDS).until(
        lambda driver: (
            driver.find_element(By.ID, "attendance-summary-content").text
            not in ("", before)
        )
    )
    assert other in browser.wait_for("header").text
    browser.driver.refresh()
    browser.wait_for_text(picker, other)
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []


def test_the_address_never_carries_pupil_details(browser: Browser) -> None:
    browser.sign_in(*PUPILS, "/pupil-reports/pupil-list")
    _choose(browser, "gender", "Female")
    query = urlparse(browser.driver.current_url).query
    assert set(parse_qs(query)) <= {
        "term", "year_group", "gender", "efsm", "sen", "reg_group", "eal",
        "ethnic_group", "school", "pupil",
    }  # fmt: skip


def test_pupil_reports_need_pupil_access(browser: Browser) -> None:
    browser.sign_in(*VIEWER)
    browser.wait_for_text("#nav", "Regional attendance")
    assert "Pupil reports" not in browser.driver.find_element(By.ID, "nav").text
    browser.open("/pupil-reports/pupil-list")
    browser.wait_for_text("#_pages_content", "does not have access")
    assert "Pupil List" not in browser.driver.find_element(By.ID, "_pages_content").text


def test_signing_out_ends_the_session(browser: Browser) -> None:
    browser.sign_in(*VIEWER)
    browser.driver.find_element(By.PARTIAL_LINK_TEXT, "Sign out").click()
    browser.wait_for("form")
    browser.driver.get(browser.base_url + "/")
    assert urlparse(browser.driver.current_url).path == "/login"


def test_only_an_administrator_has_the_audit_log(browser: Browser) -> None:
    browser.sign_in_with_code(*ADMINISTRATOR, "/audit-log")
    browser.wait_for("#audit-log-grid .ag-row")
    assert "sign_in" in browser.driver.find_element(By.ID, "audit-log-grid").text
    assert "Audit log" in browser.wait_for("#nav").text
    assert browser.console_errors() == []

    browser.sign_in(*VIEWER, "/audit-log")
    browser.wait_for_text("#_pages_content", "The audit log is for administrators.")
    assert "Audit log" not in browser.wait_for("#nav").text
    assert browser.console_errors() == []
