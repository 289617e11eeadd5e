"""The at-risk list's callbacks: the list for the school, a year group or a pupil
group, and its downloads. The list names pupils, so it needs the pupil-level grant
like the other pupil reports."""

from __future__ import annotations

from dash import Input, Output, callback, ctx, html
from dash.exceptions import PreventUpdate

import components.ids as ids
from callbacks.common import filter_state, filter_state_of_states
from callbacks.pupil_reports import FILTER_STATES, FILTERS, NO_ACCESS, pupil_scope
from components.downloads import chosen_format, table_download
from components.filter_state import FilterState
from components.grid import report_grid
from components.shell import not_available
from components.weekly_chart import file_name
from dashboard.i18n import _
from data import audit
from data.early_warning import at_risk_list, at_risk_table
from data.pupil_names import pupil_names
from data.reports import ReportScope, ReportUnavailable
from data.tables import Table


@callback(
    Output(ids.page_content(ids.AT_RISK), "children"),
    FILTERS,
)
def show_at_risk(values: list) -> html.Div:
    """Return the at-risk list for the chosen pupils, auditing the view."""
    state = filter_state(values)
    found = pupil_scope(state)
    if found is None:
        return not_available(_(NO_ACCESS))
    viewer, scope = found
    try:
        table, pupils = _table(scope, state)
    except ReportUnavailable as problem:
        return not_available(_(str(problem)))
    audit.record(
        scope.url,
        "pupil_list_view",
        viewer.scope.user_id,
        scope.school_id,
        f"at-risk release {scope.release.id}, {len(table.rows)} pupils",
        pupils=pupils,
    )
    return html.Div(
        [
            report_grid(table, "at-risk-grid", first_width=200),
            *(html.P(note, className="report-notes my-1") for note in table.notes),
        ]
    )


@callback(
    Output(ids.download(ids.AT_RISK), "data"),
    Input(ids.download_button(ids.AT_RISK, "csv"), "n_clicks"),
    Input(ids.download_button(ids.AT_RISK, "xlsx"), "n_clicks"),
    FILTER_STATES,
    prevent_initial_call=True,
)
def download_at_risk(_csv: int | None, _xlsx: int | None, values: list) -> dict:
    """Return the at-risk list as on screen, as CSV or Excel, auditing the export."""
    file_format = chosen_format(ctx.triggered_id, ids.AT_RISK)
    found = pupil_scope(filter_state_of_states(values))
    if file_format is None or not (_csv or _xlsx) or found is None:
        raise PreventUpdate
    viewer, scope = found
    table, pupils = _table(scope, filter_state_of_states(values))
    audit.record(
        scope.url,
        "pupil_export",
        viewer.scope.user_id,
        scope.school_id,
        f"at-risk release {scope.release.id}, {len(table.rows)} pupils, {file_format}",
        pupils=pupils,
    )
    name = file_name(
        viewer.school_name, _("Pupils at risk"), scope.release.academic_year
    )
    return table_download(table, file_format, name)


def _table(scope: ReportScope, state: FilterState) -> tuple[Table, list[int]]:
    """Return the at-risk table with names, and the ids of its pupils."""
    found = at_risk_list(scope, state.pupil_filter())
    ids_at_risk = [pupil.pupil_id for pupil in found.pupils]
    names = pupil_names(scope.url, scope.school_id, ids_at_risk)
    table = at_risk_table(found, {pupil: name.full for pupil, name in names.items()})
    return table, ids_at_risk
