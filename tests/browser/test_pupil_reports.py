"""The pupil reports in a real browser: the guidance's worked pupil by hand, the PDF
the page downloads, the virtualised list of a full demo school, and audit entries.

The worked pupil (tests/pupil_fixture.py) is alone in school A of her own fixture app:
392 sessions marked, 66 of them not counted, so 326 possible; 20 absent (illness 8,
medical 3, other authorised 4, unauthorised 5), so present 306 and 306/326 = 93.87%,
shown 93.9, in the band "over 90 to under 95". Authorised 15/326 = 4.60%, unauthorised
5/326 = 1.53%.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from data import audit
from tests.browser.conftest import PUPILS, VIEWER, WAIT_SECONDS, Browser
from tests.browser.report_app import EMAIL, PASSWORD, running

SHOWN_ROWS = """
const rows = [];
dash_ag_grid.getApi('pupil-list-grid')
  .forEachNodeAfterFilterAndSort(node => rows.push([node.data.c0, node.data.c1]));
return rows;
"""
GRID_ROWS = """
return [...document.querySelectorAll('#pupil-list-grid .ag-center-cols-container .ag-row')]
  .map(row => [...row.querySelectorAll('.ag-cell')].map(cell => {
    const circle = cell.querySelector('.band-circle');
    const figure = cell.querySelector('.difference > span:not([class])') || cell;
    return [cell.getAttribute('col-id'), figure.textContent.trim(),
            circle ? circle.className.replace('band-circle ', '') : ''];
  }));
"""


@pytest.fixture(scope="module")
def worked_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The worked pupil's own tracker; yield its address and database URL."""
    path = tmp_path_factory.mktemp("worked-app") / "tracker.db"
    with running(path, worked=True) as base_url:
        yield base_url, f"sqlite:///{path}"


@pytest.fixture
def on_worked(chromium: WebDriver, worked_app: tuple[str, str]) -> Browser:
    """The shared browser signed in to the worked pupil's app, with pupil access."""
    browser = Browser(chromium, worked_app[0])
    browser.sign_in(EMAIL, PASSWORD)
    chromium.get_log("browser")
    return browser


def _table_text(browser: Browser, grid_id: str) -> dict[str, list[str]]:
    """Return a small report grid's rows by their first cell: [first, YTD, weeks...]."""
    rows = browser.driver.execute_script(
        "const table = document.getElementById(arguments[0]).closest('.report-table');"
        "return [...table.querySelectorAll('.print-table tbody tr')]"
        ".map(r => [...r.children].map(c => c.textContent.trim()));",
        grid_id,
    )
    return {row[0]: row[1:] for row in rows}


def test_pupil_list_shows_the_worked_pupil_by_hand(on_worked):
    on_worked.open("/pupil-reports/pupil-list")
    on_worked.wait_for("#pupil-list-grid .ag-center-cols-container .ag-row")
    rows = on_worked.driver.execute_script(GRID_ROWS)
    assert len(rows) == 1, rows
    cells = {column: (text, band) for column, text, band in rows[0]}
    assert ("93.9", "pupil-band-90-95") in cells.values(), rows
    assert "Over 90 to under 95%" in [text for text, _ in cells.values()]

    summary = on_worked.wait_for("#pupil-list-summary").text
    assert "Attendance % 93.9" in summary
    assert "Authorised absence % 4.6" in summary
    assert "Unauthorised absence % 1.5" in summary
    bands = on_worked.wait_for("#pupil-list-bands").text
    assert "Over 90 to under 95% 1" in bands
    assert "100% 0" in bands
    assert on_worked.console_errors() == []


def test_individual_pupil_by_hand_and_its_pdf(on_worked, tmp_path: Path):
    on_worked.open("/pupil-reports/pupil-list")
    link = on_worked.wait_for("#pupil-list-grid a.pupil-link")
    assert link.text == "Jones, Sarah"
    on_worked.driver.execute_script("arguments[0].click()", link)
    on_worked.wait_for_text("#pupil-heading", "Jones, Sarah")

    # The address names her by an opaque id only.
    address = urlparse(on_worked.driver.current_url)
    assert address.path == "/pupil-reports/individual-pupil"
    token = parse_qs(address.query)["pupil"][0]
    assert len(token) == 20 and "Jones" not in address.query
    assert "T681100100901" not in address.query

    assert on_worked.wait_for("#pupil-ytd").text == "93.9"
    assert (
        "Confidential: Personal Information" in on_worked.wait_for(".confidential").text
    )
    marks = _table_text(on_worked, "pupil-marks")
    assert marks["Attendance %"][0] == "93.9"
    assert marks["Total marks"][0] == "326"
    assert marks["Total present"][0] == "306"
    assert marks["Total absence"][0] == "20"
    assert marks["X marks"][0] == "0"
    assert marks["Not counted marks"][0] == "66"
    authorised = _table_text(on_worked, "pupil-authorised")
    assert [
        authorised[row][0] for row in ("Authorised absence", "Illness", "Medical")
    ] == [
        "15",
        "8",
        "3",
    ]
    unauthorised = _table_text(on_worked, "pupil-unauthorised")
    assert unauthorised["Unauthorised absence"][0] == "5"
    # Thu 22 Jun 2023 was illness, AM and PM: the register shows both.
    register = on_worked.wait_for("#pupil-register").text
    assert "19 Jun 23 / \\ / \\ / \\ I I / \\" in register

    pdf = _download(on_worked, "pupil-pdf", tmp_path, ".pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Jones, Sarah" in text and "93.9" in text
    assert "For internal school use only" in text
    assert on_worked.console_errors() == []


def test_views_and_downloads_are_audited(on_worked, worked_app):
    url = worked_app[1]
    seen = {entry["id"] for entry in audit.entries(url, limit=None)}
    on_worked.open("/pupil-reports/pupil-list")
    on_worked.driver.execute_script(
        "arguments[0].click()", on_worked.wait_for("#pupil-list-grid a.pupil-link")
    )
    on_worked.wait_for_text("#pupil-heading", "Jones, Sarah")
    time.sleep(0.5)
    new = [e for e in audit.entries(url, limit=None) if e["id"] not in seen]
    events = [entry["event"] for entry in new]
    assert "pupil_list_view" in events and "pupil_view" in events
    details = " ".join(str(entry["detail"]) for entry in new)
    assert "Jones" not in details and "T681100100901" not in details


def test_a_forged_pupil_id_shows_nobody(on_worked):
    on_worked.open("/pupil-reports/individual-pupil?pupil=" + "0" * 20)
    # The picker knows no such pupil, so nobody is chosen and nobody is shown.
    shown = on_worked.wait_for("#individual-pupil-content .not-available").text
    assert "Jones" not in shown
    assert not on_worked.driver.find_elements(By.ID, "pupil-heading")


def test_a_full_school_list_keeps_few_rows_in_the_page(browser):
    browser.sign_in(*PUPILS, "/pupil-reports/pupil-list")
    browser.wait_for("#pupil-list-grid .ag-center-cols-container .ag-row")
    listed = browser.wait_for("#pupil-list-summary").text
    pupils = int(listed.split("Pupils", 1)[1].split()[0])
    assert pupils > 500
    in_page = browser.driver.execute_script(
        "return document.querySelectorAll('.ag-row').length"
    )
    assert in_page < 100

    surname = _search_first_surname(browser)
    names = [
        element.text
        for element in browser.driver.find_elements(
            By.CSS_SELECTOR, "#pupil-list-grid a.pupil-link"
        )
    ]
    assert names and all(surname in name for name in names)
    assert browser.console_errors() == []


def test_the_at_risk_count_links_to_a_list_of_that_many(browser, demo_url):
    browser.sign_in(*PUPILS, "/360-report")
    said = browser.wait_for("#at-risk-note").text
    count = int(said.split()[0])
    assert count > 0 and "at risk of persistent absence" in said

    browser.open("/pupil-reports/pupil-list")
    assert browser.wait_for("#at-risk-note").text == said
    link = browser.driver.find_element(By.CSS_SELECTOR, "#at-risk-note a")
    browser.driver.execute_script("arguments[0].click()", link)
    browser.wait_for("#at-risk-grid .ag-row")
    shown = browser.driver.execute_script(
        "return document.querySelectorAll('#at-risk-grid .ag-center-cols-container"
        " .ag-row').length"
    )
    # The grid is sized to its rows, so every pupil at risk is in the page.
    assert shown == count
    assert "Close" in browser.wait_for("#at-risk-grid").text
    assert browser.console_errors() == []


def test_a_viewer_sees_the_at_risk_count_without_a_link(browser):
    browser.sign_in(*VIEWER, "/360-report")
    note = browser.wait_for("#at-risk-note")
    assert "at risk of persistent absence" in note.text
    assert not browser.driver.find_elements(By.CSS_SELECTOR, "#at-risk-note a")


def test_the_list_download_is_the_rows_the_search_leaves(browser, tmp_path: Path):
    browser.sign_in(*PUPILS, "/pupil-reports/pupil-list")
    surname = _search_first_surname(browser)
    shown = browser.driver.execute_script(SHOWN_ROWS)

    with _download(browser, "pupil-list-download-csv", tmp_path, ".csv").open(
        encoding="utf-8-sig"
    ) as handle:
        rows = list(csv.reader(handle))
    assert shown and all(surname in name for _, name in shown)
    assert rows[0][:2] == ["UPN", "Name"]
    assert [row[:2] for row in rows[1:-1]] == shown  # every row the grid keeps
    assert browser.console_errors() == []


def test_pupil_reports_refuse_a_viewer_without_pupil_access(browser):
    browser.sign_in(*VIEWER, "/pupil-reports/individual-pupil")
    browser.wait_for_text("#_pages_content", "does not have access")
    assert not browser.driver.find_elements(By.ID, "pupil-heading")


def _search_first_surname(browser: Browser) -> str:
    """Type the first listed pupil's surname in the list's search box; return it."""
    first = browser.wait_for("#pupil-list-grid a.pupil-link").text
    surname = first.split(",")[0]
    browser.driver.find_element(By.ID, "pupil-search").send_keys(surname)
    time.sleep(1.5)
    return surname


def _download(browser: Browser, button_id: str, folder: Path, suffix: str) -> Path:
    """Press a download button, saving into the folder; return the file it saved."""
    browser.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(folder)},
    )
    button = browser.driver.find_element(By.ID, button_id)
    browser.driver.execute_script("arguments[0].click()", button)
    return _downloaded(folder, suffix)


def _downloaded(folder: Path, suffix: str) -> Path:
    """Wait for a finished download with the suffix in the folder; return it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        done = [path for path in folder.iterdir() if path.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file was downloaded")
