"""The data desk's frame, the school's status and history, and uploads.

The school always comes from the signed-in user: a data manager's own school, or for
an administrator the school picked in the filter bar, checked in SQL against their
scope and then against `may_manage_data`. Uploads are size-checked in the browser, so
a file over the limit never leaves it, and again on the server.
"""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import date, timedelta
from typing import Any

from dash import (
    ALL,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
)
from dash.exceptions import PreventUpdate

import components.ids as ids
from components.desk import FROM_ENTRY_DATES, desk_sections
from components.desk_results import (
    accepted,
    history_view,
    marks_status_view,
    refused,
    rejected,
    rejection_options,
    releases_view,
)
from components.downloads import chosen_format, table_download
from components.filter_state import parse_filters
from components.filters import build_filter_bar
from components.shell import not_available
from dashboard.context import database_url
from dashboard.i18n import N_, _
from dashboard.viewer import Viewer, current_viewer
from data import audit
from data.calendar import academic_year_bounds, academic_year_of
from data.desk import (
    UPLOAD_LIMIT,
    check_size,
    import_history,
    rejection_problems,
    upload,
)
from data.desk_marks import marks_status
from data.desk_releases import release_history
from data.exports import csv_bytes
from data.import_report import ImportRejected
from data.releases import current_release, default_to_date
from data.scope import ADMIN, may_manage_data, may_use_data_desk
from data.status import shift_year

log = logging.getLogger(__name__)

NOT_ALLOWED = N_("The data desk is for administrators and schools' data managers.")
SIGN_IN = N_("Please sign in.")
FILTERS = {"type": ids.FILTER, "name": ALL}
# Runs in the browser: passes a file on only when it is within the limit, so the
# server can say how large it was without receiving it.
SIZE_CHECK = """
function (contents, name) {
    if (!contents) { return window.dash_clientside.no_update; }
    var start = contents.indexOf(",") + 1;
    var size = Math.floor((contents.length - start) * 3 / 4);
    if (size > LIMIT) { return {name: name, size: size}; }
    return {name: name, size: size, contents: contents};
}
""".replace("LIMIT", str(UPLOAD_LIMIT))


def desk_frame(query: dict[str, str]) -> html.Div:
    """Return the desk for the viewer's school: school picker and every section."""
    viewer = current_viewer(parse_filters(query).school)
    if viewer is None:
        return not_available(_(SIGN_IN))
    if not may_use_data_desk(viewer.scope) or viewer.school_id is None:
        return not_available(_(NOT_ALLOWED))
    url = database_url()
    today = date.today()
    release = current_release(url)
    year = release.academic_year if release else academic_year_of(today)
    if release is None:
        window = (today - timedelta(days=28), today)
    else:
        window = (academic_year_bounds(year)[0], release.to_date)
    parts: list = []
    if len(viewer.schools) > 1:
        state = parse_filters(query)
        options = {"school": list(viewer.schools)}
        parts.append(build_filter_bar(state, ("school",), "", options))
    parts += desk_sections(
        [shift_year(year, -1), year, shift_year(year, 1)],
        year,
        viewer.scope.role == ADMIN,
        default_to_date(url, today),
        window,
    )
    return html.Div(parts, id=ids.DESK)


def desk_school(values: list[Any]) -> tuple[Viewer, str] | None:
    """Return the viewer and the school whose data they may manage, or None.

    `values` are the page's filter values: the school picker's, when it has one.
    """
    viewer = current_viewer(values[0] if values else None)
    if viewer is None or viewer.school_id is None:
        return None
    if not may_manage_data(viewer.scope, viewer.school_id):
        log.warning(
            "User %s refused the data desk of school %s",
            viewer.scope.user_id,
            viewer.school_id,
        )
        return None
    return viewer, viewer.school_id


def file_bytes(stored: dict[str, Any] | None) -> tuple[bytes, str]:
    """Return an uploaded file's bytes and name; raise ValueError saying what is wrong.

    A file over the limit arrives without contents and raises `UploadTooLarge`.
    """
    if not stored:
        raise ValueError(_("Choose a file first."))
    name = str(stored.get("name") or "upload")
    check_size(int(stored.get("size") or 0))
    contents = str(stored.get("contents") or "")
    try:
        data = base64.b64decode(contents.partition(",")[2], validate=True)
    except (binascii.Error, ValueError) as error:
        message = _("%(file)s could not be read; upload it again.", file=name)
        raise ValueError(message) from error
    check_size(len(data))
    return data, name


for _upload, _store in (
    (ids.DESK_UPLOAD, ids.DESK_UPLOAD_FILE),
    (ids.DESK_RE_EXTRACT_UPLOAD, ids.DESK_RE_EXTRACT_FILE),
    (ids.DESK_RECONCILE_UPLOAD, ids.DESK_RECONCILE_FILE),
):
    clientside_callback(
        SIZE_CHECK,
        Output(_store, "data"),
        Input(_upload, "contents"),
        State(_upload, "filename"),
        prevent_initial_call=True,
    )


@callback(
    Output(ids.DESK_STATUS, "children"),
    Output(ids.DESK_HISTORY, "children"),
    Output(ids.DESK_REJECTION_PICK, "options"),
    Output(ids.DESK_RELEASES, "children"),
    Input(FILTERS, "value"),
    Input(ids.DESK_REFRESH, "data"),
)
def show_school(values: list, _refresh: int) -> tuple:
    """Return the school's marks status, import history and the releases kept."""
    found = desk_school(values)
    if found is None:
        return not_available(_(NOT_ALLOWED)), None, [], None
    _viewer, school_id = found
    url = database_url()
    history = import_history(url, school_id)
    return (
        marks_status_view(marks_status(url, school_id)),
        history_view(history),
        rejection_options(history),
        releases_view(release_history(url)),
    )


@callback(
    Output(ids.DESK_UPLOAD_RESULT, "children"),
    Output(ids.DESK_REFRESH, "data", allow_duplicate=True),
    Input(ids.DESK_UPLOAD_FILE, "data"),
    State(ids.DESK_KIND, "value"),
    State(ids.DESK_YEAR, "value"),
    State(FILTERS, "value"),
    State(ids.DESK_REFRESH, "data"),
    prevent_initial_call=True,
)
def upload_file(
    stored: dict | None, kind: str, year: str, values: list, refresh: int
) -> tuple:
    """Check and store an uploaded file; show its summary or every problem."""
    found = desk_school(values)
    if found is None:
        return refused(_(NOT_ALLOWED)), refresh
    viewer, school_id = found
    try:
        data, name = file_bytes(stored)
        summary = upload(
            database_url(),
            kind,
            data,
            name,
            school_id,
            viewer.scope.user_id,
            None if year == FROM_ENTRY_DATES else year,
        )
    except ImportRejected as error:
        return rejected(error), (refresh or 0) + 1
    except ValueError as error:
        return refused(str(error)), refresh
    return accepted(summary.shown()), (refresh or 0) + 1


@callback(
    Output(ids.DESK_REJECTION_DOWNLOAD, "data"),
    Input(ids.DESK_REJECTION_BUTTON, "n_clicks"),
    State(ids.DESK_REJECTION_PICK, "value"),
    State(FILTERS, "value"),
    prevent_initial_call=True,
)
def download_rejection(clicks: int | None, log_id: int | None, values: list) -> dict:
    """Send the problems of one of the school's rejected uploads as CSV."""
    found = desk_school(values)
    if not clicks or log_id is None or found is None:
        raise PreventUpdate
    viewer, school_id = found
    url = database_url()
    try:
        problems = rejection_problems(url, school_id, int(log_id))
    except (LookupError, ValueError):
        raise PreventUpdate from None
    audit.record(
        url, "rejection_downloaded", viewer.scope.user_id, school_id, f"log {log_id}"
    )
    name = _("Problems %(school)s upload %(id)s", school=school_id, id=int(log_id))
    return dcc.send_bytes(csv_bytes(problems), f"{name}.csv")


@callback(
    Output(ids.download(ids.DESK_HISTORY), "data"),
    Input(ids.download_button(ids.DESK_HISTORY, "csv"), "n_clicks"),
    Input(ids.download_button(ids.DESK_HISTORY, "xlsx"), "n_clicks"),
    State(FILTERS, "value"),
    prevent_initial_call=True,
)
def download_history(_csv: int | None, _xlsx: int | None, values: list) -> dict:
    """Send the school's import history as on screen."""
    file_format = chosen_format(ctx.triggered_id, ids.DESK_HISTORY)
    found = desk_school(values)
    if file_format is None or not (_csv or _xlsx) or found is None:
        raise PreventUpdate
    table = import_history(database_url(), found[1]).table
    name = _("Import history %(school)s", school=found[1])
    return table_download(table, file_format, name)
