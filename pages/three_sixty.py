"""360 report: year-to-date (or latest week) headline figures against national."""

import dash
from dash import html

import components.ids as ids
from callbacks.common import report_frame
from callbacks.last_year import last_year_name
from components.filters import period_switch
from components.previous_year import overlay_toggle
from dashboard.i18n import _

CONTENT = ids.page_content("three-sixty")


def layout(**query: str) -> html.Div:
    """Return the 360 report's frame: the period switch and the content area."""
    return html.Div(
        [
            html.H1(_("360 report"), className="h3"),
            period_switch(ids.REPORT_SWITCH, query),
            overlay_toggle(last_year_name(_("last year"))),
            report_frame(CONTENT, query, ()),
        ]
    )


dash.register_page(
    __name__, path="/360-report", name="360 report", order=1, layout=layout
)
