"""The tabs of the tracker, in the guidance's order, with sub-tabs for report groups."""

from __future__ import annotations

from dataclasses import dataclass

from dash import dcc, html

from dashboard.i18n import N_, _


@dataclass(frozen=True)
class Tab:
    """A tab: its label, its path and, for a group of reports, its sub-tabs."""

    label: str
    path: str
    children: tuple[Tab, ...] = ()
    needs_pupil_access: bool = False
    needs_data_role: bool = False
    needs_admin: bool = False


SCHOOL_REPORTS = (
    Tab(N_("Attendance Summary"), "/school-reports/attendance-summary"),
    Tab(N_("Year Groups"), "/school-reports/year-groups"),
    Tab(N_("Pupil Groups"), "/school-reports/pupil-groups"),
    Tab(N_("Absence"), "/school-reports/absence"),
    Tab(N_("Absence patterns"), "/school-reports/absence-patterns"),
    Tab(N_("Data Check"), "/school-reports/data-check"),
)
PUPIL_REPORTS = (
    Tab(N_("Pupil List"), "/pupil-reports/pupil-list", needs_pupil_access=True),
    Tab(
        N_("Individual Pupil"),
        "/pupil-reports/individual-pupil",
        needs_pupil_access=True,
    ),
    Tab(N_("At risk"), "/pupil-reports/at-risk", needs_pupil_access=True),
)

PREVIOUS_YEAR_REPORTS = (
    Tab(N_("Attendance Summary"), "/previous-year"),
    Tab(N_("Year Groups"), "/previous-year/year-groups"),
    Tab(N_("Pupil Groups"), "/previous-year/pupil-groups"),
    Tab(N_("Absence"), "/previous-year/absence"),
    Tab(N_("Data Check"), "/previous-year/data-check"),
    Tab(N_("360 report"), "/previous-year/360-report"),
    Tab(N_("Pupil List"), "/previous-year/pupil-list", needs_pupil_access=True),
    Tab(
        N_("Individual Pupil"),
        "/previous-year/individual-pupil",
        needs_pupil_access=True,
    ),
)


def tabs(previous_year: str) -> tuple[Tab, ...]:
    """Return the top-level tabs; the previous-year tab is labelled by that year."""
    return (
        Tab(N_("Attendance home"), "/"),
        Tab(N_("360 report"), "/360-report"),
        Tab(N_("School reports"), SCHOOL_REPORTS[0].path, SCHOOL_REPORTS),
        Tab(N_("Pupil reports"), PUPIL_REPORTS[0].path, PUPIL_REPORTS, True),
        Tab(previous_year, "/previous-year", PREVIOUS_YEAR_REPORTS),
        Tab(N_("Regional attendance"), "/regional-attendance"),
        Tab(N_("Data desk"), "/data-desk", needs_data_role=True),
        Tab(N_("Audit log"), "/audit-log", needs_admin=True),
    )


def build_nav(
    all_tabs: tuple[Tab, ...],
    pathname: str,
    query: str,
    pupil_access: bool,
    manages_data: bool = False,
    administers: bool = False,
) -> html.Nav:
    """Return the tab bar, marking the current tab and carrying the filters' query.

    Tabs and sub-tabs needing pupil access, a data role (the data desk) or an
    administrator (the audit log) show only to those who have it.
    """

    def allowed(tab: Tab) -> bool:
        return (
            (pupil_access or not tab.needs_pupil_access)
            and (manages_data or not tab.needs_data_role)
            and (administers or not tab.needs_admin)
        )

    shown = [tab for tab in all_tabs if allowed(tab)]
    current = next((tab for tab in shown if _holds(tab, pathname)), None)
    bar = html.Ul(
        [_tab_item(tab, tab is current, query) for tab in shown],
        className="nav nav-tabs",
    )
    parts = [bar]
    if current is not None and current.children:
        parts.append(
            html.Ul(
                [
                    _tab_item(child, child.path == pathname, query)
                    for child in current.children
                    if allowed(child)
                ],
                className="nav nav-pills my-2",
            )
        )
    return html.Nav(parts, **{"aria-label": _("Reports")})


def _holds(tab: Tab, pathname: str) -> bool:
    if tab.children:
        return any(child.path == pathname for child in tab.children)
    return tab.path == pathname


def _tab_item(tab: Tab, active: bool, query: str) -> html.Li:
    link = dcc.Link(
        _(tab.label),
        href=tab.path + query,
        className="nav-link active" if active else "nav-link",
    )
    return html.Li(link, className="nav-item")
