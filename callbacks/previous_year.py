"""The previous academic year: the school reports, read only, from that year's final
release, with its national figures and its pupils' context; and the 360 report's
overlay of last year's weeks."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

import components.ids as ids
from callbacks.common import (
    filter_state,
    filter_state_of_states,
    report_frame,
    viewer_scope,
)
from callbacks.school_reports import REPORTS, SchoolReport
from components.charts import Series
from components.downloads import chosen_format, table_download
from components.filter_state import FilterState
from components.filters import SCHOOL_FILTERS, TERM_LABELS
from components.previous_year import OVERLAY_ON, last_year_lines, overlay_note
from components.school_report import report_body, weekly_charts
from components.shell import not_available
from components.weekly_chart import file_name
from dashboard.context import settings
from dashboard.viewer import Viewer
from data.reports import ReportScope, ReportUnavailable
from data.reports.previous_year import REPORTS as PREVIOUS_REPORTS
from data.reports.previous_year import last_year_overlay, open_last_year
from data.reports.series import WeeklySeries

PAGE = "previous-year"
CONTENT = ids.page_content(PAGE)
# The school reports the previous year offers, by page key, with their grids and charts.
SHOWN = {report.page: report for report in REPORTS if report.page in PREVIOUS_REPORTS}


def previous_frame(report_key: str, query: dict[str, str]) -> html.Div:
    """Return a previous-year report's frame: which report, filters, content area."""
    return html.Div(
        [
            dcc.Store(id=ids.PREVIOUS_REPORT, data=report_key),
            report_frame(CONTENT, query, SCHOOL_FILTERS),
        ]
    )


def last_year_scope(state: FilterState) -> tuple[Viewer, ReportScope] | str:
    """Return the viewer and their school's scope in last year's final release, or
    the sentence saying why there is none."""
    found = viewer_scope(state)
    if found is None:
        return "There is no school to show for your account."
    viewer, scope = found
    try:
        return viewer, open_last_year(scope.url, scope.school_id, settings())
    except ReportUnavailable as problem:
        return str(problem)


@callback(
    Output(CONTENT, "children"),
    Input(ids.PREVIOUS_REPORT, "data"),
    Input({"type": ids.FILTER, "name": ALL}, "value"),
)
def show_previous_year(report_key: str, values: list) -> html.Div:
    """Return one of last year's reports for the viewer's school."""
    state = filter_state(values)
    found = last_year_scope(state)
    report = SHOWN.get(report_key)
    if isinstance(found, str) or report is None:
        return not_available(found if isinstance(found, str) else None)
    viewer, scope = found
    term = state.term or scope.default_term()
    pupil_filter = state.pupil_filter()
    table = scope.cached(report.table, term, pupil_filter)
    charts = None
    if report.chart_lines is not None:
        lines = scope.cached(report.chart_lines, pupil_filter)
        charts = weekly_charts(
            lines, report.chart_title, viewer.school_name, scope.release.academic_year
        )
    release = scope.release
    about = html.P(
        f"Read only: the final release of {release.academic_year}, to "
        f"{release.to_date.day} {release.to_date:%B %Y}, with that year's national "
        "figures and pupils' context.",
        className="text-muted small",
    )
    body = report_body(PAGE, table, charts, grouped=report.grouped)
    return html.Div([about, body])


@callback(
    Output(ids.download(PAGE), "data"),
    Input(ids.download_button(PAGE, "csv"), "n_clicks"),
    Input(ids.download_button(PAGE, "xlsx"), "n_clicks"),
    State(ids.PREVIOUS_REPORT, "data"),
    State({"type": ids.FILTER, "name": ALL}, "value"),
    prevent_initial_call=True,
)
def download_previous_year(
    csv: int | None, xlsx: int | None, report_key: str, values: list
) -> dict:
    """Return the download of last year's report as on screen."""
    file_format = chosen_format(ctx.triggered_id, PAGE)
    report = SHOWN.get(report_key)
    if file_format is None or not (csv or xlsx) or report is None:
        raise PreventUpdate
    state = filter_state_of_states(values)
    found = last_year_scope(state)
    if isinstance(found, str):
        raise PreventUpdate
    viewer, scope = found
    term = state.term or scope.default_term()
    table = scope.cached(report.table, term, state.pupil_filter())
    return table_download(table, file_format, _name(viewer, report, scope, term))


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


def _name(viewer: Viewer, report: SchoolReport, scope: ReportScope, term: str) -> str:
    year = scope.release.academic_year
    return file_name(viewer.school_name, report.title, year, TERM_LABELS[term])
