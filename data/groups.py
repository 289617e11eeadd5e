"""Pupil groups and their weekly and year-to-date counts, for a school and a comparator.

Pure functions over a school's published data and a release's comparator cells. The
withholding rules live here, so every report withholds the same weeks for the same
reasons.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from dashboard.config import Settings
from dashboard.i18n import N_, _
from data.codes import REFERENCE_DIR, SUBCATEGORIES
from data.figures import with_derived

COUNT_COLUMNS = list(SUBCATEGORIES)

# Reasons a comparator figure is withheld; the interface explains each in words.
FEW_SCHOOLS_OPEN = "few_schools_open"
SMALL_GROUP = "small_group"
FEW_SCHOOLS_IN_AREA = "few_schools_in_area"
# Marked for translation; show them through `withheld_reason`.
WITHHELD_REASONS = {
    FEW_SCHOOLS_OPEN: N_(
        "Withheld: fewer than half of the participating schools were open."
    ),
    SMALL_GROUP: N_("Withheld: too few pupils in this group to compare."),
    FEW_SCHOOLS_IN_AREA: N_("Withheld: too few schools in this area to compare."),
}
# The filter field (see `filter_fields`) each PupilFilter attribute narrows.
FIELD_NAMES = {
    "year_group": "year_group",
    "gender": "gender",
    "efsm": "efsm",
    "sen": "has_sen",
    "reg_group": "reg_group",
    "eal": "eal",
    "ethnic_group": "ethnic_group",
}


def withheld_reason(reason: str | None) -> str:
    """Return why a comparator figure is withheld, in the current language ("" when
    it is not withheld or the reason is unknown)."""
    text = WITHHELD_REASONS.get(reason or "")
    return _(text) if text else ""


@cache
def ethnic_groups() -> dict[str, str]:
    """Return the ethnicity lookup: DfE/Welsh Government code to main group key."""
    with open(REFERENCE_DIR / "ethnicity.csv", encoding="utf-8", newline="") as handle:
        return {row["code"]: row["main_group"] for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class PupilFilter:
    """A selection of pupils by context; None means "all"."""

    year_group: int | None = None
    gender: str | None = None
    efsm: bool | None = None
    sen: bool | None = None
    reg_group: str | None = None
    eal: bool | None = None
    ethnic_group: str | None = None

    def is_all(self) -> bool:
        """Whether the filter selects every pupil."""
        return all(value is None for value in asdict(self).values())

    def mask(self, pupils: pd.DataFrame) -> pd.Series:
        """Return a boolean mask over a pupils frame (columns as in the release payload)."""
        arrays = filter_fields(pupils, self.chosen())
        return pd.Series(self.select(arrays, len(pupils)), index=pupils.index)

    def chosen(self) -> dict[str, Any]:
        """Return the field each set filter narrows (see `filter_fields`) and its value."""
        return {
            FIELD_NAMES[item.name]: getattr(self, item.name)
            for item in fields(self)
            if getattr(self, item.name) is not None
        }

    def select(self, arrays: dict[str, np.ndarray], size: int) -> np.ndarray:
        """Return which of `size` rows the filter keeps, from their `filter_fields`."""
        keep = np.ones(size, dtype=bool)
        for name, value in self.chosen().items():
            keep &= arrays[name] == value
        return keep

    def comparator_cells(self) -> dict[str, Any]:
        """Return the parts of the filter a comparator can follow (cell columns)."""
        return {
            "year_group": self.year_group,
            "gender": self.gender,
            "efsm": self.efsm,
            "sen": self.sen,
        }


def filter_fields(frame: pd.DataFrame, names: Iterable[str]) -> dict[str, np.ndarray]:
    """Return the named filter fields of a pupils or cells frame as arrays.

    `has_sen` is a SEN/ALN status other than "none"; `ethnic_group` the main group of
    the ethnicity; any other field is the frame's column of that name.
    """
    arrays = {}
    for name in names:
        if name == "has_sen":
            arrays[name] = (frame["sen"] != "none").to_numpy()
        elif name == "ethnic_group":
            arrays[name] = frame["ethnicity"].map(ethnic_groups()).to_numpy()
        else:
            arrays[name] = frame[name].to_numpy()
    return arrays


def select_weeks(
    pupils: pd.DataFrame, weeks: pd.DataFrame, pupil_filter: PupilFilter
) -> pd.DataFrame:
    """Return the pupil-week rows of the pupils the filter selects."""
    if pupil_filter.is_all():
        return weeks
    chosen = pupils.index[pupil_filter.mask(pupils)]
    return weeks[weeks["pupil_id"].isin(chosen)]


def weekly(rows: pd.DataFrame) -> pd.DataFrame:
    """Return counts per week: one row per week_start, every count, `pupils`, totals.

    `pupils` is the number of pupils with any entry that week.
    """
    grouped = rows.groupby("week_start", sort=True)
    counts = grouped[COUNT_COLUMNS].sum()
    counts["pupils"] = grouped.size()
    return with_derived(counts)


def pupil_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """Return each pupil's year-to-date counts and totals, indexed by pupil_id."""
    return with_derived(rows.groupby("pupil_id")[COUNT_COLUMNS].sum())


def year_to_date(rows: pd.DataFrame) -> pd.Series:
    """Return the year's counts as one row: every count, distinct `pupils`, totals."""
    counts = rows[COUNT_COLUMNS].sum()
    frame = with_derived(counts.to_frame().T)
    result = frame.iloc[0].astype("int64")
    result["pupils"] = rows["pupil_id"].nunique()
    return result


def comparator_rows(cells: pd.DataFrame, **cell_filter: Any) -> pd.DataFrame:
    """Return the comparator cells matching year group, gender, eFSM and SEN (Y/N)."""
    return cells[PupilFilter(**cell_filter).mask(cells).to_numpy()]


def comparator_weekly(
    cells: pd.DataFrame,
    area_weeks: pd.DataFrame,
    settings: Settings,
    scope: str = "national",
    **cell_filter: Any,
) -> pd.DataFrame:
    """Return a comparator's counts per week with a `withheld` reason ("" when shown).

    A national week is withheld when too few of the year's schools were open; an
    authority or region week when it had too few open schools; any week when the
    group had too few pupils.
    """
    chosen = comparator_rows(cells, **cell_filter)
    grouped = chosen.groupby("week_start", sort=True)
    counts = grouped[[*COUNT_COLUMNS, "pupils"]].sum()
    counts = with_derived(counts)
    schools = area_weeks.set_index("week_start").reindex(counts.index)
    weeks = zip(
        schools["schools_open"],
        schools["schools_participating"],
        counts["pupils"],
        strict=True,
    )
    reasons = [
        withheld_week(_known(open_), _known(taking_part), int(pupils), settings, scope)
        for open_, taking_part, pupils in weeks
    ]
    counts["withheld"] = pd.Series(reasons, index=counts.index, dtype=object)
    return counts


def comparator_year_to_date(
    cells: pd.DataFrame,
    persistence: pd.DataFrame,
    area_weeks: pd.DataFrame,
    settings: Settings,
    scope: str = "national",
    **cell_filter: Any,
) -> pd.Series:
    """Return a comparator's year-to-date counts, persistent absence and `withheld`."""
    chosen = comparator_rows(cells, **cell_filter)
    result = with_derived(chosen[COUNT_COLUMNS].sum().to_frame().T).iloc[0]
    result = result.astype("int64").astype(object)
    people = comparator_rows(persistence, **cell_filter)
    result["pupils"] = int(people["pupils"].sum())
    result["persistent"] = int(people["persistent"].sum())
    result["severe"] = int(people["severe"].sum())
    participating = (
        int(area_weeks["schools_participating"].max()) if len(area_weeks) else 0
    )
    result["withheld"] = withheld_year(participating, result["pupils"], settings, scope)
    return result


def withheld_week(
    schools_open: int | None,
    participating: int | None,
    pupils: int,
    settings: Settings,
    scope: str = "national",
) -> str:
    """Return why a comparator's week is withheld, or "" when it is shown.

    A national week is withheld when too few of the year's schools were open; an
    authority or region week when it had too few open schools; any week when the
    group had too few pupils. A week without school counts (None) is judged on its
    pupils alone.
    """
    if scope == "national":
        if (
            schools_open is not None
            and participating is not None
            and schools_open * 100
            < settings.national_week_min_school_percent * participating
        ):
            return FEW_SCHOOLS_OPEN
    elif schools_open is not None and schools_open < settings.area_min_schools:
        return FEW_SCHOOLS_IN_AREA
    if pupils < settings.comparator_min_pupils:
        return SMALL_GROUP
    return ""


def withheld_year(
    participating: int, pupils: int, settings: Settings, scope: str = "national"
) -> str:
    """Return why a comparator's year to date is withheld, or "" when it is shown.

    `participating` is the most schools the area had in any week.
    """
    if scope != "national" and participating < settings.area_min_schools:
        return FEW_SCHOOLS_IN_AREA
    if pupils < settings.comparator_min_pupils:
        return SMALL_GROUP
    return ""


def _known(count: Any) -> int | None:
    """Return a school count as an int, or None when the week had none (NaN)."""
    return None if pd.isna(count) else int(count)
