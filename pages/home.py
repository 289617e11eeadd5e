"""Attendance home: the year-to-date headline, data status, tiles and contacts."""

import dash
from dash import html

import components.ids as ids
from callbacks.common import report_frame
from dashboard.i18n import _

CONTENT = ids.page_content("home")


def layout(**query: str) -> html.Div:
    """Return the home page's frame; its content follows the chosen school."""
    return html.Div(
        [
            html.H1(_("Welcome to Attendance Tracker"), className="h3"),
            html.P(_("Analyse, track and compare your pupils' attendance.")),
            report_frame(CONTENT, query, ()),
        ]
    )


dash.register_page(__name__, path="/", name="Attendance home", order=0, layout=layout)
