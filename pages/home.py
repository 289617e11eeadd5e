"""Attendance home: the data status panel (latest data, next scheduled release)."""

from __future__ import annotations

from datetime import date

import dash
from dash import html

from components.status import build_data_status
from dashboard.context import database_url
from data.status import data_status

dash.register_page(__name__, path="/", name="Attendance home", order=0)


def layout(**_query: str) -> html.Div:
    """Return the home page for the current release."""
    status = data_status(database_url(), date.today())
    return html.Div(
        [
            html.H1("Welcome to Attendance Tracker", className="h3"),
            html.P("Analyse, track and compare your pupils' attendance."),
            build_data_status(status.latest, status.next_release, status.in_holiday),
        ]
    )
