"""Previous year: the school reports, the 360 report and the pupil reports of the last
complete academic year, read only, one page per report under the tab headed by that
year (e.g. "2022/23")."""

from collections.abc import Callable

import dash
from dash import dcc, html

import components.ids as ids
from callbacks.common import report_frame
from callbacks.last_year import last_year_name
from callbacks.previous_year import THREE_SIXTY_CONTENT, previous_frame
from callbacks.pupil_reports import LAST_YEAR, picker_options
from components.filters import period_switch
from components.nav import PREVIOUS_YEAR_REPORTS
from dashboard.i18n import N_, _
from data.reports import ReportScope, ReportUnavailable
from data.reports.previous_year import REPORTS, open_last_year
from pages.individual_pupil import individual_pupil_page
from pages.pupil_list import options, pupil_list_page

INTRO = N_(
    "The last complete academic year as its final release left it: the same reports, "
    "with that year's national figures and pupils' context. Nothing here changes."
)
# The school reports' tabs come first, in REPORTS' order; then the 360 report's, the
# Pupil List's and the Individual Pupil report's.
SCHOOL_TABS = PREVIOUS_YEAR_REPORTS[: len(REPORTS)]
THREE_SIXTY_TAB, PUPIL_LIST_TAB, INDIVIDUAL_PUPIL_TAB = PREVIOUS_YEAR_REPORTS[
    len(REPORTS) :
]


def previous_page(report_key: str) -> Callable[..., html.Div]:
    """Return the layout function of one of last year's school reports."""
    title = REPORTS[report_key][0]

    def layout(**query: str) -> html.Div:
        return html.Div([*_heading(title), previous_frame(report_key, query)])

    return layout


def three_sixty_layout(**query: str) -> html.Div:
    """Return last year's 360 report: the period switch and the content area."""
    return html.Div(
        [
            *_heading(N_("360 report")),
            period_switch(ids.PREVIOUS_PERIOD, query),
            report_frame(THREE_SIXTY_CONTENT, query, ()),
        ]
    )


def pupil_list_layout(**query: str) -> html.Div:
    """Return last year's Pupil List, or a refusal without pupil access."""
    heading = _heading(N_("Pupil List"))
    return pupil_list_page(query, heading, last_year_options, _last_year_store())


def individual_pupil_layout(**query: str) -> html.Div:
    """Return last year's Individual Pupil report, or a refusal without pupil access."""
    heading = _heading(N_("Individual Pupil"))
    return individual_pupil_page(query, heading, last_year_picker, _last_year_store())


def last_year_options(scope: ReportScope) -> dict[str, list[tuple[str, str]]]:
    """Return last year's registration and ethnic groups for the filter bar (none
    when that year has no release for the school)."""
    last_year = _last_years_scope(scope)
    return options(last_year) if last_year else {}


def last_year_picker(
    scope: ReportScope, year_group: int | None
) -> list[tuple[str, str]]:
    """Return the picker's choices among the school's pupils of last year (none when
    that year has no release for the school)."""
    last_year = _last_years_scope(scope)
    return picker_options(last_year, year_group) if last_year else []


def _last_years_scope(scope: ReportScope) -> ReportScope | None:
    try:
        return open_last_year(scope.url, scope.school_id, scope.settings)
    except ReportUnavailable:
        return None


def _last_year_store() -> dcc.Store:
    return dcc.Store(id={"type": ids.PUPIL_YEAR, "name": "year"}, data=LAST_YEAR)


def _heading(title: str) -> list[html.H1 | html.H2 | html.P]:
    return [
        html.H1(last_year_name(_("Previous year")), className="h3"),
        html.H2(_(title), className="h5"),
        html.P(_(INTRO), className="text-muted small mb-2"),
    ]


for _order, (_key, _tab) in enumerate(zip(REPORTS, SCHOOL_TABS, strict=True), start=30):
    dash.register_page(
        __name__ if _tab.path == "/previous-year" else f"{__name__}.{_key}",
        path=_tab.path,
        name=f"Previous year: {REPORTS[_key][0]}",
        order=_order,
        layout=previous_page(_key),
    )

# Last year's 360 report and pupil reports follow the school reports.
OTHER_PAGES = (
    ("three-sixty", THREE_SIXTY_TAB, three_sixty_layout),
    ("pupil-list", PUPIL_LIST_TAB, pupil_list_layout),
    ("individual-pupil", INDIVIDUAL_PUPIL_TAB, individual_pupil_layout),
)
for _order, (_key, _tab, _layout) in enumerate(OTHER_PAGES, start=30 + len(REPORTS)):
    dash.register_page(
        f"{__name__}.{_key}",
        path=_tab.path,
        name=f"Previous year: {_tab.label}",
        order=_order,
        layout=_layout,
    )
