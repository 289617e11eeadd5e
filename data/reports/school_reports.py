"""Year Groups, Pupil Groups and Absence: the grouped weekly school reports.

Titles and group labels are marked with `N_()` and given in the current language when
a report is built.
"""

from __future__ import annotations

from dataclasses import replace

from dashboard.i18n import N_, _
from data.groups import PupilFilter
from data.reports import ReportScope
from data.reports.grouped import Group, grouped_series, grouped_table
from data.reports.series import WeeklySeries
from data.tables import Table

EVERYONE = PupilFilter()

YEAR_GROUPS_TITLE = N_("Year Groups")
PUPIL_GROUPS_TITLE = N_("Pupil Groups")
ABSENCE_TITLE = N_("Absence")
WHOLE_SCHOOL = N_("Whole school")

KEY_GROUPS = (
    Group(N_("All pupils"), EVERYONE),
    Group(N_("Female"), PupilFilter(gender="F")),
    Group(N_("Male"), PupilFilter(gender="M")),
    Group(N_("eFSM"), PupilFilter(efsm=True)),
    Group(N_("Not eFSM"), PupilFilter(efsm=False)),
    Group(N_("SEN/ALN"), PupilFilter(sen=True)),
    Group(N_("No SEN/ALN"), PupilFilter(sen=False)),
)

ABSENCE_REASONS = (
    (N_("Absence"), "absence"),
    (N_("Authorised"), "authorised"),
    (N_("Unauthorised"), "unauthorised"),
    (N_("Illness"), "illness"),
    (N_("Medical"), "medical"),
    (N_("Holiday"), "holiday"),
)


def year_groups(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Year Groups report: whole school and Years 7-11, whole percentages.

    With a year group chosen, only that year is shown. Gender, eFSM and SEN/ALN narrow
    the school's figures; national follows the year group only. The note gives each
    year group's pupils in the latest week.
    """
    groups, school_filter = year_group_groups(pupil_filter)
    return grouped_table(
        scope, term, list(groups), school_filter, _(YEAR_GROUPS_TITLE), 0, True
    )


def pupil_groups(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Pupil Groups report for all year groups or one (national follows it)."""
    groups, school_filter = pupil_group_groups(pupil_filter)
    return grouped_table(
        scope, term, list(groups), school_filter, _(PUPIL_GROUPS_TITLE), 0, True
    )


def absence(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Absence report: overall absence and its parts, one decimal place.

    Holiday is authorised and unauthorised holiday together. National follows the year
    group and stays static for gender, eFSM and SEN/ALN.
    """
    groups, school_filter = absence_groups(pupil_filter)
    return grouped_table(scope, term, list(groups), school_filter, _(ABSENCE_TITLE), 1)


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
        return (_year_group(year),), school_filter
    years = tuple(_year_group(year) for year in range(7, 12))
    return (Group(_(WHOLE_SCHOOL), EVERYONE), *years), school_filter


def pupil_group_groups(
    pupil_filter: PupilFilter,
) -> tuple[tuple[Group, ...], PupilFilter]:
    """Return the Pupil Groups' column groups, narrowed to the chosen year group."""
    year = pupil_filter.year_group
    groups = tuple(
        Group(_(group.label), replace(group.pupils, year_group=year))
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
        Group(_(label), national, measure, higher_is_better=False)
        for label, measure in ABSENCE_REASONS
    )
    return groups, school_filter


def _year_group(year: int) -> Group:
    return Group(_("Year %(year)s", year=year), PupilFilter(year_group=year))
