"""The 360 report's callback: headline, chart, key groups and persistent absence."""

from __future__ import annotations

from dash import ALL, Input, Output, callback, html

import components.ids as ids
from callbacks.common import filter_state, viewer_scope
from callbacks.last_year import overlay_lines
from callbacks.pupil_reports import at_risk_note
from components.figures import band_legend, figure_table
from components.filter_state import FilterState
from components.shell import not_available
from components.weekly_chart import file_name, weekly_chart
from dashboard.i18n import _
from data.groups import PupilFilter
from data.reports import ReportScope
from data.reports.series import weekly_series
from data.reports.three_sixty import headline, key_groups, persistent_absence
from pages.three_sixty import CONTENT


@callback(
    Output(CONTENT, "children"),
    Input(ids.REPORT_SWITCH, "value"),
    Input({"type": ids.FILTER, "name": ALL}, "value"),
    Input(ids.LAST_YEAR_OVERLAY, "value"),
)
def show_three_sixty(
    period: str, values: list, overlay: list[str] | None = None
) -> html.Div:
    """Return the 360 report for the viewer's school and the chosen period."""
    state = filter_state(values)
    found = viewer_scope(state)
    if found is None:
        return not_available()
    viewer, scope = found
    at_risk = at_risk_note(
        scope, FilterState(school=state.school), linked=viewer.pupil_access
    )
    return three_sixty_body(viewer.school_name, scope, period, at_risk, overlay)


def three_sixty_body(
    school_name: str,
    scope: ReportScope,
    period: str,
    under_headline: html.Div | html.P | None = None,
    overlay: list[str] | None = None,
) -> html.Div:
    """Return a scope's 360 report: headline and key groups for the period, the weekly
    chart (with last year overlaid when `overlay` is on) and persistent absence."""
    period = "week" if period == "week" else "ytd"
    series = scope.cached(weekly_series, PupilFilter())
    last_year, note = overlay_lines(scope, series, overlay)
    chart = weekly_chart(
        series,
        _("School and national attendance"),
        file_name(school_name, _("360 report"), scope.release.academic_year),
        school_label=_("School"),
        extra_lines=last_year,
    )
    return html.Div(
        [
            band_legend(),
            html.Div(
                [
                    figure_table(
                        scope.cached(headline, period), "three-sixty-headline"
                    ),
                    figure_table(
                        scope.cached(key_groups, period), "three-sixty-groups"
                    ),
                ],
                className="headline-grid",
            ),
            under_headline,
            chart,
            note,
            figure_table(scope.cached(persistent_absence), "three-sixty-persistent"),
        ]
    )
