"""Which sessions of a pupil's week were possible and which were missed, as bitmasks.

A pupil-week's counts say how many sessions were missed but not which. Two int16
bitmasks per pupil-week keep that: bit i is session i of the week's ten-character
string, Monday AM = bit 0 to Friday PM = bit 9. `possible_slots` has a bit for every
possible session (present, authorised or unauthorised), `absent_slots` for every
absence (authorised or unauthorised), so absent bits are always a subset of possible
bits. Day-of-week patterns and absence spells are read from them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.i18n import N_
from data.codes import SESSIONS_PER_WEEK, SUBCATEGORIES
from data.figures import DERIVED

POSSIBLE_SLOTS = "possible_slots"
ABSENT_SLOTS = "absent_slots"
SLOT_COLUMNS = (POSSIBLE_SLOTS, ABSENT_SLOTS)
SLOTS = tuple(range(SESSIONS_PER_WEEK))
# Each session of the week by name, Monday AM first, and the columns a comparator
# stores for it: possible and absent sessions summed over pupil-weeks.
SLOT_NAMES = tuple(
    f"{day}_{half}"
    for day in ("mon", "tue", "wed", "thu", "fri")
    for half in ("am", "pm")
)
POSSIBLE_SUMS = tuple(f"possible_{name}" for name in SLOT_NAMES)
ABSENCE_SUMS = tuple(f"absence_{name}" for name in SLOT_NAMES)
SLOT_SUMS = (*POSSIBLE_SUMS, *ABSENCE_SUMS)
SLOTS_UNAVAILABLE = N_(  # translated where shown
    "This release was published before sessions were kept by day; "
    "publish again to see the at-risk list and absence patterns."
)

_SLOT_BITS = (1 << np.arange(SESSIONS_PER_WEEK)).astype(np.int16)


def _membership(total: str) -> np.ndarray:
    """Return a lookup from sub-category index to whether it is part of a total.

    It has one extra, False, entry at the end so that index -1 (no entry, or a session
    outside the release's dates) looks up False.
    """
    lookup = np.zeros(len(SUBCATEGORIES) + 1, dtype=bool)
    for part in DERIVED[total]:
        lookup[SUBCATEGORIES.index(part)] = True
    return lookup


_IS_POSSIBLE = _membership("possible")
_IS_ABSENCE = _membership("absence")


def slot_masks(categories: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the possible and absent bitmasks (two int16 arrays of N) of N pupil-weeks.

    `categories` is N x 10: each session's sub-category index, -1 where nothing counts
    (as `count_marks` computes them before counting).
    """
    possible = _IS_POSSIBLE[categories].astype(np.int16) @ _SLOT_BITS
    absent = _IS_ABSENCE[categories].astype(np.int16) @ _SLOT_BITS
    return possible.astype(np.int16), absent.astype(np.int16)


def slot_columns(categories: np.ndarray) -> dict[str, np.ndarray]:
    """Return the two bitmask columns of N pupil-weeks by name, ready for `assign`."""
    possible, absent = slot_masks(categories)
    return {POSSIBLE_SLOTS: possible, ABSENT_SLOTS: absent}


def unpack(masks: np.ndarray) -> np.ndarray:
    """Return N bitmasks as an N x 10 boolean array, column i for session i."""
    values = np.asarray(masks, dtype=np.int64)
    return ((values[:, None] >> np.arange(SESSIONS_PER_WEEK)) & 1).astype(bool)


def group_slot_sums(weeks: pd.DataFrame, groups: np.ndarray, count: int) -> np.ndarray:
    """Return the possible and absent sessions on each session of the week summed per
    group of pupil-weeks: (count, 20) int64, columns in SLOT_SUMS order.

    `groups` gives each row of `weeks` its group, 0 to count - 1.
    """
    bits = np.concatenate(
        [
            unpack(weeks[POSSIBLE_SLOTS].to_numpy()),
            unpack(weeks[ABSENT_SLOTS].to_numpy()),
        ],
        axis=1,
    )
    width = len(SLOT_SUMS)
    bins = (np.asarray(groups, dtype=np.int64)[:, None] * width + np.arange(width))[
        bits
    ]
    return np.bincount(bins, minlength=count * width).reshape(count, width)


def slot_totals(weeks: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return possible and absent sessions per slot (two int64 arrays of 10) summed
    over pupil-week rows that carry the bitmask columns."""
    possible = unpack(weeks[POSSIBLE_SLOTS].to_numpy()).sum(axis=0, dtype=np.int64)
    absent = unpack(weeks[ABSENT_SLOTS].to_numpy()).sum(axis=0, dtype=np.int64)
    return possible, absent


def spell_counts(weeks: pd.DataFrame) -> pd.Series:
    """Return each pupil's number of absence spells (int64, indexed by pupil_id).

    A spell is a run of absences over consecutive possible sessions: sessions that were
    not possible (weekends, holidays, closures, X and not-counted marks, missing
    registers, weeks with no entry) are skipped, so absences either side of them are
    one spell. Every pupil in `weeks` has an entry, 0 when never absent.
    """
    ordered = weeks.sort_values(["pupil_id", "week_start"], kind="stable")
    pupil_ids = ordered["pupil_id"].to_numpy()
    possible = unpack(ordered[POSSIBLE_SLOTS].to_numpy()).ravel()
    absent = unpack(ordered[ABSENT_SLOTS].to_numpy()).ravel()
    session_pupil = np.repeat(pupil_ids, SESSIONS_PER_WEEK)[possible]
    absent = absent[possible]

    follows_absence = np.r_[False, absent[:-1]]
    same_pupil = np.r_[False, session_pupil[1:] == session_pupil[:-1]]
    starts = absent & ~(follows_absence & same_pupil)

    pupils = pd.Index(np.unique(pupil_ids), name="pupil_id")
    counted = pd.Series(starts.astype(np.int64)).groupby(session_pupil).sum()
    return counted.reindex(pupils, fill_value=0).astype(np.int64)


def has_slots(weeks: pd.DataFrame) -> bool:
    """Whether pupil-week rows carry the bitmask columns (releases before them do not)."""
    return all(name in weeks.columns for name in SLOT_COLUMNS)
