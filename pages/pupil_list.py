"""Pupil List: not built yet, so the page says so and shows no figures."""

import dash
from dash import html

from components.shell import not_available
from dashboard.viewer import current_viewer

NO_ACCESS = "Your account does not have access to pupil-level reports."


def layout(**_query: str) -> html.Div:
    """Return the page's notice, or a refusal for a user without pupil access."""
    viewer = current_viewer()
    if viewer is None or not viewer.pupil_access:
        return html.Div(
            [html.H1("Pupil reports", className="h3"), not_available(NO_ACCESS)]
        )
    return html.Div([html.H1("Pupil List", className="h3"), not_available()])


dash.register_page(
    __name__,
    path="/pupil-reports/pupil-list",
    name="Pupil List",
    order=20,
    layout=layout,
)
