"""Regional attendance for a school: the school against its authority, region and nation.

Each area's figures come from the release's comparator rows for that area, withheld by
the rules in `data.groups` (too few schools in the area, too few pupils, too few schools
open). The region is the one the release recorded from the dated mapping; a release with
no mapping for the school's authority has no regional comparator, and says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard.config import Settings
from dashboard.i18n import N_, _, format_day
from data.access import Comparators, comparators, release_weeks
from data.areas import school_area
from data.figures import difference, difference_band, display, percent
from data.groups import (
    FEW_SCHOOLS_IN_AREA,
    WITHHELD_REASONS,
    PupilFilter,
    comparator_weekly,
    comparator_year_to_date,
    weekly,
    year_to_date,
)
from data.releases import ReleaseInfo
from data.reports import ReportScope
from data.reports.three_sixty import LATEST_WEEK, latest_week, persistent
from data.tables import YTD, Cell, Table, week_cell


@dataclass(frozen=True)
class Measure:
    """A figure compared across areas: its label (a message, translated where shown),
    its count and which way is better."""

    label: str
    column: str
    higher_is_better: bool


@dataclass(frozen=True)
class Area:
    """A comparator area: scope ("la", "region", "national"), key, heading and name.

    The heading ("Authority", "Region", "National") is a message, translated where
    shown; the name is the area's own, except the nation's, which is translated too.
    """

    scope: str
    key: str
    heading: str
    name: str

    def frames(self, url: str, release_id: int) -> Comparators:
        """Return the area's comparator rows in a release (cached)."""
        return comparators(url, release_id, self.scope, self.key)

    @property
    def shown_name(self) -> str:
        """Return the area's name as shown: "Isle of Anglesey", "National" ("Cenedlaethol")."""
        return _(self.name) if self.scope == "national" else self.name


@dataclass(frozen=True)
class AreaSeries:
    """Weekly lines over the same weeks: (label, one value a week, None a gap).

    `scopes` names what each line is: "school", "la", "region" or "national".
    """

    weeks: tuple[date, ...]
    lines: tuple[tuple[str, tuple[Fraction | None, ...]], ...]
    scopes: tuple[str, ...]
    notes: tuple[str, ...] = ()


ATTENDANCE = Measure(N_("Attendance"), "present", True)
MEASURES = (
    ATTENDANCE,
    Measure(N_("Authorised absence"), "authorised", False),
    Measure(N_("Unauthorised absence"), "unauthorised", False),
)
PERSISTENT = Measure(N_("Persistent absence"), "persistent", False)
AUTHORITY, REGION = N_("Authority"), N_("Region")
NATIONAL = Area("national", "", N_("National"), N_("National"))
SCHOOL = N_("School %")
# Each area heading's two columns: its figure and the school's difference from it.
AREA_COLUMNS = {
    AUTHORITY: (N_("Authority %"), N_("Authority difference")),
    REGION: (N_("Region %"), N_("Region difference")),
    NATIONAL.heading: (N_("National %"), N_("National difference")),
}
# What a blank area figure's tooltip says when no withholding rule explains it.
NO_FIGURE = {
    AUTHORITY: N_("No authority figure."),
    REGION: N_("No region figure."),
    NATIONAL.heading: N_("No national figure."),
}


def school_areas(scope: ReportScope) -> tuple[tuple[Area, ...], tuple[str, ...]]:
    """Return the school's authority, region (when mapped) and national, with notes."""
    found = school_area(scope.url, scope.release.id, scope.school_id)
    areas = [Area("la", str(found.la_code), AUTHORITY, found.la_name)]
    notes = []
    if found.region:
        areas.append(Area("region", found.region, REGION, found.region_name))
    else:
        notes.append(no_mapping_note(scope.release))
    areas.append(NATIONAL)
    return tuple(areas), tuple(notes)


def no_mapping_note(release: ReleaseInfo) -> str:
    """Return why a release has no regional comparator."""
    return _(
        "No regional comparator for %(year)s: no region mapping covered the "
        "authority on %(day)s.",
        year=release.academic_year,
        day=format_day(release.to_date, "d MMMM yyyy"),
    )


def area_headline(scope: ReportScope, period: str) -> Table:
    """Return attendance, authorised, unauthorised and persistent absence of the school
    against each area, year to date or ("week") in the latest week.

    Persistent absence is year to date in both periods. Columns: Measure, School %,
    then per area its % and the school's difference from it.
    """
    areas, notes = school_areas(scope)
    ytd = {area: area_year_to_date(scope, area) for area in areas}
    if period == LATEST_WEEK:
        week = latest_week(scope)
        school = _week_row(weekly(scope.data.weeks), week)
        shown = {area: _week_row(area_weekly(scope, area), week) for area in areas}
    else:
        school = year_to_date(scope.data.weeks)
        shown = ytd
    rows = [
        _compare(Cell(_(measure.label)), rate(school, measure), shown, measure)
        for measure in MEASURES
    ]
    school_persistent = persistent(scope, PupilFilter()).school
    rows.append(_compare(Cell(_(PERSISTENT.label)), school_persistent, ytd, PERSISTENT))
    reasons = _reasons(list(shown.items()) + list(ytd.items()))
    return Table(
        _("School, authority, region and national"),
        _columns(_("Measure"), areas),
        tuple(rows),
        notes + withheld_notes(reasons, scope.settings),
    )


def area_weeks_table(scope: ReportScope, measure: Measure) -> Table:
    """Return one measure week by week, then year to date, for the school and each area.

    Columns: w/c, School %, then per area its % and the school's difference from it.
    """
    areas, notes = school_areas(scope)
    school_weeks = weekly(scope.data.weeks)
    per_area = {area: area_weekly(scope, area) for area in areas}
    rows = []
    for week in _weeks(scope, school_weeks):
        shown = {area: _week_row(frame, week) for area, frame in per_area.items()}
        school = rate(_week_row(school_weeks, week), measure)
        rows.append(_compare(week_cell(week), school, shown, measure))
    ytd = {area: area_year_to_date(scope, area) for area in areas}
    school_ytd = rate(year_to_date(scope.data.weeks), measure)
    rows.append(_compare(Cell(_(YTD)), school_ytd, ytd, measure))
    weekly_rows = [
        (area, row) for area, frame in per_area.items() for _, row in frame.iterrows()
    ]
    reasons = _reasons(weekly_rows + list(ytd.items()))
    return Table(
        _("%(measure)s by week", measure=_(measure.label)),
        _columns(_("w/c"), areas),
        tuple(rows),
        notes + withheld_notes(reasons, scope.settings),
    )


def area_series(scope: ReportScope, measure: Measure = ATTENDANCE) -> AreaSeries:
    """Return the school's weekly line and each area's, over every week of the year."""
    areas, notes = school_areas(scope)
    school_weeks = weekly(scope.data.weeks)
    weeks = _weeks(scope, school_weeks)
    lines = [
        (_("School"), tuple(rate(_week_row(school_weeks, w), measure) for w in weeks))
    ]
    for area in areas:
        frame = area_weekly(scope, area)
        values = tuple(rate(_week_row(frame, week), measure) for week in weeks)
        lines.append((area.shown_name, values))
    scopes = ("school", *(area.scope for area in areas))
    return AreaSeries(tuple(weeks), tuple(lines), scopes, notes)


def area_year_to_date(scope: ReportScope, area: Area) -> pd.Series:
    """Return an area's year-to-date counts and persistence with `withheld`."""
    frames = area.frames(scope.url, scope.release.id)
    return comparator_year_to_date(
        frames.cells,
        frames.persistence,
        frames.area_weeks,
        scope.settings,
        scope=area.scope,
    )


def area_weekly(scope: ReportScope, area: Area) -> pd.DataFrame:
    """Return an area's counts per week with `withheld` (see `comparator_weekly`)."""
    frames = area.frames(scope.url, scope.release.id)
    return comparator_weekly(
        frames.cells, frames.area_weeks, scope.settings, scope=area.scope
    )


def rate(row: pd.Series | None, measure: Measure) -> Fraction | None:
    """Return a measure of a counts row, or None when it is missing or withheld.

    Persistent absence is persistent pupils over pupils; the rest are % of possible.
    """
    if row is None or row.get("withheld"):
        return None
    if measure.column == PERSISTENT.column:
        return percent(int(row["persistent"]), int(row["pupils"]))
    return percent(int(row[measure.column]), int(row["possible"]))


def withheld_notes(
    reasons: dict[Area, set[str]], settings: Settings
) -> tuple[str, ...]:
    """Return one note per area and reason a figure of the table was withheld."""
    notes = []
    for area, found in reasons.items():
        for reason in sorted(found):
            heading = f"{_(area.heading)} ({area.shown_name})"
            note = f"{heading}: {_(WITHHELD_REASONS[reason])}"
            if reason == FEW_SCHOOLS_IN_AREA:
                note += " " + _(
                    "The minimum is %(count)s schools.",
                    count=settings.area_min_schools,
                )
            notes.append(note)
    return tuple(notes)


def compare_cells(
    school: Fraction | None, row: pd.Series | None, measure: Measure, area: Area
) -> list[Cell]:
    """Return an area's figure (its tooltip saying why when blank) and the banded
    difference of the school from it."""
    shown = rate(row, measure)
    why = ""
    if shown is None:
        reason = row.get("withheld") if row is not None else ""
        why = _(WITHHELD_REASONS.get(reason, NO_FIGURE[area.heading]))
    gap = difference(school, shown)
    return [
        Cell(display(shown), tooltip=why),
        Cell(display(gap), difference_band(gap, measure.higher_is_better)),
    ]


def _compare(
    label: Cell,
    school: Fraction | None,
    rows: dict[Area, pd.Series | None],
    measure: Measure,
) -> tuple[Cell, ...]:
    cells = [label, Cell(display(school))]
    for area, row in rows.items():
        cells += compare_cells(school, row, measure, area)
    return tuple(cells)


def _columns(first: str, areas: Iterable[Area]) -> tuple[str, ...]:
    columns = [first, _(SCHOOL)]
    for area in areas:
        columns += [_(header) for header in AREA_COLUMNS[area.heading]]
    return tuple(columns)


def _week_row(frame: pd.DataFrame, week: date) -> pd.Series | None:
    return frame.loc[week] if week in frame.index else None


def _weeks(scope: ReportScope, school_weeks: pd.DataFrame) -> list[date]:
    return sorted(
        set(release_weeks(scope.url, scope.release.id)) | set(school_weeks.index)
    )


def _reasons(rows: Iterable[tuple[Area, pd.Series | None]]) -> dict[Area, set[str]]:
    found: dict[Area, set[str]] = {}
    for area, row in rows:
        if row is not None and row.get("withheld"):
            found.setdefault(area, set()).add(str(row["withheld"]))
    return found
