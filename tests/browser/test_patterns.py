"""Absence patterns in a real browser, on the two-school fixture's own tracker.

The figures are those worked by hand in tests/test_patterns.py; the fixture app
withholds national groups of fewer than three pupils (Year 7 nationally has two).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from dashboard.users import grant_pupil_access
from data.pupil_names import pupil_token
from tests.browser.conftest import WAIT_SECONDS, Browser
from tests.browser.report_app import EMAIL, PASSWORD, running
from tests.report_fixture import SCHOOL_A

PAGE = "/school-reports/absence-patterns"
# Each heat map's texts, once there are two maps and each has its percentages drawn.
MAP_TEXTS = """
const maps = [...document.querySelectorAll('.pattern-section .js-plotly-plot')];
const texts = maps.map(map => [...map.querySelectorAll('text')].map(t => t.textContent));
const drawn = maps.length === 2 && texts.every(found => found.some(t => t.endsWith('%')));
return drawn ? texts : null;
"""
SECRET = "report-fixture-tests"  # the fixture app's SECRET_KEY
ROWS = """
return [...document.querySelectorAll(arguments[0] + ' tbody tr')].map(row =>
  [...row.children].map(cell => {
    const circle = cell.querySelector('.band-circle');
    const figure = cell.querySelector('.difference > span:not([class])') || cell;
    return [figure.textContent.trim(),
            circle ? circle.className.replace('band-circle ', '') : ''];
  }));
"""
SCHOOL = ["20.0", "20.0", "16.7", "16.7", "16.7", "16.7", "16.7", "0.0", "0.0", "16.7"]
NATIONAL = ["12.5", "12.5", "10.0", "10.0", "20.0", "20.0", "20.0", "10.0", "20.0"]
DIFFERENCES = [
    ("7.5", "band-worse-3"),
    ("7.5", "band-worse-3"),
    ("6.7", "band-worse-3"),
    ("6.7", "band-worse-3"),
    ("-3.3", "band-better-2"),
    ("-3.3", "band-better-2"),
    ("-3.3", "band-better-2"),
    ("-10.0", "band-better-3"),
    ("-20.0", "band-better-3"),
    ("-13.3", "band-better-3"),
    ("-2.9", "band-better-2"),
]


@pytest.fixture(scope="module")
def patterns_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The report fixture's tracker, its viewer with pupil access; yield its address
    and database URL."""
    path = tmp_path_factory.mktemp("patterns-app") / "tracker.db"
    with running(path) as base_url:
        url = f"sqlite:///{path}"
        grant_pupil_access(url, EMAIL, SCHOOL_A)
        yield base_url, url


@pytest.fixture
def on_patterns(chromium: WebDriver, patterns_app: tuple[str, str]) -> Browser:
    """The shared browser signed in to the fixture app as school A's viewer."""
    browser = Browser(chromium, patterns_app[0])
    browser.sign_in(EMAIL, PASSWORD)
    chromium.get_log("browser")
    return browser


def rows(browser: Browser, table: str) -> list[list[tuple[str, str]]]:
    """Return a figure table's body rows as (text, band class) per cell."""
    found = browser.driver.execute_script(ROWS, table)
    return [[(text, band) for text, band in row] for row in found]


def column(found: list[list[tuple[str, str]]], index: int) -> list[str]:
    return [row[index][0] for row in found]


def open_patterns(browser: Browser, query: str = "") -> list[list[tuple[str, str]]]:
    browser.open(PAGE + query)
    browser.wait_for("#patterns-table tbody tr")
    browser.wait_until_settled()
    return rows(browser, "#patterns-table")


def test_the_school_pattern_against_national_as_worked_by_hand(
    on_patterns: Browser,
) -> None:
    found = open_patterns(on_patterns)

    assert column(found, 0)[0] == "Monday AM"
    assert column(found, 0)[-1] == "All sessions"
    assert column(found, 1) == [*SCHOOL, "13.8"]
    assert column(found, 2) == [*NATIONAL, "30.0", "16.7"]
    assert [row[3] for row in found] == DIFFERENCES
    # Two heat maps, the figures written in their cells (plotly draws them after
    # Dash has settled, so wait until both hold their figures).
    cell_texts = WebDriverWait(on_patterns.driver, WAIT_SECONDS).until(
        lambda driver: driver.execute_script(MAP_TEXTS)
    )
    assert len(cell_texts) == 2
    assert "20.0%" in cell_texts[0] and "30.0%" in cell_texts[1]
    assert on_patterns.console_errors() == []


def test_a_year_group_and_a_withheld_national_group(on_patterns: Browser) -> None:
    year_10 = open_patterns(on_patterns, "?year_group=10")
    assert column(year_10, 1) == ["25.0"] * 6 + ["0.0"] * 3 + ["25.0", "17.5"]
    assert column(year_10, 2)[-1] == "12.1"
    assert year_10[-1][3] == ("5.4", "band-worse-3")

    # Year 7 nationally is A3 and B2 only: withheld, with its reason on the page.
    year_7 = open_patterns(on_patterns, "?year_group=7")
    assert column(year_7, 2) == [""] * 11
    assert column(year_7, 3) == [""] * 11
    section = on_patterns.driver.find_element(By.CSS_SELECTOR, ".pattern-section").text
    assert "Withheld: too few pupils" in section


def test_the_term_switch_uses_the_filter_bars_term(on_patterns: Browser) -> None:
    found = open_patterns(on_patterns, "?term=spring1")
    assert column(found, 1)[-1] == "13.8"  # the year to date by default

    on_patterns.driver.find_element(
        By.CSS_SELECTOR, "#patterns-period input[value='term']"
    ).click()
    on_patterns.wait_for_text(".pattern-section", "No week of this term")
    assert column(rows(on_patterns, "#patterns-table"), 1) == [""] * 11


def test_the_pupil_pattern_beside_the_school_on_the_individual_pupil_report(
    on_patterns: Browser, patterns_app: tuple[str, str]
) -> None:
    from data.access import school_data
    from data.pupil_names import pupil_names
    from data.releases import current_release

    url = patterns_app[1]
    release = current_release(url)
    assert release is not None
    pupils = school_data(url, release.id, SCHOOL_A).pupils.index
    names = pupil_names(url, SCHOOL_A, pupils)
    gethin = next(pupil for pupil, name in names.items() if "Gethin" in name.full)

    on_patterns.open(
        "/pupil-reports/individual-pupil?pupil=" + pupil_token(SECRET, SCHOOL_A, gethin)
    )
    on_patterns.wait_for("#pupil-pattern-table tbody tr")
    found = rows(on_patterns, "#pupil-pattern-table")

    assert column(found, 1) == ["50.0"] * 6 + ["0.0"] * 4 + ["30.0"]
    assert column(found, 2) == [*SCHOOL, "13.8"]
    assert column(found, 3) == (
        ["30.0", "30.0"] + ["33.3"] * 4 + ["-16.7", "0.0", "0.0", "-16.7", "16.2"]
    )
    assert {row[3][1] for row in found} == {""}


def test_the_page_in_welsh_has_welsh_labels_and_the_same_figures(
    on_patterns: Browser,
) -> None:
    english = open_patterns(on_patterns)
    on_patterns.driver.get(on_patterns.base_url + "/language/cy?next=" + PAGE)
    on_patterns.wait_for("#patterns-table tbody tr")
    on_patterns.wait_until_settled()
    welsh = rows(on_patterns, "#patterns-table")
    heading = on_patterns.driver.find_element(By.CSS_SELECTOR, "h1").text
    headers = on_patterns.driver.execute_script(
        "return [...document.querySelectorAll('#patterns-table thead th')]"
        ".map(th => th.textContent);"
    )
    on_patterns.driver.get(on_patterns.base_url + "/language/en?next=/")

    assert heading == "Patrymau absenoldeb"
    assert headers[0] == "Sesiwn"
    assert column(welsh, 0)[0] == "Bore Llun"
    assert [row[1:] for row in welsh] == [row[1:] for row in english]
