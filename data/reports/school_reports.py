"""Year Groups, Pupil Groups and Absence: the grouped weekly school reports."""

from __future__ import annotations

from dataclasses import replace

from data.groups import PupilFilter
from data.reports import ReportScope
from data.reports.grouped import Group, grouped_table
from data.tables import Table

EVERYONE = PupilFilter()

KEY_GROUPS = (
    Group("All pupils", EVERYONE),
    Group("Female", PupilFilter(gender="F")),
    Group("Male", PupilFilter(gender="M")),
    Group("eFSM", PupilFilter(efsm=True)),
    Group("Not eFSM", PupilFilter(efsm=False)),
    Group("SEN/ALN", PupilFilter(sen=True)),
    Group("No SEN/ALN", PupilFilter(sen=False)),
)

ABSENCE_REASONS = (
    ("Absence", "absence"),
    ("Authorised", "authorised"),
    ("Unauthorised", "unauthorised"),
    ("Illness", "illness"),
    ("Medical", "medical"),
    ("Holiday", "holiday"),
)


def year_groups(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Year Groups report: whole school and Years 7-11, whole percentages.

    With a year group chosen, only that year is shown. Gender, eFSM and SEN/ALN narrow
    the school's figures; national follows the year group only.
    """
    school_filter = PupilFilter(
        gender=pupil_filter.gender, efsm=pupil_filter.efsm, sen=pupil_filter.sen
    )
    years = (
        range(7, 12) if pupil_filter.year_group is None else [pupil_filter.year_group]
    )
    groups = (
        [Group("Whole school", EVERYONE)] if pupil_filter.year_group is None else []
    )
    groups += [Group(f"Year {n}", PupilFilter(year_group=n)) for n in years]
    return grouped_table(scope, term, groups, school_filter, "Year Groups", 0, True)


def pupil_groups(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Pupil Groups report for all year groups or one (national follows it)."""
    year = pupil_filter.year_group
    groups = [
        Group(group.label, replace(group.pupils, year_group=year))
        for group in KEY_GROUPS
    ]
    return grouped_table(scope, term, groups, EVERYONE, "Pupil Groups", 0, True)


def absence(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Absence report: overall absence and its parts, one decimal place.

    Holiday is authorised and unauthorised holiday together. National follows the year
    group and stays static for gender, eFSM and SEN/ALN.
    """
    school_filter = PupilFilter(
        gender=pupil_filter.gender, efsm=pupil_filter.efsm, sen=pupil_filter.sen
    )
    national = PupilFilter(year_group=pupil_filter.year_group)
    groups = [
        Group(label, national, measure, higher_is_better=False)
        for label, measure in ABSENCE_REASONS
    ]
    return grouped_table(scope, term, groups, school_filter, "Absence", 1)
