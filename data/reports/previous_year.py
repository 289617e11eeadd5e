"""The previous academic year: its final release, read only, and last year's weekly
figures lined up with this year's weeks.

Term dates move from year to year, so a week of this year is compared with the week of
last year at the same half-term and the same week of that half-term (the first week of
autumn 1 with last year's first week of autumn 1), each from the school's own calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from dashboard.config import Settings
from dashboard.i18n import N_, _
from data.calendar import HALF_TERMS, SchoolCalendar
from data.groups import PupilFilter
from data.releases import ReleaseInfo, current_release, previous_year_release
from data.reports import ReportScope, ReportUnavailable, open_scope
from data.reports.data_check import data_check
from data.reports.school_reports import EVERYONE, absence, pupil_groups, year_groups
from data.reports.series import ChartLines, WeeklySeries, weekly_series
from data.reports.summary import attendance_summary
from data.status import shift_year
from data.tables import Table

# The previous year's reports, by the key the page's sub-navigation uses; titles are
# marked with `N_()` and translated where shown.
REPORTS: dict[str, tuple[str, Callable[[ReportScope, str, PupilFilter], Table]]] = {
    "attendance-summary": (N_("Attendance Summary"), attendance_summary),
    "year-groups": (N_("Year Groups"), year_groups),
    "pupil-groups": (N_("Pupil Groups"), pupil_groups),
    "absence": (N_("Absence"), absence),
    "data-check": (N_("Data Check"), data_check),
}


@dataclass(frozen=True)
class LastYearOverlay:
    """Last year's school and national figures on this year's weeks.

    `last_weeks` holds the week of last year each of `weeks` is compared with (None in
    a holiday or past the end of last year's half-term); a value is None when there is
    no such week or no figure for it.
    """

    academic_year: str
    weeks: tuple[date, ...]
    last_weeks: tuple[date | None, ...]
    school: tuple[Fraction | None, ...]
    national: tuple[Fraction | None, ...]


def last_year_release(url: str) -> ReleaseInfo | None:
    """Return the kept release of the academic year before the current release's."""
    current = current_release(url)
    if current is None:
        return None
    found = previous_year_release(url)
    if found is None or found.academic_year != shift_year(current.academic_year, -1):
        return None
    return found


def open_last_year(
    url: str, school_id: str, settings: Settings | None = None
) -> ReportScope:
    """Return a school's scope in the previous academic year's release.

    Raises ReportUnavailable when that year has no release or the school no data in it.
    """
    release = last_year_release(url)
    if release is None:
        raise ReportUnavailable(_("No release of the previous academic year is kept."))
    return open_scope(url, school_id, settings, release)


def aligned_weeks(
    this_year: SchoolCalendar, last_year: SchoolCalendar
) -> dict[date, date]:
    """Return each week of this year's half-terms mapped to last year's week at the
    same half-term and week of half-term (weeks as Mondays)."""
    found: dict[date, date] = {}
    for key in HALF_TERMS:
        try:
            pairs = zip(
                this_year.term_weeks(key), last_year.term_weeks(key), strict=False
            )
        except KeyError:
            continue
        for this_week, last_week in pairs:
            found.setdefault(this_week, last_week)
    return found


def last_year_overlay(
    scope: ReportScope,
    weeks: tuple[date, ...],
    pupil_filter: PupilFilter = EVERYONE,
    measure: str = "present",
) -> LastYearOverlay:
    """Return last year's school and national figures for this year's `weeks`.

    The national line follows the year group, as this year's does. Raises
    ReportUnavailable when last year has no release or the school no data in it.
    """
    last = open_last_year(scope.url, scope.school_id, scope.settings)
    series = weekly_series(last, pupil_filter, measure)
    return _on_this_years_weeks(scope, last, weeks, series)


def last_year_overlays(
    scope: ReportScope, chart_lines: ChartLines, pupil_filter: PupilFilter
) -> tuple[LastYearOverlay, ...]:
    """Return last year's overlay for each of a report's charts, in their order.

    `chart_lines` (e.g. the Year Groups' lines) runs on last year's release with the
    same filter, so each chart is overlaid with last year's same group and measure,
    on the weeks of this year's chart. Raises ReportUnavailable as `last_year_overlay`.
    """
    last = open_last_year(scope.url, scope.school_id, scope.settings)
    this_year = scope.cached(chart_lines, pupil_filter)
    last_year = last.cached(chart_lines, pupil_filter)
    return tuple(
        _on_this_years_weeks(scope, last, this_series.weeks, last_series)
        for (_label, this_series), (_last_label, last_series) in zip(
            this_year, last_year, strict=True
        )
    )


def _on_this_years_weeks(
    scope: ReportScope,
    last: ReportScope,
    weeks: tuple[date, ...],
    series: WeeklySeries,
) -> LastYearOverlay:
    school = dict(zip(series.weeks, series.school, strict=True))
    national = dict(zip(series.weeks, series.national, strict=True))
    aligned = aligned_weeks(scope.calendar, last.calendar)
    last_weeks = tuple(aligned.get(week) for week in weeks)
    return LastYearOverlay(
        academic_year=last.release.academic_year,
        weeks=weeks,
        last_weeks=last_weeks,
        school=tuple(school.get(week) if week else None for week in last_weeks),
        national=tuple(national.get(week) if week else None for week in last_weeks),
    )
