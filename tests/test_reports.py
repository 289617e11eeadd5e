"""Attendance Summary, Data Check and 360 figures on the two-school fixture, by hand."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from dashboard.cli import main
from dashboard.config import Settings
from data.access import clear_cache
from data.groups import PupilFilter
from data.reports import open_scope
from data.reports.data_check import data_check
from data.reports.summary import attendance_summary
from data.reports.three_sixty import headline, key_groups, persistent_absence
from tests.report_fixture import (
    SCHOOL_A,
    load_reports_fixture,
    publish_fixture,
    small_group_settings,
)


def rows_of(table):
    return [[cell.text for cell in row] for row in table.rows]


def test_attendance_summary_by_hand(fixture_scope):
    table = attendance_summary(fixture_scope, "autumn1", PupilFilter())

    # School A: w1 26/30 = 86.67, w2 24/28 = 85.71, YTD 50/58 = 86.21.
    # National: w1 38/48 = 79.17, w2 42/48 = 87.5, YTD 80/96 = 83.33.
    assert rows_of(table) == [
        ["4 Sep 23", "3", "86.7", "79.2", "7.5"],
        ["11 Sep 23", "3", "85.7", "87.5", "-1.8"],
        ["YTD", "3", "86.2", "83.3", "2.9"],
    ]
    bands = [row[4].band for row in table.rows]
    assert [(b.level, b.direction) for b in bands] == [
        (3, "better"),
        (1, "worse"),
        (2, "better"),
    ]


def test_national_follows_the_year_group(fixture_scope):
    table = attendance_summary(fixture_scope, "autumn1", PupilFilter(year_group=10))

    # Year 10 at A: A1 + A2, w1 17/20 = 85.0; nationally A1, A2, B1: 25/28 = 89.29.
    assert rows_of(table)[0] == ["4 Sep 23", "2", "85.0", "89.3", "-4.3"]
    assert table.rows[0][4].band.level == 3


def test_national_stays_static_when_gender_narrows_the_school(fixture_scope):
    everyone = attendance_summary(fixture_scope, "autumn1", PupilFilter())
    girls = attendance_summary(fixture_scope, "autumn1", PupilFilter(gender="F"))

    # Girls at A: A1 + A3, w1 18/20 = 90.0; national is all pupils, unchanged.
    assert rows_of(girls)[0] == ["4 Sep 23", "2", "90.0", "79.2", "10.8"]
    assert [r[3] for r in rows_of(girls)] == [r[3] for r in rows_of(everyone)]


def test_a_national_week_with_too_few_schools_open_is_withheld():
    from data.groups import FEW_SCHOOLS_OPEN, SMALL_GROUP, withheld_week

    settings = Settings(comparator_min_pupils=10)  # 50% of schools must be open
    # 1 of 3 open (33%) is under half; 1 of 2 is exactly half and shown; 0 of 2 not.
    assert withheld_week(1, 3, 500, settings) == FEW_SCHOOLS_OPEN
    assert withheld_week(1, 2, 500, settings) == ""
    assert withheld_week(0, 2, 500, settings) == FEW_SCHOOLS_OPEN
    # Enough schools but too few pupils; a week without school counts is judged on
    # its pupils alone; areas have their own rule.
    assert withheld_week(2, 2, 9, settings) == SMALL_GROUP
    assert withheld_week(None, None, 500, settings) == ""
    assert withheld_week(1, 3, 500, settings, scope="authority") != FEW_SCHOOLS_OPEN


def test_withheld_national_weeks_show_blank_with_the_reason(db_url):
    clear_cache()
    load_reports_fixture(db_url)
    # Both fixture schools are open both weeks: 2 of 2 is under 101% of them, so
    # with that setting every national week is withheld, and the year to date (not a
    # week) is not.
    settings = replace(
        small_group_settings(db_url), national_week_min_school_percent=101
    )
    publish_fixture(db_url, settings)
    scope = open_scope(db_url, SCHOOL_A, settings)

    table = attendance_summary(scope, "autumn1", PupilFilter())

    assert [r[3] for r in rows_of(table)] == ["", "", "83.3"]
    assert [r[4] for r in rows_of(table)] == ["", "", "2.9"]
    assert "fewer than half of the participating schools were open" in (
        table.rows[0][3].tooltip
    )


def test_small_national_groups_are_withheld_by_default(db_url):
    clear_cache()
    load_reports_fixture(db_url)
    settings = replace(small_group_settings(db_url), comparator_min_pupils=10)
    publish_fixture(db_url, settings)
    scope = open_scope(db_url, SCHOOL_A, settings)

    table = attendance_summary(scope, "autumn1", PupilFilter())

    # Five pupils nationally is under the 10-pupil minimum: blank, never 0.
    assert [r[3] for r in rows_of(table)] == ["", "", ""]
    assert [r[4] for r in rows_of(table)] == ["", "", ""]
    assert rows_of(table)[0][2] == "86.7"


def test_data_check_by_hand(fixture_scope):
    table = data_check(fixture_scope, "autumn1", PupilFilter())

    assert table.columns == ("Measure", "2023-09-04", "2023-09-11", "YTD")
    assert rows_of(table) == [
        ["Pupils", "3", "3", "3"],
        ["Total marks", "30", "28", "58"],
        ["Present", "26", "24", "50"],
        ["Absence", "4", "4", "8"],
        ["Authorised", "2", "4", "6"],
        ["Unauthorised", "2", "0", "2"],
        ["Illness", "1", "4", "5"],
        ["Medical", "1", "0", "1"],
        ["Holiday authorised", "0", "0", "0"],
        ["Holiday unauthorised", "0", "0", "0"],
        ["Not counted", "0", "0", "0"],
        ["X marks", "0", "1", "1"],
        ["Missing marks", "0", "1", "1"],
    ]


def test_data_check_of_the_other_school_counts_inset_as_not_counted(db_url):
    clear_cache()
    load_reports_fixture(db_url)
    settings = small_group_settings(db_url)
    publish_fixture(db_url, settings)
    scope = open_scope(db_url, "6731001", settings)

    table = data_check(scope, "autumn1", PupilFilter())
    by_measure = {row[0]: row[1:] for row in rows_of(table)}

    assert by_measure["Total marks"] == ["18", "20", "38"]
    assert by_measure["Not counted"] == ["2", "0", "2"]
    assert by_measure["Holiday unauthorised"] == ["6", "0", "6"]
    assert by_measure["Unauthorised"] == ["6", "2", "8"]


def test_three_sixty_headline_by_hand(fixture_scope):
    table = headline(fixture_scope, "ytd")

    # Authorised: A 6/58 = 10.34 vs national 6/96 = 6.25 (a half: shows 6.3).
    # Unauthorised: A 2/58 = 3.45 vs national 10/96 = 10.42.
    # Persistent absence: A2 only at A (6 of 20) = 1/3; nationally A2 and B2 = 2/5.
    assert rows_of(table) == [
        ["Attendance", "86.2", "83.3", "2.9"],
        ["Authorised absence", "10.3", "6.3", "4.1"],
        ["Unauthorised absence", "3.4", "10.4", "-7.0"],
        ["Persistent absence", "33.3", "40.0", "-6.7"],
    ]
    directions = [row[3].band.direction for row in table.rows]
    assert directions == ["better", "worse", "better", "better"]


def test_three_sixty_latest_week(fixture_scope):
    table = headline(fixture_scope, "week")

    # Week of 11 Sep: A 24/28 = 85.71 vs 42/48 = 87.5; persistent absence stays YTD.
    assert rows_of(table)[0] == ["Attendance", "85.7", "87.5", "-1.8"]
    assert rows_of(table)[3] == ["Persistent absence", "33.3", "40.0", "-6.7"]


def test_three_sixty_groups_and_persistence(fixture_scope):
    groups = {row[0]: row[1:] for row in rows_of(key_groups(fixture_scope, "ytd"))}
    persistence = {
        row[0]: row[1:] for row in rows_of(persistent_absence(fixture_scope))
    }

    # eFSM at A: A1 19/20 = 95.0; nationally A1 + B2: 31/40 = 77.5.
    assert groups["eFSM"] == ["95.0", "77.5", "17.5"]
    # Year 7 persistence: A3 1/18 no; nationally B2 8/20 yes: 0 of 1 vs 1 of 2.
    assert persistence["Year 7"] == ["0.0", "50.0", "-50.0"]
    # No Year 8 pupils anywhere: no figure on either side.
    assert persistence["Year 8"] == ["", "", ""]


def test_export_writes_the_figures_users_see(db_url, monkeypatch, capsys):
    clear_cache()
    load_reports_fixture(db_url)
    settings = small_group_settings(db_url)
    publish_fixture(db_url, settings)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("COMPARATOR_MIN_PUPILS", "1")

    status = main(
        ["export", "attendance-summary", "--school", SCHOOL_A, "--term", "autumn1"]
    )

    out = capsys.readouterr().out
    assert status == 0
    records = list(csv.reader(io.StringIO(out)))
    assert records[:4] == [
        ["w/c", "Pupils", "School %", "National %", "Difference"],
        ["2023-09-04", "3", "86.7", "79.2", "7.5"],
        ["2023-09-11", "3", "85.7", "87.5", "-1.8"],
        ["YTD", "3", "86.2", "83.3", "2.9"],
    ]
    assert records[4] == ["For internal school use only"]


def test_export_data_check_has_a_column_per_week(db_url, monkeypatch, capsys):
    clear_cache()
    load_reports_fixture(db_url)
    publish_fixture(db_url, small_group_settings(db_url))
    monkeypatch.setenv("DATABASE_URL", db_url)

    status = main(["export", "data-check", "--school", SCHOOL_A, "--year-group", "10"])

    records = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert status == 0
    assert records[0] == ["Measure", "2023-09-04", "2023-09-11", "YTD"]
    # Year 10 at A: A1 + A2 -> 20 and 20 possible sessions.
    assert records[2] == ["Total marks", "20", "20", "40"]


def test_export_of_an_unknown_school_fails_with_one_line(db_url, monkeypatch, capsys):
    clear_cache()
    load_reports_fixture(db_url)
    publish_fixture(db_url, small_group_settings(db_url))
    monkeypatch.setenv("DATABASE_URL", db_url)

    status = main(["export", "data-check", "--school", "6799999"])

    assert status != 0
    assert capsys.readouterr().out == ""


def test_efsm_and_sen_narrow_the_school_and_leave_national_static(fixture_scope):
    from data.reports.school_reports import absence, year_groups

    # School A's week 1: A1 (eFSM, no SEN) 9/10, A2 (SEN, not eFSM) 8/10, A3 9/10;
    # from the figures above: A1+A2+A3 26/30, A1+A3 18/20, A1+A2 17/20. National
    # all pupils 38/48 = 79.17 whatever the school's filter.
    efsm = attendance_summary(fixture_scope, "autumn1", PupilFilter(efsm=True))
    sen = attendance_summary(fixture_scope, "autumn1", PupilFilter(sen=True))
    assert rows_of(efsm)[0] == ["4 Sep 23", "1", "90.0", "79.2", "10.8"]
    assert rows_of(sen)[0] == ["4 Sep 23", "1", "80.0", "79.2", "0.8"]

    for report in (year_groups, absence):
        everyone = report(fixture_scope, "autumn1", PupilFilter())
        for narrowed in (PupilFilter(efsm=True), PupilFilter(sen=True)):
            table = report(fixture_scope, "autumn1", narrowed)
            national = [c for c in table.columns if "national" in c.lower()]
            assert national and all(
                table.column(c) == everyone.column(c) for c in national
            ), report.__name__
            school = [c for c in table.columns[1:] if c not in national]
            assert any(table.column(c) != everyone.column(c) for c in school)
    # Whole school with eFSM alone, week 1, to whole percentages: A1 9/10 = 90.
    whole = year_groups(fixture_scope, "autumn1", PupilFilter(efsm=True))
    assert whole.column("Whole school %")[0] == "90"
