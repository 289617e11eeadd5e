"""The previous academic year on the two-year fixture, worked by hand.

2022/23 (tests/regional_fixture.py), C1: w/c 29 Aug 2022 c1a 4/4, c1b 2/4 (2 I) = 6/8
= 75%; w/c 5 Sep 2022 c1a 10/10, c1b 8/10 (2 N) = 18/20 = 90%; YTD 24/28 = 85.71%.
National: 34/36 = 94.44% (only c1b's 2 I missed), then 81/90 = 90% (c1b 2 N, c3b 5 G,
n1a 2 O), YTD 115/126 = 91.27%. In 2022/23 c1a was in Year 9 and c1b in Year 10.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from data.access import clear_cache
from data.groups import PupilFilter
from data.pupil_names import pupil_by_upn
from data.releases import publish
from data.reports import ReportUnavailable, open_scope
from data.reports.individual_pupil import individual_pupil
from data.reports.previous_year import (
    REPORTS,
    aligned_weeks,
    last_year_overlay,
    last_year_overlays,
    last_year_release,
    open_last_year,
)
from data.reports.school_reports import absence_series, year_group_series, year_groups
from data.reports.summary import attendance_summary
from data.reports.three_sixty import (
    headline,
    key_groups,
    latest_week,
    persistent_absence,
)
from data.tables import Table
from tests.regional_fixture import (
    C1,
    C1B_UPN,
    P1,
    P2,
    TO_DATE,
    W1,
    W2,
    load_regional_fixture,
    publish_both_years,
    regional_settings,
)


@pytest.fixture
def published(db_url: str) -> str:
    load_regional_fixture(db_url)
    publish_both_years(db_url, regional_settings(db_url))
    return db_url


def test_the_previous_year_is_its_final_release_with_its_figures(published):
    release = last_year_release(published)

    assert release is not None
    assert (release.academic_year, release.to_date) == ("2022/23", date(2023, 7, 20))
    scope = open_last_year(published, C1, regional_settings(published))
    assert scope.release == release
    assert scope.calendar.academic_year == "2022/23"
    assert scope.default_term() == "summer2"

    table = attendance_summary(scope, "autumn1", PupilFilter())

    # Autumn 1 2022/23 runs from Thursday 1 September to 28 October: nine weeks.
    assert table.column("w/c")[:2] == ["29 Aug 22", "5 Sep 22"]
    assert len(table.rows) == 9 + 1
    assert table.column("School %")[:2] == ["75.0", "90.0"]
    assert table.column("National %")[:2] == ["94.4", "90.0"]
    # 75 - 94.44 = -19.44; 85.71 - 91.27 = -5.56.
    assert table.column("Difference")[:2] == ["-19.4", "0.0"]
    assert table.rows[-1][2].text == "85.7"
    assert table.rows[-1][3].text == "91.3"
    assert table.rows[-1][4].text == "-5.6"


def test_the_previous_year_uses_that_years_pupil_context(published):
    settings = regional_settings(published)
    table = year_groups(
        open_last_year(published, C1, settings), "autumn1", PupilFilter()
    )

    # Year 10 in 2022/23 is c1b only: 2/4 = 50 then 8/10 = 80; nationally c1b and
    # v1b: 6/8 = 75 then 18/20 = 90. c1a was in Year 9: 100 both weeks.
    assert table.column("Year 10 %")[:2] == ["50", "80"]
    assert table.column("Year 10 national %")[:2] == ["75", "90"]
    assert table.column("Year 9 %")[:2] == ["100", "100"]
    # This year c1a is in Year 10 (10/10 in w/c 4 Sep) and c1b in Year 11.
    this_year = year_groups(
        open_scope(published, C1, settings), "autumn1", PupilFilter()
    )
    assert this_year.column("Year 10 %")[0] == "100"
    assert this_year.column("Year 9 %")[0] == ""


def test_last_years_data_check_counts_that_years_marks(published):
    scope = open_last_year(published, C1, regional_settings(published))
    title, report = REPORTS["data-check"]

    table = report(scope, "autumn1", PupilFilter())

    assert title == "Data Check"
    assert table.columns[1:3] == ("2022-08-29", "2022-09-05")
    by_measure = {
        row[0].text: [row[1].text, row[2].text, row[-1].text] for row in table.rows
    }
    # c1a 4 present then 10; c1b 2 present and 2 I, then 8 present and 2 N.
    assert by_measure["Pupils"] == ["2", "2", "2"]
    assert by_measure["Total marks"] == ["8", "20", "28"]
    assert by_measure["Present"] == ["6", "18", "24"]
    assert by_measure["Absence"] == ["2", "2", "4"]
    assert by_measure["Authorised"] == ["2", "0", "2"]
    assert by_measure["Illness"] == ["2", "0", "2"]
    assert by_measure["Unauthorised"] == ["0", "2", "2"]


def test_last_years_360_report_against_that_years_national(published):
    scope = open_last_year(published, C1, regional_settings(published))

    # School 24/28 present, 2 I authorised, 2 N unauthorised; national 115/126, c1b's
    # 2 I authorised (2/126), c1b's 2 N, c3b's 5 G and n1a's 2 O unauthorised (9/126).
    assert _texts(headline(scope, "ytd")) == [
        ["Attendance", "85.7", "91.3", "-5.6"],
        ["Authorised absence", "7.1", "1.6", "5.6"],
        ["Unauthorised absence", "7.1", "7.1", "0.0"],
        # c1b missed 4 of 14: 1 of 2 pupils; nationally c1b, c3b (5/14) and n1a
        # (2/14) of 9 pupils.
        ["Persistent absence", "50.0", "33.3", "16.7"],
    ]
    # That year's context: c1a (female, eFSM) 14/14 and c1b (male) 10/14. Females
    # nationally: c1a, c3a, v1a, v1b 14 each, n1a 12 = 68/70; males: c1b 10, c2a 14,
    # c3b 9, n1b 14 = 47/56.
    groups = _texts(key_groups(scope, "ytd"))
    assert groups[:3] == [
        ["Female", "100.0", "97.1", "2.9"],
        ["Male", "71.4", "83.9", "-12.5"],
        ["eFSM", "100.0", "100.0", "0.0"],
    ]
    assert _texts(persistent_absence(scope))[0] == [
        "Whole school",
        "50.0",
        "33.3",
        "16.7",
    ]
    # The latest week is the week of the year's last day, Thursday 20 July 2023.
    assert latest_week(scope) == date(2023, 7, 17)


def test_the_overlay_shows_last_years_same_half_term_weeks(published):
    settings = regional_settings(published)
    this_year = open_scope(published, C1, settings).calendar
    last_year = open_last_year(published, C1, settings).calendar
    aligned = aligned_weeks(this_year, last_year)

    # Autumn 1 starts on Monday 4 September 2023 and on Thursday 1 September 2022.
    assert aligned[W1] == P1
    assert aligned[W2] == P2
    # Autumn 2: 6 November 2023 and 7 November 2022; spring 1: 8 January 2024 and
    # 9 January 2023. The October half-term holiday has no partner.
    assert aligned[date(2023, 11, 6)] == date(2022, 11, 7)
    assert aligned[date(2024, 1, 8)] == date(2023, 1, 9)
    assert date(2023, 10, 30) not in aligned

    scope = open_scope(published, C1, settings)
    overlay = last_year_overlay(scope, (W1, W2, date(2023, 10, 30)))

    assert overlay.academic_year == "2022/23"
    assert overlay.last_weeks == (P1, P2, None)
    # Last year's school 75% and 90%, national 34/36 and 90%: not the calendar week
    # (5 September 2022 would give 90% against this year's first week).
    assert overlay.school == (75, 90, None)
    assert overlay.national == (Fraction(3400, 36), 90, None)


def test_a_reports_overlay_follows_its_filter_group_and_measure(published):
    scope = open_scope(published, C1, regional_settings(published))

    (year_10,) = last_year_overlays(
        scope, year_group_series, PupilFilter(year_group=10)
    )

    # Year 10 last year is c1b, 2/4 then 8/10; nationally c1b and v1b, 6/8 then 18/20
    # (this year's Year 10 is c1a, a different pupil).
    assert year_10.weeks == (W1, W2)
    assert year_10.last_weeks == (P1, P2)
    assert year_10.school == (50, 80)
    assert year_10.national == (75, 90)

    reasons = last_year_overlays(scope, absence_series, PupilFilter(gender="M"))

    # Absence, Authorised, Unauthorised, Illness, Medical, Holiday. C1's boys last
    # year: c1b, 2 I of 4 then 2 N of 10. National (all pupils, the reason only):
    # c1b's 2 I of 36, then c1b's 2 N, c3b's 5 G and n1a's 2 O of 90.
    assert len(reasons) == 6
    absent, authorised, unauthorised = reasons[:3]
    assert absent.school == (50, 20)
    assert absent.national == (Fraction(200, 36), 10)
    assert authorised.school == (50, 0)
    assert authorised.national == (Fraction(200, 36), 0)
    assert unauthorised.school == (0, 20)
    assert unauthorised.national == (0, 10)


def test_last_years_individual_pupil_report_of_c1b(published):
    scope = open_last_year(published, C1, regional_settings(published))
    pupil = pupil_by_upn(published, C1, C1B_UPN)
    assert pupil is not None

    report = individual_pupil(scope, "autumn1", pupil)

    # 2022/23: c1b was in Year 10 (11 this year), male, in 10A. w/c 29 Aug 2022:
    # Thursday present twice, Friday I twice: 2/4 = 50%. w/c 5 Sep: 8 present and
    # Friday N twice: 8/10 = 80%. Year: 10/14 = 71.43%, 2 I authorised, 2 N
    # unauthorised.
    assert report.heading == "Prawf, c1b (Yr:10, M)"
    assert (report.ytd.text, report.ytd.tooltip) == ("71.4", "10 of 14 sessions")
    context = dict(report.context)
    assert (context["Year group"], context["Reg group"]) == ("Year 10", "10A")
    assert (context["eFSM"], context["Ethnicity"]) == ("Not eFSM", "White - British")
    assert report.marks.columns[1:4] == ("YTD", "29 Aug 22", "5 Sep 22")
    marks = _by_label(report.marks, 4)
    assert marks["Attendance %"] == ["71.4", "50.0", "80.0"]
    assert marks["Total marks"] == ["14", "4", "10"]
    assert marks["Total present"] == ["10", "2", "8"]
    assert marks["Total absence"] == ["4", "2", "2"]
    assert _by_label(report.authorised, 4)["Illness"] == ["2", "2", "0"]
    assert _by_label(report.unauthorised, 4)["Unauthorised absence"] == [
        "2",
        "0",
        "2",
    ]
    # Autumn 1 holds every mark of the year: 10, 2 and 2 of 14 = 71.4%, 14.3%, 14.3%.
    reasons = _by_label(report.reasons, 3)
    assert reasons["Present"] == ["10", "71.4"]
    assert reasons["Illness"] == ["2", "14.3"]
    assert reasons["Other unauthorised"] == ["2", "14.3"]
    # Against that year's national Year 10, c1b and v1b: 6/8 = 75%, then 18/20 = 90%
    # (this year's national Year 11 is 16/20 = 80% in the first week).
    series = report.series
    assert series.national_label == "National, Year 10"
    assert series.weeks[:2] == (P1, P2)
    assert series.school[:2] == (50, 80)
    assert series.national[:2] == (75, 90)
    register = report.register.table
    assert [cell.text for cell in register.rows[0][7:]] == ["/", "/", "I", "I"]
    assert [cell.text for cell in register.rows[1][9:]] == ["N", "N"]


def test_no_previous_year_without_its_release(db_url):
    load_regional_fixture(db_url)
    publish(db_url, to_date=TO_DATE, settings=regional_settings(db_url))
    clear_cache()

    assert last_year_release(db_url) is None
    with pytest.raises(ReportUnavailable, match="previous academic year"):
        open_last_year(db_url, C1, regional_settings(db_url))
    scope = open_scope(db_url, C1, regional_settings(db_url))
    with pytest.raises(ReportUnavailable):
        last_year_overlay(scope, (W1,))
    with pytest.raises(ReportUnavailable):
        last_year_overlays(scope, year_group_series, PupilFilter())


def _texts(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[cell.text for cell in row] for row in table.rows]


def _by_label(table: Table, width: int) -> dict[str, list[str]]:
    """Return each row's cells after its label, the first `width` - 1 of them."""
    return {row[0].text: [cell.text for cell in row[1:width]] for row in table.rows}
