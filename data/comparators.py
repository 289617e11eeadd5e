"""The arithmetic behind a release: marks into pupil-week counts, a school's Arrow
payloads, and the national, authority and region comparators.

Each school contributes additive partials (weekly cell sums, open weeks, persistent
absence per cell); the comparators of an area are sums of its schools' partials.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from data.codes import SESSIONS_PER_WEEK, SUBCATEGORIES, subcategory_lookup
from data.figures import DERIVED, is_persistent
from data.session_slots import (
    SLOT_COLUMNS,
    SLOT_SUMS,
    group_slot_sums,
    slot_columns,
)
from data.sums import PUPIL_TOTALS, day_numbers, pupil_totals_of

CELL = ["year_group", "gender", "efsm", "sen"]
COUNTS = list(SUBCATEGORIES)
AREA = ["scope", "area"]
COMPRESSION = pa.ipc.IpcWriteOptions(compression="zstd")

PUPIL_SCHEMA = pa.schema(
    [
        ("pupil_id", pa.int32()),
        ("year_group", pa.int8()),
        ("reg_group", pa.string()),
        ("gender", pa.string()),
        ("efsm", pa.bool_()),
        ("sen", pa.string()),
        ("eal", pa.bool_()),
        ("ethnicity", pa.string()),
        ("entry_date", pa.date32()),
        ("leaving_date", pa.date32()),
    ]
)
WEEK_SCHEMA = pa.schema(
    [("pupil_id", pa.int32()), ("week_start", pa.date32())]
    + [(name, pa.int8()) for name in SUBCATEGORIES]
    + [(name, pa.int16()) for name in SLOT_COLUMNS]
)
CELL_SCHEMA = pa.schema(
    [
        ("week_start", pa.date32()),
        ("year_group", pa.int8()),
        ("gender", pa.string()),
        ("efsm", pa.bool_()),
        ("sen", pa.string()),
        ("pupils", pa.int32()),
    ]
    + [(name, pa.int32()) for name in SUBCATEGORIES]
    + [("cell_pupils", pa.int32())]
)
PUPIL_TOTALS_SCHEMA = pa.schema(
    [("pupil_id", pa.int32())] + [(name, pa.int32()) for name in PUPIL_TOTALS]
)
SLOT_SUM_SCHEMA = pa.schema(
    [
        ("week_start", pa.date32()),
        ("year_group", pa.int8()),
        ("gender", pa.string()),
        ("efsm", pa.bool_()),
        ("sen", pa.string()),
    ]
    + [(name, pa.int32()) for name in SLOT_SUMS]
)


@dataclass(frozen=True)
class MarksByWeek:
    """One school's marks: per week (a Monday), the pupils and their codes in order.

    `codes` holds ten characters per pupil-week, weeks in the order of `weeks`.
    """

    weeks: list[date]
    pupil_ids: list[np.ndarray]
    codes: str


@dataclass(frozen=True)
class SchoolPartials:
    """One school's contribution to the comparators of the areas it belongs to.

    `cells`: week_start, cell columns, pupils, every sub-category and the possible and
    absent sessions on each session of the week (SLOT_SUMS), one row per week and
    cell; `open_weeks`: the weeks with any possible session; `persistence`: cell
    columns, pupils, persistent, severe.
    """

    la_code: int
    region: str | None
    cells: pd.DataFrame
    open_weeks: list[pd.Timestamp]
    persistence: pd.DataFrame

    @property
    def areas(self) -> list[tuple[str, str]]:
        """Return the (scope, area) pairs this school counts towards."""
        found = [("national", ""), ("la", str(self.la_code))]
        if self.region:
            found.append(("region", self.region))
        return found


@dataclass(frozen=True)
class AreaRows:
    """Rows ready for bulk insert, column by column (see `data.db.bulk_insert`):
    comparator cells, area weeks and persistence; and each area's sessions of the
    week as one row holding an Arrow payload."""

    comparators: dict[str, list[Any]]
    slot_sums: list[dict[str, Any]]
    area_weeks: dict[str, list[Any]]
    persistence: dict[str, list[Any]]


def count_marks(
    marks: MarksByWeek, pupil_ids: np.ndarray, year_start: date, to_date: date
) -> pd.DataFrame:
    """Return per pupil and week the count of every sub-category.

    Only the given pupils and sessions from `year_start` to `to_date` count; a
    pupil-week with no entry left has no row. Columns: pupil_id (int32), week_start
    (datetime64), every sub-category (int8), then which sessions were possible and
    which missed as bitmasks (int16, see `data.session_slots`); sorted by pupil and
    week.
    """
    marked = np.concatenate(marks.pupil_ids) if marks.weeks else np.empty(0, np.int64)
    codes = np.frombuffer(marks.codes.encode("ascii"), dtype=np.uint8)
    if codes.size != marked.size * SESSIONS_PER_WEEK:
        raise ValueError("Stored week marks must be ten sessions long.")
    sizes = [len(ids) for ids in marks.pupil_ids]
    week_index = np.repeat(np.arange(len(marks.weeks)), sizes)
    keep = np.isin(marked, pupil_ids)
    codes = codes.reshape(-1, SESSIONS_PER_WEEK)[keep]
    week_index = week_index[keep]

    categories = _categories(codes, marks.weeks, week_index, year_start, to_date)
    entries = categories >= 0
    width = len(SUBCATEGORIES)
    row_of = np.broadcast_to(np.arange(len(codes))[:, None], codes.shape)[entries]
    counts = np.bincount(
        row_of * width + categories[entries], minlength=len(codes) * width
    ).reshape(len(codes), width)
    has_entry = entries.any(axis=1)

    week_starts = np.array(marks.weeks, dtype="datetime64[D]")
    frame = pd.DataFrame(counts[has_entry].astype(np.int8), columns=COUNTS)
    frame.insert(0, "week_start", week_starts[week_index[has_entry]])
    frame.insert(0, "pupil_id", marked[keep][has_entry].astype(np.int32))
    frame = frame.assign(**slot_columns(categories[has_entry]))
    return frame.sort_values(["pupil_id", "week_start"], ignore_index=True)


def payloads(pupils: pd.DataFrame, weeks: pd.DataFrame) -> tuple[bytes, bytes]:
    """Return a school's pupils (indexed by pupil_id) and pupil-week counts as
    compressed Arrow IPC streams."""
    pupil_table = pa.Table.from_pandas(
        pupils.reset_index(), schema=PUPIL_SCHEMA, preserve_index=False
    )
    week_table = pa.Table.from_pandas(weeks, schema=WEEK_SCHEMA, preserve_index=False)
    return _ipc_bytes(pupil_table), _ipc_bytes(week_table)


def cell_payload(
    partials: SchoolPartials, weeks: pd.DataFrame, pupils: pd.DataFrame
) -> bytes | None:
    """Return a school's counts summed per week and cell, with each cell's distinct
    pupils (`cell_pupils`), as a compressed Arrow IPC stream (see `CELL_SCHEMA`).

    None when the cells do not hold every pupil-week row (a pupil with a cell field
    missing), so the reports sum the rows themselves.
    """
    cells = partials.cells
    if int(cells["pupils"].sum()) != len(weeks):
        return None
    marked = pupils.loc[weeks["pupil_id"].unique(), CELL]
    distinct = marked.groupby(CELL, observed=True).size().rename("cell_pupils")
    table = cells[["week_start", *CELL, "pupils", *COUNTS]].join(distinct, on=CELL)
    return _ipc_bytes(
        pa.Table.from_pandas(table, schema=CELL_SCHEMA, preserve_index=False)
    )


def pupil_totals_payload(pupils: pd.DataFrame, weeks: pd.DataFrame) -> bytes | None:
    """Return each pupil's `PUPIL_TOTALS` with their pupil_id, in the pupils frame's
    order, as a compressed Arrow IPC stream (see `PUPIL_TOTALS_SCHEMA`).

    None when a row's pupil is not in the frame, so the reports sum the rows
    themselves.
    """
    totals = pupil_totals_of(
        pupils,
        weeks["pupil_id"].to_numpy(),
        day_numbers(weeks["week_start"].to_numpy()),
        weeks[list(SUBCATEGORIES)].to_numpy(),
    )
    if totals is None:
        return None
    columns = {"pupil_id": pupils.index.to_numpy()}
    columns |= {name: totals[:, i] for i, name in enumerate(PUPIL_TOTALS)}
    return _ipc_bytes(pa.table(columns, schema=PUPIL_TOTALS_SCHEMA))


def school_partials(
    weeks: pd.DataFrame,
    pupils: pd.DataFrame,
    la_code: int,
    region: str | None,
    thresholds: tuple[int, int],
) -> SchoolPartials:
    """Return a school's partial sums from its pupil-week counts and pupils' context.

    `weeks` is as `count_marks` returns it; `pupils` is indexed by pupil_id with the
    cell columns; `thresholds` are the persistent and severe
    absence percentages.
    """
    rows = weeks.join(pupils[CELL], on="pupil_id")
    grouped = rows.groupby(["week_start", *CELL], sort=False, observed=True)
    cells = grouped[COUNTS].sum()
    cells["pupils"] = grouped.size()
    # ngroup numbers the groups in the order the sums above list them.
    slot_sums = group_slot_sums(weeks, grouped.ngroup().to_numpy(), len(cells))
    cells[list(SLOT_SUMS)] = slot_sums

    possible = _sum_parts(weeks, "possible")
    open_weeks = sorted(weeks.loc[possible > 0, "week_start"].unique())
    persistence = _persistence(weeks, pupils, thresholds)
    return SchoolPartials(la_code, region, cells.reset_index(), open_weeks, persistence)


def area_rows(partials: list[SchoolPartials], release_id: int) -> AreaRows:
    """Return the national, authority and region rows summed over the schools."""
    cells = _by_area(partials, "cells", ["week_start", *CELL])
    persistence = _by_area(partials, "persistence", CELL)
    weeks = sorted(cells.loc[cells["scope"] == "national", "week_start"].unique())
    counted = [name for name in cells.columns if name not in SLOT_SUMS]
    return AreaRows(
        comparators=_columns(cells[counted], release_id),
        slot_sums=_slot_payloads(cells, release_id),
        area_weeks=_columns(_area_weeks(partials, weeks), release_id),
        persistence=_columns(persistence, release_id),
    )


def _categories(
    codes: np.ndarray,
    weeks: list[date],
    week_index: np.ndarray,
    year_start: date,
    to_date: date,
) -> np.ndarray:
    """Return each session's sub-category index, -1 for no entry or outside the dates."""
    if not weeks:
        return np.empty((0, SESSIONS_PER_WEEK), dtype=np.int8)
    lookups = np.stack([subcategory_lookup(week) for week in weeks])
    first = np.array([(year_start - week).days * 2 for week in weeks])
    after = np.array([((to_date - week).days + 1) * 2 for week in weeks])
    position = np.arange(SESSIONS_PER_WEEK)[None, :]
    before_start = position < first[week_index, None]
    after_end = position >= after[week_index, None]
    categories = lookups[week_index[:, None], codes]
    categories[before_start | after_end] = -1
    return categories


def _ipc_bytes(table: pa.Table) -> bytes:
    """Return a table as a compressed Arrow IPC stream."""
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema, options=COMPRESSION) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _sum_parts(frame: pd.DataFrame, total: str) -> np.ndarray:
    """Return a derived total (e.g. possible) of each row as an int64 array."""
    return frame[list(DERIVED[total])].to_numpy(dtype=np.int64).sum(axis=1)


def _persistence(
    weeks: pd.DataFrame, pupils: pd.DataFrame, thresholds: tuple[int, int]
) -> pd.DataFrame:
    """Return per cell: pupils with possible sessions, persistent and severe absence."""
    pupil_index, pupil_ids = pd.factorize(weeks["pupil_id"])
    possible = np.bincount(pupil_index, _sum_parts(weeks, "possible")).astype(np.int64)
    absence = np.bincount(pupil_index, _sum_parts(weeks, "absence")).astype(np.int64)
    persistent, severe = thresholds
    counted = possible > 0

    flags = pupils.loc[pupil_ids[counted], CELL].assign(
        pupils=1,
        persistent=is_persistent(absence, possible, persistent)[counted].astype(int),
        severe=is_persistent(absence, possible, severe)[counted].astype(int),
    )
    summed = flags.groupby(CELL, sort=False, observed=True).sum()
    summed["schools"] = 1
    return summed.reset_index()


def _by_area(
    partials: list[SchoolPartials], name: str, keys: list[str]
) -> pd.DataFrame:
    """Return one kind of partial summed over the schools of every area.

    The schools' rows are summed per authority once; the authorities' sums are then
    summed into their regions and the nation, a few thousand rows each, rather than
    every school's rows being copied once per area.
    """
    if not partials:
        return pd.DataFrame(columns=[*AREA, *keys])
    frames = [
        getattr(school, name).assign(la=str(school.la_code), region=school.region or "")
        for school in partials
    ]
    combined = pd.concat(frames, ignore_index=True)
    by_la = combined.groupby(["la", "region", *keys], sort=False, observed=True).sum()
    by_la = by_la.reset_index().assign(nation="")
    areas = [
        _area_sum(by_la, keys, "la", "la"),
        _area_sum(by_la[by_la["region"] != ""], keys, "region", "region"),
        _area_sum(by_la, keys, "national", "nation"),
    ]
    return pd.concat(areas, ignore_index=True).sort_values(
        [*AREA, *keys], ignore_index=True
    )


def _area_sum(
    by_la: pd.DataFrame, keys: list[str], scope: str, column: str
) -> pd.DataFrame:
    """Return authority sums summed per area of a scope, each area named by `column`
    (the nation is one area, named "")."""
    values = by_la.drop(columns=["la", "region", "nation"]).assign(area=by_la[column])
    summed = values.groupby(["area", *keys], sort=False, observed=True).sum()
    summed = summed.reset_index()
    summed.insert(0, "scope", scope)
    return summed


def _area_weeks(
    partials: list[SchoolPartials], weeks: list[pd.Timestamp]
) -> pd.DataFrame:
    """Return per area and national week: schools open and schools participating."""
    open_rows: list[tuple[str, str, pd.Timestamp]] = []
    participating: dict[tuple[str, str], int] = {}
    for school in partials:
        for key in school.areas:
            participating.setdefault(key, 0)
            if school.open_weeks:
                participating[key] += 1
            open_rows.extend((*key, week) for week in school.open_weeks)
    opened = pd.DataFrame(open_rows, columns=[*AREA, "week_start"])
    open_counts = opened.groupby([*AREA, "week_start"]).size()

    grid = pd.MultiIndex.from_tuples(
        [(scope, area, week) for scope, area in participating for week in weeks],
        names=[*AREA, "week_start"],
    )
    frame = open_counts.reindex(grid, fill_value=0).rename("schools_open").reset_index()
    frame["schools_participating"] = [
        participating[(scope, area)]
        for scope, area in zip(frame["scope"], frame["area"], strict=True)
    ]
    return frame


def _columns(frame: pd.DataFrame, release_id: int) -> dict[str, list[Any]]:
    """Return a frame's columns as plain-Python lists (no numpy scalars), and
    release_id."""
    columns = {name: _plain(frame[name]) for name in frame.columns}
    columns["release_id"] = [release_id] * len(frame)
    return columns


def _slot_payloads(cells: pd.DataFrame, release_id: int) -> list[dict[str, Any]]:
    """Return a row per area holding its cells' slot sums as a compressed Arrow stream.

    `cells` is sorted by area (as `_by_area` returns it), so each area is one slice.
    """
    table = pa.Table.from_pandas(
        cells[SLOT_SUM_SCHEMA.names], schema=SLOT_SUM_SCHEMA, preserve_index=False
    )
    areas = list(zip(cells["scope"], cells["area"], strict=True))
    starts = [i for i in range(len(areas)) if i == 0 or areas[i] != areas[i - 1]]
    ends = [*starts[1:], len(areas)]
    return [
        {
            "release_id": release_id,
            "scope": areas[start][0],
            "area": areas[start][1],
            "sums": _ipc_bytes(table.slice(start, end - start)),
        }
        for start, end in zip(starts, ends, strict=True)
    ]


def _plain(column: pd.Series) -> list[Any]:
    """Return a column as plain Python values, dates as `date`."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.date.tolist()
    return column.tolist()
