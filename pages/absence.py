"""Absence: not built yet, so the page says so and shows no figures."""

import dash
from dash import html

from components.shell import not_available


def layout(**_query: str) -> html.Div:
    """Return the page's notice."""
    return html.Div([html.H1("Absence", className="h3"), not_available()])


dash.register_page(
    __name__, path="/school-reports/absence", name="Absence", order=13, layout=layout
)
