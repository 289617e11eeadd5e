"""The page shell: header, tabs, the page container and the internal-use footer."""

from __future__ import annotations

from urllib.parse import quote

from dash import dcc, html

import components.ids as ids
from dashboard.i18n import LANGUAGES, _, current_language
from data.exports import INTERNAL_USE


def build_shell(page_container) -> html.Div:  # type: ignore[no-untyped-def]
    """Return the layout around every page; header and tabs are filled by callbacks."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.QUERY_STORE, data=None),
            dcc.Store(id=ids.URL_SYNC),
            html.Header(
                html.Div(
                    [
                        html.Span(_("Attendance Tracker"), className="navbar-brand"),
                        html.Div(id=ids.HEADER_SCHOOL, className="text-light"),
                    ],
                    className="container d-flex flex-wrap justify-content-between",
                ),
                className="navbar navbar-dark bg-dark mb-2 tracker-header",
            ),
            html.Div(html.Div(id=ids.NAV), className="container"),
            html.Div(html.Div(id=ids.YEAR_NOTICE), className="container"),
            html.Main(page_container, className="container mt-2", id="main"),
            html.Footer(
                html.Div(_(INTERNAL_USE), className="container text-muted"),
                className="border-top mt-4 py-3 tracker-footer",
            ),
        ]
    )


def build_header(
    school_name: str, release_text: str, user_name: str, here: str
) -> list:
    """Return the header's contents: school, release, user, language, sign-in codes
    (two-step sign-in) and sign-out.

    `here` is the current path and query, where the language switch returns to.
    """
    other = "cy" if current_language() == "en" else "en"
    return [
        html.Span(school_name, className="school me-3"),
        html.Span(release_text, className="me-3"),
        html.Span(user_name, className="me-2"),
        html.A(
            LANGUAGES[other],
            href=f"/language/{other}?next={quote(here)}",
            lang=other,
            className="link-light me-2",
            id=ids.LANGUAGE_SWITCH,
        ),
        html.A(
            _("Sign-in codes"), href="/account/two-step", className="link-light me-2"
        ),
        html.A(_("Sign out"), href="/logout", className="link-light"),
    ]


def not_available(message: str | None = None) -> html.Div:
    """Return a page's notice when it has nothing to show; never fake figures."""
    text = message or _("This report is not available yet.")
    return html.Div(html.P(text, className="lead"), className="not-available py-4")
