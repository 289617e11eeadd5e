"""360 report: year-to-date (or latest week) headline figures against national."""

import dash
from dash import dcc, html

import components.ids as ids
from callbacks.common import report_frame

CONTENT = ids.page_content("three-sixty")


def layout(**query: str) -> html.Div:
    """Return the 360 report's frame: the period switch and the content area."""
    switch = dcc.RadioItems(
        id=ids.REPORT_SWITCH,
        options=[
            {"label": "Year to date", "value": "ytd"},
            {"label": "Latest week", "value": "week"},
        ],
        value=query.get("period", "ytd") if query.get("period") == "week" else "ytd",
        inline=True,
        inputClassName="me-1",
        labelClassName="me-3",
    )
    return html.Div(
        [
            html.H1("360 report", className="h3"),
            switch,
            report_frame(CONTENT, query, ()),
        ]
    )


dash.register_page(
    __name__, path="/360-report", name="360 report", order=1, layout=layout
)
