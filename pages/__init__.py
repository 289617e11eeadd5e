"""Pages: the layout of each tab, registered with Dash when imported."""

from pages import (
    absence,
    at_risk,
    attendance_summary,
    audit_log,
    data_check,
    data_desk,
    guidance,
    home,
    individual_pupil,
    not_found_404,
    previous_year,
    pupil_groups,
    pupil_list,
    regional,
    three_sixty,
    year_groups,
)

__all__ = [
    "absence",
    "at_risk",
    "attendance_summary",
    "audit_log",
    "data_check",
    "data_desk",
    "guidance",
    "home",
    "individual_pupil",
    "not_found_404",
    "previous_year",
    "pupil_groups",
    "pupil_list",
    "regional",
    "three_sixty",
    "year_groups",
]
