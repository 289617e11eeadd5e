"""The 360 report: headline figures, key pupil groups and persistent absence vs national."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from dashboard.i18n import N_, _
from data.figures import difference, difference_band, display, percent
from data.groups import PupilFilter
from data.reports import ReportScope
from data.tables import Cell, Table

COLUMNS = (N_("Measure"), N_("School %"), N_("National %"), N_("Difference"))
YEAR_TO_DATE = "ytd"
LATEST_WEEK = "week"

# The key pupil groups: label (translated when shown) and the filter that selects them.
KEY_GROUPS: tuple[tuple[str, PupilFilter], ...] = (
    (N_("Female"), PupilFilter(gender="F")),
    (N_("Male"), PupilFilter(gender="M")),
    (N_("eFSM"), PupilFilter(efsm=True)),
    (N_("Not eFSM"), PupilFilter(efsm=False)),
    (N_("SEN/ALN"), PupilFilter(sen=True)),
    (N_("No SEN/ALN"), PupilFilter(sen=False)),
)
YEAR_GROUPS = (
    (N_("Year 7"), PupilFilter(year_group=7)),
    (N_("Year 8"), PupilFilter(year_group=8)),
    (N_("Year 9"), PupilFilter(year_group=9)),
    (N_("Year 10"), PupilFilter(year_group=10)),
    (N_("Year 11"), PupilFilter(year_group=11)),
)


@dataclass(frozen=True)
class Figure:
    """A school figure and its comparator, both unrounded; None when there is none."""

    school: Fraction | None
    national: Fraction | None
    higher_is_better: bool = True


def latest_week(scope: ReportScope) -> date:
    """Return the week commencing of the release's last date."""
    return scope.release.to_date - timedelta(days=scope.release.to_date.weekday())


def headline(scope: ReportScope, period: str) -> Table:
    """Return attendance, authorised, unauthorised and persistent absence vs national.

    `period` is "ytd" or "week"; persistent absence is year to date in both.
    """
    everyone = PupilFilter()
    figures = [
        (N_("Attendance"), _rate(scope, everyone, "present", period)),
        (N_("Authorised absence"), _rate(scope, everyone, "authorised", period, False)),
        (
            N_("Unauthorised absence"),
            _rate(scope, everyone, "unauthorised", period, False),
        ),
        (N_("Persistent absence"), persistent(scope, everyone)),
    ]
    return _table(_("Headline figures"), figures)


def key_groups(scope: ReportScope, period: str) -> Table:
    """Return attendance of each key pupil group against the same group nationally."""
    figures = [
        (label, _rate(scope, chosen, "present", period)) for label, chosen in KEY_GROUPS
    ]
    return _table(_("Key pupil groups"), figures)


def persistent_absence(scope: ReportScope) -> Table:
    """Return year-to-date persistent absence for the school, year groups and groups."""
    groups = ((N_("Whole school"), PupilFilter()), *YEAR_GROUPS, *KEY_GROUPS)
    figures = [(label, persistent(scope, chosen)) for label, chosen in groups]
    return _table(_("Persistent absence"), figures)


def persistent(scope: ReportScope, chosen: PupilFilter) -> Figure:
    """Return the share of pupils persistently absent year to date, school and national."""
    threshold = scope.settings.persistent_absence_threshold
    flagged, counted = scope.data.sums.persistent(chosen, threshold)
    school = percent(flagged, counted)
    national = scope.national.sums.year_to_date(
        scope.settings, **chosen.comparator_cells()
    )
    shown = None
    if not national["withheld"]:
        shown = percent(national["persistent"], national["pupils"])
    return Figure(school, shown, higher_is_better=False)


def _rate(
    scope: ReportScope,
    chosen: PupilFilter,
    measure: str,
    period: str,
    higher_is_better: bool = True,
) -> Figure:
    cells: dict[str, Any] = chosen.comparator_cells()
    school_sums = scope.data.sums
    national_sums = scope.national.sums
    school_row: dict[str, Any] | None
    national_row: dict[str, Any] | None
    if period == LATEST_WEEK:
        week = latest_week(scope)
        school_row = school_sums.weekly(chosen).get(week)
        national_row = national_sums.weekly(scope.settings, **cells).get(week)
    else:
        school_row = school_sums.year_to_date(chosen)
        national_row = national_sums.year_to_date(scope.settings, **cells)
    school = (
        percent(school_row[measure], school_row["possible"])
        if school_row is not None
        else None
    )
    comparator = None
    if national_row is not None and not national_row["withheld"]:
        comparator = percent(national_row[measure], national_row["possible"])
    return Figure(school, comparator, higher_is_better)


def _table(title: str, figures: list[tuple[str, Figure]]) -> Table:
    """Return figures against national as a table; row labels are translated here."""
    rows = []
    for label, figure in figures:
        gap = difference(figure.school, figure.national)
        rows.append(
            (
                Cell(_(label)),
                Cell(display(figure.school)),
                Cell(display(figure.national)),
                Cell(display(gap), difference_band(gap, figure.higher_is_better)),
            )
        )
    return Table(title, tuple(_(column) for column in COLUMNS), tuple(rows))
