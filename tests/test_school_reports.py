"""Year Groups, Pupil Groups and Absence on the two-school fixture, worked by hand."""

from __future__ import annotations

from data.groups import PupilFilter
from data.reports.school_reports import absence, pupil_groups, year_groups


def column(table, header):
    return table.column(header)


def test_year_groups_whole_percentages_by_hand(fixture_scope):
    table = year_groups(fixture_scope, "autumn1", PupilFilter())

    # Whole school: 26/30 = 86.67 -> 87 vs 38/48 = 79.17 -> 79; difference 7.5 -> 8.
    assert column(table, "Whole school %")[:3] == ["87", "86", "86"]
    assert column(table, "Whole school national %")[:3] == ["79", "88", "83"]
    assert column(table, "Whole school difference")[0] == "8"
    # Year 10: A1 + A2 17/20 = 85 vs A1, A2, B1 25/28 = 89.29; w2 16/20 vs 26/30.
    assert column(table, "Year 10 %")[:2] == ["85", "80"]
    assert column(table, "Year 10 national %")[:2] == ["89", "87"]
    assert column(table, "Year 10 difference")[:2] == ["-4", "-7"]
    # Year 7: A3 9/10 vs A3 + B2 13/20 = 65; w2 8/8 vs 16/18 = 88.9.
    assert column(table, "Year 7 %")[:2] == ["90", "100"]
    assert column(table, "Year 7 national %")[:2] == ["65", "89"]
    # No Year 8 pupils anywhere: blank, never 0.
    assert column(table, "Year 8 %")[:3] == ["", "", ""]


def test_year_groups_band_and_tooltip_use_the_decimal_figures(fixture_scope):
    table = year_groups(fixture_scope, "autumn1", PupilFilter())
    year_10 = table.columns.index("Year 10 %")
    first_week = table.rows[0][year_10]

    assert (first_week.band.level, first_week.band.direction) == (3, "worse")
    assert (
        first_week.tooltip
        == "Pupils: 2 · School: 85.0% · National: 89.3% · Difference: -4.3"
    )


def test_year_groups_cohorts_for_the_latest_week(fixture_scope):
    table = year_groups(fixture_scope, "autumn1", PupilFilter())

    # Rows stay weeks then YTD (exports begin every row with a w/c date or YTD); the
    # cohorts of w/c 11 Sep are the note: A1, A2 in Year 10 and A3 in Year 7.
    assert [row[0].export_text for row in table.rows] == [
        "2023-09-04",
        "2023-09-11",
        "YTD",
    ]
    assert table.notes == (
        "Pupils in w/c 11 Sep 23: Whole school 3 · Year 7 1 · Year 8 0 · Year 9 0"
        " · Year 10 2 · Year 11 0",
    )


def test_one_year_group_and_school_only_filters(fixture_scope):
    table = year_groups(
        fixture_scope, "autumn1", PupilFilter(year_group=10, gender="M")
    )

    assert [c for c in table.columns if c.endswith(" %") and "national" not in c] == [
        "Year 10 %"
    ]
    # Boys in Year 10 at A: A2 only, w1 8/10; national stays all Year 10 pupils.
    assert column(table, "Year 10 %")[0] == "80"
    assert column(table, "Year 10 national %")[0] == "89"


def test_pupil_groups_against_the_same_groups_nationally(fixture_scope):
    table = pupil_groups(fixture_scope, "autumn1", PupilFilter())

    # Girls at A: A1 + A3 18/20 = 90 vs A1, A3, B1 26/28 = 92.86: -2.86 -> -3.
    assert column(table, "Female %")[0] == "90"
    assert column(table, "Female national %")[0] == "93"
    assert column(table, "Female difference")[0] == "-3"
    # eFSM: A1 9/10 vs A1 + B2 13/20 = 65.
    assert column(table, "eFSM %")[0] == "90"
    assert column(table, "eFSM national %")[0] == "65"


def test_pupil_groups_for_one_year_group(fixture_scope):
    table = pupil_groups(fixture_scope, "autumn1", PupilFilter(year_group=7))

    # Year 7 girls: A3 9/10 at A; nationally Year 7 girls are A3 only: 90 vs 90.
    assert column(table, "Female %")[0] == "90"
    assert column(table, "Female national %")[0] == "90"
    # Year 7 boys: none at A (blank); nationally B2 4/10 = 40.
    assert column(table, "Male %")[0] == ""
    assert column(table, "Male national %")[0] == "40"


def test_absence_by_reason_by_hand(fixture_scope):
    table = absence(fixture_scope, "autumn1", PupilFilter())

    # Week 1: A 4/30 = 13.3 vs 10/48 = 20.8; holiday 0 vs B2's 6 G = 12.5.
    assert column(table, "Absence %")[0] == "13.3"
    assert column(table, "Absence national %")[0] == "20.8"
    assert column(table, "Absence difference")[0] == "-7.5"
    assert column(table, "Holiday %")[0] == "0.0"
    assert column(table, "Holiday national %")[0] == "12.5"
    assert column(table, "Illness %")[:3] == ["3.3", "14.3", "8.6"]
    absence_index = table.columns.index("Absence %")
    assert table.rows[0][absence_index].band.direction == "better"
