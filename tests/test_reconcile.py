"""Why do we differ from our MIS: each pupil's totals against ours, with the causes.

School A of the reports fixture, 4 to 15 September 2023 (ten school days, twenty
sessions), plus a joiner A5 (on roll from Monday 11 September, present all week 2)
and a leaver A6 (left Friday 8 September, present all week 1). Our totals, worked by
hand from tests/fixtures/reports/marks_a.csv and tests/fixtures/desk/:

    A1 possible 20, present 19, authorised 1 (I Fri 8 Sep PM), unauthorised 0
    A2 possible 20, present 14 (one L), authorised 4 (I), unauthorised 2 (N Wed 6 Sep)
    A3 possible 18, present 17, authorised 1 (M); X Mon 11 Sep AM; no mark 11 Sep PM
    A4 Year 12: never counted
    A5 possible 10, present 10 (joined 11 Sep)
    A6 possible 10, present 10 (left 8 Sep)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from data.import_report import ImportRejected
from data.imports import import_marks, import_pupils
from data.reconcile import (
    JOINER_LEAVER,
    LATE_CHANGE,
    MISSING_MARK,
    NOT_COUNTED,
    NOT_HELD,
    NOT_IN_MIS,
    fewest_sessions,
    reconcile,
)
from data.reconcile_marks import Totals
from tests.report_fixture import SCHOOL_A, load_reports_fixture

DESK = Path(__file__).parent / "fixtures" / "desk"
FIRST, LAST = date(2023, 9, 4), date(2023, 9, 15)
HEADER = "upn,possible,present,authorised,unauthorised\n"
MIS_FILE = HEADER + (
    "T681100100001,20,19,1,0\n"  # matches
    "T681100100002,20,14,6,0\n"  # the two N marks became authorised
    "T681100100003,20,18,2,0\n"  # the MIS counts the X and the empty session
    "T681100100004,20,20,0,0\n"  # Year 12: not compared
    "T681100100005,20,20,0,0\n"  # the MIS has A5 from 4 September
    "T681100199999,20,20,0,0\n"  # a UPN we do not hold
)  # A6 is not in the MIS file


@pytest.fixture
def school_a(db_url: str) -> str:
    """The reports fixture with school A's joiner and leaver added."""
    load_reports_fixture(db_url)
    import_pupils(db_url, DESK / "pupils_a_roll.csv", SCHOOL_A, "2023/24")
    import_marks(db_url, DESK / "marks_a_roll.csv", SCHOOL_A)
    return db_url


def test_every_pupil_who_differs_is_listed_with_sessions_and_cause(
    school_a: str,
) -> None:
    found = reconcile(school_a, MIS_FILE.encode(), SCHOOL_A, FIRST, LAST, "mis.csv")

    by_upn = {difference.upn[-2:]: difference for difference in found.differences}
    assert sorted(by_upn) == ["02", "03", "05", "06", "99"]
    assert found.matching == 1 and found.not_compared == 1 and found.compared == 6
    assert found.describe() == (
        "6 pupils compared from 4 Sep 2023 to 15 Sep 2023: 1 match, 5 differ. "
        "1 pupil in Years 12 and 13 was not compared."
    )

    late = by_upn["02"]  # same possible; 2 moved from unauthorised to authorised
    assert late.ours == Totals(20, 14, 4, 2) and late.theirs == Totals(20, 14, 6, 0)
    assert late.sessions == 2 and late.causes == (LATE_CHANGE,)
    assert late.evidence == (
        "N (no reason yet) Wed 6 Sep AM",
        "N (no reason yet) Wed 6 Sep PM",
    )

    gaps = by_upn["03"]  # the MIS has 2 more possible: 1 present and 1 authorised
    assert gaps.ours == Totals(18, 17, 1, 0) and gaps.sessions == 2
    assert gaps.causes == (MISSING_MARK, NOT_COUNTED)
    assert gaps.evidence == ("no mark Mon 11 Sep PM", "not counted Mon 11 Sep AM")

    joiner = by_upn["05"]  # 10 more possible, all present, before our entry date
    assert joiner.ours == Totals(10, 10, 0, 0) and joiner.sessions == 10
    assert joiner.causes == (JOINER_LEAVER,)
    assert joiner.evidence == ("joined 11 Sep 2023",)

    leaver = by_upn["06"]  # left on 8 Sep and missing from the MIS file
    assert leaver.theirs is None and leaver.sessions == 10
    assert leaver.causes == (JOINER_LEAVER,)
    assert leaver.evidence == ("left 8 Sep 2023",)

    stranger = by_upn["99"]
    assert stranger.ours is None and stranger.causes == (NOT_HELD,)
    assert stranger.sessions == 20


def test_the_table_shows_ours_beside_the_mis_and_names_the_cause(
    school_a: str,
) -> None:
    table = reconcile(school_a, MIS_FILE.encode(), SCHOOL_A, FIRST, LAST).table()

    first = table.records()[0]
    assert first["UPN"] == "T681100100002"
    assert (first["Authorised (ours)"], first["Authorised (MIS)"]) == ("4", "6")
    assert (first["Unauthorised (ours)"], first["Unauthorised (MIS)"]) == ("2", "0")
    assert first["Likely cause"] == "a change older than the collection window"
    assert table.column("UPN")[-1] == "T681100199999"


def test_a_joiner_matches_when_the_dates_start_on_the_day_they_joined(
    school_a: str,
) -> None:
    # 11 to 15 September: A5's ten sessions are all the school's.
    mis = HEADER + "T681100100005,10,10,0,0\n"

    found = reconcile(school_a, mis.encode(), SCHOOL_A, date(2023, 9, 11), LAST)

    # A1 to A3 are held and left out of the file; A6 left before the dates.
    assert found.matching == 1
    upns = [difference.upn[-2:] for difference in found.differences]
    assert upns == ["01", "02", "03"]
    assert found.differences[0].causes == (NOT_IN_MIS,)


def test_a_bad_mis_file_is_rejected_with_its_lines(school_a: str) -> None:
    mis = HEADER + (
        "T68110010000,20,20,0,0\n"  # line 2: 12 characters
        "T681100100001,20,19,1,1\n"  # line 3: 19 + 1 + 1 is 21
        "T681100100002,twenty,14,6,0\n"  # line 4
        "T681100100001,20,19,1,0\n"  # line 5: repeats line 3's UPN
    )

    with pytest.raises(ImportRejected) as rejected:
        reconcile(school_a, mis.encode(), SCHOOL_A, FIRST, LAST, "mis.csv")

    assert [str(problem) for problem in rejected.value.problems] == [
        "Line 2: the UPN is not 13 letters and digits.",
        "Line 3: possible (20) is not present + authorised + unauthorised (21).",
        "Line 4: possible must be a whole number of sessions.",
        "Line 5: the same UPN is also on line 3.",
    ]


def test_dates_must_run_forwards_within_one_year(school_a: str) -> None:
    mis = (HEADER + "T681100100001,20,19,1,0\n").encode()

    with pytest.raises(ValueError, match="before the first"):
        reconcile(school_a, mis, SCHOOL_A, LAST, FIRST)
    with pytest.raises(ValueError, match="one academic year"):
        reconcile(school_a, mis, SCHOOL_A, FIRST, date(2024, 9, 6))


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        (Totals(20, 14, 4, 2), Totals(20, 14, 6, 0), 2),  # 2 moved
        (Totals(18, 17, 1, 0), Totals(20, 18, 2, 0), 2),  # 2 added
        (Totals(20, 20, 0, 0), Totals(18, 17, 1, 0), 3),  # 2 removed, 1 moved
        (Totals(5, 5, 0, 0), Totals(5, 5, 0, 0), 0),
    ],
    ids=["moved", "added", "removed-and-moved", "same"],
)
def test_the_fewest_sessions_that_explain_a_difference(
    ours: Totals, theirs: Totals, expected: int
) -> None:
    assert fewest_sessions(ours, theirs) == expected
