"""The shell's callbacks: filters into the address bar, then the tabs and header."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl

from dash import ALL, Input, Output, State, callback, clientside_callback, ctx, html

import components.ids as ids
from components.filter_state import FilterState, parse_filters, with_values
from components.nav import build_nav, tabs
from components.shell import build_header, build_shell
from components.status import day_text, year_notice
from dashboard.context import database_url
from dashboard.i18n import _
from dashboard.viewer import current_viewer
from data.releases import ReleaseInfo, current_release
from data.scope import may_read_audit_log, may_use_data_desk
from data.status import completed_year, data_status, shift_year


def shell_layout():  # type: ignore[no-untyped-def]
    """Return the shell for this request (Dash calls it on every page load)."""
    import dash

    return build_shell(dash.page_container)


def query_state(search: str | None) -> FilterState:
    """Return the filter state of a query string such as "?term=autumn1" (anything
    else the browser sends counts as no filters)."""
    text = search if isinstance(search, str) else ""
    return parse_filters(dict(parse_qsl(text.lstrip("?"))))


@callback(
    Output(ids.QUERY_STORE, "data"),
    Input({"type": ids.FILTER, "name": ALL}, "value"),
    State(ids.QUERY_STORE, "data"),
    State(ids.URL, "search"),
)
def remember_filters(values: list, stored: str | None, search: str | None) -> str:
    """Merge the page's filter values into the query kept for every tab."""
    base = query_state(stored if stored is not None else search)
    names = [item["id"]["name"] for item in ctx.inputs_list[0]]
    return with_values(base, dict(zip(names, values, strict=True))).query_string()


clientside_callback(
    """
    function (query) {
        if (query !== null && query !== undefined) {
            window.history.replaceState(
                window.history.state, "", window.location.pathname + query
            );
        }
        return null;
    }
    """,
    Output(ids.URL_SYNC, "data"),
    Input(ids.QUERY_STORE, "data"),
)


@callback(
    Output(ids.NAV, "children"),
    Output(ids.HEADER_SCHOOL, "children"),
    Output(ids.YEAR_NOTICE, "children"),
    Input(ids.URL, "pathname"),
    Input(ids.QUERY_STORE, "data"),
    State(ids.URL, "search"),
)
def show_tabs(pathname: str, stored: str | None, search: str | None) -> tuple:
    """Return the tabs (carrying the filters) and the header for the chosen school."""
    pathname = pathname if isinstance(pathname, str) else "/"
    state = query_state(stored if stored is not None else search)
    query = state.query_string()
    viewer = current_viewer(state.school)
    if viewer is None:
        return html.Div(), [], None
    url = database_url()
    release = current_release(url)
    previous_label = (
        shift_year(release.academic_year, -1) if release else _("Previous year")
    )
    nav = build_nav(
        tabs(previous_label),
        pathname,
        query,
        viewer.pupil_access,
        manages_data=may_use_data_desk(viewer.scope),
        administers=may_read_audit_log(viewer.scope),
    )
    release_text = (
        _("Latest reports display data to %(day)s", day=day_text(release.to_date))
        if release
        else _("No release has been published yet")
    )
    header = build_header(
        viewer.school_name, release_text, viewer.name, pathname + query
    )
    return nav, header, _year_notice(url, release, viewer.school_id)


def _year_notice(
    url: str, release: ReleaseInfo | None, school_id: str | None
) -> html.Div | None:
    """Return the completed-year notice while the latest release's year has ended."""
    if release is None:
        return None
    today = date.today()
    year = completed_year(url, today, school_id, release)
    if year is None:
        return None
    status = data_status(url, today, school_id)
    return year_notice(year, status.next_release, status.in_holiday)
