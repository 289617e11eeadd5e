"""The data status panel: the date the latest release runs to and the next release."""

from __future__ import annotations

from datetime import date

from dash import html

import components.ids as ids
from dashboard.i18n import _, format_day


def day_text(day: date) -> str:
    """Return a date as the status panel shows it: "Fri 21 July" ("Gwen 21 Gorffennaf")."""
    return format_day(day, "EEE d MMMM")


def build_data_status(
    latest: date | None, next_release: date | None, in_holiday: bool
) -> html.Div:
    """Return the panel; `in_holiday` shows the next release as "w/c" its Monday."""
    if latest is None:
        latest_text = _("No release has been published yet")
    else:
        latest_text = day_text(latest)
    if next_release is None:
        next_text = _("Not scheduled")
    elif in_holiday:
        monday = date.fromordinal(next_release.toordinal() - next_release.weekday())
        next_text = _("w/c %(day)s", day=format_day(monday, "d MMMM"))
    else:
        next_text = day_text(next_release)
    return html.Div(
        [
            html.H2(_("Attendance data status"), className="h5"),
            html.Dl(
                [
                    html.Dt(_("Latest reports display data to")),
                    html.Dd(latest_text, id=f"{ids.DATA_STATUS}-latest"),
                    html.Dt(_("Next scheduled release")),
                    html.Dd(next_text, id=f"{ids.DATA_STATUS}-next"),
                ]
            ),
        ],
        id=ids.DATA_STATUS,
        className="card card-body",
    )
