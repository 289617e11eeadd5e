"""Comparator counts for a release: per-school partial sums and their area totals.

Each school contributes additive partials (weekly cell sums, open weeks, persistent
absence per cell); the national, authority and region comparators are sums of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data.codes import SUBCATEGORIES
from data.figures import DERIVED, is_persistent

CELL = ["year_group", "gender", "efsm", "sen"]
COUNTS = list(SUBCATEGORIES)
AREA = ["scope", "area"]


@dataclass(frozen=True)
class SchoolPartials:
    """One school's contribution to the comparators of the areas it belongs to.

    `cells`: week_start, cell columns, pupils and every sub-category, one row per week
    and cell; `open_weeks`: the weeks with any possible session; `persistence`: cell
    columns, pupils, persistent, severe.
    """

    la_code: int
    region: str | None
    cells: pd.DataFrame
    open_weeks: list[date]
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
    """Rows ready for bulk insert: comparator cells, area weeks and persistence."""

    comparators: list[dict[str, Any]]
    area_weeks: list[dict[str, Any]]
    persistence: list[dict[str, Any]]


def school_partials(
    weeks: pd.DataFrame,
    pupils: pd.DataFrame,
    la_code: int,
    region: str | None,
    thresholds: tuple[int, int],
) -> SchoolPartials:
    """Return a school's partial sums from its pupil-week counts and pupils' context.

    `weeks` has pupil_id, week_start (date) and every sub-category; `pupils` is indexed
    by pupil_id with the cell columns; `thresholds` are the persistent and severe
    absence percentages.
    """
    rows = weeks.join(pupils[CELL], on="pupil_id")
    grouped = rows.groupby(["week_start", *CELL], sort=False, observed=True)
    cells = grouped[COUNTS].sum()
    cells["pupils"] = grouped.size()

    possible = _sum_parts(weeks, "possible")
    open_weeks = sorted(set(weeks["week_start"][possible > 0]))
    persistence = _persistence(rows, thresholds)
    return SchoolPartials(la_code, region, cells.reset_index(), open_weeks, persistence)


def area_rows(partials: list[SchoolPartials], release_id: int) -> AreaRows:
    """Return the national, authority and region rows summed over the schools."""
    cells = _by_area(partials, "cells", ["week_start", *CELL])
    persistence = _by_area(partials, "persistence", CELL)
    weeks = sorted(set(cells.loc[cells["scope"] == "national", "week_start"]))
    return AreaRows(
        comparators=_records(cells, release_id),
        area_weeks=_records(_area_weeks(partials, weeks), release_id),
        persistence=_records(persistence, release_id),
    )


def _sum_parts(frame: pd.DataFrame, total: str) -> np.ndarray:
    """Return a derived total (e.g. possible) of each row as an int64 array."""
    return frame[list(DERIVED[total])].to_numpy(dtype=np.int64).sum(axis=1)


def _persistence(rows: pd.DataFrame, thresholds: tuple[int, int]) -> pd.DataFrame:
    """Return per cell: pupils with possible sessions, persistent and severe absence."""
    per_pupil = rows.groupby("pupil_id", sort=False)[COUNTS].sum()
    possible = _sum_parts(per_pupil, "possible")
    absence = _sum_parts(per_pupil, "absence")
    persistent, severe = thresholds
    flags = pd.DataFrame(
        {
            "pupils": np.ones(len(per_pupil), dtype=np.int64),
            "persistent": is_persistent(absence, possible, persistent).astype(np.int64),
            "severe": is_persistent(absence, possible, severe).astype(np.int64),
        },
        index=per_pupil.index,
    )
    flags = flags[possible > 0]
    cells = rows.drop_duplicates("pupil_id").set_index("pupil_id")[CELL]
    counted = flags.join(cells).groupby(CELL, sort=False, observed=True).sum()
    counted["schools"] = 1
    return counted.reset_index()


def _by_area(
    partials: list[SchoolPartials], name: str, keys: list[str]
) -> pd.DataFrame:
    """Return one kind of partial summed over the schools of every area."""
    frames = []
    for school in partials:
        frame = getattr(school, name)
        for scope, area in school.areas:
            frames.append(frame.assign(scope=scope, area=area))
    if not frames:
        return pd.DataFrame(columns=[*AREA, *keys])
    combined = pd.concat(frames, ignore_index=True)
    return (
        combined.groupby([*AREA, *keys], sort=True, observed=True).sum().reset_index()
    )


def _area_weeks(partials: list[SchoolPartials], weeks: list[date]) -> pd.DataFrame:
    """Return per area and national week: schools open and schools participating."""
    open_rows: list[tuple[str, str, date]] = []
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


def _records(frame: pd.DataFrame, release_id: int) -> list[dict[str, Any]]:
    """Return a frame's rows as plain-Python dicts (no numpy scalars) with release_id."""
    columns = {name: frame[name].tolist() for name in frame.columns}
    count = len(frame)
    columns["release_id"] = [release_id] * count
    return [{name: values[i] for name, values in columns.items()} for i in range(count)]
