"""Attendance Summary: weekly school attendance against national, with the year to date."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from dashboard.i18n import N_, _
from data.figures import difference, difference_band, display, percent
from data.groups import PupilFilter, withheld_reason
from data.reports import ReportScope
from data.sums import WeekRows
from data.tables import (
    WEEK_COMMENCING,
    Cell,
    Table,
    count_cell,
    headers,
    week_cell,
    ytd_cell,
)

TITLE = N_("Attendance Summary")
COLUMNS = (
    WEEK_COMMENCING,
    N_("Pupils"),
    N_("School %"),
    N_("National %"),
    N_("Difference"),
)


def attendance_summary(
    scope: ReportScope, term: str, pupil_filter: PupilFilter
) -> Table:
    """Return the Attendance Summary table: one row per week of the term, then YTD,
    its words in the current language.

    The national figure follows the year group and stays static for gender, eFSM and
    SEN/ALN, which narrow only the school's figure.
    """
    school = scope.data.sums
    national = scope.national.sums
    follows: dict[str, Any] = {"year_group": pupil_filter.year_group}
    school_weeks = school.weekly(pupil_filter)
    national_weeks = national.weekly(scope.settings, **follows)
    body = [
        _week_row(week, school_weeks, national_weeks) for week in scope.term_weeks(term)
    ]
    school_ytd = school.year_to_date(pupil_filter)
    national_ytd = national.year_to_date(scope.settings, **follows)
    body.append(
        _row(
            ytd_cell(),
            int(school_ytd["pupils"]),
            percent(school_ytd["present"], school_ytd["possible"]),
            national_ytd,
        )
    )
    return Table(_(TITLE), headers(*COLUMNS), tuple(body))


def _week_row(
    week: date, school_weeks: WeekRows, national_weeks: WeekRows
) -> tuple[Cell, ...]:
    school = school_weeks.get(week)
    national = national_weeks.get(week)
    pupils = int(school["pupils"]) if school is not None else 0
    school_rate = (
        percent(school["present"], school["possible"]) if school is not None else None
    )
    return _row(week_cell(week), pupils, school_rate, national)


def _shown_rate(comparator: dict[str, Any] | None) -> Fraction | None:
    if comparator is None or comparator["withheld"]:
        return None
    return percent(comparator["present"], comparator["possible"])


def _why_blank(comparator: dict[str, Any] | None) -> str:
    if comparator is None:
        return _("No national figure for this week.")
    return withheld_reason(comparator["withheld"])


def _row(
    label: Cell,
    pupils: int,
    school: Fraction | None,
    comparator: dict[str, Any] | None,
) -> tuple[Cell, ...]:
    national = _shown_rate(comparator)
    gap = difference(school, national)
    return (
        label,
        count_cell(pupils),
        Cell(display(school)),
        Cell(
            display(national),
            tooltip="" if national is not None else _why_blank(comparator),
        ),
        Cell(display(gap), difference_band(gap)),
    )
