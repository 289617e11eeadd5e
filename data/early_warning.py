"""Early warning: pupils not yet persistently absent who are close to it or falling.

A pupil on roll after the release's last date, with possible sessions and below the
persistent absence threshold T (a setting, 10 by default), is at risk when either

- close: year-to-date absence is from T - 2 % up to under T % of possible sessions
  (8% to under 10% by default), or
- falling: attendance over the last four school weeks is at least 5 points below their
  year-to-date attendance. The last four school weeks are the four latest weeks
  (Mondays) up to the release's last date in which the school had any possible
  session; a pupil with no possible session in them is not falling.

For each: the sessions they can still miss (the largest k with A + k < T/100 x (P + R)
for A absences, P possible sessions so far and R sessions left in the school's calendar
after the release, up to a known leaving date), the year-end attendance projected from
the last four weeks' rate over the R sessions, and their absence spells (see
`data.session_slots.spell_counts`). All comparisons are on exact integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import numpy as np
import pandas as pd

from dashboard.i18n import N_, _, format_day
from data.calendar import SchoolCalendar
from data.figures import display, is_persistent, percent
from data.groups import PupilFilter, pupil_totals, weekly
from data.reports import ReportScope, ReportUnavailable
from data.session_slots import SLOTS_UNAVAILABLE, has_slots, spell_counts
from data.sums import RECENT_WEEKS
from data.tables import Cell, Table, count_cell, week_label

CLOSE_POINTS = 2  # "close" starts this many points below the persistent threshold
FALLING_POINTS = 5  # "falling": recent attendance at least this many points lower

# Words are marked here and translated when the table is made (`at_risk_table`, never
# cached), so the list is in the reader's language.
TITLE = N_("Pupils at risk of persistent absence")
COLUMNS = (
    N_("Pupil"),
    N_("Year group"),
    N_("Reason"),
    N_("Absence %"),
    N_("Attendance %"),
    N_("Last four weeks %"),
    N_("Sessions can still miss"),
    N_("Projected year-end %"),
    N_("Absence spells"),
)
REASONS = {
    (True, True): N_("Close, falling"),
    (True, False): N_("Close"),
    (False, True): N_("Falling"),
}


@dataclass(frozen=True)
class AtRiskPupil:
    """One pupil at risk, every rate exact (a percentage of possible sessions)."""

    pupil_id: int
    year_group: int
    close: bool
    falling: bool
    absence: Fraction
    attendance: Fraction
    recent_attendance: Fraction | None
    can_miss: int
    projected: Fraction | None
    spells: int

    @property
    def reason(self) -> str:
        """Return why the pupil is listed: "Close", "Falling" or "Close, falling", in
        the current language."""
        return _(REASONS[(self.close, self.falling)])


@dataclass(frozen=True)
class AtRisk:
    """The pupils at risk, most urgent first, and the weeks and sessions behind them.

    `recent_weeks` are the last four school weeks (Mondays, oldest first);
    `sessions_left` the sessions in the school's calendar after the release.
    """

    pupils: tuple[AtRiskPupil, ...]
    recent_weeks: tuple[date, ...]
    sessions_left: int
    to_date: date
    threshold: int


def recent_weeks(weeks: pd.DataFrame, count: int = RECENT_WEEKS) -> list[date]:
    """Return the latest `count` weeks in which the school had any possible session."""
    possible = weekly(weeks)["possible"]
    return sorted(possible.index[possible > 0])[-count:]


def sessions_can_miss(absence: int, possible: int, left: int, threshold: int) -> int:
    """Return the largest k with absence + k < threshold % of (possible + left).

    100 (A + k) < T (P + R) holds exactly for k up to (T (P + R) - 1) // 100 - A;
    0 when even no further absence stays under the threshold.
    """
    return max((threshold * (possible + left) - 1) // 100 - absence, 0)


def projected_attendance(
    present: int, possible: int, recent_present: int, recent_possible: int, left: int
) -> Fraction | None:
    """Return year-end attendance % if the recent rate holds over the sessions left.

    (present + left x recent rate) / (possible + left); None without a recent rate.
    """
    if recent_possible == 0 or possible + left == 0:
        return None
    attended = Fraction(present) + Fraction(recent_present * left, recent_possible)
    return attended * 100 / (possible + left)


def at_risk_flags(
    weeks: pd.DataFrame, pupils: pd.DataFrame, to_date: date, threshold: int
) -> pd.DataFrame:
    """Return the chosen pupils on roll who are at risk, indexed by pupil_id.

    `weeks` are the whole school's pupil-weeks (they fix the last four school weeks);
    `pupils` the pupils to consider. Columns: year_group, present, absence, possible,
    recent_present, recent_possible (int64), close, falling (bool).
    """
    on_roll = pupils.loc[_still_on_roll(pupils, to_date)]
    chosen = weeks[weeks["pupil_id"].isin(on_roll.index)]
    totals = pupil_totals(chosen)
    recent = pupil_totals(chosen[chosen["week_start"].isin(recent_weeks(weeks))])
    recent = recent.reindex(totals.index, fill_value=0)

    present = totals["present"].to_numpy(np.int64)
    absence = totals["absence"].to_numpy(np.int64)
    possible = totals["possible"].to_numpy(np.int64)
    recent_present = recent["present"].to_numpy(np.int64)
    recent_possible = recent["possible"].to_numpy(np.int64)

    close, falling = risk_flags(
        present, absence, possible, recent_present, recent_possible, threshold
    )
    flags = pd.DataFrame(
        {
            "year_group": on_roll.loc[totals.index, "year_group"].to_numpy(),
            "present": present,
            "absence": absence,
            "possible": possible,
            "recent_present": recent_present,
            "recent_possible": recent_possible,
            "close": close,
            "falling": falling,
        },
        index=totals.index,
    )
    return flags[flags["close"] | flags["falling"]]


def risk_flags(
    present: np.ndarray,
    absence: np.ndarray,
    possible: np.ndarray,
    recent_present: np.ndarray,
    recent_possible: np.ndarray,
    threshold: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Return which pupils are close and which are falling, from their year-to-date
    and last-four-weeks counts (int64 arrays, one entry per pupil)."""
    below = (possible > 0) & ~is_persistent(absence, possible, threshold)
    close = below & (absence * 100 >= (threshold - CLOSE_POINTS) * possible)
    falling = (
        below
        & (recent_possible > 0)
        & (
            100 * recent_present * possible
            <= (100 * present - FALLING_POINTS * possible) * recent_possible
        )
    )
    return close, falling


def at_risk_pupils(
    weeks: pd.DataFrame,
    pupils: pd.DataFrame,
    to_date: date,
    calendar: SchoolCalendar,
    threshold: int,
) -> AtRisk:
    """Return the chosen pupils at risk, fewest sessions left to miss first.

    `weeks` carry the session bitmasks (for spells); see `at_risk_flags` for the rest.
    """
    flags = at_risk_flags(weeks, pupils, to_date, threshold)
    spells = spell_counts(weeks[weeks["pupil_id"].isin(flags.index)])
    left_this_year = calendar.sessions_left_after(to_date)
    found = []
    for pupil_id, row in flags.iterrows():
        left = _sessions_left(calendar, to_date, pupils.at[pupil_id, "leaving_date"])
        found.append(
            _at_risk_pupil(int(pupil_id), row, left, int(spells[pupil_id]), threshold)
        )
    found.sort(key=lambda pupil: (pupil.can_miss, pupil.pupil_id))
    return AtRisk(
        tuple(found), tuple(recent_weeks(weeks)), left_this_year, to_date, threshold
    )


def at_risk_table(found: AtRisk, names: Mapping[int, str] | None = None) -> Table:
    """Return the at-risk list as a table; pupils are named from `names` by pupil id,
    or by their id when no name is given."""
    rows = tuple(_row(pupil, names or {}) for pupil in found.pupils)
    columns = tuple(_(column) for column in COLUMNS)
    return Table(_(TITLE), columns, rows, _notes(found))


def at_risk_list(scope: ReportScope, pupil_filter: PupilFilter) -> AtRisk:
    """Return the school's pupils at risk among those the filter selects (cached)."""
    return scope.cached(_at_risk_list, pupil_filter)


def at_risk_report(
    scope: ReportScope,
    pupil_filter: PupilFilter,
    names: Mapping[int, str] | None = None,
) -> Table:
    """Return the at-risk table for the school, a year group or a pupil group."""
    return at_risk_table(at_risk_list(scope, pupil_filter), names)


def at_risk_count(scope: ReportScope, pupil_filter: PupilFilter) -> int:
    """Return how many of the selected pupils are at risk (for the 360 and Pupil List)."""
    return scope.cached(_at_risk_count, pupil_filter)


def _at_risk_list(scope: ReportScope, pupil_filter: PupilFilter) -> AtRisk:
    data = scope.data
    if not has_slots(data.weeks):
        raise ReportUnavailable(SLOTS_UNAVAILABLE)
    chosen = data.pupils[pupil_filter.mask(data.pupils)]
    return at_risk_pupils(
        data.weeks,
        chosen,
        scope.release.to_date,
        scope.calendar,
        scope.settings.persistent_absence_threshold,
    )


def _at_risk_count(scope: ReportScope, pupil_filter: PupilFilter) -> int:
    """Count as `at_risk_flags` selects, from each pupil's totals (kept at publish, or
    summed from the rows once; columns in `PUPIL_TOTALS` order): the count is on the
    360 report and the Pupil List, which need no pupil-week rows of their own."""
    data, to_date = scope.data, scope.release.to_date
    totals = data.sums.pupil_totals()[: len(data.pupils)]
    present, absence, possible, recent_present, recent_possible = totals.T
    close, falling = risk_flags(
        present,
        absence,
        possible,
        recent_present,
        recent_possible,
        scope.settings.persistent_absence_threshold,
    )
    chosen = pupil_filter.mask(data.pupils).to_numpy(dtype=bool) & _still_on_roll(
        data.pupils, to_date
    )
    return int(np.count_nonzero(chosen & (close | falling)))


def _at_risk_pupil(
    pupil_id: int, row: pd.Series, left: int, spells: int, threshold: int
) -> AtRiskPupil:
    present, absence, possible = (
        int(row[name]) for name in ("present", "absence", "possible")
    )
    recent_present, recent_possible = (
        int(row["recent_present"]),
        int(row["recent_possible"]),
    )
    return AtRiskPupil(
        pupil_id=pupil_id,
        year_group=int(row["year_group"]),
        close=bool(row["close"]),
        falling=bool(row["falling"]),
        absence=Fraction(100 * absence, possible),
        attendance=Fraction(100 * present, possible),
        recent_attendance=percent(recent_present, recent_possible),
        can_miss=sessions_can_miss(absence, possible, left, threshold),
        projected=projected_attendance(
            present, possible, recent_present, recent_possible, left
        ),
        spells=spells,
    )


def _still_on_roll(pupils: pd.DataFrame, to_date: date) -> np.ndarray:
    """Return which pupils are still on roll after the release's last date."""
    staying = [_on_roll(left, to_date) for left in pupils["leaving_date"]]
    return np.array(staying, dtype=bool)


def _on_roll(leaving: date | None, to_date: date) -> bool:
    """Whether a pupil is still on roll after the release's last date."""
    return leaving is None or pd.isna(leaving) or leaving > to_date


def _sessions_left(
    calendar: SchoolCalendar, to_date: date, leaving: date | None
) -> int:
    """Return the school's sessions after `to_date`, up to a leaving date (its last day)."""
    left = calendar.sessions_left_after(to_date)
    if leaving is not None and not pd.isna(leaving) and leaving > to_date:
        left -= calendar.sessions_left_after(leaving)
    return left


def _row(pupil: AtRiskPupil, names: Mapping[int, str]) -> tuple[Cell, ...]:
    return (
        Cell(names.get(pupil.pupil_id) or _("Pupil %(id)s", id=pupil.pupil_id)),
        Cell(str(pupil.year_group)),
        Cell(pupil.reason),
        Cell(display(pupil.absence)),
        Cell(display(pupil.attendance)),
        Cell(display(pupil.recent_attendance)),
        count_cell(pupil.can_miss),
        Cell(display(pupil.projected)),
        count_cell(pupil.spells),
    )


def _notes(found: AtRisk) -> tuple[str, ...]:
    threshold = found.threshold
    notes = [
        _(
            "Close: absence from %(low)s%% to under %(high)s%% of possible sessions, "
            "year to date.",
            low=threshold - CLOSE_POINTS,
            high=threshold,
        ),
        _(
            "Falling: attendance over the last four school weeks at least %(points)s "
            "points below the year to date.",
            points=FALLING_POINTS,
        ),
        _(
            "Sessions left in the school's calendar after %(day)s: %(sessions)s.",
            day=format_day(found.to_date, "dd MMMM y"),
            sessions=found.sessions_left,
        ),
    ]
    if found.recent_weeks:
        first, last = found.recent_weeks[0], found.recent_weeks[-1]
        notes.insert(
            2,
            _(
                "Last four school weeks: w/c %(first)s to w/c %(last)s.",
                first=week_label(first),
                last=week_label(last),
            ),
        )
    return tuple(notes)
