"""Previous year: not built yet, so the page says so and shows no figures."""

import dash
from dash import html

from components.shell import not_available
from dashboard.context import database_url
from data.releases import current_release
from data.status import shift_year


def layout(**_query: str) -> html.Div:
    """Return the page's notice, headed by the previous academic year (e.g. "2022/23")."""
    release = current_release(database_url())
    title = shift_year(release.academic_year, -1) if release else "Previous year"
    return html.Div([html.H1(title, className="h3"), not_available()])


dash.register_page(
    __name__, path="/previous-year", name="Previous year", order=30, layout=layout
)
