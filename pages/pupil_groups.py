"""Pupil Groups: the report's filters, then its grid, downloads and charts."""

import dash

from dashboard.i18n import N_
from pages.school_page import school_page

FILTERS = ("term", "year_group")
INTRO = N_(
    "Weekly attendance of the key pupil groups against the same groups nationally. "
    "Choose a year group to see its groups; national follows it."
)

layout = school_page(N_("Pupil Groups"), "pupil-groups", INTRO, FILTERS, overlay=True)

dash.register_page(
    __name__,
    path="/school-reports/pupil-groups",
    name="Pupil Groups",
    order=12,
    layout=layout,
)
