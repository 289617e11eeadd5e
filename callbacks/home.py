"""The home page's callback: headline, data status, tiles and contacts."""

from __future__ import annotations

from datetime import date

from dash import ALL, Input, Output, State, callback, html

import components.ids as ids
from callbacks.common import filter_state, viewer_scope
from components.home import build_contacts, build_headline, build_links, build_tiles
from components.shell import not_available
from components.status import build_data_status
from dashboard.context import database_url, settings
from data.reports.three_sixty import headline
from data.status import data_status
from pages.home import CONTENT


@callback(
    Output(CONTENT, "children"),
    Input(ids.URL, "pathname"),
    Input({"type": ids.FILTER, "name": ALL}, "value"),
    State(ids.QUERY_STORE, "data"),
)
def show_home(_pathname: str, values: list, query: str | None) -> html.Div:
    """Return the home page for the viewer's school."""
    found = viewer_scope(filter_state(values))
    if found is None:
        return not_available()
    viewer, scope = found
    status = data_status(database_url(), date.today(), viewer.school_id)
    attendance = scope.cached(headline, "ytd").rows[0]
    config = settings()
    query = query if isinstance(query, str) else ""
    return html.Div(
        [
            build_headline(*attendance[1:]),
            build_tiles(query, viewer.pupil_access),
            build_links(query),
            build_data_status(status.latest, status.next_release, status.in_holiday),
            build_contacts(config.support_email, config.feedback_url),
        ]
    )
