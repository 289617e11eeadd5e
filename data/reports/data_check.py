"""Data Check: the marks held for each week, as counts that reconcile with the MIS."""

from __future__ import annotations

from data.groups import PupilFilter
from data.reports import ReportScope
from data.tables import YTD, Cell, Table, count_cell, week_cell

# Rows of the report: label and the count behind it. Every column adds up:
# present + absence = total marks, authorised + unauthorised = absence.
MEASURES: tuple[tuple[str, str], ...] = (
    ("Pupils", "pupils"),
    ("Total marks", "possible"),
    ("Present", "present"),
    ("Absence", "absence"),
    ("Authorised", "authorised"),
    ("Unauthorised", "unauthorised"),
    ("Illness", "illness"),
    ("Medical", "medical"),
    ("Holiday authorised", "holiday_authorised"),
    ("Holiday unauthorised", "holiday_unauthorised"),
    ("Not counted", "not_counted"),
    ("X marks", "x_mark"),
    ("Missing marks", "missing"),
)


def data_check(scope: ReportScope, term: str, pupil_filter: PupilFilter) -> Table:
    """Return the Data Check: one row per measure, one column per week, then YTD."""
    school = scope.data.sums
    counts = school.weekly(pupil_filter)
    weeks = scope.term_weeks(term)
    columns = ("Measure", *(week_cell(week).export_text for week in weeks), YTD)
    ytd = school.year_to_date(pupil_filter)
    body = []
    for label, measure in MEASURES:
        cells = [Cell(label)]
        for week in weeks:
            value = int(counts[week][measure]) if week in counts else 0
            cells.append(count_cell(value))
        cells.append(count_cell(int(ytd[measure])))
        body.append(tuple(cells))
    return Table("Data Check", columns, tuple(body))
