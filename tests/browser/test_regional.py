"""Regional attendance in a real browser: the school view, the authority view, and the
withholding note (the demo's four schools sit in four authorities of one region, so
every authority comparator is withheld and the region of four is shown)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import select

from data.db import session_scope
from data.schema import School
from tests.browser.conftest import LA_OFFICER, VIEWER, Browser

FEW_SCHOOLS = "Withheld: too few schools in this area to compare."


@pytest.fixture(scope="module")
def school_names(demo_url: str) -> list[str]:
    """The demo schools' names, first the demo users' own school (lowest id)."""
    with session_scope(demo_url) as session:
        return list(session.scalars(select(School.name).order_by(School.id)))


def test_a_school_sees_itself_against_its_areas(
    browser: Browser, school_names: list[str]
) -> None:
    browser.sign_in(*VIEWER, "/regional-attendance")
    browser.wait_for("#regional-headline-grid")
    browser.wait_for_text("#regional-content", "Region %")
    content = browser.driver.find_element(By.ID, "regional-content").text

    assert "Authority %" in content and "National %" in content
    assert f"Authority (Isle of Anglesey): {FEW_SCHOOLS}" in content
    assert "The minimum is 3 schools." in content
    assert "Attendance by week" in content
    # No view switch for a school user, and no other school's name anywhere.
    assert not browser.driver.find_element(By.ID, "regional-view").is_displayed()
    page = browser.driver.find_element(By.TAG_NAME, "body").text
    assert all(name not in page for name in school_names[1:])
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []


def test_the_week_switch_and_measure_change_the_figures(browser: Browser) -> None:
    browser.sign_in(*VIEWER, "/regional-attendance")
    browser.wait_for("#regional-headline-grid")
    browser.driver.find_element(
        By.CSS_SELECTOR, "#regional-measure input[value=unauthorised]"
    ).click()
    browser.wait_for_text("#regional-content", "Unauthorised absence by week")
    browser.driver.find_element(
        By.CSS_SELECTOR, "#regional-period input[value=week]"
    ).click()
    browser.wait_for_text("#regional-content", "Unauthorised absence by week")
    assert browser.console_errors() == []


def test_an_authority_officer_sees_the_authoritys_schools(
    browser: Browser, school_names: list[str]
) -> None:
    browser.sign_in_with_code(*LA_OFFICER, "/regional-attendance")
    browser.wait_for("#regional-schools-grid")
    browser.wait_for_text("#regional-content", "Schools of Isle of Anglesey")
    content = browser.driver.find_element(By.ID, "regional-content").text

    assert school_names[0] in content
    assert "Isle of Anglesey (authority)" in content
    assert f"Authority (Isle of Anglesey): {FEW_SCHOOLS}" in content
    assert all(name not in content for name in school_names[1:])
    assert "Persistent absence by school" in content

    browser.driver.find_element(
        By.CSS_SELECTOR, "#regional-view input[value=school]"
    ).click()
    browser.wait_for("#regional-headline-grid")
    assert urlparse(browser.driver.current_url).path == "/regional-attendance"
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []
