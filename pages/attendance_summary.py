"""Attendance Summary: the report's filters, then its grid, downloads and charts."""

import dash

from dashboard.i18n import N_
from pages.school_page import school_page

FILTERS = ("term", "year_group", "gender", "efsm", "sen")
INTRO = N_(
    "Weekly attendance against national for the same week. Gender, eFSM and SEN/ALN "
    "narrow the school's figures; the national figure follows the year group only."
)

layout = school_page(
    N_("Attendance Summary"), "attendance-summary", INTRO, FILTERS, overlay=True
)

dash.register_page(
    __name__,
    path="/school-reports/attendance-summary",
    name="Attendance Summary",
    order=10,
    layout=layout,
)
