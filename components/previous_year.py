"""Last year's overlay on a weekly chart: the school and national, dotted, on this
year's weeks by half-term and week of half-term."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

import components.ids as ids
from components.charts import NATIONAL_COLOUR, SCHOOL_COLOUR, Series
from dashboard.i18n import _
from data.figures import display
from data.reports.previous_year import LastYearOverlay

OVERLAY_ON = "on"


def last_year_lines(overlay: LastYearOverlay, group: str = "") -> tuple[Series, ...]:
    """Return last year's school and national lines for `weekly_chart(extra_lines=)`;
    `group` names the chart's group where a report has one chart per group."""
    year = f"{group}, {overlay.academic_year}" if group else overlay.academic_year
    return (
        _dotted(
            _("School, %(year)s (same week of half-term)", year=year),
            overlay.school,
            SCHOOL_COLOUR,
        ),
        _dotted(_("National, %(year)s", year=year), overlay.national, NATIONAL_COLOUR),
    )


def overlay_toggle(year: str, toggle_id: str = ids.LAST_YEAR_OVERLAY) -> dbc.Checklist:
    """Return the switch that overlays last year on this year's charts."""
    return dbc.Checklist(
        id=toggle_id,
        options=[
            {
                "label": _(
                    "Show %(year)s on the chart, by half-term and week of half-term",
                    year=year,
                ),
                "value": OVERLAY_ON,
            }
        ],
        value=[],
        inline=True,
        input_class_name="me-1",
        className="my-1",
    )


def overlay_note(message: str) -> html.P:
    """Return why last year cannot be overlaid."""
    return html.P(message, className="report-notes my-1")


def _dotted(name: str, values, colour: str) -> Series:  # type: ignore[no-untyped-def]
    return Series(
        name=name,
        values=tuple(None if v is None else float(v) for v in values),
        texts=tuple(display(v) for v in values),
        colour=colour,
        dash="dot",
    )
