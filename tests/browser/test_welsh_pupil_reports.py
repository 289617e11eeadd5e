"""The 360 report and the Individual Pupil report in Welsh, in a real browser: Welsh
labels and dates, and every figure equal to the English page's.

Each test reads a page in English, switches to Welsh through the language switch
(which returns to the same address) and reads it again. Week headings are the same
weeks with Welsh month names: Sep "Medi", Oct "Hyd", Nov "Tach", Dec "Rhag", Jan
"Ion", Feb "Chwef", Mar "Maw".
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import PUPILS, Browser

WELSH_MONTHS = {
    "Sep": "Medi",
    "Oct": "Hyd",
    "Nov": "Tach",
    "Dec": "Rhag",
    "Jan": "Ion",
    "Feb": "Chwef",
    "Mar": "Maw",
}
SHOWN_TEXT = """
// A cell's text as seen: a band's words for screen readers are left out, as they
// are in the reader's language and the figures are compared across languages.
const shown = (cell) => {
  const copy = cell.cloneNode(true);
  copy.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
  return copy.textContent.trim();
};
"""
FIGURE_TABLE = (
    SHOWN_TEXT
    + """
const table = document.getElementById(arguments[0]);
return [table.querySelector('caption').textContent.trim(),
        [...table.querySelectorAll('thead th')].map(c => c.textContent.trim()),
        [...table.querySelectorAll('tbody tr')]
          .map(r => [...r.children].map(shown))];
"""
)
REPORT_GRID = (
    SHOWN_TEXT
    + """
const table = document.getElementById(arguments[0]).closest('.report-table')
  .querySelector('.print-table');
return [table.querySelector('caption').textContent.trim(),
        [...table.querySelectorAll('thead th')].map(c => c.textContent.trim()),
        [...table.querySelectorAll('tbody tr')]
          .map(r => [...r.children].map(shown))];
"""
)


@pytest.fixture
def pupils_browser(browser: Browser) -> Iterator[Browser]:
    """The shared browser signed in with pupil access, put back in English after.

    It ends on a settled page, so that no answer still on its way can bring back a
    cookie once the next test clears them.
    """
    browser.sign_in(*PUPILS)
    yield browser
    browser.open("/language/en?next=/guidance")
    browser.wait_for_text("#_pages_content h1", "Guidance")
    browser.wait_until_settled()


def _to_welsh(browser: Browser, heading: str) -> None:
    """Switch to Welsh on the page shown and wait for its Welsh heading."""
    here = browser.driver.current_url.removeprefix(browser.base_url)
    browser.open("/language/cy?next=" + quote(here, safe=""))
    browser.wait_for_text("#_pages_content h1", heading)
    browser.wait_until_settled()


def _table(browser: Browser, script: str, table_id: str) -> tuple[str, list, list]:
    caption, headers, rows = browser.driver.execute_script(script, table_id)
    return caption, headers, rows


def _figures(rows: list[list[str]]) -> list[list[str]]:
    """Return each row's figures, without its label."""
    return [row[1:] for row in rows]


def _welsh_week(heading: str) -> str:
    """Return a week heading ("4 Mar 24") as Welsh writes it ("4 Maw 24")."""
    day, month, year = heading.split()
    return f"{day} {WELSH_MONTHS[month]} {year}"


def test_the_360_report_in_welsh_has_the_english_figures(pupils_browser) -> None:
    browser = pupils_browser
    browser.open("/360-report")
    browser.wait_for("#three-sixty-headline")
    browser.wait_until_settled()
    tables = ("three-sixty-headline", "three-sixty-groups", "three-sixty-persistent")
    english = {name: _table(browser, FIGURE_TABLE, name) for name in tables}
    english_note = browser.wait_for("#at-risk-note").text

    _to_welsh(browser, "Adroddiad 360")
    browser.wait_for("#three-sixty-headline")
    welsh = {name: _table(browser, FIGURE_TABLE, name) for name in tables}
    welsh_note = browser.wait_for("#at-risk-note").text

    caption, headers, rows = welsh["three-sixty-headline"]
    assert english["three-sixty-headline"][1] == [
        "Measure",
        "School %",
        "National %",
        "Difference",
    ]
    assert caption == "Prif ffigurau"
    assert headers == ["Mesur", "Ysgol %", "Cymru %", "Gwahaniaeth"]
    assert [row[0] for row in rows] == [
        "Presenoldeb",
        "Absenoldeb awdurdodedig",
        "Absenoldeb heb awdurdod",
        "Absenoldeb parhaus",
    ]
    assert welsh["three-sixty-groups"][0] == "Grwpiau disgyblion allweddol"
    assert [row[0] for row in welsh["three-sixty-groups"][2]] == [
        "Benyw",
        "Gwryw",
        "PYDd",
        "Nid PYDd",
        "AAA/ADY",
        "Dim AAA/ADY",
    ]
    persistent = welsh["three-sixty-persistent"]
    assert persistent[0] == "Absenoldeb parhaus"
    assert [row[0] for row in persistent[2]][:3] == [
        "Ysgol gyfan",
        "Blwyddyn 7",
        "Blwyddyn 8",
    ]
    for name in tables:
        assert _figures(welsh[name][2]) == _figures(english[name][2]), name
        assert any(cell for row in welsh[name][2] for cell in row[1:]), name

    # "N pupils are at risk ..." becomes "N disgybl mewn perygl ...", same N.
    count = english_note.split()[0]
    assert int(count) > 0
    assert welsh_note.startswith(f"{count} disgybl mewn perygl o absenoldeb parhaus")
    assert "gweld y rhestr" in welsh_note
    title = browser.driver.find_element(
        By.CSS_SELECTOR, "#three-sixty-content .gtitle"
    ).text
    assert title == "Presenoldeb yr ysgol a chenedlaethol"
    switch = browser.driver.find_element(By.ID, "report-switch").text
    assert "Blwyddyn hyd yma" in switch and "Yr wythnos ddiweddaraf" in switch
    assert browser.console_errors() == []


def test_the_individual_pupil_in_welsh_has_the_english_figures(pupils_browser) -> None:
    browser = pupils_browser
    browser.open("/pupil-reports/pupil-list")
    link = browser.wait_for("#pupil-list-grid a.pupil-link")
    name = link.text
    browser.driver.execute_script("arguments[0].click()", link)
    browser.wait_for_text("#pupil-heading", name)
    browser.wait_until_settled()
    english_heading = browser.wait_for("#pupil-heading").text
    english_ytd = browser.wait_for("#pupil-ytd").text
    grids = ("pupil-marks", "pupil-authorised", "pupil-unauthorised")
    english = {grid: _table(browser, REPORT_GRID, grid) for grid in grids}
    english_reasons = _table(browser, FIGURE_TABLE, "pupil-reasons")
    english_register = browser.wait_for("#pupil-register").text.splitlines()

    _to_welsh(browser, "Disgybl unigol")
    browser.wait_for_text("#pupil-heading", name)
    welsh_heading = browser.wait_for("#pupil-heading").text
    welsh = {grid: _table(browser, REPORT_GRID, grid) for grid in grids}
    welsh_reasons = _table(browser, FIGURE_TABLE, "pupil-reasons")
    welsh_register = browser.wait_for("#pupil-register").text.splitlines()

    # "Surname, Forename (Yr:9, F)" becomes "(Bl:9, B)"; M becomes G.
    year_and_gender = english_heading.removeprefix(name).strip(" ()")
    year, gender = year_and_gender.removeprefix("Yr:").split(", ")
    letter = {"F": "B", "M": "G"}[gender]
    assert welsh_heading == f"{name} (Bl:{year}, {letter})"
    assert browser.wait_for("#pupil-ytd").text == english_ytd
    context = browser.driver.find_element(By.CSS_SELECTOR, ".pupil-context").text
    assert "Grŵp blwyddyn" in context and f"Blwyddyn {year}" in context
    assert "Grŵp cofrestru" in context and "Ethnigrwydd" in context

    caption, headers, rows = welsh["pupil-marks"]
    english_headers = english["pupil-marks"][1]
    assert english_headers[:2] == ["Measure", "YTD"]
    assert caption == "Crynodeb marciau"
    assert headers[:2] == ["Mesur", "BHY"]
    assert len(english_headers) > 2  # the term's weeks
    assert headers[2:] == [_welsh_week(week) for week in english_headers[2:]]
    assert [row[0] for row in rows] == [
        "Presenoldeb %",
        "Cyfanswm marciau",
        "Cyfanswm presennol",
        "Cyfanswm absenoldeb",
        "Marciau X",
        "Marciau heb eu cyfrif",
    ]
    assert [row[0] for row in welsh["pupil-authorised"][2]] == [
        "Absenoldeb awdurdodedig",
        "Salwch",
        "Meddygol",
        "Gwyliau awdurdodedig",
    ]
    for grid in grids:
        assert _figures(welsh[grid][2]) == _figures(english[grid][2]), grid
    assert welsh_reasons[0] == "Rhesymau presenoldeb ac absenoldeb"
    assert welsh_reasons[1] == ["Rheswm", "Sesiynau", "% o'r posibl"]
    assert _figures(welsh_reasons[2]) == _figures(english_reasons[2])

    # The register: Welsh days and week headings, the same marks.
    assert welsh_register[0].split()[:3] == ["w/d", "Llun", "yb"]
    assert len(welsh_register) == len(english_register) > 1
    for english_row, welsh_row in zip(
        english_register[1:], welsh_register[1:], strict=True
    ):
        day, month, year_short, *marks = english_row.split()
        assert welsh_row.split() == [
            *_welsh_week(f"{day} {month} {year_short}").split(),
            *marks,
        ]
    title = browser.driver.find_element(
        By.CSS_SELECTOR, "#individual-pupil-content .gtitle"
    ).text
    assert title == "Presenoldeb: disgybl a chenedlaethol"
    assert "Cyfrinachol: Gwybodaeth Bersonol" in browser.wait_for(".confidential").text
    assert browser.console_errors() == []
