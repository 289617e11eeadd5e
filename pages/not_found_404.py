"""The page shown for an address that is no page of the tracker (Dash uses the page
registered from a module named `not_found_404` in place of its own English one)."""

import dash
from dash import html

from dashboard.i18n import _


def layout(**_query: str) -> html.Div:
    """Return the not-found notice and the way back to the home page."""
    return html.Div(
        [
            html.H1(_("Page not found"), className="h3"),
            html.P(_("There is no page at this address.")),
            html.A(_("Back to the tracker"), href="/"),
        ],
        className="py-4",
    )


dash.register_page(
    __name__, path="/page-not-found", name="Page not found", layout=layout
)
