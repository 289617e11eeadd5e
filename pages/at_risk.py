"""At risk: pupils not yet persistently absent who are close to it or falling."""

import dash
from dash import dcc, html

import components.ids as ids
from callbacks.common import report_frame
from callbacks.pupil_reports import NO_ACCESS, may_see_pupils
from components.downloads import download_bar
from components.pupil_reports import confidential_banner
from components.shell import not_available
from dashboard.i18n import N_, _

FILTERS = ("year_group", "gender", "efsm", "sen")
INTRO = N_(
    "Pupils on roll who are close to persistent absence (absence from 8% to under 10% "
    "year to date) or falling (the last four weeks at least 5 points below their year "
    "to date), with the sessions they can still miss this year, where the last four "
    "weeks would take them and their spells of absence."
)


def layout(**query: str) -> html.Div:
    """Return the list's filters, its content area and downloads."""
    if not may_see_pupils(query):
        return html.Div(
            [html.H1(_("Pupil reports"), className="h3"), not_available(_(NO_ACCESS))]
        )
    return html.Div(
        [
            confidential_banner(),
            html.H1(_("Pupils at risk of persistent absence"), className="h3"),
            html.P(
                [
                    _(INTRO) + " ",
                    dcc.Link(_("How this is worked out"), href="/guidance"),
                ],
                className="text-muted small mb-2",
            ),
            report_frame(ids.page_content(ids.AT_RISK), query, FILTERS),
            download_bar(ids.AT_RISK),
        ]
    )


dash.register_page(
    __name__,
    path="/pupil-reports/at-risk",
    name="At risk",
    order=22,
    layout=layout,
)
