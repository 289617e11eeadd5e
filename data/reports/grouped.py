"""Weekly tables of several groups or reasons side by side, each against national.

Year Groups, Pupil Groups and Absence are all this shape: for each week of the term,
then the year to date, one figure per group with the same group (or reason) nationally,
the difference and its band. The table carries three columns per group ("Year 7 %",
"Year 7 national %", "Year 7 difference"; in Welsh "Blwyddyn 7 %", "Blwyddyn 7
Cymru %", "Blwyddyn 7 gwahaniaeth"); the page shows the first with its circle and
puts the other two in its tooltip. Group labels come already in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from fractions import Fraction
from typing import Any

from dashboard.i18n import _
from data.figures import difference, difference_band, display, percent
from data.groups import PupilFilter, withheld_reason
from data.reports import ReportScope
from data.reports.series import WeeklySeries, weekly_series
from data.sums import WeekRows
from data.tables import WEEK_COMMENCING, Cell, Table, week_cell, ytd_cell

Row = dict[str, Any]


@dataclass(frozen=True)
class Group:
    """One column group: who it covers, which measure and how national follows it;
    `label` is shown as it is, so it is given in the reader's language."""

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
    columns = [_(WEEK_COMMENCING)]
    per_group = []
    for group in groups:
        columns += [
            f"{group.label} %",
            _("%(group)s national %%", group=group.label),
            _("%(group)s difference", group=group.label),
        ]
        per_group.append(_group_figures(scope, group, school_filter))
    rows = []
    for week in weeks:
        cells = [week_cell(week)]
        for group, (school, national, _totals) in zip(groups, per_group, strict=True):
            cells += _cells(
                group, _at(school, week, group), _at(national, week, group), places
            )
        rows.append(tuple(cells))
    ytd = [ytd_cell()]
    for group, (_school, _national, totals) in zip(groups, per_group, strict=True):
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
    if national_row is None:
        return ""
    return withheld_reason(national_row.get("withheld"))


def _tooltip(
    school: Fraction | None,
    national: Fraction | None,
    gap: Fraction | None,
    pupils: int,
    national_row: Row | None,
) -> str:
    parts = [
        _("Pupils: %(count)s", count=f"{pupils:,}"),
        _("School: %(figure)s%%", figure=display(school))
        if school is not None
        else _("School: no figure"),
    ]
    if national is not None:
        parts.append(_("National: %(figure)s%%", figure=display(national)))
        parts.append(_("Difference: %(figure)s", figure=display(gap)))
    elif _withheld(national_row):
        parts.append(_withheld(national_row))
    return " · ".join(parts)


def _cohorts(
    week: date, groups: list[Group], per_group: list[tuple[WeekRows, Any, Any]]
) -> str:
    counts = [
        f"{group.label} {int(school[week]['pupils']) if week in school else 0:,}"
        for group, (school, _national, _totals) in zip(groups, per_group, strict=True)
    ]
    return _(
        "Pupils in w/c %(week)s: %(counts)s",
        week=week_cell(week).text,
        counts=" · ".join(counts),
    )


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
