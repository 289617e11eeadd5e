"""Absence patterns by session of the week, hand-computed on the two-school fixture.

Sessions are numbered Monday AM = 0 to Friday PM = 9. From tests/fixtures/reports
(weeks of 4 and 11 September 2023; A4 is in Year 12 and never counts):

    A1 Y10 F eFSM   possible 2 every session; absent Fri PM (w1 I)
    A2 Y10 M SEN    possible 2 every session; absent Mon AM, Mon PM, Tue AM, Tue PM
                    (w2 I) and Wed AM, Wed PM (w1 N)
    A3 Y7  F        Mon AM and Mon PM possible 1 (w2 X and a missing register),
                    others 2; absent Thu AM (w1 M)
    B1 Y10 F        Mon AM and Mon PM possible 1 (w1 # closure), others 2; never absent
    B2 Y7  M eFSM   possible 2 every session; absent Wed AM to Fri PM (w1 G), and
       SEN          Fri AM, Fri PM again (w2 U)

School A: possible 5, 5, then 6 on each other session; absent 1 on every session
but Thu PM and Fri AM. Rates 20.0, 20.0, 16.7 x 5, 0.0, 0.0, 16.7; all 8/58 = 13.8.
National (A and B): possible 8, 8, then 10; absent 1, 1, 1, 1, 2, 2, 2, 1, 2, 3.
Rates 12.5, 12.5, 10.0, 10.0, 20.0, 20.0, 20.0, 10.0, 20.0, 30.0; all 16/96 = 16.7.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete

from data.access import clear_cache, comparator_slot_sums
from data.db import session_scope
from data.figures import Band
from data.groups import PupilFilter
from data.patterns import (
    YEAR_TO_DATE,
    comparator_pattern,
    group_patterns,
    pupil_patterns,
)
from data.reports import ReportScope, ReportUnavailable
from data.schema import ReleaseSlotSums
from data.session_slots import ABSENCE_SUMS, POSSIBLE_SUMS
from data.tables import Table
from tests.report_fixture import WEEK_1

SCHOOL_A_RATES = [
    "20.0",
    "20.0",
    "16.7",
    "16.7",
    "16.7",
    "16.7",
    "16.7",
    "0.0",
    "0.0",
    "16.7",
    "13.8",
]
NATIONAL_RATES = [
    "12.5",
    "12.5",
    "10.0",
    "10.0",
    "20.0",
    "20.0",
    "20.0",
    "10.0",
    "20.0",
    "30.0",
    "16.7",
]


def _column(table: Table, index: int) -> list[str]:
    return [row[index].text for row in table.rows]


def _pupil_id(scope: ReportScope, forename: str) -> int:
    from data.pupil_names import pupil_names

    names = pupil_names(scope.url, scope.school_id, scope.data.pupils.index)
    return next(pupil for pupil, name in names.items() if forename in name.full)


def test_school_pattern_against_national_by_hand(fixture_scope: ReportScope) -> None:
    comparison = group_patterns(fixture_scope, YEAR_TO_DATE, PupilFilter())
    table = comparison.table

    assert table.columns == ("Session", "School %", "National %", "Difference")
    assert _column(table, 0)[:2] == ["Monday AM", "Monday PM"]
    assert _column(table, 0)[-1] == "All sessions"
    assert _column(table, 1) == SCHOOL_A_RATES
    assert _column(table, 2) == NATIONAL_RATES
    # School minus national, unrounded; more absence than national is worse.
    assert _column(table, 3) == [
        "7.5",
        "7.5",
        "6.7",
        "6.7",
        "-3.3",
        "-3.3",
        "-3.3",
        "-10.0",
        "-20.0",
        "-13.3",
        "-2.9",
    ]
    bands = [row[3].band for row in table.rows]
    assert bands[0] == Band(3, "worse")
    assert bands[4] == Band(2, "better")
    assert bands[9] == Band(3, "better")
    assert bands[10] == Band(2, "better")
    assert comparison.first.possible == (5, 5, 6, 6, 6, 6, 6, 6, 6, 6)
    assert comparison.second is not None
    assert comparison.second.absence == (1, 1, 1, 1, 2, 2, 2, 1, 2, 3)


def test_a_year_group_is_compared_with_the_same_year_nationally(
    fixture_scope: ReportScope,
) -> None:
    # School A Year 10 (A1, A2): possible 4 everywhere, absent 1 on sessions 0-5
    # and 9: 25.0, all 7/40 = 17.5. National Year 10 adds B1: possible 5, 5, then 6.
    table = group_patterns(
        fixture_scope, YEAR_TO_DATE, PupilFilter(year_group=10)
    ).table

    assert _column(table, 1) == ["25.0"] * 6 + ["0.0"] * 3 + ["25.0", "17.5"]
    assert _column(table, 2) == (
        ["20.0", "20.0"] + ["16.7"] * 4 + ["0.0"] * 3 + ["16.7", "12.1"]
    )
    assert _column(table, 3) == (
        ["5.0", "5.0"] + ["8.3"] * 4 + ["0.0"] * 3 + ["8.3", "5.4"]
    )
    assert table.rows[6][3].band == Band(0, "")


def test_the_national_pattern_is_withheld_with_the_year_to_date(
    fixture_scope: ReportScope,
) -> None:
    # Five pupils nationally, under the default minimum of ten.
    scope = replace(
        fixture_scope,
        settings=replace(fixture_scope.settings, comparator_min_pupils=10),
    )

    comparison = group_patterns(scope, YEAR_TO_DATE, PupilFilter())

    assert comparison.second is None
    assert _column(comparison.table, 2) == [""] * 11
    assert _column(comparison.table, 3) == [""] * 11
    assert comparison.table.rows[0][2].tooltip.startswith("Withheld")
    assert _column(comparison.table, 1) == SCHOOL_A_RATES


def test_a_term_without_weeks_in_the_release_is_blank_and_says_so(
    fixture_scope: ReportScope,
) -> None:
    table = group_patterns(fixture_scope, "spring1", PupilFilter()).table

    assert _column(table, 1) == [""] * 11
    assert _column(table, 2) == [""] * 11
    assert table.notes == ("No week of this term is in the latest release yet.",)


def test_the_term_covers_its_weeks_only(fixture_scope: ReportScope) -> None:
    # Autumn 1 holds both published weeks, so it equals the year to date.
    term = group_patterns(fixture_scope, "autumn1", PupilFilter()).table
    year = group_patterns(fixture_scope, YEAR_TO_DATE, PupilFilter()).table

    assert term.rows == year.rows
    with pytest.raises(ReportUnavailable):
        group_patterns(fixture_scope, "winter", PupilFilter())


def test_filters_the_national_cannot_follow_say_so(fixture_scope: ReportScope) -> None:
    table = group_patterns(
        fixture_scope, YEAR_TO_DATE, PupilFilter(reg_group="10P")
    ).table

    # 10P is A1 alone: absent only on Friday PM, 1 of 2.
    assert _column(table, 1) == ["0.0"] * 9 + ["50.0", "5.0"]
    assert _column(table, 2) == NATIONAL_RATES
    assert "registration group" in table.notes[0]


def test_stored_sums_per_area_week_and_cell(fixture_scope: ReportScope) -> None:
    url, release = fixture_scope.url, fixture_scope.release.id
    national = comparator_slot_sums(url, release)
    cardiff = comparator_slot_sums(url, release, "la", "681")
    vale = comparator_slot_sums(url, release, "la", "673")
    region = comparator_slot_sums(url, release, "region", "central_south")
    assert national is not None and cardiff is not None
    assert vale is not None and region is not None

    # B2 (Year 7 boy, eFSM, SEN la) in week 1: Wed AM to Fri PM missed, all possible.
    b2 = vale[(vale["week_start"] == WEEK_1) & (vale["year_group"] == 7)]
    assert b2[list(POSSIBLE_SUMS)].to_numpy().tolist() == [[1] * 10]
    assert b2[list(ABSENCE_SUMS)].to_numpy().tolist() == [[0] * 4 + [1] * 6]
    # Only week 1: Friday PM is A1's I nationally and B2's G.
    assert comparator_pattern(national, [WEEK_1]).absence[9] == 2
    assert comparator_pattern(cardiff, None).absence == (1, 1, 1, 1, 1, 1, 1, 0, 0, 1)
    assert comparator_pattern(region, None) == comparator_pattern(national, None)
    assert comparator_pattern(national, None, efsm=True).possible == (4,) * 10


def test_a_pupil_beside_the_whole_school(fixture_scope: ReportScope) -> None:
    # A2: absent on sessions 0-5, 1 of 2 each: 50.0; all 6/20 = 30.0.
    comparison = pupil_patterns(fixture_scope, _pupil_id(fixture_scope, "Gethin"))
    table = comparison.table

    assert table.columns == ("Session", "Pupil %", "School %", "Difference")
    assert _column(table, 1) == ["50.0"] * 6 + ["0.0"] * 4 + ["30.0"]
    assert _column(table, 2) == SCHOOL_A_RATES
    assert _column(table, 3) == (
        ["30.0", "30.0"] + ["33.3"] * 4 + ["-16.7", "0.0", "0.0", "-16.7", "16.2"]
    )
    # Bands compare with national figures, so a pupil's difference has none.
    assert {row[3].band.level for row in table.rows} == {0}


def test_a_release_without_stored_sums_asks_to_publish_again(
    fixture_scope: ReportScope,
) -> None:
    with session_scope(fixture_scope.url) as session:
        session.execute(delete(ReleaseSlotSums))
    clear_cache()

    with pytest.raises(ReportUnavailable, match="publish again"):
        group_patterns(fixture_scope, YEAR_TO_DATE, PupilFilter())
