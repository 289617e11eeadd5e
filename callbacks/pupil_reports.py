"""The pupil reports' callbacks: the Pupil List and the Individual Pupil report, of
this year or, on the previous-year tab, of last year's final release.

Both need the pupil-level grant for the school shown, checked on the server on every
call; without it a callback returns a refusal and no figures. A pupil arrives from the
browser only as an opaque id, resolved against the school's own pupils: a forged or
foreign id finds nobody and is logged. Every view of a pupil and every pupil-level
download is written to the audit log, naming pupils by database id only: a list's
entry names every pupil it showed or exported.

Last year's pages are this year's with a store holding LAST_YEAR: the grant is checked
for the school shown exactly as now, and only then is that school moved to last year's
final release.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from dash import ALL, Input, Output, Patch, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate
from flask import current_app

import components.ids as ids
from callbacks.common import filter_state, filter_state_of_states, viewer_scope
from callbacks.last_year import in_last_year
from components.downloads import chosen_format, table_download
from components.filter_state import FilterState, parse_filters
from components.filters import TERM_LABELS
from components.pupil_reports import (
    band_choice,
    individual_pupil_body,
    pupil_list_columns,
    pupil_list_rows,
    pupil_list_summary,
)
from components.shell import not_available
from components.weekly_chart import file_name
from dashboard.export_pupils import describe_list, pdf_heading
from dashboard.i18n import N_, _
from dashboard.viewer import Viewer, current_viewer
from data import audit
from data.early_warning import at_risk_count
from data.figures import PUPIL_BANDS
from data.groups import PupilFilter
from data.pupil_image import pdf_as_png
from data.pupil_names import find_pupil, name_order, pupil_names, pupil_token
from data.pupil_pdf import pupil_pdf
from data.reports import ReportScope, ReportUnavailable
from data.reports.individual_pupil import PupilReport, export_table, individual_pupil
from data.reports.pupil_list import (
    PupilList,
    is_leaver,
    listed_pupils,
    pupil_list,
    searched,
)
from data.scope import pupil_in_scope

log = logging.getLogger(__name__)

# Refusals and prompts, translated where shown.
NO_ACCESS = N_("Your account does not have access to pupil-level reports.")
CHOOSE = N_("Choose a pupil to see their report.")
NOT_FOUND = N_("That pupil is not in your school's latest release.")
NOT_FOUND_LAST_YEAR = N_("That pupil is not in your school's release of last year.")
INDIVIDUAL_PATH = "/pupil-reports/individual-pupil"
LAST_YEAR_INDIVIDUAL_PATH = "/previous-year/individual-pupil"
AT_RISK_PATH = "/pupil-reports/at-risk"
FILTERS = Input({"type": ids.FILTER, "name": ALL}, "value")
FILTER_STATES = State({"type": ids.FILTER, "name": ALL}, "value")
# Present (holding LAST_YEAR) only on last year's pupil pages.
YEAR_STATE = State({"type": ids.PUPIL_YEAR, "name": ALL}, "data")
LAST_YEAR = "last"


def pupil_scope(state: FilterState) -> tuple[Viewer, ReportScope] | None:
    """Return the viewer and school scope when the viewer may see its pupils."""
    found = viewer_scope(state)
    if found is None or not found[0].pupil_access:
        return None
    return found


def pupil_year_scope(
    state: FilterState, year: list | None
) -> tuple[Viewer, ReportScope] | str:
    """Return the viewer and the scope of a pupil report: the pupil grant is checked
    for the school shown, whichever year; on last year's pages (`year` holds
    LAST_YEAR) the scope is that year's final release. Otherwise the refusal."""
    found = pupil_scope(state)
    if found is None:
        return _(NO_ACCESS)
    return in_last_year(found) if _last_year(year) else found


def may_see_pupils(query: dict[str, str]) -> bool:
    """Return whether the signed-in user may see pupils of the school a pupil page's
    address names (their own school when it names none)."""
    viewer = current_viewer(parse_filters(query).school)
    return viewer is not None and viewer.pupil_access


def picker_options(scope: ReportScope, year_group: int | None) -> list[tuple[str, str]]:
    """Return the pupil picker's choices, alphabetical: (opaque id, "Surname,
    Forename (Yr 9, 9A)"), leavers included and marked, for one year group or all."""
    pupils = listed_pupils(scope, PupilFilter(year_group=year_group), True)
    names = pupil_names(scope.url, scope.school_id, pupils.index)
    secret = current_app.secret_key or ""
    left = set(pupils.index[is_leaver(pupils, scope.release.to_date)])
    choices = []
    for pupil in sorted(names, key=lambda pupil: name_order(names[pupil])):
        context = pupils.loc[pupil]
        values = {
            "name": names[pupil].full,
            "year": context["year_group"],
            "group": context["reg_group"],
        }
        if pupil in left:
            label = _(
                "%(name)s (Yr %(year)s, %(group)s, left %(day)s)",
                day=f"{context['leaving_date']:%d/%m/%Y}",
                **values,
            )
        else:
            label = _("%(name)s (Yr %(year)s, %(group)s)", **values)
        choices.append((pupil_token(secret, scope.school_id, pupil), label))
    return choices


def at_risk_note(scope: ReportScope, state: FilterState, linked: bool) -> html.P | None:
    """Return "N pupils are at risk of persistent absence" for the state's year group
    and pupil group, linking to the list of them when `linked`; None if unknown."""
    shown = FilterState(
        year_group=state.year_group,
        gender=state.gender,
        efsm=state.efsm,
        sen=state.sen,
        school=state.school,
    )
    try:
        count = at_risk_count(scope, shown.pupil_filter())
    except ReportUnavailable:
        return None
    text = (
        _("%(count)s pupil is at risk of persistent absence", count=count)
        if count == 1
        else _("%(count)s pupils are at risk of persistent absence", count=count)
    )
    query = shown.query_string()
    link = html.A(_("see the list"), href=AT_RISK_PATH + query) if linked else None
    parts = [html.Strong(text), ": ", link] if linked else [html.Strong(text), "."]
    return html.P(parts, className="at-risk-note my-2", id="at-risk-note")


@callback(
    Output(ids.PUPIL_LIST_SUMMARY, "children"),
    Output(ids.PUPIL_GRID, "columnDefs"),
    Output(ids.PUPIL_GRID, "rowData"),
    Output(ids.PUPIL_BAND, "options"),
    FILTERS,
    Input(ids.PUPIL_LEAVERS, "value"),
    Input(ids.PUPIL_BAND, "value"),
    YEAR_STATE,
)
def show_pupil_list(
    values: list, leavers: list | None, band: str | None, year: list | None = None
) -> tuple:
    """Return the Pupil List for the chosen filters, leavers switch and band, in this
    year's release or, on last year's page, last year's."""
    state = filter_state(values)
    found = pupil_year_scope(state, year)
    if isinstance(found, str):
        return not_available(found), [], [], []
    viewer, scope = found
    this_year = not _last_year(year)
    report_path = INDIVIDUAL_PATH if this_year else LAST_YEAR_INDIVIDUAL_PATH
    listed = _listed(scope, state, leavers, band)
    term = state.term or scope.default_term()
    columns, rows = scope.cached(
        _grid,
        term,
        state.pupil_filter(),
        bool(leavers),
        _band(band),
        state.school,
        report_path,
    )
    audit.record(
        scope.url,
        "pupil_list_view",
        viewer.scope.user_id,
        scope.school_id,
        describe_list(scope, term, state.pupil_filter(), bool(leavers), _band(band))
        + f", {len(listed.pupil_ids)} pupils",
        pupils=listed.pupil_ids,
    )
    at_risk = at_risk_note(scope, state, linked=True) if this_year else None
    return (
        pupil_list_summary(listed, at_risk),
        columns,
        rows,
        band_choice(listed.band_counts),
    )


@callback(
    Output(ids.PUPIL_GRID, "dashGridOptions"),
    Input(ids.PUPIL_SEARCH, "value"),
    prevent_initial_call=True,
)
def search_pupils(text: str | None) -> Patch:
    """Show only the rows matching the search box (name, UPN or any cell)."""
    options = Patch()
    options["quickFilterText"] = text or ""
    return options


@callback(
    Output(ids.download(ids.PUPIL_LIST), "data"),
    Input(ids.download_button(ids.PUPIL_LIST, "csv"), "n_clicks"),
    Input(ids.download_button(ids.PUPIL_LIST, "xlsx"), "n_clicks"),
    FILTER_STATES,
    State(ids.PUPIL_LEAVERS, "value"),
    State(ids.PUPIL_BAND, "value"),
    State(ids.PUPIL_SEARCH, "value"),
    YEAR_STATE,
    prevent_initial_call=True,
)
def download_pupil_list(
    _csv: int | None,
    _xlsx: int | None,
    values: list,
    leavers: list | None,
    band: str | None,
    search: str | None,
    year: list | None = None,
) -> dict:
    """Return the Pupil List as on screen, as CSV or Excel, and audit the export: the
    rows the search box keeps, in the grid's first order (by name)."""
    file_format = chosen_format(ctx.triggered_id, ids.PUPIL_LIST)
    state = filter_state_of_states(values)
    found = pupil_year_scope(state, year)
    if file_format is None or not (_csv or _xlsx) or isinstance(found, str):
        raise PreventUpdate
    viewer, scope = found
    term = state.term or scope.default_term()
    text = search if isinstance(search, str) else None
    listed = searched(_listed(scope, state, leavers, band), text)
    audit.record(
        scope.url,
        "pupil_export",
        viewer.scope.user_id,
        scope.school_id,
        describe_list(scope, term, state.pupil_filter(), bool(leavers), _band(band))
        + f", search {'yes' if search else 'no'}"
        + f", {len(listed.pupil_ids)} pupils, {file_format}",
        pupils=listed.pupil_ids,
    )
    name = _file_name(viewer, scope, _("Pupil List"), term, year)
    return table_download(listed.table, file_format, name)


@callback(
    Output({"type": ids.FILTER, "name": "pupil"}, "options"),
    Input({"type": ids.FILTER, "name": "year_group"}, "value"),
    State({"type": ids.FILTER, "name": "school"}, "value"),
    YEAR_STATE,
    prevent_initial_call=True,
)
def update_picker(
    year_group: str | None, school: str | None = None, year: list | None = None
) -> list[dict]:
    """Return the picker's pupils of the page's year for the chosen year group (all
    when "all")."""
    state = FilterState(school=school) if school not in (None, "all") else FilterState()
    found = pupil_year_scope(state, year)
    if isinstance(found, str):
        return []
    chosen = int(year_group) if year_group and year_group.isdigit() else None
    return [
        {"label": label, "value": token}
        for token, label in picker_options(found[1], chosen)
    ]


@callback(
    Output(ids.page_content(ids.INDIVIDUAL_PUPIL), "children"),
    FILTERS,
    YEAR_STATE,
)
def show_individual_pupil(values: list, year: list | None = None) -> html.Div:
    """Return the chosen pupil's report of the page's year, auditing the view."""
    state = filter_state(values)
    found = pupil_year_scope(state, year)
    if isinstance(found, str):
        return not_available(found)
    if state.pupil is None:
        return not_available(_(CHOOSE))
    report = _report(found, state, "view")
    if report is None:
        return not_available(_(NOT_FOUND_LAST_YEAR if _last_year(year) else NOT_FOUND))
    viewer, scope = found
    name = _file_name(viewer, scope, _("Individual Pupil"), report.term, year)
    return individual_pupil_body(report, name)


@callback(
    Output(ids.download(ids.INDIVIDUAL_PUPIL), "data"),
    Input(ids.download_button(ids.INDIVIDUAL_PUPIL, "csv"), "n_clicks"),
    Input(ids.download_button(ids.INDIVIDUAL_PUPIL, "xlsx"), "n_clicks"),
    Input(ids.PUPIL_PDF, "n_clicks"),
    Input(ids.PUPIL_IMAGE, "n_clicks"),
    FILTER_STATES,
    YEAR_STATE,
    prevent_initial_call=True,
)
def download_individual_pupil(
    _csv: int | None,
    _xlsx: int | None,
    _pdf: int | None,
    _png: int | None,
    values: list,
    year: list | None = None,
) -> dict:
    """Return the pupil's report as CSV, Excel, the A4 PDF or that PDF as an image,
    auditing the download."""
    pressed = ctx.triggered_id
    file_format = {ids.PUPIL_PDF: "pdf", ids.PUPIL_IMAGE: "png"}.get(
        pressed, chosen_format(pressed, ids.INDIVIDUAL_PUPIL)
    )
    state = filter_state_of_states(values)
    found = pupil_year_scope(state, year)
    clicked = _csv or _xlsx or _pdf or _png
    if file_format is None or not clicked or isinstance(found, str):
        raise PreventUpdate
    report = _report(found, state, file_format)
    if report is None:
        raise PreventUpdate
    viewer, scope = found
    name = _file_name(viewer, scope, _("Individual Pupil"), report.term, year)
    if file_format in ("pdf", "png"):
        pdf = pupil_pdf(report, pdf_heading(scope))
        sent = pdf if file_format == "pdf" else pdf_as_png(pdf)
        return dcc.send_bytes(sent, f"{name}.{file_format}")
    return table_download(export_table(report), file_format, name)


def _listed(
    scope: ReportScope, state: FilterState, leavers: list | None, band: str | None
) -> PupilList:
    term = state.term or scope.default_term()
    return scope.cached(
        pupil_list, term, state.pupil_filter(), bool(leavers), _band(band)
    )


def _grid(
    scope: ReportScope,
    term: str,
    pupil_filter: PupilFilter,
    leavers: bool,
    band: str | None,
    school: str | None,
    report_path: str = INDIVIDUAL_PATH,
) -> tuple[list[dict], list[dict]]:
    """Return the grid's columns and rows, each row linking to its pupil's report at
    `report_path` (worked out once per release and choice, as the list itself is)."""
    listed = scope.cached(pupil_list, term, pupil_filter, leavers, band)
    secret = current_app.secret_key or ""
    query = {"term": term, **({"school": school} if school else {})}
    links = [
        f"{report_path}?{urlencode(query)}&pupil="
        + pupil_token(secret, scope.school_id, pupil)
        for pupil in listed.pupil_ids
    ]
    return pupil_list_columns(listed), pupil_list_rows(listed, links)


def _last_year(year: list | None) -> bool:
    return isinstance(year, list) and LAST_YEAR in year


def _file_name(
    viewer: Viewer, scope: ReportScope, report: str, term: str, year: list | None
) -> str:
    """Return a download's name; last year's names that year."""
    year_shown = scope.release.academic_year if _last_year(year) else ""
    return file_name(viewer.school_name, report, year_shown, _(TERM_LABELS[term]))


def _band(band: str | None) -> str | None:
    return band if band in PUPIL_BANDS else None


def chosen_pupil(found: tuple[Viewer, ReportScope], state: FilterState) -> int | None:
    """Return the state's pupil when one of the school's own and in the user's scope,
    or None (logged) for an unknown id."""
    viewer, scope = found
    pupil = find_pupil(
        current_app.secret_key or "",
        scope.school_id,
        scope.data.pupils.index,
        state.pupil,
    )
    if pupil is None:
        log.warning(
            "User %s asked for a pupil id not in school %s",
            viewer.scope.user_id,
            scope.school_id,
        )
        return None
    # The id names one of the school's own pupils; the grant is checked again in SQL
    # (logged when refused) so no path reaches a pupil outside the user's scope.
    if not pupil_in_scope(scope.url, viewer.scope, pupil):
        return None
    return pupil


def _report(
    found: tuple[Viewer, ReportScope], state: FilterState, kind: str
) -> PupilReport | None:
    """Return the report of the state's pupil, or None (logged) for an unknown id."""
    viewer, scope = found
    pupil = chosen_pupil(found, state)
    if pupil is None:
        return None
    term = state.term or scope.default_term()
    report = scope.cached(individual_pupil, term, pupil)
    event = "pupil_view" if kind == "view" else "pupil_export"
    audit.record(
        scope.url,
        event,
        viewer.scope.user_id,
        scope.school_id,
        f"individual-pupil {kind} pupil {pupil} release {scope.release.id} term {term}",
    )
    return report
