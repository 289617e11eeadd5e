"""The school reports' exports: the command line and the page's downloads, by hand.

Figures are worked out from the two-school fixture in tests/report_fixture.py (week 1
is w/c 4 Sep 2023, week 2 w/c 11 Sep; A is the exporting school, B the other).
"""

from __future__ import annotations

import base64
import csv
import io

import pytest
from openpyxl import load_workbook

from components.downloads import table_download
from components.grid import grid_rows
from components.school_report import grouped_columns
from dashboard.cli import main
from data.access import clear_cache
from data.groups import PupilFilter
from data.reports.school_reports import year_groups
from tests.report_fixture import (
    SCHOOL_A,
    load_reports_fixture,
    publish_fixture,
    small_group_settings,
)

WEEKLY = ("attendance-summary", "year-groups", "pupil-groups", "absence")


@pytest.fixture
def exporting(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The fixture published with comparators for small groups, as the CLI reads it."""
    clear_cache()
    load_reports_fixture(db_url)
    publish_fixture(db_url, small_group_settings(db_url))
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("COMPARATOR_MIN_PUPILS", "1")
    return db_url


def export(capsys: pytest.CaptureFixture[str], *args: str) -> list[list[str]]:
    status = main(["export", *args, "--school", SCHOOL_A, "--term", "autumn1"])
    assert status == 0
    return list(csv.reader(io.StringIO(capsys.readouterr().out)))


def test_year_groups_export_by_hand(exporting, capsys):
    records = export(capsys, "year-groups")

    header = records[0]
    assert header[:4] == [
        "w/c",
        "Whole school %",
        "Whole school national %",
        "Whole school difference",
    ]
    assert header[-3:] == ["Year 11 %", "Year 11 national %", "Year 11 difference"]
    rows = {
        record[0]: dict(zip(header, record, strict=True)) for record in records[1:4]
    }
    assert list(rows) == ["2023-09-04", "2023-09-11", "YTD"]
    # Whole school w1: A 26/30 = 86.67 -> 87; national 38/48 = 79.17 -> 79; +7.5 -> 8.
    # Year 7 w1: A3 9/10 = 90 against A3 + B2 13/20 = 65: +25.
    # Year 10 w1: A1 + A2 17/20 = 85 against A1, A2, B1 25/28 = 89.29: -4.29 -> -4.
    week_1 = rows["2023-09-04"]
    assert [
        week_1[f"Whole school{s}"] for s in (" %", " national %", " difference")
    ] == [
        "87",
        "79",
        "8",
    ]
    assert [week_1[f"Year 7{s}"] for s in (" %", " national %", " difference")] == [
        "90",
        "65",
        "25",
    ]
    assert [week_1[f"Year 10{s}"] for s in (" %", " national %", " difference")] == [
        "85",
        "89",
        "-4",
    ]
    # No Year 8 pupils anywhere: blank, never 0.
    assert [week_1[f"Year 8{s}"] for s in (" %", " national %", " difference")] == [
        "",
        "",
        "",
    ]
    # YTD Year 10: A 33/40 = 82.5 -> 83 (half away from zero); national 51/58 = 87.93
    # -> 88; difference -5.43 -> -5. Year 7: A3 17/18 = 94.44 against 29/38 = 76.32.
    ytd = rows["YTD"]
    assert [ytd[f"Year 10{s}"] for s in (" %", " national %", " difference")] == [
        "83",
        "88",
        "-5",
    ]
    assert [ytd[f"Year 7{s}"] for s in (" %", " national %", " difference")] == [
        "94",
        "76",
        "18",
    ]
    assert records[4:] == [
        [
            "Pupils in w/c 11 Sep 23: Whole school 3 · Year 7 1 · Year 8 0 · "
            "Year 9 0 · Year 10 2 · Year 11 0"
        ],
        ["For internal school use only"],
    ]


def test_pupil_groups_export_by_hand(exporting, capsys):
    records = export(capsys, "pupil-groups")

    header = records[0]
    week_1 = dict(zip(header, records[1], strict=True))
    # Girls A1 + A3 18/20 = 90 against A1, A3, B1 26/28 = 92.86 -> 93: -2.86 -> -3.
    # Boys A2 8/10 = 80 against A2 + B2 12/20 = 60: +20.
    # Not eFSM A2 + A3 17/20 = 85 against A2, A3, B1 25/28 = 89.29: -4.
    expected = {
        "All pupils": ["87", "79", "8"],
        "Female": ["90", "93", "-3"],
        "Male": ["80", "60", "20"],
        "eFSM": ["90", "65", "25"],
        "Not eFSM": ["85", "89", "-4"],
        "SEN/ALN": ["80", "60", "20"],
        "No SEN/ALN": ["90", "93", "-3"],
    }
    for group, figures in expected.items():
        shown = [week_1[f"{group}{s}"] for s in (" %", " national %", " difference")]
        assert shown == figures, group


def test_absence_export_has_one_holiday_column_and_reasons_by_hand(exporting, capsys):
    records = export(capsys, "absence")

    header = records[0]
    assert [column for column in header if "Holiday" in column] == [
        "Holiday %",
        "Holiday national %",
        "Holiday difference",
    ]
    # Week 1 at A, 30 possible: 1 illness, 1 medical (authorised), 2 N (unauthorised).
    # Nationally 48 possible: those and B2's 6 G (unauthorised holiday).
    # Illness 1/30 - 1/48 = 3.333 - 2.083 = 1.25 exactly -> 1.3 (half away from zero).
    assert records[1] == [
        "2023-09-04",
        *("13.3", "20.8", "-7.5"),  # absence 4/30 against 10/48
        *("6.7", "4.2", "2.5"),  # authorised 2/30 against 2/48
        *("6.7", "16.7", "-10.0"),  # unauthorised 2/30 against 8/48
        *("3.3", "2.1", "1.3"),  # illness 1/30 against 1/48
        *("3.3", "2.1", "1.3"),  # medical 1/30 against 1/48
        *("0.0", "12.5", "-12.5"),  # holiday 0/30 against 6/48
    ]


@pytest.mark.parametrize("report", WEEKLY)
def test_weekly_exports_start_each_row_with_a_week_or_ytd(exporting, capsys, report):
    records = export(capsys, report, "--year-group", "10")

    assert records[0][0] == "w/c"
    first_cells = [record[0] for record in records[1:4]]
    assert first_cells == ["2023-09-04", "2023-09-11", "YTD"]
    assert all(
        column.endswith(("%", "difference", "Difference", "Pupils"))
        for column in records[0][1:]
    )
    assert records[-1] == ["For internal school use only"]


def test_excel_export_holds_the_csv_figures(exporting, capsys, tmp_path):
    records = export(capsys, "absence")
    path = tmp_path / "absence.xlsx"

    status = main(
        ["export", "absence", "--school", SCHOOL_A, "--term", "autumn1"]
        + ["--format", "xlsx", "--output", str(path)]
    )

    assert status == 0
    sheet = load_workbook(path).active
    cells = [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert cells[0] == records[0]
    # Numbers are numbers in Excel: 13.3 and -10 are the CSV's "13.3" and "-10.0".
    assert sheet["B2"].value == 13.3
    assert sheet["J2"].value == -10.0 and sheet["J2"].number_format == "0.0"
    assert cells[1][0] == "2023-09-04"


def test_the_download_holds_the_figures_the_grid_shows(fixture_scope):
    table = year_groups(fixture_scope, "autumn1", PupilFilter(gender="F"))
    columns, _groups = grouped_columns(table)
    rows = grid_rows(table, columns)

    sent = table_download(table, "csv", "Year Groups")
    text = base64.b64decode(sent["content"]).decode("utf-8")
    assert text.startswith("\ufeff")
    records = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))

    assert sent["filename"] == "Year Groups.csv"
    # Girls at A in week 1: A1 (Year 10) 9/10 and A3 (Year 7) 9/10; the grid shows the
    # school and national figure of each year; the file holds the same text.
    for row, record in zip(rows, records, strict=False):
        for position, column in enumerate(columns[1:], start=1):
            assert row[f"c{position}"] == record[column], column
    assert rows[0]["c0"] == "4 Sep 23" and records[0]["w/c"] == "2023-09-04"
    assert rows[0]["c3"] == "90" and rows[0]["c9"] == "90"
