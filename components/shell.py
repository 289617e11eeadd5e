"""The page shell: header, the page container and the footer on every page."""

from __future__ import annotations

from dash import html

INTERNAL_USE = "For internal school use only"


def build_shell(page_container) -> html.Div:  # type: ignore[no-untyped-def]
    """Return the layout around every page: header, page, internal-use footer."""
    return html.Div(
        [
            html.Header(
                html.Div(
                    html.Span("Attendance Tracker", className="navbar-brand"),
                    className="container",
                ),
                className="navbar navbar-dark bg-dark mb-3",
            ),
            html.Main(page_container, className="container"),
            html.Footer(
                html.Div(INTERNAL_USE, className="container text-muted small"),
                className="border-top mt-4 py-3",
            ),
        ]
    )
