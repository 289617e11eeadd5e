"""The school reports in Welsh in a real browser: Welsh words and dates, and the very
figures the English page shows, cell for cell and in the same order.

Each page is read in English, then switched with the header's language link as a
person would, and read again. The words expected are the Welsh catalogue's; the weeks
of the demo's autumn 1 (4 September to 23 October 2023) are worked out by hand.
"""

from __future__ import annotations

import csv
from urllib.parse import quote

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import components.ids as ids
from tests.browser.conftest import VIEWER, WAIT_SECONDS, Browser
from tests.browser.test_pupil_reports import _download
from tests.browser.test_school_reports import cells, hover_text, open_report
from tests.test_welsh_reports import WELSH_YEAR_GROUPS

AUTUMN_1 = "?term=autumn1"
WELSH_WEEKS = [
    "4 Medi 23",
    "11 Medi 23",
    "18 Medi 23",
    "25 Medi 23",
    "2 Hyd 23",
    "9 Hyd 23",
    "16 Hyd 23",
    "23 Hyd 23",
]
# Every grid cell's figure and band, column by column ("c1", "c2" ...), rows in order.
GRID = """
const grid = document.getElementById(arguments[0]);
const ids = [...new Set([...grid.querySelectorAll('.ag-header-cell[col-id]')]
  .map(h => h.getAttribute('col-id')))];
return ids.filter(id => id !== 'c0');
"""
# Headers whose words do not each fit on one line (a word broken mid-way).
BROKEN_WORDS = """
return [...document.querySelectorAll(arguments[0])].filter(header => {
  const text = header.firstChild;
  if (!text) return false;
  let start = 0;
  return text.textContent.split(' ').some(word => {
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + word.length);
    start += word.length + 1;
    return word && range.getClientRects().length > 1;
  });
}).map(header => header.textContent);
"""
# Hover the first chart at the week of 25 September 2023; return the hover's texts.
HOVER = """
const chart = document.querySelector('.js-plotly-plot');
Plotly.Fx.hover(chart, {xval: Date.UTC(2023, 8, 25)}, 'xy');
return [...chart.querySelectorAll('.hoverlayer text')].map(e => e.textContent);
"""
TEXTS = "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent);"


def switch_to_welsh(browser: Browser, page: str) -> None:
    """Follow the header's language switch and wait for the page to come back."""
    target = f"/language/cy?next={quote(f'/school-reports/{page}{AUTUMN_1}')}"
    WebDriverWait(browser.driver, WAIT_SECONDS).until(
        lambda driver: (
            driver.find_element(By.ID, ids.LANGUAGE_SWITCH).get_attribute("href")
            == browser.base_url + target
        )
    )
    link = browser.driver.find_element(By.ID, ids.LANGUAGE_SWITCH)
    browser.driver.execute_script("arguments[0].click()", link)
    browser.wait_for('html[lang="cy"]')
    browser.wait_for(f"#{page}-grid .ag-row")
    browser.wait_until_settled()


def figures(browser: Browser, page: str) -> dict[str, list[list[str]]]:
    """Return every figure column of a report's grid (the first column left out)."""
    columns = browser.driver.execute_script(GRID, f"{page}-grid")
    return {
        column: cells(browser, page, int(column.removeprefix("c")))
        for column in columns
    }


def texts(browser: Browser, selector: str) -> list[str]:
    return browser.driver.execute_script(TEXTS, selector)


def test_attendance_summary_in_welsh_shows_the_english_figures(browser):
    browser.sign_in(*VIEWER)
    open_report(browser, "attendance-summary", AUTUMN_1)
    english = figures(browser, "attendance-summary")
    assert texts(browser, "#attendance-summary-grid .ag-header-cell-text") == [
        "w/c",
        "Pupils",
        "School %",
        "National %",
        "Difference",
    ]

    switch_to_welsh(browser, "attendance-summary")
    welsh = figures(browser, "attendance-summary")

    assert browser.wait_for("h1").text == "Crynodeb presenoldeb"
    assert texts(browser, "#attendance-summary-grid .ag-header-cell-text") == [
        "w/d",
        "Disgyblion",
        "Ysgol %",
        "Cymru %",
        "Gwahaniaeth",
    ]
    assert [text for text, _ in cells(browser, "attendance-summary", 0)] == [
        *WELSH_WEEKS,
        "BHY",
    ]
    assert list(welsh) == ["c1", "c2", "c3", "c4"]
    assert welsh == english
    # The printed table's caption, the band legend and the download buttons.
    assert texts(browser, "#attendance-summary-content caption") == [
        "Crynodeb presenoldeb"
    ]
    legend = browser.wait_for(".band-legend").text
    assert "Gwahaniaeth o'r ffigur cenedlaethol:" in legend
    assert "4 pwynt neu fwy" in legend and "Dim cylch: llai nag 1 pwynt." in legend
    assert browser.wait_for("#attendance-summary-download-csv").text == (
        "Lawrlwytho CSV"
    )
    # The chart: Welsh heading, axis, legend and month ticks over the whole year.
    heading = browser.wait_for("#attendance-summary-content h2").text
    assert heading == (
        "Presenoldeb: yr ysgol a'r ffigur cenedlaethol, pob wythnos o'r flwyddyn"
    )
    assert "Wythnos yn dechrau" in texts(browser, ".js-plotly-plot .g-xtitle text")
    assert texts(browser, ".js-plotly-plot .legendtext") == ["Ysgol", "Cenedlaethol"]
    # The hover names the week and gives the grid's figures for it (the fourth row).
    school, national = welsh["c2"][3][0], welsh["c3"][3][0]
    assert browser.driver.execute_script(HOVER) == [
        "w/d 25/9/2023",
        f"Ysgol : {school}%",
        f"Cenedlaethol : {national}%",
    ]
    ticks = texts(browser, ".js-plotly-plot .xtick text")
    months = {tick.split(" ")[1] for tick in ticks}
    assert {"Medi", "Hyd", "Tach", "Rhag", "Ion"} <= months
    assert browser.console_errors() == []


def test_year_groups_in_welsh_shows_the_english_figures(browser, tmp_path):
    browser.sign_in(*VIEWER)
    open_report(browser, "year-groups", AUTUMN_1)
    english = figures(browser, "year-groups")

    switch_to_welsh(browser, "year-groups")
    welsh = figures(browser, "year-groups")

    assert browser.wait_for("h1").text == "Grwpiau blwyddyn"
    groups = texts(browser, "#year-groups-grid .ag-header-group-text")
    assert [group for group in groups if group] == WELSH_YEAR_GROUPS
    headers = texts(browser, "#year-groups-grid .ag-header-cell-text")
    assert headers == ["w/d", *["Ysgol %", "Cymru %"] * 6]
    broken = browser.driver.execute_script(
        BROKEN_WORDS, "#year-groups-grid .ag-header-cell-text"
    )
    assert broken == []
    # Whole school and Years 7 to 11, each its school and national figure.
    assert len(welsh) == 12
    assert welsh == english
    assert [text for text, _ in cells(browser, "year-groups", 0)] == [
        *WELSH_WEEKS,
        "BHY",
    ]
    tooltip = hover_text(browser, "year-groups", 1, 0)
    assert tooltip.startswith("Disgyblion: ") and " · Ysgol: " in tooltip
    assert " · Cenedlaethol: " in tooltip and " · Gwahaniaeth: " in tooltip
    notes = browser.wait_for("#year-groups-content .report-notes").text
    assert notes.startswith("Disgyblion yn w/d 23 Hyd 23: Ysgol gyfan ")
    charts = texts(browser, "#year-groups-content .js-plotly-plot .gtitle")
    assert charts[:2] == ["Ysgol gyfan", "Blwyddyn 7"]

    # The Welsh download: Welsh headers, the figures on screen.
    saved = _download(browser, "year-groups-download-csv", tmp_path, ".csv")
    assert "Grwpiau blwyddyn" in saved.name and "Hydref 1" in saved.name
    with saved.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[:4] == [
        "w/d",
        "Ysgol gyfan %",
        "Ysgol gyfan Cymru %",
        "Ysgol gyfan gwahaniaeth",
    ]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:10]]
    assert [record["w/d"] for record in records][-1] == "BHY"
    assert [record["Ysgol gyfan %"] for record in records] == [
        text for text, _ in welsh["c1"]
    ]
    assert [record["Blwyddyn 7 Cymru %"] for record in records] == [
        text for text, _ in welsh["c4"]
    ]
    assert rows[-1] == ["At ddefnydd mewnol yr ysgol yn unig"]
    assert browser.console_errors() == []
