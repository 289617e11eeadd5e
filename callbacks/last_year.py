"""Last year for the signed-in user: their school's scope in last year's final release,
and last year's lines beside this year's charts (or why there are none)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from dash import html

from callbacks.common import NO_SCHOOL, viewer_scope
from components.charts import Series
from components.filter_state import FilterState
from components.previous_year import OVERLAY_ON, last_year_lines, overlay_note
from dashboard.context import database_url
from dashboard.i18n import _
from dashboard.viewer import Viewer
from data.groups import PupilFilter
from data.releases import current_release
from data.reports import ReportScope, ReportUnavailable
from data.reports.previous_year import (
    last_year_overlay,
    last_year_overlays,
    open_last_year,
)
from data.reports.series import ChartLines, WeeklySeries
from data.status import shift_year

P = ParamSpec("P")
T = TypeVar("T")


def last_year_name(fallback: str) -> str:
    """Return the academic year before the current release's ("2022/23"), or
    `fallback` before any release."""
    release = current_release(database_url())
    return shift_year(release.academic_year, -1) if release else fallback


def last_year_scope(state: FilterState) -> tuple[Viewer, ReportScope] | str:
    """Return the viewer and their school's scope in last year's final release, or
    the sentence saying why there is none."""
    found = viewer_scope(state)
    if found is None:
        return _(NO_SCHOOL)
    return in_last_year(found)


def in_last_year(found: tuple[Viewer, ReportScope]) -> tuple[Viewer, ReportScope] | str:
    """Return the viewer with their school's scope moved to last year's final release
    (the school already checked), or the sentence saying why there is none."""
    viewer, scope = found
    try:
        return viewer, open_last_year(scope.url, scope.school_id, scope.settings)
    except ReportUnavailable as problem:
        return str(problem)


def overlay_lines(
    scope: ReportScope, series: WeeklySeries, toggle: list[str] | None
) -> tuple[tuple[Series, ...], html.P | None]:
    """Return last year's lines for this year's chart when the toggle is on, or the
    note saying why there are none."""
    overlay, note = _when_on(toggle, scope, last_year_overlay, series.weeks)
    return (last_year_lines(overlay) if overlay else ()), note


def report_overlays(
    scope: ReportScope,
    chart_lines: ChartLines,
    pupil_filter: PupilFilter,
    toggle: list[str] | None,
) -> tuple[list[tuple[Series, ...]], html.P | None]:
    """Return last year's lines for each of a report's charts when the toggle is on
    (none when off), or the note saying why there are none."""
    overlays, note = _when_on(
        toggle, scope, last_year_overlays, chart_lines, pupil_filter
    )
    if not overlays:
        return [], note
    lines = scope.cached(chart_lines, pupil_filter)
    several = len(lines) > 1
    return [
        last_year_lines(overlay, label if several else "")
        for (label, _series), overlay in zip(lines, overlays, strict=True)
    ], note


def _when_on(
    toggle: list[str] | None,
    scope: ReportScope,
    report: Callable[Concatenate[ReportScope, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> tuple[T | None, html.P | None]:
    if not isinstance(toggle, list) or OVERLAY_ON not in toggle:
        return None, None
    try:
        return scope.cached(report, *args, **kwargs), None
    except ReportUnavailable as problem:
        return None, overlay_note(
            _("Last year cannot be shown: %(reason)s", reason=_(str(problem)))
        )
