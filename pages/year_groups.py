"""Year Groups: the report's filters, then its grid, downloads and charts."""

import dash

from dashboard.i18n import N_
from pages.school_page import school_page

FILTERS = ("term", "year_group", "gender", "efsm", "sen")
INTRO = N_(
    "Weekly attendance of each year group against the same year group nationally. "
    "Gender, eFSM and SEN/ALN narrow the school's figures only."
)

layout = school_page(N_("Year Groups"), "year-groups", INTRO, FILTERS, overlay=True)

dash.register_page(
    __name__,
    path="/school-reports/year-groups",
    name="Year Groups",
    order=11,
    layout=layout,
)
