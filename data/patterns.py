"""Absence patterns: the absence rate of each session of the week, Monday AM to Friday PM.

A pattern sums, over the year to date, the possible and absent sessions falling on each
of the week's ten sessions; its rate for a session is absence / possible sessions on
that session, exact. The school's (or a year group's or pupil group's) pattern is shown
against the same pattern nationally, and a pupil's own pattern beside the school's.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pandas as pd

from data.figures import difference, difference_band, display, percent
from data.groups import (
    WITHHELD_REASONS,
    PupilFilter,
    comparator_rows,
    comparator_year_to_date,
    select_weeks,
)
from data.reports import ReportScope, ReportUnavailable
from data.session_slots import SLOTS, SLOTS_UNAVAILABLE, has_slots, slot_totals
from data.tables import Cell, Table

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
HALVES = ("AM", "PM")
SESSION_LABELS = tuple(f"{day} {half}" for day in DAYS for half in HALVES)
ALL_SESSIONS = "All sessions"
UNFOLLOWED = (
    "The national pattern follows year group, gender, eFSM and SEN/ALN only; "
    "registration group, EAL and ethnicity narrow the school's pattern alone."
)


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


def pattern_of(weeks: pd.DataFrame) -> Pattern:
    """Return the pattern of pupil-week rows that carry the session bitmasks."""
    possible, absent = slot_totals(weeks)
    return Pattern(
        tuple(int(value) for value in possible), tuple(int(value) for value in absent)
    )


def comparator_pattern(slot_cells: pd.DataFrame, **cell_filter: Any) -> Pattern:
    """Return an area's pattern from its per-cell slot sums (cell columns, slot,
    possible, absence), for the cells matching year group, gender, eFSM and SEN."""
    chosen = comparator_rows(slot_cells, **cell_filter)
    summed = chosen.groupby("slot")[["possible", "absence"]].sum()
    summed = summed.reindex(list(SLOTS), fill_value=0)
    return Pattern(
        tuple(int(value) for value in summed["possible"]),
        tuple(int(value) for value in summed["absence"]),
    )


def pattern_table(
    title: str,
    headers: tuple[str, str],
    first: Pattern,
    second: Pattern | None,
    second_withheld: str = "",
    notes: tuple[str, ...] = (),
) -> Table:
    """Return two patterns side by side, a row per session then all sessions.

    Columns: "Session", the two headers, "Difference" (first minus second, banded
    with lower absence as better). A withheld second pattern shows blank with its
    reason as the tooltip.
    """
    blank = second or Pattern((0,) * len(SLOTS), (0,) * len(SLOTS))
    tooltip = WITHHELD_REASONS.get(second_withheld, "")
    pairs = list(zip(first.rates(), blank.rates(), strict=True))
    pairs.append((first.overall(), blank.overall()))
    rows = tuple(
        _row(label, mine, theirs, tooltip)
        for label, (mine, theirs) in zip(
            (*SESSION_LABELS, ALL_SESSIONS), pairs, strict=True
        )
    )
    return Table(title, ("Session", *headers, "Difference"), rows, notes)


def group_pattern_table(
    scope: ReportScope, pupil_filter: PupilFilter, national_slots: pd.DataFrame
) -> Table:
    """Return the pattern of the pupils the filter selects against the same pattern
    nationally; `national_slots` are the release's national per-cell slot sums.

    The national pattern is withheld exactly when the year-to-date national figure
    for the same cells is.
    """
    data = scope.data
    if not has_slots(data.weeks):
        raise ReportUnavailable(SLOTS_UNAVAILABLE)
    school = pattern_of(select_weeks(data.pupils, data.weeks, pupil_filter))
    cells = pupil_filter.comparator_cells()
    national = scope.national
    withheld = str(
        comparator_year_to_date(
            national.cells,
            national.persistence,
            national.area_weeks,
            scope.settings,
            **cells,
        )["withheld"]
    )
    shown = None if withheld else comparator_pattern(national_slots, **cells)
    unfollowed = (pupil_filter.reg_group, pupil_filter.eal, pupil_filter.ethnic_group)
    notes = (UNFOLLOWED,) if any(part is not None for part in unfollowed) else ()
    return pattern_table(
        "Absence by session",
        ("School %", "National %"),
        school,
        shown,
        withheld,
        notes,
    )


def pupil_pattern_table(scope: ReportScope, pupil_id: int) -> Table:
    """Return a pupil's own absence pattern beside the whole school's."""
    data = scope.data
    if not has_slots(data.weeks):
        raise ReportUnavailable(SLOTS_UNAVAILABLE)
    pupil = pattern_of(data.weeks[data.weeks["pupil_id"] == pupil_id])
    school = pattern_of(data.weeks)
    return pattern_table("Absence by session", ("Pupil %", "School %"), pupil, school)


def _row(
    label: str, mine: Fraction | None, theirs: Fraction | None, tooltip: str
) -> tuple[Cell, ...]:
    gap = difference(mine, theirs)
    return (
        Cell(label),
        Cell(display(mine)),
        Cell(display(theirs), tooltip=tooltip if theirs is None else ""),
        Cell(display(gap), difference_band(gap, higher_is_better=False)),
    )
