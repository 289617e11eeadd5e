"""The audit log page's content and downloads, for administrators only."""

from __future__ import annotations

from dash import Input, Output, callback, ctx, html
from dash.exceptions import PreventUpdate

import components.ids as ids
from components.downloads import chosen_format, table_download
from components.grid import report_grid
from components.shell import not_available
from dashboard.context import database_url
from dashboard.i18n import N_, _
from dashboard.viewer import current_viewer
from data import audit
from data.scope import may_read_audit_log

SHOWN = 200
REFUSAL = N_("The audit log is for administrators.")


def audit_log_view(intro: str) -> html.Div:
    """Return the latest entries as a grid, or a refusal for anyone but an
    administrator; the view itself is audited. `intro` is a message with a
    `%(shown)s` value, translated here."""
    viewer = current_viewer()
    if viewer is None or not may_read_audit_log(viewer.scope):
        return not_available(_(REFUSAL))
    url = database_url()
    table = audit.audit_table(url, limit=SHOWN)
    audit.record(url, "audit_log_view", viewer.scope.user_id)
    return html.Div(
        [
            html.P(_(intro, shown=SHOWN), className="text-muted small mb-2"),
            report_grid(table, ids.AUDIT_GRID, first_width=160),
        ]
    )


@callback(
    Output(ids.download(ids.AUDIT_LOG), "data"),
    Input(ids.download_button(ids.AUDIT_LOG, "csv"), "n_clicks"),
    Input(ids.download_button(ids.AUDIT_LOG, "xlsx"), "n_clicks"),
    prevent_initial_call=True,
)
def download_audit_log(csv_clicks: int | None, xlsx_clicks: int | None) -> dict:
    """Return the whole audit log as CSV or Excel, auditing the export."""
    file_format = chosen_format(ctx.triggered_id, ids.AUDIT_LOG)
    viewer = current_viewer()
    if file_format is None or not (csv_clicks or xlsx_clicks):
        raise PreventUpdate
    if viewer is None or not may_read_audit_log(viewer.scope):
        raise PreventUpdate
    url = database_url()
    table = audit.audit_table(url)
    audit.record(url, "audit_log_export", viewer.scope.user_id, None, file_format)
    return table_download(table, file_format, _("Audit log"))
