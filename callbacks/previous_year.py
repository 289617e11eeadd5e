"""The previous academic year: the school reports and the 360 report, read only, from
that year's final release, with its national figures and its pupils' context."""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

import components.ids as ids
from callbacks.common import (
    filter_state,
    filter_state_of_states,
    report_frame,
)
from callbacks.last_year import last_year_scope
from callbacks.school_reports import REPORTS, SchoolReport
from callbacks.three_sixty import three_sixty_body
from components.downloads import chosen_format, table_download
from components.filters import SCHOOL_FILTERS, TERM_LABELS
from components.school_report import report_body, weekly_charts
from components.shell import not_available
from components.weekly_chart import file_name
from dashboard.i18n import _, format_day
from dashboard.viewer import Viewer
from data.reports import ReportScope
from data.reports.previous_year import REPORTS as PREVIOUS_REPORTS

PAGE = "previous-year"
CONTENT = ids.page_content(PAGE)
THREE_SIXTY_CONTENT = ids.page_content("previous-year-360")
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


@callback(
    Output(CONTENT, "children"),
    Input(ids.PREVIOUS_REPORT, "data"),
    Input({"type": ids.FILTER, "name": ALL}, "value"),
)
def show_previous_year(report_key: str, values: list) -> html.Div:
    """Return one of last year's reports for the viewer's school."""
    state = filter_state(values)
    found = last_year_scope(state)
    report = SHOWN.get(report_key) if isinstance(report_key, str) else None
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
            lines,
            _(report.chart_title),
            viewer.school_name,
            scope.release.academic_year,
        )
    body = report_body(
        PAGE, table, charts, grouped=report.grouped, legend=report.legend
    )
    return html.Div([_read_only(scope), body])


@callback(
    Output(THREE_SIXTY_CONTENT, "children"),
    Input(ids.PREVIOUS_PERIOD, "value"),
    Input({"type": ids.FILTER, "name": ALL}, "value"),
)
def show_previous_three_sixty(period: str, values: list) -> html.Div:
    """Return last year's 360 report for the viewer's school and the chosen period."""
    found = last_year_scope(filter_state(values))
    if isinstance(found, str):
        return not_available(found)
    viewer, scope = found
    body = three_sixty_body(viewer.school_name, scope, period)
    return html.Div([_read_only(scope), body])


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
    report = SHOWN.get(report_key) if isinstance(report_key, str) else None
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


def _read_only(scope: ReportScope) -> html.P:
    release = scope.release
    return html.P(
        _(
            "Read only: the final release of %(year)s, to %(day)s, with that year's "
            "national figures and pupils' context.",
            year=release.academic_year,
            day=format_day(release.to_date, "d MMMM y"),
        ),
        className="text-muted small",
    )


def _name(viewer: Viewer, report: SchoolReport, scope: ReportScope, term: str) -> str:
    year = scope.release.academic_year
    return file_name(viewer.school_name, _(report.title), year, _(TERM_LABELS[term]))
