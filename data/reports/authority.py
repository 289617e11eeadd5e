"""The authority view: every school of a local authority side by side, school level only.

An `AuthorityScope` holds only schools of the authority in the release that the caller
has already checked the user may see; nothing here reads pupils' details, only each
school's totals.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Concatenate, ParamSpec, TypeVar

import pandas as pd

from dashboard.config import Settings, get_settings
from dashboard.i18n import N_, _, current_language
from data.access import remember
from data.areas import authority_name, authority_schools
from data.figures import difference, difference_band, display
from data.groups import PupilFilter, weekly, year_to_date
from data.releases import ReleaseInfo, current_release
from data.reports import ReportScope, ReportUnavailable, open_scope
from data.reports.regional import (
    ATTENDANCE,
    AUTHORITY,
    MEASURES,
    NATIONAL,
    PERSISTENT,
    Area,
    AreaSeries,
    Measure,
    area_weekly,
    area_year_to_date,
    rate,
    withheld_notes,
)
from data.reports.three_sixty import latest_week, persistent
from data.tables import Cell, Table, count_cell, week_label

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class AuthorityScope:
    """A release, an authority and the schools of it a user may see (id, name)."""

    url: str
    settings: Settings
    release: ReleaseInfo
    la_code: int
    name: str
    schools: tuple[tuple[str, str], ...]

    @property
    def area(self) -> Area:
        """Return the authority as a comparator area."""
        return Area("la", str(self.la_code), AUTHORITY, self.name)

    def school_scope(self, school_id: str) -> ReportScope:
        """Return the report scope of one of the authority's schools in this release."""
        return open_scope(self.url, school_id, self.settings, self.release)

    def cached(
        self,
        report: Callable[Concatenate[AuthorityScope, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Return `report(self, *args)`, computed once per release, authority, schools,
        language and arguments (arguments hashable; answers must not be modified)."""
        key = (
            report.__module__,
            report.__qualname__,
            self.url,
            self.release.id,
            self.la_code,
            self.schools,
            current_language(),
            args,
            tuple(sorted(kwargs.items())),
        )
        return remember(key, lambda: report(self, *args, **kwargs))


def open_authority(
    url: str,
    la_code: int,
    visible: Collection[str],
    settings: Settings | None = None,
    release: ReleaseInfo | None = None,
) -> AuthorityScope:
    """Return the scope of an authority's schools in a release that are in `visible`.

    Raises ReportUnavailable when there is no release or no such school.
    """
    release = release or current_release(url)
    if release is None:
        raise ReportUnavailable(_("No release has been published yet."))
    schools = tuple(
        (school_id, name)
        for school_id, name in authority_schools(url, release.id, la_code)
        if school_id in visible
    )
    if not schools:
        raise ReportUnavailable(
            _(
                "No school of authority %(code)s has data in the release to %(day)s.",
                code=la_code,
                day=release.to_date.isoformat(),
            )
        )
    name = authority_name(url, la_code)
    return AuthorityScope(
        url, settings or get_settings(), release, la_code, name, schools
    )


def authority_overview(authority: AuthorityScope) -> Table:
    """Return each school's year-to-date and latest-week figures, then the authority's
    and national; every school figure carries its band against national.

    Columns: School, Pupils, Attendance %, Authorised absence %, Unauthorised absence
    %, then the latest week's attendance, authorised and unauthorised absence %, and
    Persistent absence %.
    """
    first = authority.school_scope(authority.schools[0][0])
    week = latest_week(first)
    areas = (authority.area, NATIONAL)
    ytd = {area: area_year_to_date(first, area) for area in areas}
    latest = {area: _at(area_weekly(first, area), week) for area in areas}
    national = _figures(
        ytd[NATIONAL], latest[NATIONAL], rate(ytd[NATIONAL], PERSISTENT)
    )

    rows = []
    for school_id, name in authority.schools:
        scope = authority.school_scope(school_id)
        figures = _figures(
            year_to_date(scope.data.weeks),
            _at(weekly(scope.data.weeks), week),
            persistent(scope, PupilFilter()).school,
        )
        pupils = int(scope.data.weeks["pupil_id"].nunique())
        rows.append(_school_row(name, pupils, figures, national))
    for area in areas:
        figures = _figures(ytd[area], latest[area], rate(ytd[area], PERSISTENT))
        pupils = int(ytd[area]["pupils"])
        rows.append(_area_row(area, pupils, figures))

    columns = (_("School"), _("Pupils"), *(percent_header(m) for m in COLUMNS))
    notes = withheld_notes(_reasons(ytd, latest), authority.settings)
    title = _(
        "Schools of %(authority)s, year to date and w/c %(week)s",
        authority=authority.name,
        week=week_label(week),
    )
    return Table(title, columns, tuple(rows), notes)


def percent_header(measure: Measure) -> str:
    """Return the header of a measure's % column: "Attendance %" ("Presenoldeb %")."""
    return _("%(measure)s %%", measure=_(measure.label))


def authority_series(authority: AuthorityScope) -> AreaSeries:
    """Return each school's weekly attendance with the authority's and national."""
    first = authority.school_scope(authority.schools[0][0])
    frames = [
        (name, weekly(authority.school_scope(school_id).data.weeks))
        for school_id, name in authority.schools
    ]
    frames += [
        (area.shown_name, area_weekly(first, area))
        for area in (authority.area, NATIONAL)
    ]
    weeks = sorted(set().union(*(frame.index for _, frame in frames)))
    lines = tuple(
        (label, tuple(rate(_at(frame, week), ATTENDANCE) for week in weeks))
        for label, frame in frames
    )
    scopes = ("school",) * len(authority.schools) + ("la", "national")
    return AreaSeries(tuple(weeks), lines, scopes)


# The latest week's attendance, authorised and unauthorised absence, beside the
# year to date's.
LATEST = tuple(
    Measure(label, measure.column, measure.higher_is_better)
    for label, measure in zip(
        (
            N_("Latest week attendance"),
            N_("Latest week authorised absence"),
            N_("Latest week unauthorised absence"),
        ),
        MEASURES,
        strict=True,
    )
)
COLUMNS = (*MEASURES, *LATEST, PERSISTENT)


def _figures(
    ytd: pd.Series, week: pd.Series | None, persistence: Fraction | None
) -> dict[Measure, Fraction | None]:
    figures = {measure: rate(ytd, measure) for measure in MEASURES}
    figures |= {measure: rate(week, measure) for measure in LATEST}
    figures[PERSISTENT] = persistence
    return figures


def _school_row(
    name: str,
    pupils: int,
    figures: dict[Measure, Fraction | None],
    national: dict[Measure, Fraction | None],
) -> tuple[Cell, ...]:
    cells = [Cell(name), count_cell(pupils)]
    for measure in COLUMNS:
        gap = difference(figures[measure], national[measure])
        tooltip = ""
        if gap is not None:
            tooltip = _(
                "National: %(national)s%% · Difference: %(gap)s",
                national=display(national[measure]),
                gap=display(gap),
            )
        band = difference_band(gap, measure.higher_is_better)
        cells.append(Cell(display(figures[measure]), band, tooltip))
    return tuple(cells)


def _area_row(
    area: Area, pupils: int, figures: dict[Measure, Fraction | None]
) -> tuple[Cell, ...]:
    label = (
        area.shown_name
        if area is NATIONAL
        else _("%(name)s (authority)", name=area.name)
    )
    return (
        Cell(label),
        count_cell(pupils),
        *(Cell(display(figures[measure])) for measure in COLUMNS),
    )


def _reasons(
    ytd: dict[Area, pd.Series], latest: dict[Area, pd.Series | None]
) -> dict[Area, set[str]]:
    found: dict[Area, set[str]] = {}
    for area in ytd:
        for row in (ytd[area], latest[area]):
            if row is not None and row.get("withheld"):
                found.setdefault(area, set()).add(str(row["withheld"]))
    return found


def _at(frame: pd.DataFrame, week: date) -> pd.Series | None:
    return frame.loc[week] if week in frame.index else None
