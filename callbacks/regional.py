"""Regional attendance: the school against its areas, or an authority's schools.

What a user sees is decided here from the signed-in user, never from the browser: a
school user only ever gets the school view of their own school; local-authority
officers and administrators may also see the authority view, which lists only schools
in their scope and only school-level figures.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, callback, ctx, html
from dash.exceptions import PreventUpdate

import components.ids as ids
from callbacks.common import (
    filter_state,
    filter_state_of_states,
    report_frame,
    viewer_scope,
)
from components.downloads import chosen_format, download_bar, table_download
from components.figures import band_legend
from components.filter_state import FilterState, parse_filters
from components.regional import (
    COLUMN_COMPARISON,
    area_chart,
    area_grid,
    choice,
    column_bars,
    notes,
)
from components.shell import not_available
from components.weekly_chart import file_name
from dashboard.context import database_url, settings
from dashboard.i18n import N_, _
from dashboard.viewer import Viewer, current_viewer
from data.areas import school_area
from data.reports import ReportScope, ReportUnavailable
from data.reports.authority import (
    AuthorityScope,
    authority_overview,
    authority_series,
    open_authority,
    percent_header,
)
from data.reports.regional import (
    ATTENDANCE,
    MEASURES,
    PERSISTENT,
    Measure,
    area_headline,
    area_series,
    area_weeks_table,
)
from data.scope import ADMIN, LA_OFFICER
from data.tables import Table

PAGE = "regional"
CONTENT = ids.page_content(PAGE)
HEADLINE, WEEKLY, SCHOOLS = "regional-headline", "regional-weekly", "regional-schools"
AUTHORITY, SCHOOL = "authority", "school"
VIEWS = ((AUTHORITY, N_("Schools of the authority")), (SCHOOL, N_("One school")))
PERIODS = (("ytd", N_("Year to date")), ("week", N_("Latest week")))
MEASURE_CHOICES = tuple((measure.column, measure.label) for measure in MEASURES)
TITLE = N_("Regional attendance")


def compares_schools(viewer: Viewer | None) -> bool:
    """Return whether the viewer may see an authority's schools side by side."""
    return viewer is not None and viewer.scope.role in (LA_OFFICER, ADMIN)


def regional_frame(query: dict[str, str]) -> html.Div:
    """Return the page's controls (the view switch only for authority users), its
    filter bar and its content area."""
    viewer = current_viewer(parse_filters(query).school)
    authority_user = compares_schools(viewer)
    view = choice(
        ids.REGIONAL_VIEW,
        _options(VIEWS),
        AUTHORITY if authority_user else SCHOOL,
        _("Show"),
    )
    return html.Div(
        [
            html.Div(view, hidden=not authority_user),
            choice(ids.REGIONAL_PERIOD, _options(PERIODS), "ytd", _("Figures for")),
            choice(
                ids.REGIONAL_MEASURE,
                _options(MEASURE_CHOICES),
                "present",
                _("By week"),
            ),
            report_frame(CONTENT, query, ()),
        ]
    )


@callback(
    Output(CONTENT, "children"),
    Input(ids.REGIONAL_VIEW, "value"),
    Input(ids.REGIONAL_PERIOD, "value"),
    Input(ids.REGIONAL_MEASURE, "value"),
    Input({"type": ids.FILTER, "name": ALL}, "value"),
)
def show_regional(view: str, period: str, measure: str, values: list) -> html.Div:
    """Return the authority view or the school view for the signed-in user."""
    found = viewer_scope(filter_state(values))
    if found is None:
        return not_available()
    viewer, scope = found
    authority = _authority(viewer, scope) if view == AUTHORITY else None
    if authority is not None:
        return _authority_view(authority)
    return _school_view(viewer, scope, period, measure)


def regional_table(
    page: str, state: FilterState, view: str, period: str, measure: str
) -> tuple[str, Table] | None:
    """Return a download's name and the very table its grid shows, or None."""
    found = viewer_scope(state)
    if found is None:
        return None
    viewer, scope = found
    year = scope.release.academic_year
    if page == SCHOOLS:
        authority = _authority(viewer, scope) if view == AUTHORITY else None
        if authority is None:
            return None
        table = authority.cached(authority_overview)
        return file_name(authority.name, _(TITLE), year), table
    if page == HEADLINE:
        table = scope.cached(area_headline, _period(period))
    else:
        table = scope.cached(area_weeks_table, _measure(measure))
    return file_name(viewer.school_name, table.title, year), table


def _school_view(
    viewer: Viewer, scope: ReportScope, period: str, measure: str
) -> html.Div:
    headline = scope.cached(area_headline, _period(period))
    chosen = _measure(measure)
    weeks = scope.cached(area_weeks_table, chosen)
    series = scope.cached(area_series, chosen)
    chart_name = file_name(viewer.school_name, _(TITLE), scope.release.academic_year)
    return html.Div(
        [
            band_legend(),
            html.P(_(COLUMN_COMPARISON), className="text-muted small"),
            html.H2(headline.title, className="h6 mt-2"),
            area_grid(headline, ids.report_grid(HEADLINE)),
            *notes(headline),
            download_bar(HEADLINE),
            html.H2(weeks.title, className="h6 mt-3"),
            area_grid(weeks, ids.report_grid(WEEKLY)),
            *notes(weeks),
            download_bar(WEEKLY),
            area_chart(
                series,
                _("%(measure)s: school and areas", measure=_(chosen.label)),
                chart_name,
            ),
        ]
    )


def _authority_view(authority: AuthorityScope) -> html.Div:
    table = authority.cached(authority_overview)
    series = authority.cached(authority_series)
    name = file_name(authority.name, _(TITLE), authority.release.academic_year)
    return html.Div(
        [
            band_legend(),
            html.H2(table.title, className="h6 mt-2"),
            area_grid(table, ids.report_grid(SCHOOLS)),
            *notes(table),
            download_bar(SCHOOLS),
            area_chart(
                series,
                _(
                    "Weekly attendance: schools, %(authority)s and national",
                    authority=authority.name,
                ),
                name,
            ),
            column_bars(
                table,
                percent_header(PERSISTENT),
                _("Persistent absence by school, year to date"),
                name,
                areas=2,
            ),
        ]
    )


def _authority(viewer: Viewer, scope: ReportScope) -> AuthorityScope | None:
    """Return the authority view's scope: the officer's own authority, or for an
    administrator the chosen school's; only schools the viewer may see."""
    if not compares_schools(viewer):
        return None
    url = database_url()
    if viewer.scope.role == LA_OFFICER:
        la_code = viewer.scope.la_code
    else:
        la_code = school_area(url, scope.release.id, scope.school_id).la_code
    if la_code is None:
        return None
    visible = {school_id for school_id, _ in viewer.schools}
    try:
        return open_authority(url, la_code, visible, settings(), scope.release)
    except ReportUnavailable:
        return None


def _options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Return radio choices with their labels in the current language."""
    return tuple((key, _(label)) for key, label in choices)


def _period(period: str) -> str:
    return "week" if period == "week" else "ytd"


def _measure(key: str) -> Measure:
    return next((m for m in MEASURES if m.column == key), ATTENDANCE)


def _register_download(page: str) -> None:
    @callback(
        Output(ids.download(page), "data"),
        Input(ids.download_button(page, "csv"), "n_clicks"),
        Input(ids.download_button(page, "xlsx"), "n_clicks"),
        State(ids.REGIONAL_VIEW, "value"),
        State(ids.REGIONAL_PERIOD, "value"),
        State(ids.REGIONAL_MEASURE, "value"),
        State({"type": ids.FILTER, "name": ALL}, "value"),
        prevent_initial_call=True,
    )
    def download(
        csv: int | None,
        xlsx: int | None,
        view: str,
        period: str,
        measure: str,
        values: list,
    ) -> dict:
        file_format = chosen_format(ctx.triggered_id, page)
        if file_format is None or not (csv or xlsx):
            raise PreventUpdate
        state = filter_state_of_states(values)
        found = regional_table(page, state, view, period, measure)
        if found is None:
            raise PreventUpdate
        name, table = found
        return table_download(table, file_format, name)


for _page in (HEADLINE, WEEKLY, SCHOOLS):
    _register_download(_page)
