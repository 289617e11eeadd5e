"""Regional attendance: the school against its authority, region and national, or, for
authority users, every school of the authority side by side."""

import dash
from dash import html

from callbacks.regional import regional_frame
from dashboard.i18n import N_, _

INTRO = N_(
    "The school against its local authority, its region and national, by week and "
    "year to date. Authority and region figures are withheld where the area has too "
    "few schools. School-level figures only."
)


def layout(**query: str) -> html.Div:
    """Return the page's heading, controls, filter bar and content area."""
    return html.Div(
        [
            html.H1(_("Regional attendance"), className="h3"),
            html.P(_(INTRO), className="text-muted small mb-2"),
            regional_frame(query),
        ]
    )


dash.register_page(
    __name__,
    path="/regional-attendance",
    name="Regional attendance",
    order=40,
    layout=layout,
)
