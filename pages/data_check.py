"""Data Check: the report's filters, then its grid, downloads and charts."""

import dash

from dashboard.i18n import N_
from pages.school_page import school_page

FILTERS = ("term", "year_group", "gender", "efsm", "sen")
INTRO = N_(
    "The marks held for each week, to reconcile with your MIS: present + absence = "
    "total marks, authorised + unauthorised = absence."
)

layout = school_page(N_("Data Check"), "data-check", INTRO, FILTERS)

dash.register_page(
    __name__,
    path="/school-reports/data-check",
    name="Data Check",
    order=14,
    layout=layout,
)
