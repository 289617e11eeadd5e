"""A school's and a comparator's counts summed per week for any pupil filter, as ints.

Rows are summed once into classes that share every filter field, week by week, so a
filter's counts are a sum over a few classes rather than a pass over every row. The
figures are those of `data.groups` (`weekly`, `year_to_date`, `comparator_weekly`,
`comparator_year_to_date`), as plain dictionaries of integers instead of frames.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from dashboard.config import Settings
from data.codes import SUBCATEGORIES
from data.figures import DERIVED, derived_totals, is_persistent
from data.groups import PupilFilter, filter_fields, withheld_week, withheld_year

EPOCH = date(1970, 1, 1)
SUMMED = [*SUBCATEGORIES, "pupils"]
# A counts row's names; zipped into a dict, a derived total replaces the sub-category
# of the same name ("present"), as `with_derived` does.
ROW_NAMES = [*SUMMED, *DERIVED]
CELL_FIELDS = ("year_group", "gender", "efsm", "has_sen")
CELL_COLUMNS = ("year_group", "gender", "efsm", "sen")  # a cells frame's cell
ALL_FIELDS = (*CELL_FIELDS, "reg_group", "eal", "ethnic_group")
KNOWN = "known"  # a class of pupils in the pupils frame (not rows without a pupil)
FLOAT_EXACT = 2**53  # float64 holds every integer below this exactly
KEPT_ANSWERS = 256  # weekly answers kept per school or comparator
RECENT_WEEKS = 4  # school weeks that make "the last four weeks"
# Each pupil's counts kept at publish: year to date, then over the last RECENT_WEEKS
# weeks in which the school had any possible session.
PUPIL_TOTALS = (
    "present",
    "absence",
    "possible",
    "recent_present",
    "recent_possible",
)

WeekRows = dict[date, dict[str, Any]]


@dataclass(frozen=True)
class ClassSums:
    """Counts summed per class of rows sharing every filter field, and per week.

    `fields`: each class's filter fields (see `data.groups.filter_fields`) and `known`;
    `sums`: (classes, weeks, SUMMED) int64; `rows`: (classes, weeks) rows summed;
    `pupils`: (classes,) distinct pupils with any row.
    """

    fields: dict[str, np.ndarray]
    sums: np.ndarray
    rows: np.ndarray
    pupils: np.ndarray

    def keep(self, pupil_filter: PupilFilter) -> np.ndarray:
        """Return which classes a filter selects; only "all" selects unknown pupils."""
        chosen = pupil_filter.select(self.fields, len(self.pupils))
        if pupil_filter.is_all():
            return chosen
        return chosen & self.fields[KNOWN]


@dataclass(frozen=True)
class PupilWeeks:
    """A school's pupil-week rows as arrays, matched to its pupils frame.

    `weeks`: the distinct weeks in order; `week_index`: each row's position among
    them; `positions`: each row's pupil, as a position in the pupils frame, pupils
    known only from their rows numbered after it (`unknown` of them); `values`: the
    rows' counts (rows, SUBCATEGORIES); `has_rows`: which pupils have any row.
    """

    weeks: tuple[date, ...]
    week_index: np.ndarray
    positions: np.ndarray
    values: np.ndarray
    unknown: int
    has_rows: np.ndarray


# A school's pupil-week rows as (pupil_id, week_start as days since 1970-01-01,
# counts with one column per sub-category), read when first needed.
RowReader = Callable[[], tuple[np.ndarray, np.ndarray, np.ndarray]]


class SchoolSums:
    """A school's pupil-week counts, summed for any pupil filter.

    Built from a `SchoolData`'s pupils and a reader of its pupil-week rows. Classes over
    the comparator's cell fields come from `cells` when the release kept them (the
    rows summed per week and cell at publish, with each cell's distinct pupils), and
    each pupil's `PUPIL_TOTALS` from `totals` (pupils frame order) when it kept those,
    so the rows are read only when a filter on another field needs them, or what the
    release did not keep; classes over every filter field are built from the rows the
    first time a filter needs them.
    """

    def __init__(
        self,
        pupils: pd.DataFrame,
        rows: RowReader,
        cells: pd.DataFrame | None = None,
        totals: np.ndarray | None = None,
    ) -> None:
        self._pupils = pupils
        self._read_rows = rows
        # Totals kept at publish: kept only when every row's pupil is in `pupils`.
        self._totals = totals
        self._kept_totals = totals is not None
        self._lock = threading.RLock()
        self._fields: dict[str, np.ndarray] = {}
        self._classes: dict[tuple[str, ...], ClassSums] = {}
        self._weekly: dict[PupilFilter, WeekRows] = {}
        self._row_arrays: PupilWeeks | None = None
        if cells is None:
            self.weeks = self._rows.weeks
            self._classes_by(CELL_FIELDS)
        else:
            self.weeks, self._classes[CELL_FIELDS] = cell_class_sums(cells)

    def weekly(self, pupil_filter: PupilFilter) -> WeekRows:
        """Return counts per week with rows: every count, `pupils` (rows) and totals.

        Kept per filter, as a report's table and its charts ask for the same groups;
        the answer is shared and must not be modified.
        """
        found = self._weekly.get(pupil_filter)
        if found is None:
            classes = self._classes_for(pupil_filter)
            keep = classes.keep(pupil_filter)
            present = classes.rows[keep].sum(axis=0) > 0
            found = _week_rows(self.weeks, classes.sums[keep].sum(axis=0), present)
            _keep(self._weekly, pupil_filter, found)
        return found

    def year_to_date(self, pupil_filter: PupilFilter) -> dict[str, Any]:
        """Return the year's counts: every count, distinct `pupils` and totals."""
        classes = self._classes_for(pupil_filter)
        keep = classes.keep(pupil_filter)
        row = _row(classes.sums[keep].sum(axis=(0, 1)))
        row["pupils"] = int(classes.pupils[keep].sum())
        return row

    def persistent(self, pupil_filter: PupilFilter, threshold: int) -> tuple[int, int]:
        """Return (persistently absent pupils, pupils with any possible session).

        A pupil without rows has no possible session, so counts in neither.
        """
        fields = self._pupil_fields(tuple(pupil_filter.chosen()))
        totals = self.pupil_totals()
        chosen = pupil_filter.select(fields, len(totals))
        if not pupil_filter.is_all():
            chosen &= fields[KNOWN]
        absence = totals[chosen, PUPIL_TOTALS.index("absence")]
        possible = totals[chosen, PUPIL_TOTALS.index("possible")]
        flagged = is_persistent(absence, possible, threshold)
        return int(np.count_nonzero(flagged)), int(np.count_nonzero(possible > 0))

    def pupil_totals(self) -> np.ndarray:
        """Return each pupil's `PUPIL_TOTALS`, (pupils, 5) int64: the pupils frame's
        pupils in its order, then pupils known only from their rows; kept at publish,
        or summed from the rows once."""
        with self._lock:
            if self._totals is None:
                self._totals = sum_pupil_totals(self._rows)
            return self._totals

    @property
    def _rows(self) -> PupilWeeks:
        """Return the pupil-week rows as arrays, reading them on first use."""
        with self._lock:
            if self._row_arrays is None:
                found = _pupil_weeks(self._pupils, *self._read_rows())
                if found.weeks != getattr(self, "weeks", found.weeks):
                    raise ValueError("The kept cells and the rows differ in weeks.")
                self._row_arrays = found
            return self._row_arrays

    def _pupil_fields(self, names: tuple[str, ...]) -> dict[str, np.ndarray]:
        """Return every pupil's filter fields and `known`, reading the named ones on
        first use.

        Pupils known only from their rows have None in every field.
        """
        with self._lock:
            unknown = 0 if self._kept_totals else self._rows.unknown
            if KNOWN not in self._fields:
                known = np.ones(len(self._pupils) + unknown, dtype=bool)
                known[len(self._pupils) :] = False
                self._fields[KNOWN] = known
            missing = [name for name in names if name not in self._fields]
            for name, values in filter_fields(self._pupils, missing).items():
                nones = np.full(unknown, None, dtype=object)
                self._fields[name] = (
                    np.concatenate([values, nones]) if unknown else values
                )
            return self._fields

    def _classes_for(self, pupil_filter: PupilFilter) -> ClassSums:
        """Return the classes fine enough for a filter's fields."""
        if set(pupil_filter.chosen()) <= set(CELL_FIELDS):
            return self._classes_by(CELL_FIELDS)
        return self._classes_by(ALL_FIELDS)

    def _classes_by(self, names: tuple[str, ...]) -> ClassSums:
        """Return (building once) the classes of pupils sharing the named fields."""
        with self._lock:
            if names not in self._classes:
                found = self._rows
                fields = self._pupil_fields(names)
                pupil_class, fields = _classes(fields, (*names, KNOWN))
                row_class = pupil_class[found.positions]
                counts, rows = _class_week_sums(
                    row_class, found.week_index, found.values, len(fields[KNOWN])
                )
                sums = np.concatenate([counts, rows[:, :, np.newaxis]], axis=2)
                pupils = np.bincount(
                    pupil_class[found.has_rows], minlength=len(fields[KNOWN])
                )
                self._classes[names] = ClassSums(fields, sums, rows, pupils)
            return self._classes[names]


class ComparatorSums:
    """An area's comparator cells and persistence rows, summed for any cell filter."""

    def __init__(
        self,
        cells: pd.DataFrame,
        area_weeks: pd.DataFrame,
        persistence: pd.DataFrame,
    ) -> None:
        self.weeks, self._classes = cell_class_sums(cells)
        self._weekly: dict[tuple[PupilFilter, Settings, str], WeekRows] = {}
        self._persistence_fields = filter_fields(persistence, CELL_FIELDS)
        self._persistence = persistence[["pupils", "persistent", "severe"]].to_numpy(
            dtype=np.int64
        )
        schools = area_weeks.set_index("week_start")
        self._schools_open = schools["schools_open"].to_dict()
        self._schools_participating = schools["schools_participating"].to_dict()
        self._participating = (
            int(area_weeks["schools_participating"].max()) if len(area_weeks) else 0
        )

    def weekly(
        self, settings: Settings, scope: str = "national", **cell_filter: Any
    ) -> WeekRows:
        """Return counts per week with a `withheld` reason ("" when shown).

        The same weeks, counts and reasons as `data.groups.comparator_weekly`. Kept per
        filter, settings and scope (every school asks for the same few); the answer is
        shared and must not be modified.
        """
        chosen = PupilFilter(**cell_filter)
        key = (chosen, settings, scope)
        found = self._weekly.get(key)
        if found is None:
            keep = self._classes.keep(chosen)
            present = self._classes.rows[keep].sum(axis=0) > 0
            summed = self._classes.sums[keep].sum(axis=0)
            found = _week_rows(self.weeks, summed, present)
            for week, row in found.items():
                row["withheld"] = withheld_week(
                    self._schools_open.get(week),
                    self._schools_participating.get(week),
                    row["pupils"],
                    settings,
                    scope,
                )
            _keep(self._weekly, key, found)
        return found

    def year_to_date(
        self, settings: Settings, scope: str = "national", **cell_filter: Any
    ) -> dict[str, Any]:
        """Return year-to-date counts, persistent absence and `withheld`.

        The same figures as `data.groups.comparator_year_to_date`.
        """
        chosen = PupilFilter(**cell_filter)
        keep = self._classes.keep(chosen)
        row = _row(self._classes.sums[keep].sum(axis=(0, 1)))
        people = chosen.select(self._persistence_fields, len(self._persistence))
        pupils, persistent, severe = self._persistence[people].sum(axis=0).tolist()
        row.update(pupils=pupils, persistent=persistent, severe=severe)
        row["withheld"] = withheld_year(self._participating, pupils, settings, scope)
        return row


def cell_class_sums(cells: pd.DataFrame) -> tuple[tuple[date, ...], ClassSums]:
    """Return the weeks and the classes of cells sharing every cell filter field.

    `cells`: week_start (`date`), the cell columns, `pupils` (pupil-weeks) and every
    sub-category, a row per week and cell; with `cell_pupils` (each cell's distinct
    pupils, on every row of the cell) the classes count their pupils, otherwise none.
    """
    week_index, weeks = pd.factorize(cells["week_start"], sort=True)
    cell_fields = filter_fields(cells, CELL_FIELDS)
    cell_fields[KNOWN] = np.ones(len(cells), dtype=bool)
    cell_class, fields = _classes(cell_fields, (*CELL_FIELDS, KNOWN))
    classes = len(fields[KNOWN])
    values = cells[SUMMED].to_numpy(dtype=np.int64)
    sums, rows = _class_week_sums(cell_class, week_index, values, classes)
    pupils = np.zeros(classes, dtype=np.int64)
    if "cell_pupils" in cells:
        first = ~cells.duplicated(list(CELL_COLUMNS)).to_numpy()
        pupils = _sum_by(
            cell_class[first], cells[["cell_pupils"]].to_numpy()[first], classes
        )[:, 0]
    return tuple(weeks), ClassSums(fields, sums, rows, pupils)


def day_numbers(dates: np.ndarray) -> np.ndarray:
    """Return dates (numpy datetime64 or Arrow date values) as days since 1970-01-01."""
    return dates.astype("datetime64[D]").astype(np.int64)


def pupil_totals_of(
    pupils: pd.DataFrame,
    pupil_ids: np.ndarray,
    week_days: np.ndarray,
    counts: np.ndarray,
) -> np.ndarray | None:
    """Return each pupil's `PUPIL_TOTALS` in the pupils frame's order from pupil-week
    rows (as a `RowReader` returns them); None if a row's pupil is not in the frame."""
    rows = _pupil_weeks(pupils, pupil_ids, week_days, counts)
    return None if rows.unknown else sum_pupil_totals(rows)


def sum_pupil_totals(rows: PupilWeeks) -> np.ndarray:
    """Return each pupil's `PUPIL_TOTALS`, (pupils, 5) int64, pupils as in `rows`."""
    pupils = len(rows.has_rows)
    totals = _totals_of(rows.values, ("present", "absence", "possible"))
    present, possible = totals[:, [0]], totals[:, 2]
    year = _sum_by(rows.positions, totals, pupils)
    weekly = np.bincount(rows.week_index, weights=possible, minlength=len(rows.weeks))
    recent = np.isin(rows.week_index, np.flatnonzero(weekly > 0)[-RECENT_WEEKS:])
    last = np.column_stack([present, possible])[recent]
    return np.concatenate([year, _sum_by(rows.positions[recent], last, pupils)], axis=1)


def _pupil_weeks(
    pupils: pd.DataFrame,
    pupil_ids: np.ndarray,
    week_days: np.ndarray,
    counts: np.ndarray,
) -> PupilWeeks:
    """Return pupil-week rows matched to the pupils frame (see `PupilWeeks`)."""
    week_index, weeks = _week_index(week_days)
    positions = pupils.index.get_indexer(pupil_ids)
    unknown = positions < 0
    extra = 0
    if unknown.any():
        extra, codes = _factorize(pupil_ids[unknown])
        positions[unknown] = len(pupils) + codes
    has_rows = np.bincount(positions, minlength=len(pupils) + extra) > 0
    return PupilWeeks(weeks, week_index, positions, counts, extra, has_rows)


def _keep(kept: dict[Any, WeekRows], key: Any, found: WeekRows) -> None:
    """Keep an answer, forgetting all kept ones first when there are KEPT_ANSWERS."""
    if len(kept) >= KEPT_ANSWERS:
        kept.clear()
    kept[key] = found


def _week_index(days: np.ndarray) -> tuple[np.ndarray, tuple[date, ...]]:
    """Return each row's index among the sorted distinct weeks, and those weeks."""
    if not len(days):
        return np.zeros(0, dtype=np.int64), ()
    first = int(days.min())
    offsets = days - first
    used = np.bincount(offsets) > 0
    position = np.cumsum(used) - 1
    weeks = tuple(
        EPOCH + timedelta(days=first + int(day)) for day in np.flatnonzero(used)
    )
    return position[offsets], weeks


def _factorize(values: np.ndarray) -> tuple[int, np.ndarray]:
    """Return how many distinct values there are and each value's code."""
    codes, distinct = pd.factorize(values)
    return len(distinct), codes


def _classes(
    fields: dict[str, np.ndarray], names: tuple[str, ...]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Return each row's class (rows equal in every named field) and each class's fields.

    Missing values (None, NaN) are a value of their own, as a filter never matches them.
    """
    row_class = np.zeros(len(fields[KNOWN]), dtype=np.int64)
    for name in names:
        codes, distinct = pd.factorize(fields[name], use_na_sentinel=False)
        row_class, _ = pd.factorize(row_class * len(distinct) + codes)
    _, first = np.unique(row_class, return_index=True)
    return row_class, {name: fields[name][first] for name in names}


def _totals_of(values: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """Return the named derived totals of rows of sub-category counts, (rows, names)."""
    columns = [
        np.add.reduce(
            [values[:, SUBCATEGORIES.index(part)] for part in DERIVED[name]],
            dtype=np.int64,
        )
        for name in names
    ]
    return np.column_stack(columns)


def _class_week_sums(
    row_class: np.ndarray, week_index: np.ndarray, values: np.ndarray, classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return values summed per class and week, (classes, weeks, columns), and rows."""
    weeks = int(week_index.max()) + 1 if len(week_index) else 0
    cell = row_class * weeks + week_index
    sums = _sum_by(cell, values, classes * weeks)
    rows = np.bincount(cell, minlength=classes * weeks)
    shape = (classes, weeks)
    return sums.reshape(*shape, values.shape[1]), rows.reshape(shape)


def _sum_by(bins: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Return each column of int64 values summed per bin, exactly, as int64.

    Weighted counts sum in float64, exact while every sum stays below 2**53, which the
    bound checked here guarantees; beyond it the sums are added as int64.
    """
    weights = np.asfortranarray(values, dtype=np.float64)
    if not len(weights) or float(np.abs(weights).max()) * len(weights) < FLOAT_EXACT:
        columns = [
            np.bincount(bins, weights=weights[:, column], minlength=size)
            for column in range(values.shape[1])
        ]
        return np.column_stack(columns).astype(np.int64)
    sums = np.zeros((size, values.shape[1]), dtype=np.int64)
    np.add.at(sums, bins, values.astype(np.int64))
    return sums


def _row(summed: np.ndarray) -> dict[str, Any]:
    """Return one counts row (SUMMED) as names to ints, derived totals included."""
    derived = derived_totals(summed[: len(SUBCATEGORIES)])
    return dict(zip(ROW_NAMES, [*summed.tolist(), *derived.tolist()], strict=True))


def _week_rows(
    weeks: tuple[date, ...], summed: np.ndarray, present: np.ndarray
) -> WeekRows:
    """Return the counts rows of the weeks present, by week, derived totals included."""
    shown = np.flatnonzero(present)
    counts = summed[shown]
    derived = derived_totals(counts[:, : len(SUBCATEGORIES)])
    values = np.column_stack([counts, derived]).tolist()
    return {
        weeks[index]: dict(zip(ROW_NAMES, row, strict=True))
        for index, row in zip(shown.tolist(), values, strict=True)
    }
