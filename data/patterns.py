"""Absence patterns: the absence rate of each session of the week, Monday AM to Friday PM.

A pattern sums, over a span of weeks (the year to date or a half-term), the possible
and absent sessions falling on each of the week's ten sessions; its rate for a session
is absence / possible sessions on that session, exact. The school's (or a year group's
or pupil group's) pattern is shown against the same pattern nationally, and a pupil's
own pattern beside the whole school's.

The national pattern is read from the release's per-cell slot sums
(`access.comparator_slot_sums`) and follows year group, gender, eFSM and SEN/ALN.
It sums the same weeks as the school's pattern, and is withheld exactly when the
national year-to-date figure for the same pupils is (too few pupils nationally).
Weeks withheld in the weekly tables because fewer than half of the schools were open
are counted, as they are in every national year-to-date figure: a pattern is a total
over many weeks, in which such a week weighs only by the few sessions it had.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import numpy as np
import pandas as pd

from dashboard.i18n import N_, _
from data.access import comparator_slot_sums
from data.figures import NO_BAND, difference, difference_band, display, percent
from data.groups import WITHHELD_REASONS, PupilFilter, comparator_rows, select_weeks
from data.reports import ReportScope, ReportUnavailable
from data.reports.series import national_label
from data.session_slots import (
    ABSENCE_SUMS,
    POSSIBLE_SUMS,
    SLOTS,
    SLOTS_UNAVAILABLE,
    has_slots,
    slot_totals,
)
from data.tables import Cell, Table

YEAR_TO_DATE = "ytd"
DAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"))
HALVES = (N_("AM"), N_("PM"))
SESSION_LABELS = (
    N_("Monday AM"),
    N_("Monday PM"),
    N_("Tuesday AM"),
    N_("Tuesday PM"),
    N_("Wednesday AM"),
    N_("Wednesday PM"),
    N_("Thursday AM"),
    N_("Thursday PM"),
    N_("Friday AM"),
    N_("Friday PM"),
)
ALL_SESSIONS = N_("All sessions")
UNFOLLOWED = N_(
    "The national pattern follows year group, gender, eFSM and SEN/ALN only; "
    "registration group, EAL and ethnicity narrow the school's pattern alone."
)
NO_WEEKS = N_("No week of this term is in the latest release yet.")


@dataclass(frozen=True)
class Pattern:
    """Possible and absent sessions on each of the week's ten sessions, Monday AM first."""

    possible: tuple[int, ...]
    absence: tuple[int, ...]

    def rates(self) -> tuple[Fraction | None, ...]:
        """Return each session's absence % of possible sessions, None where none."""
        return tuple(
            percent(absent, possible)
            for absent, possible in zip(self.absence, self.possible, strict=True)
        )

    def overall(self) -> Fraction | None:
        """Return the absence % over every session of the week."""
        return percent(sum(self.absence), sum(self.possible))

    def grid(self) -> tuple[tuple[Fraction | None, Fraction | None], ...]:
        """Return the rates as the heat map lays them out: a row per day, AM then PM."""
        rates = self.rates()
        return tuple((rates[2 * day], rates[2 * day + 1]) for day in range(len(DAYS)))


EMPTY = Pattern((0,) * len(SLOTS), (0,) * len(SLOTS))


@dataclass(frozen=True)
class PatternComparison:
    """Two patterns side by side as a page shows them: the table of figures, and
    each pattern with its name for the heat maps (the second None when withheld)."""

    table: Table
    first: Pattern
    second: Pattern | None
    names: tuple[str, str]


def pattern_of(weeks: pd.DataFrame) -> Pattern:
    """Return the pattern of pupil-week rows that carry the session bitmasks."""
    possible, absent = slot_totals(weeks)
    return Pattern(
        tuple(int(value) for value in possible), tuple(int(value) for value in absent)
    )


def comparator_pattern(
    slot_sums: pd.DataFrame, weeks: list[date] | None, **cell_filter: object
) -> Pattern:
    """Return an area's pattern from its per-week, per-cell slot sums (see
    `access.comparator_slot_sums`), over the given weeks (None: every week), for the
    cells matching year group, gender, eFSM and SEN."""
    chosen = comparator_rows(slot_sums, **cell_filter)
    if weeks is not None:
        chosen = chosen[chosen["week_start"].isin(weeks)]
    possible = chosen[list(POSSIBLE_SUMS)].to_numpy(dtype=np.int64).sum(axis=0)
    absence = chosen[list(ABSENCE_SUMS)].to_numpy(dtype=np.int64).sum(axis=0)
    return Pattern(tuple(possible.tolist()), tuple(absence.tolist()))


def pattern_weeks(scope: ReportScope, period: str) -> list[date] | None:
    """Return the weeks a pattern covers: None for the year to date, else the
    half-term's weeks up to the release (ReportUnavailable for an unknown term)."""
    return None if period == YEAR_TO_DATE else scope.term_weeks(period)


def group_patterns(
    scope: ReportScope, period: str, pupil_filter: PupilFilter
) -> PatternComparison:
    """Return the pattern of the pupils the filter selects against the same pattern
    nationally, over the year to date or a half-term (`period`).

    Raises ReportUnavailable when the release was published before sessions were
    kept by day.
    """
    data = scope.data
    national_sums = comparator_slot_sums(scope.url, scope.release.id)
    if not has_slots(data.weeks) or national_sums is None:
        raise ReportUnavailable(_(SLOTS_UNAVAILABLE))
    weeks = pattern_weeks(scope, period)
    rows = select_weeks(data.pupils, data.weeks, pupil_filter)
    if weeks is not None:
        rows = rows[rows["week_start"].isin(weeks)]
    school = pattern_of(rows)

    cells = pupil_filter.comparator_cells()
    national = scope.national.sums.year_to_date(scope.settings, **cells)
    withheld = str(national["withheld"])
    shown = None if withheld else comparator_pattern(national_sums, weeks, **cells)

    unfollowed = (pupil_filter.reg_group, pupil_filter.eal, pupil_filter.ethnic_group)
    notes = [_(UNFOLLOWED)] if any(part is not None for part in unfollowed) else []
    if weeks == []:
        notes.append(_(NO_WEEKS))
    table = pattern_table(
        _("Absence by session of the week"),
        (_("School %"), _("National %")),
        school,
        shown,
        withheld,
        tuple(notes),
    )
    names = (_("School"), national_label(pupil_filter, cells))
    return PatternComparison(table, school, shown, names)


def pupil_patterns(scope: ReportScope, pupil_id: int) -> PatternComparison:
    """Return a pupil's own absence pattern, year to date, beside the whole school's.

    The difference is not banded: the bands compare with national figures.
    """
    data = scope.data
    if not has_slots(data.weeks):
        raise ReportUnavailable(_(SLOTS_UNAVAILABLE))
    pupil = pattern_of(data.weeks[data.weeks["pupil_id"] == pupil_id])
    school = pattern_of(data.weeks)
    table = pattern_table(
        _("Absence by session of the week, year to date"),
        (_("Pupil %"), _("School %")),
        pupil,
        school,
        banded=False,
    )
    return PatternComparison(table, pupil, school, (_("Pupil"), _("Whole school")))


def pattern_table(
    title: str,
    headers: tuple[str, str],
    first: Pattern,
    second: Pattern | None,
    second_withheld: str = "",
    notes: tuple[str, ...] = (),
    banded: bool = True,
) -> Table:
    """Return two patterns side by side, a row per session then all sessions.

    Columns: "Session", the two headers, "Difference" (first minus second, banded
    with lower absence as better unless `banded` is False). A withheld second pattern
    shows blank with its reason as the tooltip.
    """
    reason = WITHHELD_REASONS.get(second_withheld, "")
    tooltip = _(reason) if reason else ""
    shown = second or EMPTY
    pairs = list(zip(first.rates(), shown.rates(), strict=True))
    pairs.append((first.overall(), shown.overall()))
    labels = (*SESSION_LABELS, ALL_SESSIONS)
    rows = tuple(
        _row(_(label), mine, theirs, tooltip, banded)
        for label, (mine, theirs) in zip(labels, pairs, strict=True)
    )
    columns = (_("Session"), *headers, _("Difference"))
    return Table(title, columns, rows, notes)


def _row(
    label: str,
    mine: Fraction | None,
    theirs: Fraction | None,
    tooltip: str,
    banded: bool,
) -> tuple[Cell, ...]:
    gap = difference(mine, theirs)
    band = difference_band(gap, higher_is_better=False) if banded else NO_BAND
    return (
        Cell(label),
        Cell(display(mine)),
        Cell(display(theirs), tooltip=tooltip if theirs is None else ""),
        Cell(display(gap), band),
    )
