"""Last year beside this year's charts: the overlay's lines, or why there are none."""

from __future__ import annotations

from dash import html

from components.charts import Series
from components.previous_year import OVERLAY_ON, last_year_lines, overlay_note
from data.reports import ReportScope, ReportUnavailable
from data.reports.previous_year import last_year_overlay
from data.reports.series import WeeklySeries


def overlay_lines(
    scope: ReportScope, series: WeeklySeries, toggle: list[str] | None
) -> tuple[tuple[Series, ...], html.P | None]:
    """Return last year's lines for this year's chart when the toggle is on, or the
    note saying why there are none."""
    if OVERLAY_ON not in (toggle or []):
        return (), None
    try:
        overlay = scope.cached(last_year_overlay, series.weeks)
    except ReportUnavailable as problem:
        return (), overlay_note(f"Last year cannot be shown: {problem}")
    return last_year_lines(overlay), None
