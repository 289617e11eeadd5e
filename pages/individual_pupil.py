"""Individual Pupil: one pupil's attendance, marks, reasons and register."""

from collections.abc import Callable

import dash
from dash import dcc, html

import components.ids as ids
from callbacks.common import report_frame
from callbacks.pupil_reports import NO_ACCESS, may_see_pupils, picker_options
from components.downloads import download_bar
from components.filter_state import parse_filters
from components.pupil_reports import confidential_banner
from components.shell import not_available
from dashboard.i18n import N_, _
from data.reports import ReportScope

FILTERS = ("pupil", "term", "year_group")
INTRO = N_(
    "A pupil's attendance this year and this term, against the national figure for "
    "their year group, with every mark of the term."
)
# The picker's choices of a year group (None for all) in a school's scope.
Picker = Callable[[ReportScope, int | None], list[tuple[str, str]]]


def layout(**query: str) -> html.Div:
    """Return the picker, term and year group, the report area and its downloads."""
    heading = [
        html.H1(_("Individual Pupil"), className="h3"),
        html.P(_(INTRO), className="text-muted small mb-2"),
    ]
    return individual_pupil_page(query, heading, picker_options)


def individual_pupil_page(
    query: dict[str, str],
    heading: list,
    picker: Picker,
    year: dcc.Store | None = None,
) -> html.Div:
    """Return an Individual Pupil page under `heading`, or a refusal without pupil
    access.

    `picker` lists the pupils to choose from; `year` is the store telling the
    report's callbacks to use last year's release.
    """
    if not may_see_pupils(query):
        return html.Div(
            [html.H1(_("Pupil reports"), className="h3"), not_available(_(NO_ACCESS))]
        )
    year_group = parse_filters(query).year_group

    def options(scope: ReportScope) -> dict[str, list[tuple[str, str]]]:
        return {"pupil": picker(scope, year_group)}

    downloads = download_bar(ids.INDIVIDUAL_PUPIL)
    downloads.children[:0] = [
        html.Button(
            _(label),
            id=button_id,
            type="button",
            className="btn btn-outline-secondary btn-sm",
        )
        for label, button_id in (
            (N_("Download PDF"), ids.PUPIL_PDF),
            (N_("Download image"), ids.PUPIL_IMAGE),
        )
    ]
    return html.Div(
        [
            confidential_banner(),
            *heading,
            year,
            report_frame(
                ids.page_content(ids.INDIVIDUAL_PUPIL), query, FILTERS, options
            ),
            downloads,
            html.Div(id=ids.PUPIL_PATTERN, **{"aria-live": "polite"}),
        ]
    )


dash.register_page(
    __name__,
    path="/pupil-reports/individual-pupil",
    name="Individual Pupil",
    order=21,
    layout=layout,
)
