"""Regional attendance and the data desk in Welsh, in a real browser: Welsh headings,
headers, row labels and dates, and the same figures as the English page.

The demo's release runs to Friday 15 March 2024 (the last complete school week before
20 March), so its latest week is w/c 11 March: "11 Maw 24" in Welsh. The rejected
upload goes to the data desk's own school (tests/browser/test_data_desk.py), whose
fixtures hold pupil A679400123001 with context for 2023/24.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import ADMINISTRATOR, LA_OFFICER, Browser
from tests.browser.test_data_desk import (  # noqa: F401  (desk_school is a fixture)
    DESK_USER,
    click,
    desk_school,
    newest_import,
    send_file,
)

# A grid's headers, then its rows (pinned rows last) as [text, band] per cell, from
# the grid's own data, so that columns scrolled out of view are read too.
GRID = """
const api = dash_ag_grid.getApi(arguments[0]);
const fields = api.getColumnDefs().map(column => column.field);
const headers = api.getColumnDefs().map(column => column.headerName);
const row = data => fields.map(f => [data[f] || '', data[f + '_band'] || '']);
const rows = [];
api.forEachNode(node => rows.push(row(node.data)));
for (let i = 0; i < api.getPinnedBottomRowCount(); i++) {
  rows.push(row(api.getPinnedBottomRow(i).data));
}
return [headers, rows];
"""
SCHOOLS_HEADERS = [
    "Ysgol",
    "Disgyblion",
    "Presenoldeb %",
    "Absenoldeb awdurdodedig %",
    "Absenoldeb heb awdurdod %",
    "Presenoldeb yr wythnos ddiweddaraf %",
    "Absenoldeb awdurdodedig yr wythnos ddiweddaraf %",
    "Absenoldeb heb awdurdod yr wythnos ddiweddaraf %",
    "Absenoldeb parhaus %",
]
HEADLINE_HEADERS = [
    "Mesur",
    "Ysgol %",
    "Awdurdod %",
    "Gwahaniaeth awdurdod",
    "Rhanbarth %",
    "Gwahaniaeth rhanbarth",
    "Cymru %",
    "Gwahaniaeth cenedlaethol",
]
MEASURES = [
    "Presenoldeb",
    "Absenoldeb awdurdodedig",
    "Absenoldeb heb awdurdod",
    "Absenoldeb parhaus",
]
BAD_MARKS = (
    "upn,date,session,code\n"
    "A679400123001,2023-09-31,AM,/\n"
    "A679400123001,2023-09-16,AM,/\n"
    "A679400123001,2023-09-18,AM,Q\n"
)
WELSH_PROBLEMS = [
    "Llinell 2: nid yw 2023-09-31 yn ddyddiad.",
    "Llinell 3: dydd Sadwrn yw 2023-09-16; dim ond ar ddiwrnodau'r wythnos waith y "
    "cofnodir marciau.",
    "Llinell 4: cod presenoldeb anhysbys 'Q'.",
]


@pytest.fixture(autouse=True)
def back_to_english(live_app: str, chromium: WebDriver) -> Iterator[None]:
    """Switch the shared browser back to English after each test, as the other
    modules' tests expect it."""
    yield
    chromium.get(f"{live_app}/language/en?next=/login")


def in_welsh(browser: Browser, path: str, heading: str) -> None:
    """Switch to Welsh through the language link's address and wait for the page."""
    browser.open(f"/language/cy?next={path}")
    browser.wait_for_text("#_pages_content", heading)
    browser.wait_until_settled()


def grid(browser: Browser, grid_id: str) -> tuple[list[str], list[list[list[str]]]]:
    """Return a grid's headers and its rows of [text, band] cells, once it has rows."""
    browser.wait_for(f"#{grid_id} .ag-row")
    browser.wait_until_settled()
    headers, rows = browser.driver.execute_script(GRID, grid_id)
    return headers, rows


def figures(rows: list[list[list[str]]]) -> list[list[list[str]]]:
    """Return every cell but each row's label: the figures and their bands."""
    return [row[1:] for row in rows]


def test_regional_in_welsh_shows_the_english_figures(browser: Browser) -> None:
    browser.sign_in_with_code(*LA_OFFICER, "/regional-attendance")
    browser.wait_for_tab("Schools of Isle of Anglesey")
    _english_headers, english_schools = grid(browser, "regional-schools-grid")
    click(browser, "#regional-view input[value=school]")
    browser.wait_for_text("#regional-content", "Attendance by week")
    _headers, english_headline = grid(browser, "regional-headline-grid")
    _headers, english_weeks = grid(browser, "regional-weekly-grid")

    in_welsh(browser, "/regional-attendance", "Presenoldeb rhanbarthol")
    browser.wait_for_text("#regional-content", "Ysgolion Isle of Anglesey")
    content = browser.driver.find_element(By.ID, "regional-content").text
    assert "blwyddyn hyd yma a w/d 11 Maw 24" in content
    assert "Absenoldeb parhaus fesul ysgol, blwyddyn hyd yma" in content
    headers, schools = grid(browser, "regional-schools-grid")
    assert headers == SCHOOLS_HEADERS
    assert [row[0][0] for row in schools][-2:] == [
        "Isle of Anglesey (awdurdod)",
        "Cenedlaethol",
    ]
    assert [row[0][0] for row in schools][:-2] == [
        row[0][0] for row in english_schools
    ][:-2]
    assert figures(schools) == figures(english_schools)
    controls = browser.driver.find_element(By.ID, "_pages_content").text
    for label in ("Dangos", "Ysgolion yr awdurdod", "Un ysgol", "Ffigurau ar gyfer"):
        assert label in controls

    click(browser, "#regional-view input[value=school]")
    browser.wait_for_text("#regional-content", "Presenoldeb fesul wythnos")
    headers, headline = grid(browser, "regional-headline-grid")
    assert headers == HEADLINE_HEADERS
    assert [row[0][0] for row in headline] == MEASURES
    assert figures(headline) == figures(english_headline)
    headers, weeks = grid(browser, "regional-weekly-grid")
    assert headers[:2] == ["w/d", "Ysgol %"]
    assert weeks[0][0][0] == "4 Medi 23"
    assert figures(weeks) == figures(english_weeks)
    content = browser.driver.find_element(By.ID, "regional-content").text
    assert "Awdurdod (Isle of Anglesey): " in content
    assert "Yr isafswm yw 3 ysgol." in content
    assert "Presenoldeb: yr ysgol a'r ardaloedd" in content
    assert "Attendance" not in content and "Authority" not in content
    assert browser.console_errors() == []


def test_the_data_desk_in_welsh(browser: Browser) -> None:
    browser.sign_in_with_code(*ADMINISTRATOR)
    in_welsh(browser, "/data-desk", "Desg ddata")
    browser.wait_for("#desk-status .desk-status")

    assert browser.driver.title == "Traciwr Presenoldeb"
    page = browser.driver.find_element(By.ID, "_pages_content").text
    for heading in ("Llwytho ffeil", "Marciau'r ysgol", "Hanes mewnforio"):
        assert heading in page
    for words in ("Cyhoeddiadau", "Cyhoeddi nawr", "Rhagweld beth sy'n newid"):
        assert words in page
    assert "Dewiswch lwythiad a wrthodwyd" in page
    headers, releases = grid(browser, "desk-releases-grid")
    assert headers == [
        "Cyhoeddiad",
        "Blwyddyn academaidd",
        "Data hyd at",
        "Cyhoeddwyd (UTC)",
        "Ysgolion",
        "Disgyblion",
        "Wythnosau",
    ]
    newest = [text for text, _band in releases[0]]
    assert newest[1:3] == ["2023/24", "Gwen 15 Maw 2024"]
    assert newest[4] == "4"
    status = browser.driver.find_element(By.ID, "desk-status").text
    assert "Mae'r cyhoeddiad presennol yn cwmpasu" in status
    assert "Gwen 1 Medi 2023 – Gwen 15 Mawrth 2024" in status
    # The date pickers cannot name months in Welsh, so they write them in figures.
    start = browser.driver.find_element(By.ID, "desk-reconcile-dates")
    end = start.find_element(By.XPATH, "../..//input[contains(@class, 'end-date')]")
    assert start.get_attribute("value") == "1/9/2023"
    assert end.get_attribute("value") == "15/3/2024"
    assert end.get_attribute("aria-label") == "Dyddiad olaf"

    click(browser, "#desk-publish-preview-button")
    preview = browser.wait_for("#desk-publish-preview .desk-preview")
    assert "Cyhoeddiad presennol" in preview.text
    assert "Cyhoeddi nawr" in preview.text
    assert browser.console_errors() == []


def test_a_rejected_upload_names_each_line_in_welsh(
    browser: Browser,
    desk_school: str,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
) -> None:
    bad = tmp_path / "drwg.csv"
    bad.write_text(BAD_MARKS, encoding="utf-8")
    browser.sign_in(*DESK_USER)
    in_welsh(browser, "/data-desk", "Desg ddata")
    browser.wait_for("#desk-status .desk-status")

    send_file(browser, "desk-upload", bad)
    shown = browser.wait_for("#desk-upload-result .desk-rejected")

    assert shown.text.startswith(
        "Gwrthodwyd drwg.csv ac ni chadwyd dim: 3 problem(au)."
    )
    problems = shown.find_elements(By.CSS_SELECTOR, ".desk-problems li")
    assert [problem.text for problem in problems] == WELSH_PROBLEMS
    browser.wait_for_text("#desk-history", "drwg.csv")
    _headers, history = grid(browser, "desk-history-grid")
    newest = [text for text, _band in history[0]]
    assert newest[2:4] == ["Marciau", "drwg.csv"]
    assert newest[-1] == "Gwrthodwyd: 3 problem(au)"
    # The import log keeps the problems in English, as the command line prints them.
    assert newest_import(desk_school).summary.splitlines()[:2] == [
        "drwg.csv: rejected, 3 problem(s)",
        "Line 2: 2023-09-31 is not a date.",
    ]
    assert browser.console_errors() == []
