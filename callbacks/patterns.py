"""Absence patterns' callbacks: the page's heat maps and table, their download, and
the pupil's own pattern on the Individual Pupil report.

The pupil's pattern is checked exactly as the rest of that report is (the pupil
grant for the school shown, then the pupil among the school's own and in the user's
scope); the report's own callback records the view in the audit log.
"""

from __future__ import annotations

from dataclasses import replace

from dash import ALL, Input, Output, State, callback, ctx, html
from dash.exceptions import PreventUpdate

import components.ids as ids
from callbacks.common import filter_state, filter_state_of_states, viewer_scope
from callbacks.pupil_reports import (
    FILTERS,
    YEAR_STATE,
    chosen_pupil,
    pupil_year_scope,
)
from components.downloads import chosen_format, table_download
from components.filter_state import FilterState
from components.filters import TERM_LABELS
from components.patterns import TERM, pattern_section
from components.shell import not_available
from components.weekly_chart import file_name
from dashboard.i18n import N_, _
from dashboard.viewer import Viewer
from data.groups import PupilFilter
from data.patterns import YEAR_TO_DATE, group_patterns, pupil_patterns
from data.reports import ReportScope, ReportUnavailable

TITLE = N_("Absence patterns")


@callback(
    Output(ids.page_content(ids.PATTERNS), "children"),
    Input({"type": ids.FILTER, "name": ALL}, "value"),
    Input(ids.PATTERN_PERIOD, "value"),
)
def show_patterns(values: list, period: str | None) -> html.Div:
    """Return the chosen pupils' heat map beside the national one, with the table."""
    state = filter_state(values)
    found = viewer_scope(state)
    if found is None:
        return not_available()
    viewer, scope = found
    chosen = _period(scope, state, period)
    try:
        comparison = scope.cached(group_patterns, chosen, _pupils(viewer, state))
    except ReportUnavailable as problem:
        return not_available(str(problem))
    name = _file_name(viewer.school_name, chosen)
    return pattern_section(comparison, "patterns-table", name)


@callback(
    Output(ids.download(ids.PATTERNS), "data"),
    Input(ids.download_button(ids.PATTERNS, "csv"), "n_clicks"),
    Input(ids.download_button(ids.PATTERNS, "xlsx"), "n_clicks"),
    State({"type": ids.FILTER, "name": ALL}, "value"),
    State(ids.PATTERN_PERIOD, "value"),
    prevent_initial_call=True,
)
def download_patterns(
    _csv: int | None, _xlsx: int | None, values: list, period: str | None
) -> dict:
    """Return the table on screen as CSV or Excel."""
    file_format = chosen_format(ctx.triggered_id, ids.PATTERNS)
    found = viewer_scope(filter_state_of_states(values))
    if file_format is None or not (_csv or _xlsx) or found is None:
        raise PreventUpdate
    viewer, scope = found
    state = filter_state_of_states(values)
    chosen = _period(scope, state, period)
    try:
        comparison = scope.cached(group_patterns, chosen, _pupils(viewer, state))
    except ReportUnavailable:
        raise PreventUpdate from None
    name = _file_name(viewer.school_name, chosen)
    return table_download(comparison.table, file_format, name)


@callback(Output(ids.PUPIL_PATTERN, "children"), FILTERS, YEAR_STATE)
def show_pupil_pattern(values: list, year: list | None = None) -> html.Div | None:
    """Return the chosen pupil's pattern beside the school's, or nothing to show."""
    state = filter_state(values)
    found = pupil_year_scope(state, year)
    if isinstance(found, str) or state.pupil is None:
        return None
    viewer, scope = found
    pupil = chosen_pupil(found, state)
    if pupil is None:
        return None
    try:
        comparison = scope.cached(pupil_patterns, pupil)
    except ReportUnavailable as problem:
        return not_available(str(problem))
    name = file_name(viewer.school_name, _("Individual Pupil"), _(TITLE))
    return pattern_section(comparison, "pupil-pattern-table", name, banded=False)


def _pupils(viewer: Viewer, state: FilterState) -> PupilFilter:
    """Return the pupils chosen; registration group, EAL and ethnicity only for users
    with pupil access, as the page offers them only to those."""
    chosen = state.pupil_filter()
    if viewer.pupil_access:
        return chosen
    return replace(chosen, reg_group=None, eal=None, ethnic_group=None)


def _period(scope: ReportScope, state: FilterState, period: str | None) -> str:
    """Return the weeks asked for: the year to date, or the filter bar's term."""
    if period == TERM:
        return state.term or scope.default_term()
    return YEAR_TO_DATE


def _file_name(school_name: str, period: str) -> str:
    weeks = _("Year to date") if period == YEAR_TO_DATE else _(TERM_LABELS[period])
    return file_name(school_name, _(TITLE), weeks)
