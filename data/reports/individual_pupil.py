"""Individual Pupil: one pupil's context, marks and reasons, laid out as the guidance.

Every figure is the release's (so it agrees with the Pupil List), worked out by the
figures library. The pupil must be one of the school's pupils in the release; any
other id raises LookupError, so a report of another school's pupil cannot be built.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cache

import pandas as pd

from dashboard.i18n import N_, _, current_language
from data.access import release_weeks
from data.codes import REFERENCE_DIR
from data.figures import display, percent, pupil_band, totals
from data.groups import comparator_weekly
from data.pupil_names import pupil_names
from data.reports import ReportScope
from data.reports.pupil_list import is_leaver, sessions_of
from data.reports.pupil_register import Register, pupil_register
from data.reports.series import WeeklySeries
from data.tables import Cell, Table, count_cell, week_label

# Row labels are marked here and translated when a table is made, so a report is in
# the language of the request that made it (reports are cached per language).
MARKS_ROWS = (
    (N_("Total marks"), "possible"),
    (N_("Total present"), "present"),
    (N_("Total absence"), "absence"),
    (N_("X marks"), "x_marks"),
    (N_("Not counted marks"), "not_counted_marks"),
)
AUTHORISED_ROWS = (
    (N_("Authorised absence"), "authorised"),
    (N_("Illness"), "illness"),
    (N_("Medical"), "medical"),
    (N_("Authorised holiday"), "holiday_authorised"),
)
UNAUTHORISED_ROWS = (
    (N_("Unauthorised absence"), "unauthorised"),
    (N_("Unauthorised holiday"), "holiday_unauthorised"),
)
REASONS = (
    (N_("Present"), "present"),
    (N_("Illness"), "illness"),
    (N_("Medical"), "medical"),
    (N_("Authorised holiday"), "holiday_authorised"),
    (N_("Other authorised"), "other_authorised"),
    (N_("Unauthorised holiday"), "holiday_unauthorised"),
    (N_("Other unauthorised"), "other_unauthorised"),
)
SEN_LABELS = {
    "none": N_("No SEN/ALN"),
    "school": N_("School-level SEN/ALN"),
    "la": N_("LA-level SEN/ALN"),
}
GENDER_LABELS = {"F": N_("Female"), "M": N_("Male")}
# The heading names the gender by its letter, which differs in Welsh (B, G).
HEADINGS = {
    "F": N_("%(name)s (Yr:%(year)s, F)"),
    "M": N_("%(name)s (Yr:%(year)s, M)"),
}


@dataclass(frozen=True)
class PupilReport:
    """Everything the Individual Pupil page, export and PDF show for one pupil."""

    pupil_id: int
    upn: str
    name: str
    heading: str
    ytd: Cell
    ytd_band: str
    context: tuple[tuple[str, str], ...]
    term: str
    marks: Table
    authorised: Table
    unauthorised: Table
    reasons: Table
    series: WeeklySeries
    register: Register


def individual_pupil(scope: ReportScope, term: str, pupil_id: int) -> PupilReport:
    """Return one pupil's report for a term; LookupError if not the school's pupil."""
    pupils = scope.data.pupils
    if pupil_id not in pupils.index:
        raise LookupError(f"Pupil {pupil_id} is not in this school's release.")
    names = pupil_names(scope.url, scope.school_id, [pupil_id])
    if pupil_id not in names:
        raise LookupError(f"Pupil {pupil_id} is not in this school's release.")
    name = names[pupil_id]
    context = pupils.loc[pupil_id]
    weeks = scope.term_weeks(term)
    rows = scope.data.weeks[scope.data.weeks["pupil_id"] == pupil_id]
    ytd = totals(rows)
    by_week = {week: totals(rows[rows["week_start"] == week]) for week in weeks}
    columns = (_("Measure"), _("YTD"), *(week_label(week) for week in weeks))
    term_totals = totals(rows[rows["week_start"].isin(weeks)])
    return PupilReport(
        pupil_id=int(pupil_id),
        upn=name.upn,
        name=name.full,
        heading=_heading(name.full, context),
        ytd=Cell(
            display(percent(ytd["present"], ytd["possible"])),
            tooltip=sessions_of(ytd["present"], ytd["possible"]),
        ),
        ytd_band=pupil_band(ytd["present"], ytd["possible"]),
        context=_context(context, name.upn, scope.release.to_date),
        term=term,
        marks=_table(_("Marks summary"), columns, ytd, by_week, MARKS_ROWS, True),
        authorised=_table(
            _("Authorised absence"), columns, ytd, by_week, AUTHORISED_ROWS
        ),
        unauthorised=_table(
            _("Unauthorised absence"), columns, ytd, by_week, UNAUTHORISED_ROWS
        ),
        reasons=_reasons(term_totals),
        series=_series(scope, rows, int(context["year_group"])),
        register=pupil_register(
            scope.url,
            scope.school_id,
            pupil_id,
            weeks,
            scope.release.to_date,
            rows,
        ),
    )


def export_table(report: PupilReport) -> Table:
    """Return the pupil's tables as one, for CSV and Excel: who, then every figure."""
    width = len(report.marks.columns)
    blank = (Cell(""),) * (width - 2)
    who = (
        (Cell(_("Pupil")), Cell(report.name), *blank),
        (Cell(_("UPN")), Cell(report.upn), *blank),
    )
    rows = (
        *who,
        *report.marks.rows,
        *report.authorised.rows,
        *report.unauthorised.rows,
    )
    return Table(_("Individual Pupil"), report.marks.columns, rows)


def ethnicity_names() -> dict[str, str]:
    """Return each ethnicity code's meaning in the current language, e.g. "WBRI":
    "White - British" ("Gwyn - Prydeinig")."""
    column = "meaning_cy" if current_language() == "cy" else "meaning"
    return {code: row[column] for code, row in _ethnicities().items()}


@cache
def _ethnicities() -> dict[str, dict[str, str]]:
    with open(REFERENCE_DIR / "ethnicity.csv", encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def _heading(name: str, context: pd.Series) -> str:
    """Return "Jones, Sarah (Yr:10, F)" in the current language."""
    gender = str(context["gender"])
    year = context["year_group"]
    if gender not in HEADINGS:
        return f"{name} (Yr:{year}, {gender})"
    return _(HEADINGS[gender], name=name, year=year)


def _context(
    context: pd.Series, upn: str, to_date: date
) -> tuple[tuple[str, str], ...]:
    gender, sen = str(context["gender"]), str(context["sen"])
    items = [
        (_("Year group"), _("Year %(year)s", year=context["year_group"])),
        (_("Reg group"), str(context["reg_group"])),
        (_("Gender"), _(GENDER_LABELS[gender]) if gender in GENDER_LABELS else gender),
        (_("eFSM"), _("eFSM") if context["efsm"] else _("Not eFSM")),
        (_("SEN/ALN"), _(SEN_LABELS[sen]) if sen in SEN_LABELS else sen),
        (_("EAL"), _("EAL") if context["eal"] else _("Not EAL")),
        (
            _("Ethnicity"),
            ethnicity_names().get(context["ethnicity"]) or _("Unclassified"),
        ),
        (_("UPN"), upn),
    ]
    frame = context.to_frame().T
    if bool(is_leaver(frame, to_date).iloc[0]):
        items.append((_("Left"), f"{context['leaving_date']:%d/%m/%Y}"))
    return tuple(items)


def _table(
    title: str,
    columns: tuple[str, ...],
    ytd: dict[str, int],
    by_week: dict[date, dict[str, int]],
    measures: tuple[tuple[str, str], ...],
    with_attendance: bool = False,
) -> Table:
    periods = [ytd, *by_week.values()]
    rows = []
    if with_attendance:
        rows.append(
            (
                Cell(_("Attendance %")),
                *(
                    Cell(display(percent(counts["present"], counts["possible"])))
                    for counts in periods
                ),
            )
        )
    for label, measure in measures:
        rows.append(
            (Cell(_(label)), *(count_cell(counts[measure]) for counts in periods))
        )
    return Table(title, columns, tuple(rows))


def _reasons(counts: dict[str, int]) -> Table:
    possible = counts["possible"]
    rows = tuple(
        (
            Cell(_(label)),
            count_cell(counts[measure]),
            Cell(display(percent(counts[measure], possible))),
        )
        for label, measure in REASONS
    )
    return Table(
        _("Attendance and absence reasons"),
        (_("Reason"), _("Sessions"), _("% of possible")),
        rows,
    )


def _series(scope: ReportScope, rows: pd.DataFrame, year_group: int) -> WeeklySeries:
    """Return the pupil's weekly attendance against the national figure for the year
    group, over every week of the release."""
    national = scope.national
    national_weeks = comparator_weekly(
        national.cells, national.area_weeks, scope.settings, year_group=year_group
    )
    weeks = sorted(
        set(release_weeks(scope.url, scope.release.id)) | set(rows["week_start"])
    )
    pupil = []
    comparator = []
    for week in weeks:
        counts = totals(rows[rows["week_start"] == week])
        pupil.append(percent(counts["present"], counts["possible"]))
        comparator.append(_national_rate(national_weeks, week))
    return WeeklySeries(
        weeks=tuple(weeks),
        school=tuple(pupil),
        national=tuple(comparator),
        national_label=_("National, Year %(year)s", year=year_group),
    )


def _national_rate(frame: pd.DataFrame, week: date) -> Fraction | None:
    if week not in frame.index or frame.at[week, "withheld"]:
        return None
    return percent(frame.at[week, "present"], frame.at[week, "possible"])
