"""Pupil Groups: the report's filters, then its grid, downloads and charts."""

import dash

from pages.school_page import school_page

FILTERS = ("term", "year_group")
INTRO = (
    "Weekly attendance of the key pupil groups against the same groups nationally. "
    "Choose a year group to see its groups; national follows it."
)

layout = school_page("Pupil Groups", "pupil-groups", INTRO, FILTERS, overlay=True)

dash.register_page(
    __name__,
    path="/school-reports/pupil-groups",
    name="Pupil Groups",
    order=12,
    layout=layout,
)
