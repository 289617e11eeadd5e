"""The five school reports' callbacks: each page's content and its table downloads.

Every report is one `SchoolReport`: its table builder, its chart lines and how its
grid is laid out. The page and both downloads ask the same cached builder, so a
download holds exactly the figures on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dash import ALL, Input, Output, State, callback, ctx, html
from dash.exceptions import PreventUpdate

import components.ids as ids
from callbacks.common import filter_state, viewer_scope
from callbacks.last_year import report_overlays
from components.downloads import chosen_format, table_download
from components.filter_state import FilterState, with_values
from components.filters import TERM_LABELS
from components.home import build_contacts
from components.school_report import report_body, weekly_charts
from components.shell import not_available
from components.weekly_chart import file_name
from dashboard.context import settings
from dashboard.i18n import N_, _
from dashboard.viewer import Viewer
from data.groups import PupilFilter
from data.reports import ReportScope
from data.reports.data_check import data_check
from data.reports.school_reports import (
    absence,
    absence_series,
    pupil_group_series,
    pupil_groups,
    year_group_series,
    year_groups,
)
from data.reports.series import ChartLines, WeeklySeries, weekly_series
from data.reports.summary import attendance_summary
from data.tables import Table

TableBuilder = Callable[[ReportScope, str, PupilFilter], Table]


def summary_series(
    scope: ReportScope, pupil_filter: PupilFilter
) -> list[tuple[str, WeeklySeries]]:
    """Return the Attendance Summary's one chart: the school against national."""
    return [(_("School"), scope.cached(weekly_series, pupil_filter))]


@dataclass(frozen=True)
class SchoolReport:
    """One school report: its page, title, table, charts and grid layout; the title
    and chart title are marked with `N_()` and translated where shown."""

    page: str
    title: str
    table: TableBuilder
    chart_lines: ChartLines | None = None
    chart_title: str = ""
    grouped: bool = False
    legend: bool = True


REPORTS = (
    SchoolReport(
        "attendance-summary",
        N_("Attendance Summary"),
        attendance_summary,
        summary_series,
        N_("Attendance: school and national"),
    ),
    SchoolReport(
        "year-groups",
        N_("Year Groups"),
        year_groups,
        year_group_series,
        N_("Attendance by year group: school and national"),
        grouped=True,
    ),
    SchoolReport(
        "pupil-groups",
        N_("Pupil Groups"),
        pupil_groups,
        pupil_group_series,
        N_("Attendance by pupil group: school and the same group nationally"),
        grouped=True,
    ),
    SchoolReport(
        "absence",
        N_("Absence"),
        absence,
        absence_series,
        N_("Absence by reason: % of possible sessions missed"),
        grouped=True,
    ),
    SchoolReport("data-check", N_("Data Check"), data_check, legend=False),
)


def show_report(
    report: SchoolReport, state: FilterState, overlay: list[str] | None = None
) -> html.Div:
    """Return a report's content for the viewer's school and the chosen filters, with
    last year on its charts when `overlay` is on."""
    found = viewer_scope(state)
    if found is None:
        return not_available()
    viewer, scope = found
    term = state.term or scope.default_term()
    pupil_filter = state.pupil_filter()
    table = scope.cached(report.table, term, pupil_filter)
    charts = None
    if report.chart_lines is not None:
        lines = scope.cached(report.chart_lines, pupil_filter)
        last_year, note = report_overlays(
            scope, report.chart_lines, pupil_filter, overlay
        )
        charts = html.Div(
            [
                weekly_charts(
                    lines,
                    _(report.chart_title),
                    viewer.school_name,
                    scope.release.academic_year,
                    last_year,
                ),
                note,
            ]
        )
    return report_body(
        report.page,
        table,
        charts,
        grouped=report.grouped,
        legend=report.legend,
        extra=_extra(report, scope, term),
    )


def download_report(
    report: SchoolReport, state: FilterState, file_format: str
) -> dict | None:
    """Return the download of a report's table as on screen, or None without a school."""
    found = viewer_scope(state)
    if found is None:
        return None
    viewer, scope = found
    term = state.term or scope.default_term()
    table = scope.cached(report.table, term, state.pupil_filter())
    return table_download(table, file_format, _download_name(report, viewer, term))


def _extra(report: SchoolReport, scope: ReportScope, term: str) -> list[html.P]:
    extra = []
    if not scope.term_weeks(term):
        extra.append(
            html.P(
                _(
                    "No week of %(term)s is in the latest release yet; "
                    "the table shows the year to date.",
                    term=_(TERM_LABELS[term]),
                ),
                className="report-notes my-1",
            )
        )
    if report.page == "data-check":
        config = settings()
        extra.append(build_contacts(config.support_email, config.feedback_url))
    return extra


def _download_name(report: SchoolReport, viewer: Viewer, term: str) -> str:
    return file_name(viewer.school_name, _(report.title), _(TERM_LABELS[term]))


def _state_from_states(values: list) -> FilterState:
    """Return the filter state from a callback's pattern-matching filter States."""
    listed = next(item for item in ctx.states_list if isinstance(item, list))
    names = [item["id"]["name"] for item in listed]
    return with_values(FilterState(), dict(zip(names, values, strict=True)))


def _register(report: SchoolReport) -> None:
    """Register a report's content and download callbacks."""

    inputs = [Input({"type": ids.FILTER, "name": ALL}, "value")]
    if report.chart_lines is not None:
        inputs.append(Input(ids.overlay_toggle(report.page), "value"))

    @callback(Output(ids.page_content(report.page), "children"), *inputs)
    def show(values: list, overlay: list[str] | None = None) -> html.Div:
        return show_report(report, filter_state(values), overlay)

    @callback(
        Output(ids.download(report.page), "data"),
        Input(ids.download_button(report.page, "csv"), "n_clicks"),
        Input(ids.download_button(report.page, "xlsx"), "n_clicks"),
        State({"type": ids.FILTER, "name": ALL}, "value"),
        prevent_initial_call=True,
    )
    def download(_csv: int | None, _xlsx: int | None, values: list) -> dict:
        file_format = chosen_format(ctx.triggered_id, report.page)
        if file_format is None or not (_csv or _xlsx):
            raise PreventUpdate
        sent = download_report(report, _state_from_states(values), file_format)
        if sent is None:
            raise PreventUpdate
        return sent


for _report in REPORTS:
    _register(_report)
