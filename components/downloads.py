"""Download buttons for a report's table: CSV and Excel of the very Table on screen.

The public API, kept stable because the pupil reports use it too:

- `download_bar(page) -> html.Div`: "Download CSV" and "Download Excel" buttons with
  ids `ids.download_button(page, "csv")` and `ids.download_button(page, "xlsx")`,
  and the `dcc.Download` with id `ids.download(page)` a callback fills.
- `table_download(table, file_format, name) -> dict`: the `dcc.Download` data for a
  table as "csv" (UTF-8 with a byte-order mark, so Excel reads Welsh letters) or
  "xlsx", written by data/exports.py (formula-escaped), named "<name>.<format>".
- `chosen_format(triggered_id, page) -> str | None`: which button of the page's bar
  was pressed ("csv" or "xlsx"), for the callback.

A page's callback takes both buttons as inputs, rebuilds the table through the same
cached builder the grid used, and returns `table_download(...)`. Buttons speak the
current language; a file holds the table in the language it was built in.
"""

from __future__ import annotations

from dash import dcc, html

import components.ids as ids
from dashboard.i18n import N_, _
from data.exports import csv_bytes, xlsx_bytes
from data.tables import Table

FORMATS = {"csv": N_("Download CSV"), "xlsx": N_("Download Excel")}


def download_bar(page: str) -> html.Div:
    """Return the page's download buttons and the download they trigger."""
    buttons = [
        html.Button(
            _(label),
            id=ids.download_button(page, file_format),
            type="button",
            className="btn btn-outline-secondary btn-sm",
        )
        for file_format, label in FORMATS.items()
    ]
    return html.Div(
        [*buttons, dcc.Download(id=ids.download(page))],
        className="download-bar my-2",
    )


def table_download(table: Table, file_format: str, name: str) -> dict:
    """Return the download of a table as CSV or Excel, with the figures on screen."""
    if file_format == "xlsx":
        return dcc.send_bytes(xlsx_bytes(table), f"{name}.xlsx")
    return dcc.send_bytes(csv_bytes(table), f"{name}.csv")


def chosen_format(triggered_id: object, page: str) -> str | None:
    """Return the format whose download button was pressed, or None."""
    for file_format in FORMATS:
        if triggered_id == ids.download_button(page, file_format):
            return file_format
    return None
