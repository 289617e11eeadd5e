"""Data Check: the marks held for each week, as counts that reconcile with the MIS."""

from __future__ import annotations

from dashboard.i18n import N_, _
from data.groups import PupilFilter
from data.reports import ReportScope
from data.tables import YTD, Cell, Table, count_cell, week_cell

TITLE = N_("Data Check")
MEASURE = N_("Measure")
# Rows of the report: label and the count behind it. Every column adds up:
# present + absence = total marks, authorised + unauthorised = absence.
MEASURES: tuple[tuple[str, str], ...] = (
    (N_("Pupils"), "pupils"),
    (N_("Total marks"), "possible"),
    (N_("Present"), "present"),
    (N_("Absence"), "absence"),
    (N_("Authorised"), "authorised"),
    (N_("Unauthorised"), "unauthorised"),
    (N_("Illness"), "illness"),
    (N_("Medical"), "medical"),
    (N_("Holiday authorised"), "holiday_authorised"),
    (N_("Holiday unauthorised"), "holiday_unauthorised"),
    (N_("Not counted"), "not_counted"),
    (N_("X marks"), "x_mark"),
    (N_("Missing marks"), "missing"),
)


def data_check(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Data Check: one row per measure, one column per week (headed by its
    ISO date), then YTD; words in the current language."""
    school = scope.data.sums
    counts = school.weekly(pupil_filter)
    weeks = scope.term_weeks(term)
    columns = (
        _(MEASURE),
        *(week_cell(week).export_text for week in weeks),
        _(YTD),
    )
    ytd = school.year_to_date(pupil_filter)
    body = []
    for label, measure in MEASURES:
        cells = [Cell(_(label))]
        for week in weeks:
            value = int(counts[week][measure]) if week in counts else 0
            cells.append(count_cell(value))
        cells.append(count_cell(int(ytd[measure])))
        body.append(tuple(cells))
    return Table(_(TITLE), columns, tuple(body))
