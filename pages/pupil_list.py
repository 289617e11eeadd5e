"""Pupil List: one row per pupil with the year to date and each week of the term."""

from collections.abc import Callable

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import components.ids as ids
from callbacks.common import report_frame
from callbacks.pupil_reports import NO_ACCESS, may_see_pupils
from components.downloads import download_bar
from components.filters import PUPIL_FILTERS
from components.pupil_reports import confidential_banner, pupil_list_grid
from components.shell import not_available
from dashboard.i18n import N_, _
from data.reports import ReportScope
from data.reports.pupil_list import ethnic_group_options, reg_group_options

INTRO = N_(
    "Pupils on roll with their year-to-date attendance and each week of the term, "
    "grouped into attendance bands. Leavers still count in the school's figures."
)


def options(scope: ReportScope) -> dict[str, list[tuple[str, str]]]:
    """Return the school's registration groups and ethnic groups for the filter bar."""
    return {
        "reg_group": reg_group_options(scope),
        "ethnic_group": ethnic_group_options(scope),
    }


def layout(**query: str) -> html.Div:
    """Return the list's filters, controls and grid, or a refusal without access."""
    heading = [html.H1(_("Pupil List"), className="h3")]
    return pupil_list_page(query, heading, options)


def pupil_list_page(
    query: dict[str, str],
    heading: list,
    filter_options: Callable[[ReportScope], dict[str, list[tuple[str, str]]]],
    year: dcc.Store | None = None,
) -> html.Div:
    """Return a Pupil List page under `heading`, or a refusal without pupil access.

    `year` is the store telling the list's callbacks to use last year's release.
    """
    if not may_see_pupils(query):
        return html.Div(
            [html.H1(_("Pupil reports"), className="h3"), not_available(_(NO_ACCESS))]
        )
    controls = html.Div(
        [
            html.Div(
                dbc.Checklist(
                    id=ids.PUPIL_LEAVERS,
                    options=[{"label": " " + _("Include leavers"), "value": "yes"}],
                    value=[],
                    input_class_name="me-1",
                ),
                className="col-auto pt-4",
            ),
            _labelled(
                _("Attendance band"),
                dcc.Dropdown(
                    id=ids.PUPIL_BAND,
                    value="all",
                    clearable=False,
                    options=[{"label": _("All bands"), "value": "all"}],
                ),
            ),
            _labelled(
                _("Search by name"),
                dcc.Input(
                    id=ids.PUPIL_SEARCH,
                    type="search",
                    debounce=0.3,
                    className="form-control form-control-sm",
                    autoComplete="off",
                ),
            ),
        ],
        className="row g-2 mb-2 no-print",
    )
    return html.Div(
        [
            confidential_banner(),
            *heading,
            html.P(_(INTRO), className="text-muted small mb-2"),
            year,
            report_frame(
                ids.PUPIL_LIST_SUMMARY, query, PUPIL_FILTERS, filter_options, controls
            ),
            pupil_list_grid(),
            download_bar(ids.PUPIL_LIST),
        ]
    )


def _labelled(label: str, control: dcc.Dropdown | dcc.Input) -> html.Div:
    """Return a control under its visible label, as the filter bar lays them out."""
    return html.Div(
        [
            html.Label(label, htmlFor=control.id, className="form-label small mb-0"),
            control,
        ],
        className="col-6 col-md-4 col-lg-3",
    )


dash.register_page(
    __name__,
    path="/pupil-reports/pupil-list",
    name="Pupil List",
    order=20,
    layout=layout,
)
