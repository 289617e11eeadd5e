"""Cached, read-only access to published releases: a school's data and comparators.

Releases never change once published, so every answer is cached in-process by its
database URL, release and school or area. Returned frames are shared between callers
and must not be modified. No withholding is applied here; `data.groups` does that.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.codes import SUBCATEGORIES
from data.db import session_scope
from data.schema import (
    ReleaseAreaWeek,
    ReleaseComparator,
    ReleasePersistence,
    ReleaseSchool,
    ReleaseSlotSums,
)
from data.shared_cache import MISSING, SharedCache
from data.sums import PUPIL_TOTALS, ComparatorSums, SchoolSums, day_numbers

CACHE_SIZE = 64
ANSWER_CACHE_SIZE = 2048
T = TypeVar("T")
CELL = ["year_group", "gender", "efsm", "sen"]


@dataclass(frozen=True)
class SchoolData:
    """One school's published data in a release.

    `pupils`: indexed by pupil_id; year_group, reg_group, gender, efsm, sen, eal,
    ethnicity, entry_date, leaving_date (dates as `date`, leaving_date None when on
    roll). `week_payload`: the published Arrow stream of the pupil-week rows, read
    into `week_table` and decoded into `weeks` (pupil_id, week_start as `date` and
    every sub-category as int32) only when first asked for. `cell_table`: the same
    counts summed per week and pupil cell at publish, and `pupil_totals` each pupil's
    `PUPIL_TOTALS` in the pupils frame's order (each None in releases published before
    it was kept).
    """

    release_id: int
    school_id: str
    pupils: pd.DataFrame
    week_payload: bytes = field(repr=False)
    cell_table: pa.Table | None = field(default=None, repr=False)
    pupil_totals: np.ndarray | None = field(default=None, repr=False)

    @cached_property
    def week_table(self) -> pa.Table:
        """Return the pupil-week rows as the published Arrow table (read once)."""
        return _read_table(self.week_payload)

    @cached_property
    def weeks(self) -> pd.DataFrame:
        """Return the pupil-week rows as a frame (decoded once; the reports need only
        `sums`)."""
        weeks = _decode(self.week_table)
        counts = list(SUBCATEGORIES)
        weeks[counts] = weeks[counts].astype("int32")
        return weeks

    @cached_property
    def sums(self) -> SchoolSums:
        """Return the school's counts summed for any pupil filter (built once)."""
        cells = None if self.cell_table is None else _decode(self.cell_table)
        return SchoolSums(self.pupils, self._row_arrays, cells, self.pupil_totals)

    def _row_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the pupil-week rows as pupil ids, days since 1970 and counts."""
        table = self.week_table
        return (
            table.column("pupil_id").to_numpy(),
            day_numbers(table.column("week_start").to_numpy()),
            np.column_stack([table.column(name).to_numpy() for name in SUBCATEGORIES]),
        )


@dataclass(frozen=True)
class Comparators:
    """One area's comparator rows in a release.

    `cells`: week_start, year_group, gender, efsm, sen, pupils and every sub-category;
    `area_weeks`: week_start, schools_open, schools_participating; `persistence`:
    year_group, gender, efsm, sen, pupils, persistent, severe, schools.
    """

    cells: pd.DataFrame
    area_weeks: pd.DataFrame
    persistence: pd.DataFrame

    @cached_property
    def sums(self) -> ComparatorSums:
        """Return the cells and persistence rows summed for any cell filter (built once)."""
        return ComparatorSums(self.cells, self.area_weeks, self.persistence)


@lru_cache(maxsize=CACHE_SIZE)
def school_data(url: str, release_id: int, school_id: str) -> SchoolData:
    """Return a school's pupils and pupil-week counts in a release.

    Raises LookupError when the school has no data in the release.
    """
    with session_scope(url) as session:
        row = session.execute(
            select(
                ReleaseSchool.pupils,
                ReleaseSchool.weeks,
                ReleaseSchool.cells,
                ReleaseSchool.pupil_totals,
            ).where(
                ReleaseSchool.release_id == release_id,
                ReleaseSchool.school_id == school_id,
            )
        ).first()
    if row is None:
        raise LookupError(f"School {school_id} has no data in release {release_id}.")

    pupils = _decode(_read_table(row.pupils)).set_index("pupil_id")
    cells = None if row.cells is None else _read_table(row.cells)
    totals = None
    if row.pupil_totals is not None:
        totals = _kept_totals(_read_table(row.pupil_totals), pupils.index)
    return SchoolData(release_id, school_id, pupils, row.weeks, cells, totals)


@lru_cache(maxsize=CACHE_SIZE)
def comparators(
    url: str, release_id: int, scope: str = "national", area: str = ""
) -> Comparators:
    """Return an area's comparator cells, weekly school counts and persistence rows."""
    cell_columns = ["week_start", *CELL, "pupils", *SUBCATEGORIES]
    week_columns = ["week_start", "schools_open", "schools_participating"]
    persistence_columns = [*CELL, "pupils", "persistent", "severe", "schools"]
    with session_scope(url) as session:
        cells = _area_frame(
            session, ReleaseComparator, cell_columns, release_id, scope, area
        )
        area_weeks = _area_frame(
            session, ReleaseAreaWeek, week_columns, release_id, scope, area
        )
        persistence = _area_frame(
            session, ReleasePersistence, persistence_columns, release_id, scope, area
        )
    return Comparators(cells, area_weeks, persistence)


@lru_cache(maxsize=CACHE_SIZE)
def comparator_slot_sums(
    url: str, release_id: int, scope: str = "national", area: str = ""
) -> pd.DataFrame | None:
    """Return an area's possible and absent sessions on each session of the week, per
    week and pupil cell: week_start (`date`), year_group, gender, efsm, sen, then
    `data.session_slots.SLOT_SUMS`. None when the release was published before they
    were kept."""
    with session_scope(url) as session:
        payload = session.scalar(
            select(ReleaseSlotSums.sums).where(
                ReleaseSlotSums.release_id == release_id,
                ReleaseSlotSums.scope == scope,
                ReleaseSlotSums.area == area,
            )
        )
    return None if payload is None else decode_payload(payload)


def release_weeks(url: str, release_id: int) -> list[date]:
    """Return every week (its Monday) with national data in a release, sorted."""
    return list(_release_weeks(url, release_id))


def decode_payload(payload: bytes) -> pd.DataFrame:
    """Return an Arrow IPC stream as a DataFrame, dates as `date` objects."""
    return _decode(_read_table(payload))


def clear_cache() -> None:
    """Forget every cached answer (after a release is deleted, or between tests)."""
    school_data.cache_clear()
    comparators.cache_clear()
    comparator_slot_sums.cache_clear()
    _answers.clear()
    _release_weeks.cache_clear()


class _AnswerCache:
    """A thread-safe least-recently-used map of finished report answers."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_answers = _AnswerCache(ANSWER_CACHE_SIZE)
_shared: list[SharedCache | None] = [None]


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """Return the cached answer for a key, computing and keeping it on a miss.

    The key must name the release it was computed from; answers must not be modified.
    With a shared cache (`share_answers`), a miss here looks there before computing,
    and what is computed is kept there too.
    """
    found = _answers.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    shared = _shared[0]
    stored = MISSING if shared is None else shared.get(key)
    if stored is MISSING:
        found = compute()
        if shared is not None:
            shared.put(key, found)
    else:
        found = stored
    _answers.put(key, found)
    return found  # type: ignore[no-any-return]


def share_answers(cache: SharedCache | None) -> None:
    """Use a cache shared by every worker (Redis) behind this worker's own, or none."""
    _shared[0] = cache


@lru_cache(maxsize=CACHE_SIZE)
def _release_weeks(url: str, release_id: int) -> tuple[date, ...]:
    """Return the national weeks of a release as an immutable, cacheable tuple."""
    with session_scope(url) as session:
        weeks = session.scalars(
            select(ReleaseAreaWeek.week_start)
            .where(ReleaseAreaWeek.release_id == release_id)
            .where(ReleaseAreaWeek.scope == "national")
            .order_by(ReleaseAreaWeek.week_start)
        )
        return tuple(weeks)


def _read_table(payload: bytes) -> pa.Table:
    """Return an Arrow IPC stream as a table."""
    return pa.ipc.open_stream(pa.py_buffer(payload)).read_all()


def _kept_totals(table: pa.Table, pupil_ids: pd.Index) -> np.ndarray:
    """Return kept pupil totals as (pupils, PUPIL_TOTALS) int64 in the pupils frame's
    order; raise if they are not the frame's pupils in that order."""
    if not np.array_equal(table.column("pupil_id").to_numpy(), pupil_ids.to_numpy()):
        raise ValueError("The kept pupil totals and the pupils differ.")
    columns = [table.column(name).to_numpy() for name in PUPIL_TOTALS]
    return np.column_stack(columns).astype(np.int64)


def _decode(table: pa.Table) -> pd.DataFrame:
    """Return an Arrow table as a DataFrame, dates as `date` objects."""
    return table.to_pandas(date_as_object=True)


def _area_frame(
    session: Session,
    model: type[ReleaseComparator | ReleaseAreaWeek | ReleasePersistence],
    columns: list[str],
    release_id: int,
    scope: str,
    area: str,
) -> pd.DataFrame:
    """Return one area's rows of a release table as a frame with the given columns."""
    table = model.__table__
    query = (
        select(*(table.c[name] for name in columns))
        .where(table.c.release_id == release_id)
        .where(table.c.scope == scope)
        .where(table.c.area == area)
        .order_by(*(table.c[name] for name in columns if name in ("week_start", *CELL)))
    )
    rows = session.execute(query).all()
    if not rows:
        return pd.DataFrame.from_records([], columns=columns)
    # Column by column: numpy reads each column's type in one pass, where building
    # the frame row by row inferred it cell by cell (twice as slow for the cells).
    values = zip(*rows, strict=True)
    return pd.DataFrame(
        {name: np.array(column) for name, column in zip(columns, values, strict=True)}
    )
