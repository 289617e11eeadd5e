"""Data desk: uploads, the school's marks and history, releases and the MIS check."""

import dash
from dash import html

from callbacks.data_desk import desk_frame
from dashboard.i18n import N_, _

INTRO = N_(
    "Where the people who run the data upload files, see what arrived, re-extract a "
    "year, publish releases and find out why the tracker differs from the MIS."
)


def layout(**query: str) -> html.Div:
    """Return the desk's heading and, for those allowed, its sections."""
    return html.Div(
        [
            html.H1(_("Data desk"), className="h3"),
            html.P(_(INTRO), className="text-muted small mb-2"),
            desk_frame(query),
        ]
    )


dash.register_page(
    __name__, path="/data-desk", name="Data desk", order=60, layout=layout
)
