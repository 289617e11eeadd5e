"""The school reports in Welsh: the same figures as in English, with Welsh words and
dates in tables, grids, charts and downloads. Worked by hand on the two-school fixture
(tests/report_fixture.py), as the English tests are."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta

from openpyxl import load_workbook

from components.charts import weekly_lines
from components.figures import band_legend
from components.grid import column_label, grid_rows
from components.school_report import grouped_columns
from dashboard.i18n import language
from data.exports import csv_bytes, xlsx_bytes
from data.groups import PupilFilter
from data.reports.data_check import data_check
from data.reports.school_reports import year_groups
from data.reports.summary import attendance_summary

EVERYONE = PupilFilter()
# The Year Groups' column groups in Welsh: the whole school, then Years 7 to 11.
WELSH_YEAR_GROUPS = [
    "Ysgol gyfan",
    "Blwyddyn 7",
    "Blwyddyn 8",
    "Blwyddyn 9",
    "Blwyddyn 10",
    "Blwyddyn 11",
]


def _csv_rows(written: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(written.decode("utf-8-sig"))))


def test_a_welsh_summary_download_has_welsh_words_and_the_english_figures(
    fixture_scope,
):
    english = _csv_rows(
        csv_bytes(attendance_summary(fixture_scope, "autumn1", EVERYONE))
    )
    with language("cy"):
        welsh = _csv_rows(
            csv_bytes(attendance_summary(fixture_scope, "autumn1", EVERYONE))
        )

    # School A: w1 26/30 = 86.67, w2 24/28 = 85.71, YTD 50/58 = 86.21; national
    # 38/48 = 79.17, 42/48 = 87.5, 80/96 = 83.33; three pupils of A each week.
    assert welsh == [
        ["w/d", "Disgyblion", "Ysgol %", "Cymru %", "Gwahaniaeth"],
        ["2023-09-04", "3", "86.7", "79.2", "7.5"],
        ["2023-09-11", "3", "85.7", "87.5", "-1.8"],
        ["BHY", "3", "86.2", "83.3", "2.9"],
        ["At ddefnydd mewnol yr ysgol yn unig"],
    ]
    assert english[0] == ["w/c", "Pupils", "School %", "National %", "Difference"]
    assert english[-1] == ["For internal school use only"]
    # Below the headers, only the words differ: every figure is the same.
    assert [row[1:] for row in welsh[1:-1]] == [row[1:] for row in english[1:-1]]
    assert [row[0] for row in english[1:-1]] == ["2023-09-04", "2023-09-11", "YTD"]


def test_a_welsh_year_groups_workbook_holds_the_english_figures(fixture_scope):
    english = year_groups(fixture_scope, "autumn1", EVERYONE)
    english_sheet = load_workbook(io.BytesIO(xlsx_bytes(english))).active
    with language("cy"):
        welsh = year_groups(fixture_scope, "autumn1", EVERYONE)
        sheet = load_workbook(io.BytesIO(xlsx_bytes(welsh))).active

    headers = [cell.value for cell in sheet[1]]
    assert sheet.title == "Grwpiau blwyddyn"
    assert headers[:4] == [
        "w/d",
        "Ysgol gyfan %",
        "Ysgol gyfan Cymru %",
        "Ysgol gyfan gwahaniaeth",
    ]
    # Year 10: A1 + A2 17/20 = 85 against A1, A2, B1 25/28 = 89.29: -4.29 -> -4.
    year_10 = headers.index("Blwyddyn 10 %")
    assert headers[year_10 + 1 : year_10 + 3] == [
        "Blwyddyn 10 Cymru %",
        "Blwyddyn 10 gwahaniaeth",
    ]
    assert [cell.value for cell in sheet[2]][year_10 : year_10 + 3] == [85, 89, -4]
    # Weeks, then YTD: every figure written is the English file's.
    figures = [
        row[1:] for row in sheet.iter_rows(min_row=2, max_row=4, values_only=True)
    ]
    assert figures == [
        row[1:]
        for row in english_sheet.iter_rows(min_row=2, max_row=4, values_only=True)
    ]
    assert [cell.text for cell in welsh.rows[-1][1:]] == [
        cell.text for cell in english.rows[-1][1:]
    ]


def test_welsh_tooltips_notes_and_withheld_reasons(fixture_scope):
    with language("cy"):
        table = year_groups(fixture_scope, "autumn1", EVERYONE)
        # Groups under three pupils withheld: nationally Year 7 is A3 and B2 only.
        strict = replace(
            fixture_scope,
            settings=replace(fixture_scope.settings, comparator_min_pupils=3),
        )
        withheld = year_groups(strict, "autumn1", EVERYONE)

    year_10 = table.columns.index("Blwyddyn 10 %")
    assert table.rows[0][year_10].tooltip == (
        "Disgyblion: 2 · Ysgol: 85.0% · Cenedlaethol: 89.3% · Gwahaniaeth: -4.3"
    )
    assert table.notes == (
        "Disgyblion yn w/d 11 Medi 23: Ysgol gyfan 3 · Blwyddyn 7 1 · Blwyddyn 8 0"
        " · Blwyddyn 9 0 · Blwyddyn 10 2 · Blwyddyn 11 0",
    )
    national_7 = withheld.columns.index("Blwyddyn 7 Cymru %")
    assert withheld.rows[0][national_7].text == ""
    assert withheld.rows[0][national_7].tooltip == (
        "Wedi'i atal: rhy ychydig o ddisgyblion yn y grŵp hwn i gymharu."
    )


def test_the_welsh_grid_groups_and_band_words(fixture_scope):
    with language("cy"):
        table = year_groups(fixture_scope, "autumn1", EVERYONE)
        columns, groups = grouped_columns(table)
        rows = grid_rows(table, columns)
        legend = str(band_legend())

    assert [group.label for group in groups] == WELSH_YEAR_GROUPS
    assert groups[0].names == ("Ysgol %", "Cymru %")
    assert groups[4].columns == ("Blwyddyn 10 %", "Blwyddyn 10 Cymru %")
    # Year 10's first week, 4.29 points under national: the darkest "worse" band.
    year_10 = columns.index("Blwyddyn 10 %")
    assert rows[0][f"c{year_10}_words"] == (
        "Gwaeth na'r ffigur cenedlaethol o 4 pwynt neu fwy"
    )
    assert rows[-1]["c0"] == "BHY"
    assert "Gwahaniaeth o'r ffigur cenedlaethol:" in legend
    assert "2 i 4 pwynt" in legend and "Dim cylch: llai nag 1 pwynt." in legend


def test_the_welsh_data_check_names_its_rows_and_weeks_in_welsh(fixture_scope):
    english = data_check(fixture_scope, "autumn1", EVERYONE)
    with language("cy"):
        welsh = data_check(fixture_scope, "autumn1", EVERYONE)
        headings = [column_label(column) for column in welsh.columns]

    assert headings == ["Mesur", "4 Medi 23", "11 Medi 23", "BHY"]
    assert [row[0].text for row in welsh.rows][:4] == [
        "Disgyblion",
        "Cyfanswm marciau",
        "Presennol",
        "Absenoldeb",
    ]
    # Week 2 at A: 28 possible sessions, 24 present, 4 absent, as in English.
    assert [row[2].text for row in welsh.rows][:4] == ["3", "28", "24", "4"]
    assert [row[1:] for row in welsh.rows] == [row[1:] for row in english.rows]


def test_chart_words_and_month_ticks_follow_the_language():
    weeks = [date(2023, 9, 4), date(2023, 9, 11), date(2023, 10, 2), date(2023, 11, 6)]
    english = weekly_lines(weeks, [], "Attendance")["layout"]["xaxis"]
    with language("cy"):
        welsh = weekly_lines(weeks, [], "Presenoldeb")["layout"]["xaxis"]

    # One tick at the first charted week of each month.
    assert (
        welsh["tickvals"]
        == english["tickvals"]
        == [
            "2023-09-04",
            "2023-10-02",
            "2023-11-06",
        ]
    )
    assert english["ticktext"] == ["4 Sep", "2 Oct", "6 Nov"]
    assert welsh["ticktext"] == ["4 Medi", "2 Hyd", "6 Tach"]
    assert (english["title"]["text"], welsh["title"]["text"]) == (
        "Week commencing",
        "Wythnos yn dechrau",
    )
    assert welsh["unifiedhovertitle"]["text"] == "w/d %{x|%-d/%-m/%Y}"


def test_cached_tables_are_kept_per_language(fixture_scope):
    english = fixture_scope.cached(attendance_summary, "autumn1", EVERYONE)
    with language("cy"):
        welsh = fixture_scope.cached(attendance_summary, "autumn1", EVERYONE)
    again = fixture_scope.cached(attendance_summary, "autumn1", EVERYONE)

    assert (english.title, welsh.title, again.title) == (
        "Attendance Summary",
        "Crynodeb presenoldeb",
        "Attendance Summary",
    )


def test_a_narrow_chart_marks_fewer_months():
    # Mondays from 4 September 2023 to 4 March 2024: seven months, the first charted
    # week of each is 4 Sep, 2 Oct, 6 Nov, 4 Dec, 1 Jan, 5 Feb, 4 Mar; at most four
    # marks keep every other month.
    weeks = [date(2023, 9, 4) + timedelta(weeks=n) for n in range(27)]
    with language("cy"):
        axis = weekly_lines(weeks, [], "Presenoldeb", max_ticks=4)["layout"]["xaxis"]

    assert axis["ticktext"] == ["4 Medi", "6 Tach", "1 Ion", "4 Maw"]
