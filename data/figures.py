"""The figures library: the one place the tracker's arithmetic lives.

Every rate is an exact fraction of integer counts, rounded once, half away from zero,
for display only. Group figures are ratios of sums. A week or group with no possible
sessions has no figure (None), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from data.codes import CATEGORY_PARTS, SUBCATEGORIES

# Derived counts every report reads, each a sum of disjoint sub-categories.
DERIVED: dict[str, tuple[str, ...]] = {
    "present": CATEGORY_PARTS["present"],
    "authorised": CATEGORY_PARTS["authorised"],
    "unauthorised": CATEGORY_PARTS["unauthorised"],
    "absence": CATEGORY_PARTS["authorised"] + CATEGORY_PARTS["unauthorised"],
    "possible": CATEGORY_PARTS["present"]
    + CATEGORY_PARTS["authorised"]
    + CATEGORY_PARTS["unauthorised"],
    "holiday": ("holiday_authorised", "holiday_unauthorised"),
    "x_marks": ("x_mark",),
    "not_counted_marks": ("not_counted",),
    "missing_marks": ("missing",),
}

BAND_LIMITS = (1, 2, 4)  # light from 1 point, middle from 2, dark from 4


@dataclass(frozen=True)
class Band:
    """How far a figure is from its comparator: level 0 (under 1 point) to 3 (4+).

    `direction` is "better", "worse" or "" when the level is 0 or there is no figure.
    """

    level: int
    direction: str

    @property
    def css_class(self) -> str:
        """Return the class naming this band, e.g. "band-better-3", or "band-none"."""
        return f"band-{self.direction}-{self.level}" if self.level else "band-none"


NO_BAND = Band(0, "")


def percent(numerator: int, denominator: int) -> Fraction | None:
    """Return numerator / denominator x 100 exactly, or None when nothing was possible."""
    if denominator == 0:
        return None
    return Fraction(100 * int(numerator), int(denominator))


def round_half_away(value: Fraction, places: int = 1) -> Decimal:
    """Round an exact value half away from zero: 93.85 gives 93.9, -0.05 gives -0.1."""
    scaled = value * 10**places
    magnitude = (2 * abs(scaled.numerator) + scaled.denominator) // (
        2 * scaled.denominator
    )
    signed = -magnitude if scaled < 0 else magnitude
    return Decimal(signed) / Decimal(10**places)


def display(value: Fraction | None, places: int = 1) -> str:
    """Return a figure as users see it ("93.9"), or "" when there is no figure."""
    if value is None:
        return ""
    return f"{round_half_away(value, places):.{places}f}"


def difference(school: Fraction | None, comparator: Fraction | None) -> Fraction | None:
    """Return the unrounded school figure minus the unrounded comparator figure."""
    if school is None or comparator is None:
        return None
    return school - comparator


def difference_band(gap: Fraction | None, higher_is_better: bool = True) -> Band:
    """Return the band of an unrounded difference: none under 1, then [1,2), [2,4), 4+."""
    if gap is None:
        return NO_BAND
    level = sum(1 for limit in BAND_LIMITS if abs(gap) >= limit)
    if level == 0:
        return NO_BAND
    better = (gap > 0) == higher_is_better
    return Band(level, "better" if better else "worse")


def is_persistent(absence, possible, threshold: int):  # type: ignore[no-untyped-def]
    """Return whether absence is at least `threshold` % of possible sessions.

    Works on integers or numpy arrays alike; a pupil with no possible sessions is never
    persistently absent.
    """
    return (possible > 0) & (absence * 100 >= threshold * possible)


PUPIL_BANDS: tuple[str, ...] = ("100", "95-100", "90-95", "50-90", "0-50", "none")


def pupil_band(present: int, possible: int) -> str:
    """Return a pupil's attendance band on the unrounded figure.

    "100"; "95-100" (95 to under 100); "90-95" (over 90 to under 95); "50-90" (over 50
    to 90, persistent absence); "0-50" (50 and under, severe absence); "none".
    """
    if possible == 0:
        return "none"
    scaled = present * 100
    if present == possible:
        return "100"
    if scaled >= 95 * possible:
        return "95-100"
    if scaled > 90 * possible:
        return "90-95"
    if scaled > 50 * possible:
        return "50-90"
    return "0-50"


# Which sub-categories (rows) each derived total (columns) adds up, as a 0/1 matrix.
_DERIVED_MATRIX = np.array(
    [[part in parts for parts in DERIVED.values()] for part in SUBCATEGORIES],
    dtype=np.int64,
)


def with_derived(counts: pd.DataFrame) -> pd.DataFrame:
    """Return the counts with every derived total (present, absence, possible ...) added.

    `counts` holds every sub-category; a derived total that shares a sub-category's
    name ("present") replaces it. One matrix product does all the sums.
    """
    sums = derived_totals(counts[list(SUBCATEGORIES)].to_numpy(dtype=np.int64))
    columns = {name: counts[name].to_numpy() for name in counts.columns}
    columns.update({name: sums[:, i] for i, name in enumerate(DERIVED)})
    return pd.DataFrame(columns, index=counts.index)


def derived_totals(counts: np.ndarray) -> np.ndarray:
    """Return the derived totals (columns in DERIVED order) of rows of int64 counts.

    `counts` has one column per sub-category, in SUBCATEGORIES order.
    """
    return counts @ _DERIVED_MATRIX


def totals(counts: pd.DataFrame) -> dict[str, int]:
    """Return the column sums of a counts frame as plain integers, derived totals included."""
    raw = {name: int(counts[name].sum()) for name in SUBCATEGORIES}
    summed = dict(raw)
    for name, parts in DERIVED.items():
        # Sum the raw sub-categories: derived "present" replaces the raw "present",
        # which "possible" must not count twice.
        summed[name] = sum(raw[part] for part in parts)
    return summed


def rate(counts: dict[str, int] | pd.Series, measure: str) -> Fraction | None:
    """Return a measure ("present", "authorised", "illness" ...) as % of possible."""
    return percent(int(counts[measure]), int(counts["possible"]))


def persistent_share(
    absence: np.ndarray, possible: np.ndarray, threshold: int
) -> tuple[int, int]:
    """Return (persistently absent pupils, pupils with any possible session)."""
    counted = possible > 0
    flagged = is_persistent(absence, possible, threshold)
    return int(np.count_nonzero(flagged)), int(np.count_nonzero(counted))
