"""Year Groups, Pupil Groups and Absence: the grouped weekly school reports."""

from __future__ import annotations

from dataclasses import replace

from data.groups import PupilFilter
from data.reports import ReportScope
from data.reports.grouped import Group, grouped_series, grouped_table
from data.reports.series import WeeklySeries
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
    the school's figures; national follows the year group only. The note gives each
    year group's pupils in the latest week.
    """
    groups, school_filter = year_group_groups(pupil_filter)
    return grouped_table(
        scope, term, list(groups), school_filter, "Year Groups", 0, True
    )


def pupil_groups(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Pupil Groups report for all year groups or one (national follows it)."""
    groups, school_filter = pupil_group_groups(pupil_filter)
    return grouped_table(
        scope, term, list(groups), school_filter, "Pupil Groups", 0, True
    )


def absence(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Absence report: overall absence and its parts, one decimal place.

    Holiday is authorised and unauthorised holiday together. National follows the year
    group and stays static for gender, eFSM and SEN/ALN.
    """
    groups, school_filter = absence_groups(pupil_filter)
    return grouped_table(scope, term, list(groups), school_filter, "Absence", 1)


def year_group_series(
    scope: ReportScope, pupil_filter: PupilFilter
) -> list[tuple[str, WeeklySeries]]:
    """Return the Year Groups chart lines: each group's weeks against national."""
    groups, school_filter = year_group_groups(pupil_filter)
    return grouped_series(scope, list(groups), school_filter)


def pupil_group_series(
    scope: ReportScope, pupil_filter: PupilFilter
) -> list[tuple[str, WeeklySeries]]:
    """Return the Pupil Groups chart lines: each key group against the same nationally."""
    groups, school_filter = pupil_group_groups(pupil_filter)
    return grouped_series(scope, list(groups), school_filter)


def absence_series(
    scope: ReportScope, pupil_filter: PupilFilter
) -> list[tuple[str, WeeklySeries]]:
    """Return the Absence chart lines: each reason against the same reason nationally."""
    groups, school_filter = absence_groups(pupil_filter)
    return grouped_series(scope, list(groups), school_filter)


def year_group_groups(
    pupil_filter: PupilFilter,
) -> tuple[tuple[Group, ...], PupilFilter]:
    """Return the Year Groups' column groups and the school-only filter."""
    school_filter = PupilFilter(
        gender=pupil_filter.gender, efsm=pupil_filter.efsm, sen=pupil_filter.sen
    )
    if pupil_filter.year_group is not None:
        year = pupil_filter.year_group
        return (Group(f"Year {year}", PupilFilter(year_group=year)),), school_filter
    years = tuple(Group(f"Year {n}", PupilFilter(year_group=n)) for n in range(7, 12))
    return (Group("Whole school", EVERYONE), *years), school_filter


def pupil_group_groups(
    pupil_filter: PupilFilter,
) -> tuple[tuple[Group, ...], PupilFilter]:
    """Return the Pupil Groups' column groups, narrowed to the chosen year group."""
    year = pupil_filter.year_group
    groups = tuple(
        Group(group.label, replace(group.pupils, year_group=year))
        for group in KEY_GROUPS
    )
    return groups, EVERYONE


def absence_groups(pupil_filter: PupilFilter) -> tuple[tuple[Group, ...], PupilFilter]:
    """Return the Absence reasons as column groups and the school-only filter."""
    school_filter = PupilFilter(
        gender=pupil_filter.gender, efsm=pupil_filter.efsm, sen=pupil_filter.sen
    )
    national = PupilFilter(year_group=pupil_filter.year_group)
    groups = tuple(
        Group(label, national, measure, higher_is_better=False)
        for label, measure in ABSENCE_REASONS
    )
    return groups, school_filter
