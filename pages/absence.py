"""Absence: the report's filters, then its grid, downloads and charts."""

import dash

from dashboard.i18n import N_
from pages.school_page import school_page

FILTERS = ("term", "year_group", "gender", "efsm", "sen")
INTRO = N_(
    "Sessions missed for each reason as a percentage of possible sessions, against "
    "national for the same reason. Higher than national is worse."
)

layout = school_page(N_("Absence"), "absence", INTRO, FILTERS, overlay=True)

dash.register_page(
    __name__,
    path="/school-reports/absence",
    name="Absence",
    order=13,
    layout=layout,
)
