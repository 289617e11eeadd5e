"""The data desk's actions that need a confirmation or a comparison: re-extracting a
year, publishing a release and checking the MIS's totals.

A re-extract and a publish each show a preview first; the confirm button acts on what
was previewed (the re-extract's digest, the publish's date), never on a changed form.
Only administrators publish: a release covers every school.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dash import Input, Output, State, callback, ctx, html, no_update
from dash.exceptions import PreventUpdate

import components.ids as ids
from callbacks.data_desk import FILTERS, NOT_ALLOWED, desk_school, file_bytes
from components.desk_results import (
    accepted,
    publish_view,
    re_extract_view,
    reconciliation_view,
    refused,
    rejected,
)
from components.downloads import chosen_format, table_download
from dashboard.context import database_url, settings
from dashboard.i18n import N_, _, format_day
from data import audit
from data.desk_releases import preview_publish, publish_now
from data.import_report import ImportRejected
from data.re_extract import preview_re_extract, re_extract
from data.reconcile import Reconciliation, reconcile
from data.scope import ADMIN

ADMINS_ONLY = N_("Only administrators publish releases.")
# Days as the desk's messages write them: "5 Sep 2023" ("5 Medi 2023").
DAY = "d MMM yyyy"


@callback(
    Output(ids.DESK_RE_EXTRACT_PREVIEW, "children"),
    Output(ids.DESK_RE_EXTRACT_PENDING, "data"),
    Output(ids.DESK_RE_EXTRACT_RESULT, "children"),
    Output(ids.DESK_REFRESH, "data", allow_duplicate=True),
    Input(ids.DESK_RE_EXTRACT_FILE, "data"),
    State(ids.DESK_RE_EXTRACT_YEAR, "value"),
    State(FILTERS, "value"),
    State(ids.DESK_REFRESH, "data"),
    prevent_initial_call=True,
)
def preview_year(stored: dict | None, year: str, values: list, refresh: int) -> tuple:
    """Check a year's marks file and show what replacing the year with it changes."""
    found = desk_school(values)
    if found is None:
        return refused(_(NOT_ALLOWED)), None, None, refresh
    viewer, school_id = found
    url = database_url()
    try:
        data, name = file_bytes(stored)
        preview = preview_re_extract(
            url, data, school_id, year, viewer.scope.user_id, name
        )
    except ImportRejected as error:
        return rejected(error), None, None, (refresh or 0) + 1
    except ValueError as error:
        return refused(str(error)), None, None, refresh
    audit.record(url, "re_extract_previewed", viewer.scope.user_id, school_id, year)
    pending = {"digest": preview.digest, "year": year}
    return re_extract_view(preview), pending, None, refresh


@callback(
    Output(ids.DESK_RE_EXTRACT_RESULT, "children", allow_duplicate=True),
    Output(ids.DESK_RE_EXTRACT_PREVIEW, "children", allow_duplicate=True),
    Output(ids.DESK_REFRESH, "data", allow_duplicate=True),
    Input(ids.DESK_RE_EXTRACT_CONFIRM, "n_clicks"),
    State(ids.DESK_RE_EXTRACT_FILE, "data"),
    State(ids.DESK_RE_EXTRACT_PENDING, "data"),
    State(FILTERS, "value"),
    State(ids.DESK_REFRESH, "data"),
    prevent_initial_call=True,
)
def confirm_year(
    clicks: int | None,
    stored: dict | None,
    pending: dict[str, Any] | None,
    values: list,
    refresh: int,
) -> tuple:
    """Replace the school's year with the previewed file, if nothing has changed."""
    if not clicks or not pending:
        raise PreventUpdate
    found = desk_school(values)
    if found is None:
        return refused(_(NOT_ALLOWED)), None, refresh
    viewer, school_id = found
    try:
        data, name = file_bytes(stored)
        done = re_extract(
            database_url(),
            data,
            school_id,
            str(pending["year"]),
            str(pending["digest"]),
            viewer.scope.user_id,
            name,
        )
    except ImportRejected as error:
        return rejected(error), None, (refresh or 0) + 1
    except ValueError as error:
        return refused(str(error)), no_update, refresh
    text = _(
        "Replaced %(year)s: %(changes)s",
        year=done.academic_year,
        changes=done.changes(),
    )
    return accepted(text), None, (refresh or 0) + 1


@callback(
    Output(ids.DESK_PUBLISH_PREVIEW, "children"),
    Output(ids.DESK_PUBLISH_PENDING, "data"),
    Output(ids.DESK_PUBLISH_RESULT, "children"),
    Input(ids.DESK_PUBLISH_PREVIEW_BUTTON, "n_clicks"),
    State(ids.DESK_PUBLISH_DATE, "date"),
    State(FILTERS, "value"),
    prevent_initial_call=True,
)
def preview_release(clicks: int | None, chosen: str | None, values: list) -> tuple:
    """Show what publishing up to the chosen date changes against the current release."""
    found = desk_school(values)
    if not clicks or found is None:
        raise PreventUpdate
    if found[0].scope.role != ADMIN:
        return refused(_(ADMINS_ONLY)), None, None
    if not chosen:
        return refused(_("Choose the last date to publish.")), None, None
    to_date = date.fromisoformat(chosen[:10])
    try:
        preview = preview_publish(database_url(), to_date)
    except ValueError as error:
        return refused(str(error)), None, None
    if not preview.proposed.schools:
        day = format_day(to_date, DAY)
        return refused(_("No marks to publish up to %(day)s.", day=day)), None, None
    return publish_view(preview), to_date.isoformat(), None


@callback(
    Output(ids.DESK_PUBLISH_RESULT, "children", allow_duplicate=True),
    Output(ids.DESK_PUBLISH_PREVIEW, "children", allow_duplicate=True),
    Output(ids.DESK_REFRESH, "data", allow_duplicate=True),
    Input(ids.DESK_PUBLISH_CONFIRM, "n_clicks"),
    State(ids.DESK_PUBLISH_PENDING, "data"),
    State(FILTERS, "value"),
    State(ids.DESK_REFRESH, "data"),
    prevent_initial_call=True,
)
def publish_release(
    clicks: int | None, pending: str | None, values: list, refresh: int
) -> tuple:
    """Publish up to the previewed date; administrators only."""
    found = desk_school(values)
    if not clicks or not pending or found is None:
        raise PreventUpdate
    viewer = found[0]
    if viewer.scope.role != ADMIN:
        return refused(_(ADMINS_ONLY)), None, refresh
    url = database_url()
    try:
        info = publish_now(
            url, date.fromisoformat(pending), viewer.scope.user_id, settings()
        )
    except ValueError as error:
        return refused(str(error)), None, refresh
    text = _(
        "Published release %(id)s: %(year)s to %(day)s, %(schools)s schools, "
        "%(pupils)s pupils.",
        id=info.id,
        year=info.academic_year,
        day=format_day(info.to_date, DAY),
        schools=f"{info.schools:,}",
        pupils=f"{info.pupils:,}",
    )
    return accepted(text), None, (refresh or 0) + 1


@callback(
    Output(ids.DESK_RECONCILE_RESULT, "children"),
    Input(ids.DESK_RECONCILE_FILE, "data"),
    State(ids.DESK_RECONCILE_DATES, "start_date"),
    State(ids.DESK_RECONCILE_DATES, "end_date"),
    State(FILTERS, "value"),
    prevent_initial_call=True,
)
def check_mis(
    stored: dict | None, first: str | None, last: str | None, values: list
) -> html.Div:
    """Compare the MIS's totals with our marks and list every pupil who differs."""
    try:
        result = _reconciliation(stored, first, last, values)
    except ImportRejected as error:
        return rejected(error)
    except ValueError as error:
        return refused(str(error))
    return reconciliation_view(result)


@callback(
    Output(ids.download(ids.DESK_RECONCILE_RESULT), "data"),
    Input(ids.download_button(ids.DESK_RECONCILE_RESULT, "csv"), "n_clicks"),
    Input(ids.download_button(ids.DESK_RECONCILE_RESULT, "xlsx"), "n_clicks"),
    State(ids.DESK_RECONCILE_FILE, "data"),
    State(ids.DESK_RECONCILE_DATES, "start_date"),
    State(ids.DESK_RECONCILE_DATES, "end_date"),
    State(FILTERS, "value"),
    prevent_initial_call=True,
)
def download_differences(
    _csv: int | None,
    _xlsx: int | None,
    stored: dict | None,
    first: str | None,
    last: str | None,
    values: list,
) -> dict:
    """Send the pupils who differ from the MIS, as on screen."""
    file_format = chosen_format(ctx.triggered_id, ids.DESK_RECONCILE_RESULT)
    if file_format is None or not (_csv or _xlsx):
        raise PreventUpdate
    try:
        result = _reconciliation(stored, first, last, values, downloaded=True)
    except ValueError:
        raise PreventUpdate from None
    name = _(
        "MIS differences %(school)s %(first)s to %(last)s",
        school=result.school_id,
        first=result.first.isoformat(),
        last=result.last.isoformat(),
    )
    return table_download(result.table(), file_format, name)


def _reconciliation(
    stored: dict | None,
    first: str | None,
    last: str | None,
    values: list,
    downloaded: bool = False,
) -> Reconciliation:
    """Run the MIS check for the viewer's school and audit it; ValueError if refused."""
    found = desk_school(values)
    if found is None:
        raise ValueError(_(NOT_ALLOWED))
    if not first or not last:
        raise ValueError(_("Choose the first and last dates of the MIS summary."))
    viewer, school_id = found
    data, name = file_bytes(stored)
    url = database_url()
    result = reconcile(
        url,
        data,
        school_id,
        date.fromisoformat(first[:10]),
        date.fromisoformat(last[:10]),
        name,
    )
    event = "mis_differences_downloaded" if downloaded else "mis_reconciliation"
    detail = f"{result.first} to {result.last}: {result.describe()}"
    audit.record(url, event, viewer.scope.user_id, school_id, detail)
    return result
