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
    next_text = _next_text(next_release, in_holiday)
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


def year_notice(year: str, next_release: date | None, in_holiday: bool) -> html.Div:
    """Return the notice every report carries between the last release of a year and
    the first of the next: which year is shown and when the next release is due."""
    return html.Div(
        _(
            "The %(year)s year is complete: reports show it until the next year's "
            "first release. Next scheduled release: %(next)s.",
            year=year,
            next=_next_text(next_release, in_holiday),
        ),
        className="alert alert-info py-2 my-2",
        role="status",
    )


def _next_text(next_release: date | None, in_holiday: bool) -> str:
    """Return when the next release is due: its day, or "w/c" its Monday after a
    holiday."""
    if next_release is None:
        return _("Not scheduled")
    if in_holiday:
        monday = date.fromordinal(next_release.toordinal() - next_release.weekday())
        return _("w/c %(day)s", day=format_day(monday, "d MMMM"))
    return day_text(next_release)
