"""Absence patterns: absence on each session of the week, Monday AM to Friday PM, for
the school or a group of its pupils, against the same pupils nationally."""

import dash
from dash import html

import components.ids as ids
from callbacks.common import report_frame
from callbacks.patterns import TITLE
from components.downloads import download_bar
from components.filter_state import parse_filters
from components.filters import PUPIL_FILTERS, SCHOOL_FILTERS
from components.patterns import period_switch
from dashboard.i18n import N_, _
from dashboard.viewer import current_viewer
from pages.pupil_list import options

INTRO = N_(
    "Sessions missed on each session of the week as a percentage of the possible "
    "sessions on it, for the pupils chosen, against the same pupils nationally. "
    "Darker cells are higher absence; every cell gives its figure."
)
METHOD = (
    N_(
        "Each pupil's marks say which sessions of each week were possible and which "
        "were missed (authorised or unauthorised). For each of the week's ten "
        "sessions, the absences falling on it are divided by the possible sessions "
        "falling on it, over the weeks chosen: the year to date, or the term chosen "
        "in the filters up to the latest release. X marks, sessions not counted, "
        "closures, holidays and registers not taken are not possible sessions."
    ),
    N_(
        "The national pattern is worked out the same way from every participating "
        "school's pupils in the same year group, gender, eFSM and SEN/ALN groups, "
        "over the same weeks. Registration group, EAL and ethnicity narrow only the "
        "school's pattern. Weeks when fewer than half of the schools were open count "
        "here, as they do in every national year-to-date figure; the national pattern "
        "is withheld when too few pupils nationally are in the group."
    ),
    N_(
        "Figures are rounded to one decimal place; a session with no possible "
        "sessions is blank. The difference is the school's unrounded rate minus the "
        "national one, and its circle shows how far apart they are, as in the other "
        "reports: more absence than national is worse."
    ),
)


def layout(**query: str) -> html.Div:
    """Return the heading, the filters (pupil groups for those with pupil access),
    the choice of weeks, the content area, its downloads and how it is worked out."""
    viewer = current_viewer(parse_filters(query).school)
    pupil_level = viewer is not None and viewer.pupil_access
    filters = PUPIL_FILTERS if pupil_level else SCHOOL_FILTERS
    return html.Div(
        [
            html.H1(_(TITLE), className="h3"),
            html.P(_(INTRO), className="text-muted small mb-2"),
            report_frame(
                ids.page_content(ids.PATTERNS),
                query,
                filters,
                options if pupil_level else None,
                controls=period_switch(query.get("period", "")),
            ),
            download_bar(ids.PATTERNS),
            html.Details(
                [
                    html.Summary(_("How this is worked out")),
                    *(html.P(_(part), className="small") for part in METHOD),
                ],
                className="my-3",
            ),
        ]
    )


dash.register_page(
    __name__,
    path="/school-reports/absence-patterns",
    name="Absence patterns",
    order=15,
    layout=layout,
)
