"""The at-risk rules, sessions left to miss, projections and spells, worked by hand.

Fixture: twelve weeks of marks, w1 = w/c 4 September 2023 to w12 = w/c 20 November,
released to Friday 24 November. Every pupil is present ("/") except where shown. The
school had possible sessions in every week, so the last four school weeks are w9-w12
(w/c 30 October to w/c 20 November). The calendar has one more half-term, 8 January to
16 February 2024 with no holidays in it: 30 school days, R = 60 sessions left.
Persistent absence threshold T = 10, so "close" is 8% to under 10%.
"""

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from data.calendar import HalfTerm, SchoolCalendar
from data.early_warning import (
    COLUMNS,
    at_risk_count,
    at_risk_flags,
    at_risk_list,
    at_risk_pupils,
    at_risk_table,
    projected_attendance,
    recent_weeks,
    sessions_can_miss,
)
from data.groups import PupilFilter
from tests.marks_fixture import pupil_marks, pupils_frame, school_weeks, week_of

pytest_plugins = ["tests.pupil_fixture"]

TO_DATE = date(2023, 11, 24)
CALENDAR = SchoolCalendar(
    academic_year="2023/24",
    half_terms=(
        HalfTerm(1, "autumn1", date(2023, 9, 4), date(2023, 11, 24)),
        HalfTerm(2, "autumn2", date(2024, 1, 8), date(2024, 2, 16)),
    ),
    closures=frozenset(),
    bank_holidays=frozenset(),
)
X_WEEK = "X" * 10

MARKS = {
    # 1: two weeks of X, so P = 100; A = 8 absences in w3 (one spell): exactly 8%,
    # close. Last four weeks 40/40 = 100%, not falling.
    1: pupil_marks(12, w1=X_WEEK, w2=X_WEEK, w3="IIIIIIII//"),
    # 2: A = 11; one D (not counted) so P = 119: 1100/119 = 9.24%, just under 10%.
    # Spells: w1 Fri AM+PM and w2 Mon AM across the weekend (1); w3 Tue AM, D, Wed AM
    # (1, the D is skipped); w5 Mon AM and Tue AM with a present between (2); w7 Wed
    # AM to Thu PM (1): 5 spells.
    2: pupil_marks(
        12,
        w1="////////OI",
        w2="I/////////",
        w3="//IDI/////",
        w5="N/N///////",
        w7="////IIII//",
    ),
    # 3: P = 100 and A = 10, all in w12: exactly 10% is persistent, so not listed
    # although the last four weeks (30/40 = 75%) fell 15 points below 90%.
    3: pupil_marks(12, w1=X_WEEK, w2=X_WEEK, w12="IIIIIIIIII"),
    # 4: A = 9 of 120 = 7.5%, just under 8%: not close, and not falling.
    4: pupil_marks(12, w4="IIIIIIIII/"),
    # 5: A = 3, all in w10: year to date 117/120 = 97.5%, last four weeks 37/40 =
    # 92.5%, exactly 5 points lower: falling.
    5: pupil_marks(12, w10="UUO///////"),
    # 6: one more absence in w1: 116/120 = 96.67% against 92.5%, 4.17 points: not
    # falling; 4/120 = 3.3% is not close either.
    6: pupil_marks(12, w1="I/////////", w10="UUO///////"),
    # 7 (Year 8): A = 11 of 120 = 9.17%, close; last four weeks 32/40 = 80% against
    # 109/120 = 90.83%: falling too. Spells: w2 Mon AM, Wed AM, Fri PM (3); w11 Thu AM
    # to w12 Tue PM across the weekend (1): 4.
    7: pupil_marks(12, w2="I///I////I", w11="//////IIII", w12="IIII//////"),
    # 8: left on Friday 3 November: 8 of 90 = 8.9% would be close, but not on roll.
    8: pupil_marks(9, w1="IIIIIIII//"),
    # 9: leaves on Friday 26 January 2024: R = 30 (8-26 January, 15 days). A = 10 of
    # 120 = 8.33%, close.
    9: pupil_marks(12, w1="IIIIIIIIII"),
    # 11: X in w9-w12, so P = 80 and no possible session in the last four weeks;
    # A = 7 (one spell): 8.75%, close, no recent rate and no projection.
    11: pupil_marks(12, w1="IIIIIII///", w9=X_WEEK, w10=X_WEEK, w11=X_WEEK, w12=X_WEEK),
}
PUPILS = pupils_frame(
    {
        **{key: {"year_group": 7} for key in (1, 2, 3, 4, 5, 6, 11)},
        7: {"year_group": 8},
        8: {"year_group": 7, "leaving_date": date(2023, 11, 3)},
        9: {"year_group": 7, "leaving_date": date(2024, 1, 26)},
    }
)


@pytest.fixture(scope="module")
def weeks():
    return school_weeks(MARKS, TO_DATE)


@pytest.fixture(scope="module")
def found(weeks):
    return at_risk_pupils(weeks, PUPILS, TO_DATE, CALENDAR, 10)


def by_id(found):
    return {pupil.pupil_id: pupil for pupil in found.pupils}


def test_the_last_four_weeks_are_the_latest_with_possible_sessions():
    # w4 and w7 are closures (#) for the whole school: the last four school weeks
    # before the release are w2, w3, w5 and w6.
    closed = "#" * 10
    two_closed = pupil_marks(7, w4=closed, w7=closed)
    weeks = school_weeks({1: two_closed, 2: two_closed}, date(2023, 10, 20))

    assert recent_weeks(weeks) == [week_of(2), week_of(3), week_of(5), week_of(6)]


def test_fixture_last_four_weeks_and_sessions_left(found):
    assert found.recent_weeks == tuple(week_of(n) for n in (9, 10, 11, 12))
    assert found.sessions_left == 60


def test_at_risk_list_keeps_the_edges_of_the_rules(found):
    # Listed: 1 (8% exactly), 2 (just under 10%), 5 (falling by exactly 5 points),
    # 7 (both), 9 (close, future leaver), 11 (close, no recent weeks). Left out: 3
    # (10% is persistent), 4 (7.5%), 6 (4.17 points), 8 (left before the release).
    # Order: fewest sessions left to miss first, then pupil id:
    # 9 (4), 2 (6), 7 (6), 11 (6), 1 (7), 5 (14).
    assert [pupil.pupil_id for pupil in found.pupils] == [9, 2, 7, 11, 1, 5]
    reasons = {pupil.pupil_id: pupil.reason for pupil in found.pupils}
    assert reasons == {
        9: "Close",
        2: "Close",
        7: "Close, falling",
        11: "Close",
        1: "Close",
        5: "Falling",
    }


def test_sessions_can_still_miss_each_pupil(found):
    # k is the largest with 100 (A + k) < 10 (P + R):
    # 1: A 8, P 100, R 60: 1600 -> A + k <= 15, k = 7.
    # 2: A 11, P 119, R 60: 1790 -> A + k <= 17, k = 6 (17 < 17.9, 18 is not).
    # 5: A 3, P 120, R 60: 1800 -> A + k <= 17, k = 14.
    # 7: A 11, P 120, R 60: k = 6.
    # 9: A 10, P 120, R 30: 1500 -> A + k <= 14, k = 4 (15 would be exactly 10%).
    # 11: A 7, P 80, R 60: 1400 -> A + k <= 13, k = 6.
    assert {key: pupil.can_miss for key, pupil in by_id(found).items()} == {
        1: 7,
        2: 6,
        5: 14,
        7: 6,
        9: 4,
        11: 6,
    }


def test_sessions_can_miss_the_briefs_example_and_its_edges():
    # A = 10, P = 120, R = 60: 0.1 x 180 = 18 and A + k < 18 gives k = 7.
    assert sessions_can_miss(10, 120, 60, 10) == 7
    # 0.1 x 185 = 18.5: A + k = 18 is still under, k = 8.
    assert sessions_can_miss(10, 120, 65, 10) == 8
    # Already at the threshold: no session left to miss, never negative.
    assert sessions_can_miss(18, 120, 60, 10) == 0


def test_projected_year_end_attendance(found):
    # (present + R x recent present / recent possible) / (P + R) x 100:
    # 1: (92 + 60) / 160 = 95%.
    # 2: (108 + 60) / 179 = 16800/179 % = 93.85...%, shown 93.9.
    # 5: (117 + 60 x 37/40) / 180 = 172.5/180 = 95.83%, shown 95.8.
    # 7: (109 + 60 x 32/40) / 180 = 157/180 = 87.22%, shown 87.2.
    # 9: (110 + 30) / 150 = 93.33%, shown 93.3.
    # 11: no possible session in the last four weeks: no projection.
    projected = {key: pupil.projected for key, pupil in by_id(found).items()}
    assert projected == {
        1: Fraction(95),
        2: Fraction(16800, 179),
        5: Fraction(575, 6),
        7: Fraction(785, 9),
        9: Fraction(280, 3),
        11: None,
    }


def test_projection_without_sessions_left_is_the_year_to_date():
    # R = 0: (90 + 0) / 100.
    assert projected_attendance(90, 100, 30, 40, 0) == Fraction(90)
    assert projected_attendance(90, 100, 0, 0, 60) is None


def test_spells_count_runs_over_consecutive_possible_sessions(found):
    # 2: 5 (see the fixture); 7: 4; 1, 5, 9 and 11: one run each.
    assert {key: pupil.spells for key, pupil in by_id(found).items()} == {
        1: 1,
        2: 5,
        5: 1,
        7: 4,
        9: 1,
        11: 1,
    }


def test_year_group_lists_and_counts(weeks):
    # The last four weeks are the school's even for one year group; Year 8 holds
    # only pupil 7.
    year_8 = PUPILS[PUPILS["year_group"] == 8]
    year_7 = PUPILS[PUPILS["year_group"] == 7]

    assert list(at_risk_flags(weeks, year_8, TO_DATE, 10).index) == [7]
    assert len(at_risk_flags(weeks, year_7, TO_DATE, 10)) == 5
    assert len(at_risk_flags(weeks, PUPILS, TO_DATE, 10)) == 6
    year_11 = PUPILS[PUPILS["year_group"] == 11]
    nobody = at_risk_pupils(weeks, year_11, TO_DATE, CALENDAR, 10)
    assert nobody.pupils == ()
    assert at_risk_table(nobody).rows == ()


def test_table_shows_one_decimal_figures_and_names(found):
    table = at_risk_table(found, {2: "Jones, Sam"})

    assert table.columns == COLUMNS
    assert table.column("Pupil") == [
        "Pupil 9",
        "Jones, Sam",
        "Pupil 7",
        "Pupil 11",
        "Pupil 1",
        "Pupil 5",
    ]
    # Pupil 2: absence 1100/119 = 9.24 -> 9.2; attendance 108/119 = 90.76 -> 90.8;
    # last four weeks 40/40 = 100.0. Pupil 11: 7/80 = 8.75 rounds half away to 8.8,
    # 73/80 = 91.25 to 91.3, no recent figure and no projection (blank).
    assert [cell.text for cell in table.rows[1]] == [
        "Jones, Sam",
        "7",
        "Close",
        "9.2",
        "90.8",
        "100.0",
        "6",
        "93.9",
        "5",
    ]
    assert [cell.text for cell in table.rows[3]] == [
        "Pupil 11",
        "7",
        "Close",
        "8.8",
        "91.3",
        "",
        "6",
        "",
        "1",
    ]
    assert "Last four school weeks: w/c 30 Oct 23 to w/c 20 Nov 23." in table.notes
    assert (
        "Close: absence from 8% to under 10% of possible sessions, year to date."
        in (table.notes)
    )


def test_the_threshold_setting_moves_close(weeks):
    # T = 12: close is 10% to under 12%. Pupil 3 (10 of 100) is now close and
    # falling (75% against 90%); pupils 1, 2, 7, 9 and 11 (all under 10%) are no
    # longer close; 5 and 7 still fall by 5 points or more.
    flags = at_risk_flags(weeks, PUPILS, TO_DATE, 12)

    assert sorted(flags.index) == [3, 5, 7]
    assert flags.loc[3, "close"] and flags.loc[3, "falling"]
    assert not flags.loc[7, "close"]


def test_count_on_a_published_release(fixture_scope):
    # The report fixture's school A (two weeks): A1 1 of 20 absent = 5%, A2 6 of 20 =
    # 30%, A3 1 of 18 = 5.56%. With T = 6, close is 4% to under 6%: A1 and A3; A2 is
    # persistent. The last four weeks are both weeks, so no one is falling. Year 7
    # holds only A3.
    settings = replace(fixture_scope.settings, persistent_absence_threshold=6)
    scope = replace(fixture_scope, settings=settings)

    assert at_risk_count(scope, PupilFilter()) == 2
    assert at_risk_count(scope, PupilFilter(year_group=7)) == 1
    assert at_risk_count(scope, PupilFilter(year_group=11)) == 0


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (PupilFilter(), 1),
        (PupilFilter(year_group=10), 1),
        (PupilFilter(gender="F"), 1),
        (PupilFilter(year_group=7), 0),
    ],
    ids=["all", "year 10", "female", "year 7"],
)
def test_the_count_from_summed_counts_agrees_with_the_list(
    worked_scope, chosen, expected
):
    # The 360 report and the Pupil List count from the school's summed counts; the
    # list works from the pupil-week rows. The worked pupil (Y10, F) has 20 absences
    # in 326 possible sessions, 6.13%: with T = 8, close runs from 6% to under 8%, so
    # she is close, and counted once whether or not she is also falling.
    settings = replace(worked_scope.settings, persistent_absence_threshold=8)
    scope = replace(worked_scope, settings=settings)

    assert at_risk_count(scope, chosen) == expected
    assert len(at_risk_list(scope, chosen).pupils) == expected
