"""Weekly tables of several groups or reasons side by side, each against national.

Year Groups, Pupil Groups and Absence are all this shape: for each week of the term,
then the year to date, one figure per group with the same group (or reason) nationally,
the difference and its band. The table carries three columns per group ("Year 7 %",
"Year 7 national %", "Year 7 difference"); the page shows the first with its circle and
puts the other two in its tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from fractions import Fraction
from typing import Any

from data.figures import difference, difference_band, display, percent
from data.groups import WITHHELD_REASONS, PupilFilter
from data.reports import ReportScope
from data.reports.series import WeeklySeries, weekly_series
from data.sums import WeekRows
from data.tables import YTD, Cell, Table, week_cell

NATIONAL = "national %"
DIFFERENCE = "difference"

Row = dict[str, Any]


@dataclass(frozen=True)
class Group:
    """One column group: who it covers, which measure and how national follows it."""

    label: str
    pupils: PupilFilter
    measure: str = "present"
    higher_is_better: bool = True


def combine(base: PupilFilter, group: PupilFilter) -> PupilFilter:
    """Return the base filter narrowed by a group's own filter (the group wins)."""
    values = {f.name: getattr(group, f.name) for f in fields(PupilFilter)}
    chosen = {name: value for name, value in values.items() if value is not None}
    return replace(base, **chosen)


def grouped_table(
    scope: ReportScope,
    term: str,
    groups: list[Group],
    school_filter: PupilFilter,
    title: str,
    places: int = 1,
    cohorts: bool = False,
) -> Table:
    """Return the weekly table of several groups; national follows each group only.

    Rows are the term's weeks, then YTD. With `cohorts`, the table's note gives each
    group's pupils in the latest week.
    """
    weeks = scope.term_weeks(term)
    columns = ["w/c"]
    per_group = []
    for group in groups:
        columns += [
            f"{group.label} %",
            f"{group.label} {NATIONAL}",
            f"{group.label} {DIFFERENCE}",
        ]
        per_group.append(_group_figures(scope, group, school_filter))
    rows = []
    for week in weeks:
        cells = [week_cell(week)]
        for group, (school, national, _) in zip(groups, per_group, strict=True):
            cells += _cells(
                group, _at(school, week, group), _at(national, week, group), places
            )
        rows.append(tuple(cells))
    ytd = [Cell(YTD)]
    for group, (_, _, totals) in zip(groups, per_group, strict=True):
        ytd += _cells(group, totals[0], totals[1], places)
    rows.append(tuple(ytd))
    notes = (_cohorts(weeks[-1], groups, per_group),) if cohorts and weeks else ()
    return Table(title, tuple(columns), tuple(rows), notes)


def _group_figures(
    scope: ReportScope, group: Group, school_filter: PupilFilter
) -> tuple[WeekRows, WeekRows, tuple[Row, Row]]:
    school = scope.data.sums
    national = scope.national.sums
    chosen = combine(school_filter, group.pupils)
    cells = group.pupils.comparator_cells()
    school_weeks = school.weekly(chosen)
    national_weeks = national.weekly(scope.settings, **cells)
    school_ytd = school.year_to_date(chosen)
    national_ytd = national.year_to_date(scope.settings, **cells)
    return school_weeks, national_weeks, (school_ytd, national_ytd)


def _at(by_week: WeekRows, week: date, group: Group) -> Row | None:
    return by_week.get(week)


def _rate(row: Row | None, measure: str) -> Fraction | None:
    if row is None or ("withheld" in row and row["withheld"]):
        return None
    return percent(row[measure], row["possible"])


def _cells(
    group: Group, school: Row | None, national: Row | None, places: int
) -> list[Cell]:
    school_rate = _rate(school, group.measure)
    national_rate = _rate(national, group.measure)
    gap = difference(school_rate, national_rate)
    band = difference_band(gap, group.higher_is_better)
    pupils = int(school["pupils"]) if school is not None else 0
    tooltip = _tooltip(school_rate, national_rate, gap, pupils, national)
    return [
        Cell(display(school_rate, places), band, tooltip),
        Cell(display(national_rate, places), tooltip=_withheld(national)),
        Cell(display(gap, places)),
    ]


def _withheld(national_row: Row | None) -> str:
    if national_row is None or not national_row.get("withheld"):
        return ""
    return WITHHELD_REASONS[national_row["withheld"]]


def _tooltip(
    school: Fraction | None,
    national: Fraction | None,
    gap: Fraction | None,
    pupils: int,
    national_row: Row | None,
) -> str:
    parts = [
        f"Pupils: {pupils:,}",
        f"School: {display(school)}%" if school is not None else "School: no figure",
    ]
    if national is not None:
        parts.append(f"National: {display(national)}%")
        parts.append(f"Difference: {display(gap)}")
    elif _withheld(national_row):
        parts.append(_withheld(national_row))
    return " · ".join(parts)


def _cohorts(
    week: date, groups: list[Group], per_group: list[tuple[WeekRows, Any, Any]]
) -> str:
    counts = [
        f"{group.label} {int(school[week]['pupils']) if week in school else 0:,}"
        for group, (school, _, _) in zip(groups, per_group, strict=True)
    ]
    return f"Pupils in w/c {week_cell(week).text}: " + " · ".join(counts)


def grouped_series(
    scope: ReportScope, groups: list[Group], school_filter: PupilFilter
) -> list[tuple[str, WeeklySeries]]:
    """Return each group's weekly chart series against the same group nationally."""
    return [
        (
            group.label,
            weekly_series(
                scope,
                combine(school_filter, group.pupils),
                group.measure,
                group.pupils.comparator_cells(),
            ),
        )
        for group in groups
    ]
