"""Previous year: the school reports of the last complete academic year, read only,
one page per report under the tab headed by that year (e.g. "2022/23")."""

from collections.abc import Callable

import dash
from dash import html

from callbacks.previous_year import previous_frame
from components.nav import PREVIOUS_YEAR_REPORTS
from dashboard.context import database_url
from data.releases import current_release
from data.reports.previous_year import REPORTS
from data.status import shift_year

INTRO = (
    "The last complete academic year as its final release left it: the same reports, "
    "with that year's national figures and pupils' context. Nothing here changes."
)


def previous_page(report_key: str) -> Callable[..., html.Div]:
    """Return the layout function of one of last year's reports."""
    title = REPORTS[report_key][0]

    def layout(**query: str) -> html.Div:
        release = current_release(database_url())
        year = shift_year(release.academic_year, -1) if release else "Previous year"
        return html.Div(
            [
                html.H1(year, className="h3"),
                html.H2(title, className="h5"),
                html.P(INTRO, className="text-muted small mb-2"),
                previous_frame(report_key, query),
            ]
        )

    return layout


for _order, (_key, _tab) in enumerate(
    zip(REPORTS, PREVIOUS_YEAR_REPORTS, strict=True), start=30
):
    dash.register_page(
        __name__ if _tab.path == "/previous-year" else f"{__name__}.{_key}",
        path=_tab.path,
        name=f"Previous year: {REPORTS[_key][0]}",
        order=_order,
        layout=previous_page(_key),
    )
