"""Audit log: who signed in, failed to, and viewed or exported pupil-level data."""

import dash
from dash import html

import components.ids as ids
from callbacks.audit_log import audit_log_view
from components.downloads import download_bar
from dashboard.i18n import N_, _

INTRO = N_(
    "Sign-ins, failed sign-ins, lockouts, sign-outs and every view or export of "
    "pupil-level data, newest first. The page shows the latest %(shown)s entries; the "
    "downloads hold the whole log."
)


def layout(**_query: str) -> html.Div:
    """Return the log for administrators, or a refusal for anyone else."""
    return html.Div(
        [
            html.H1(_("Audit log"), className="h3"),
            audit_log_view(INTRO),
            download_bar(ids.AUDIT_LOG),
        ]
    )


dash.register_page(
    __name__, path="/audit-log", name="Audit log", order=70, layout=layout
)
