"""Callbacks: thin glue between pages and the data layer, one module per page."""

from callbacks import (
    at_risk,
    audit_log,
    data_desk,
    desk_actions,
    home,
    patterns,
    previous_year,
    pupil_reports,
    regional,
    school_reports,
    shell,
    three_sixty,
)

__all__ = [
    "at_risk",
    "audit_log",
    "data_desk",
    "desk_actions",
    "home",
    "patterns",
    "previous_year",
    "pupil_reports",
    "regional",
    "school_reports",
    "shell",
    "three_sixty",
]
