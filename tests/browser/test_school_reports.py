"""The five school reports in a real browser: figures, hover, bands, fit and print.

Hand-worked figures come from the two-school fixture (tests/report_fixture.py) served
by its own app (tests/browser/report_app.py), where comparator groups under three
pupils are withheld: nationally Year 7, boys, eFSM and SEN/ALN have two pupils each.
Layout, filters and printing are checked on the shared demo app.
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from data.groups import PupilFilter
from data.reports import open_scope
from data.reports.data_check import data_check
from data.reports.school_reports import absence, pupil_groups, year_groups
from data.reports.summary import attendance_summary
from tests.browser.conftest import VIEWER, WAIT_SECONDS, Browser
from tests.browser.report_app import EMAIL, PASSWORD, running
from tests.browser.test_shell import _choose

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ("attendance-summary", "year-groups", "pupil-groups", "absence", "data-check")
DEMO_SCHOOL = "6604000"
LAPTOP = (1366, 900)

# A column's cells top to bottom (pinned YTD last): [text, band class or ""].
CELLS = """
const [grid, column] = arguments;
const cells = [...document.querySelectorAll(`#${grid} .ag-cell[col-id="${column}"]`)];
const order = c => {
  const index = c.closest('.ag-row').getAttribute('row-index');
  return index.startsWith('b-') ? 1e6 + Number(index.slice(2)) : Number(index);
};
return cells.sort((a, b) => order(a) - order(b)).map(c => {
  const shown = c.querySelector('.difference');
  const figure = shown.querySelector(':scope > span:not([class])') || shown;
  const circle = c.querySelector('.band-circle');
  return [figure.textContent, circle ? circle.className.replace('band-circle ', '') : ''];
});
"""


@pytest.fixture(scope="module")
def fixture_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The report fixture's own tracker; yield its base address."""
    path = tmp_path_factory.mktemp("fixture-app") / "tracker.db"
    with running(path) as base_url:
        yield base_url


@pytest.fixture
def laptop(chromium: WebDriver) -> Iterator[None]:
    """A 1366-pixel-wide window, as on a school laptop; restored afterwards."""
    before = chromium.get_window_size()
    chromium.set_window_size(*LAPTOP)
    yield
    chromium.set_window_size(before["width"], before["height"])


@pytest.fixture
def on_fixture(chromium: WebDriver, fixture_app: str, laptop: None) -> Browser:
    """The shared browser signed in to the fixture app as school A's viewer."""
    browser = Browser(chromium, fixture_app)
    browser.sign_in(EMAIL, PASSWORD)
    chromium.get_log("browser")
    return browser


def cells(browser: Browser, page: str, column: int) -> list[list[str]]:
    """Return a grid column's cells as [figure, band class], YTD last."""
    return browser.driver.execute_script(CELLS, f"{page}-grid", f"c{column}")


def open_report(browser: Browser, page: str, query: str = "") -> None:
    """Open a report and wait for its grid's rows and, but on the Data Check, for
    plotly to have drawn its first chart (it draws after the grid)."""
    browser.open(f"/school-reports/{page}{query}")
    browser.wait_for(f"#{page}-grid .ag-row")
    if page != "data-check":
        browser.wait_for(f"#{page}-content .js-plotly-plot .main-svg")


def hover_text(browser: Browser, page: str, column: int, row: int) -> str:
    """Hover over a cell and return its tooltip, once any earlier tooltip has gone."""
    driver = browser.driver
    ActionChains(driver).move_to_element(
        driver.find_element(By.TAG_NAME, "h1")
    ).perform()
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda _driver: not driver.find_elements(By.CSS_SELECTOR, ".ag-tooltip")
    )
    cell = driver.find_element(
        By.CSS_SELECTOR, f'#{page}-grid .ag-row[row-index="{row}"] [col-id="c{column}"]'
    )
    ActionChains(driver).move_to_element(cell).perform()
    return browser.wait_for(".ag-tooltip").text


def test_attendance_summary_figures_bands_and_legend_by_hand(on_fixture):
    open_report(on_fixture, "attendance-summary")

    # A: w1 26/30 = 86.67, w2 24/28 = 85.71, YTD 50/58 = 86.21; national (both
    # schools) 38/48 = 79.17, 42/48 = 87.5, 80/96 = 83.33.
    assert [text for text, _ in cells(on_fixture, "attendance-summary", 0)] == [
        "4 Sep 23",
        "11 Sep 23",
        "YTD",
    ]
    assert cells(on_fixture, "attendance-summary", 2) == [
        ["86.7", ""],
        ["85.7", ""],
        ["86.2", ""],
    ]
    assert [t for t, _ in cells(on_fixture, "attendance-summary", 3)] == [
        "79.2",
        "87.5",
        "83.3",
    ]
    # Differences +7.5 (4 or more), -1.79 (1 to 2), +2.87 (2 to 4).
    assert cells(on_fixture, "attendance-summary", 4) == [
        ["7.5", "band-better-3"],
        ["-1.8", "band-worse-1"],
        ["2.9", "band-better-2"],
    ]
    legend = on_fixture.wait_for(".band-legend").text
    assert "4 or more points" in legend and "under 1 point" in legend
    assert "Worse than national by 1 to 2 points" in hover_text(
        on_fixture, "attendance-summary", 4, 1
    )
    assert on_fixture.console_errors() == []


def test_year_groups_hover_and_withheld_national_by_hand(on_fixture):
    open_report(on_fixture, "year-groups")

    # Columns: w/c, then school and national for whole school and Years 7 to 11.
    # Year 10 (c9, c10): A1 + A2 17/20 = 85 and 16/20 = 80, YTD 33/40 = 82.5 -> 83,
    # against A1, A2, B1 25/28 = 89.29, 26/30 = 86.67, 51/58 = 87.93.
    assert cells(on_fixture, "year-groups", 9) == [
        ["85", "band-worse-3"],
        ["80", "band-worse-3"],
        ["83", "band-worse-3"],
    ]
    assert [t for t, _ in cells(on_fixture, "year-groups", 10)] == ["89", "87", "88"]
    assert (
        hover_text(on_fixture, "year-groups", 9, 0)
        == "Pupils: 2 · School: 85.0% · National: 89.3% · Difference: -4.3"
    )
    # Year 7 (c3, c4): A3 9/10 = 90; nationally only A3 and B2, so withheld.
    assert cells(on_fixture, "year-groups", 3)[0] == ["90", ""]
    assert [t for t, _ in cells(on_fixture, "year-groups", 4)] == ["", "", ""]
    assert hover_text(on_fixture, "year-groups", 4, 0) == (
        "Withheld: too few pupils in this group to compare."
    )
    notes = on_fixture.wait_for(".report-notes").text
    assert notes == (
        "Pupils in w/c 11 Sep 23: Whole school 3 · Year 7 1 · Year 8 0 · Year 9 0"
        " · Year 10 2 · Year 11 0"
    )
    assert on_fixture.console_errors() == []


def test_pupil_groups_and_absence_by_hand(on_fixture):
    open_report(on_fixture, "pupil-groups")

    # Girls (c3, c4): A1 + A3 18/20 = 90 against A1, A3, B1 26/28 = 92.86: -2.86.
    assert cells(on_fixture, "pupil-groups", 3)[0] == ["90", "band-worse-2"]
    assert cells(on_fixture, "pupil-groups", 4)[0][0] == "93"
    # Boys (c5, c6): A2 8/10 = 80; national A2 and B2 only, withheld.
    assert cells(on_fixture, "pupil-groups", 5)[0] == ["80", ""]
    assert cells(on_fixture, "pupil-groups", 6)[0][0] == ""

    open_report(on_fixture, "absence")
    # Week 1, 30 possible at A and 48 nationally: absence 4 against 10 (-7.5, better);
    # authorised 2 against 2 (+2.5, worse); unauthorised 2 against 8 (-10.0);
    # illness 1 against 1 (+1.25, worse); holiday 0 against B2's 6 G (-12.5).
    week_1 = [cells(on_fixture, "absence", column)[0] for column in (1, 3, 5, 7, 11)]
    assert week_1 == [
        ["13.3", "band-better-3"],
        ["6.7", "band-worse-2"],
        ["6.7", "band-better-3"],
        ["3.3", "band-worse-1"],
        ["0.0", "band-better-3"],
    ]
    assert cells(on_fixture, "absence", 2)[0][0] == "20.8"
    assert on_fixture.console_errors() == []


def test_data_check_counts_by_hand(on_fixture):
    open_report(on_fixture, "data-check")

    headers = on_fixture.driver.find_elements(
        By.CSS_SELECTOR, "#data-check-grid .ag-header-cell-text"
    )
    assert [header.text for header in headers] == [
        "Measure",
        "4 Sep 23",
        "11 Sep 23",
        "YTD",
    ]
    # Week 2 at A: A1 10 present, A2 6 present and 4 illness, A3 8 present, an X and a
    # missing mark: 28 possible sessions, 24 present, 4 authorised absence.
    week_2 = [text for text, _ in cells(on_fixture, "data-check", 2)]
    assert week_2 == ["3", "28", "24", "4", "4", "0", "4", "0", "0", "0", "0", "1", "1"]
    assert [band for _, band in cells(on_fixture, "data-check", 3)] == [""] * 13
    assert on_fixture.driver.find_elements(By.CSS_SELECTOR, ".band-legend") == []
    contact = on_fixture.wait_for("#data-check-content p.small").text
    assert "Contact" in contact and "feedback" in contact
    assert on_fixture.console_errors() == []


# The default half-term (spring 2, data to 15 March: 4 weeks) and the demo's longest
# complete one (autumn 1: 8 weeks, 4 September to 23 October 2023).
@pytest.mark.parametrize("term", ["", "?term=autumn1"])
@pytest.mark.parametrize("page", REPORTS)
def test_each_report_fits_a_laptop_screen(browser, laptop, page, term):
    browser.sign_in(*VIEWER)
    open_report(browser, page, term)

    charts = browser.driver.find_elements(By.CSS_SELECTOR, ".js-plotly-plot")
    assert (len(charts) >= 1) == (page != "data-check")
    fit = browser.driver.execute_script(
        """
        const grid = document.getElementById(arguments[0]);
        const viewport = grid.querySelector('.ag-center-cols-viewport');
        const clipped = [...grid.querySelectorAll('.ag-cell, .ag-header-cell-text')]
          .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent);
        return [viewport.scrollWidth - viewport.clientWidth, clipped,
                document.documentElement.scrollWidth
                  - document.documentElement.clientWidth];
        """,
        f"{page}-grid",
    )
    assert fit == [0, [], 0]
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []


def test_filters_change_school_figures_and_keep_national(browser, demo_url):
    browser.sign_in(*VIEWER)
    open_report(browser, "attendance-summary")
    scope = open_scope(demo_url, DEMO_SCHOOL)
    term = scope.default_term()
    everyone = scope.cached(attendance_summary, term, PupilFilter())
    assert [t for t, _ in cells(browser, "attendance-summary", 2)] == everyone.column(
        "School %"
    )

    _choose(browser, "gender", "Female")
    girls = scope.cached(attendance_summary, term, PupilFilter(gender="F"))
    assert girls.column("School %") != everyone.column("School %")
    WebDriverWait(browser.driver, WAIT_SECONDS).until(
        lambda _driver: (
            [t for t, _ in cells(browser, "attendance-summary", 2)]
            == girls.column("School %")
        )
    )

    national = [t for t, _ in cells(browser, "attendance-summary", 3)]
    assert national == everyone.column("National %")
    assert browser.console_errors() == []


def test_sorting_a_column_keeps_the_year_to_date_last(browser):
    browser.sign_in(*VIEWER)
    open_report(browser, "attendance-summary")

    header = browser.driver.find_element(
        By.CSS_SELECTOR, '#attendance-summary-grid .ag-header-cell[col-id="c2"]'
    )
    header.click()
    browser.wait_for('#attendance-summary-grid .ag-header-cell[aria-sort="ascending"]')

    figures = [t for t, _ in cells(browser, "attendance-summary", 2)]
    weeks = [float(figure) for figure in figures[:-1]]
    assert weeks == sorted(weeks)
    assert [t for t, _ in cells(browser, "attendance-summary", 0)][-1] == "YTD"


PRINTED = {
    "attendance-summary": attendance_summary,
    "year-groups": year_groups,
    "pupil-groups": pupil_groups,
    "absence": absence,
    "data-check": data_check,
}


@pytest.mark.parametrize("page", REPORTS)
def test_printing_on_a4_landscape_clips_no_column(browser, laptop, demo_url, page):
    browser.sign_in(*VIEWER)
    open_report(browser, page, "?term=autumn1")
    scope = open_scope(demo_url, DEMO_SCHOOL)
    table = scope.cached(PRINTED[page], "autumn1", PupilFilter())
    shown = [c for c in table.columns if not c.endswith("difference")]
    # The last row (YTD; Missing marks on the Data Check) printed whole: a clipped
    # last column would cut it short.
    last = [table.rows[-1][table.columns.index(c)].text for c in shown]

    pdf = browser.driver.execute_cdp_cmd(
        "Page.printToPDF",
        {"landscape": True, "paperWidth": 11.69, "paperHeight": 8.27},
    )
    reader = PdfReader(io.BytesIO(base64.b64decode(pdf["data"])))

    # Arrows mark the bands in print; labels of several words are split like figures.
    text = "\n".join(page.extract_text() for page in reader.pages)
    lines = [
        " ".join(line.replace("▲", "").replace("▼", "").split())
        for line in text.splitlines()
    ]
    assert " ".join(" ".join(last).split()) in lines
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height


def test_downloads_hold_the_figures_on_screen(browser, laptop, tmp_path):
    from openpyxl import load_workbook

    from tests.browser.test_pupil_reports import _download

    browser.sign_in(*VIEWER)
    open_report(browser, "year-groups")
    # The grid shows each group's school % then national % (the difference is in
    # the tooltip); the files hold the same rows, weeks then YTD, and those columns.
    on_screen = {
        header: [text for text, _ in cells(browser, "year-groups", column)]
        for column, header in (
            (1, "Whole school %"),
            (2, "Whole school national %"),
            (3, "Year 7 %"),
        )
    }
    rows = len(on_screen["Whole school %"])

    csv_path = _download(browser, "year-groups-download-csv", tmp_path, ".csv")
    with csv_path.open(encoding="utf-8-sig") as handle:
        records = list(csv.DictReader(handle))[:rows]
    for header, shown in on_screen.items():
        assert [record[header] for record in records] == shown, header
    assert records[-1]["w/c"] == "YTD"

    xlsx_path = _download(browser, "year-groups-download-xlsx", tmp_path, ".xlsx")
    sheet = load_workbook(xlsx_path).active
    values = list(sheet.iter_rows(values_only=True))
    headers = list(values[0])
    for header, shown in on_screen.items():
        column = headers.index(header)
        written = ["" if row[column] is None else str(row[column]) for row in values]
        assert written[1 : rows + 1] == shown, header
    assert browser.console_errors() == []
