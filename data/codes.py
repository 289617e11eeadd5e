"""Welsh attendance codes as dated data: categories, sub-categories and MIS sub-codes.

Marks are stored as one character per session. A week of marks for one pupil is a
ten-character string, Monday AM to Friday PM; `NO_ENTRY` fills sessions that no import
has supplied and `MISSING` is a register that was not taken.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

NO_ENTRY = "."
MISSING = "-"
SESSIONS_PER_WEEK = 10
EMPTY_WEEK = NO_ENTRY * SESSIONS_PER_WEEK

# The disjoint sub-categories a release counts, in storage order. Every total a report
# shows is a sum of these, so the columns of every report add up by construction.
SUBCATEGORIES: tuple[str, ...] = (
    "present",
    "late",
    "approved",
    "illness",
    "medical",
    "holiday_authorised",
    "other_authorised",
    "holiday_unauthorised",
    "other_unauthorised",
    "x_mark",
    "not_counted",
    "missing",
)
CATEGORY_PARTS: dict[str, tuple[str, ...]] = {
    "present": ("present", "late", "approved"),
    "authorised": ("illness", "medical", "holiday_authorised", "other_authorised"),
    "unauthorised": ("holiday_unauthorised", "other_unauthorised"),
    "not_possible": ("x_mark", "not_counted"),
    "missing": ("missing",),
}


@dataclass(frozen=True)
class Code:
    """One statutory code as it applies from `valid_from`."""

    code: str
    meaning: str
    category: str
    subcategory: str
    valid_from: date


@cache
def code_sets() -> dict[date, dict[str, Code]]:
    """Return every code set in the reference table, keyed by the date it starts."""
    sets: dict[date, dict[str, Code]] = {}
    with open(REFERENCE_DIR / "codes.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            start = date.fromisoformat(row["valid_from"])
            if row["subcategory"] not in SUBCATEGORIES:
                raise ValueError(
                    f"codes.csv: unknown sub-category {row['subcategory']}"
                )
            sets.setdefault(start, {})[row["code"]] = Code(
                row["code"], row["meaning"], row["category"], row["subcategory"], start
            )
    return dict(sorted(sets.items()))


def codes_on(day: date) -> dict[str, Code]:
    """Return the code set in force on `day` (the latest one starting on or before it)."""
    current: dict[str, Code] | None = None
    for start, codes in code_sets().items():
        if start <= day:
            current = codes
    if current is None:
        raise LookupError(f"No attendance code set is in force on {day.isoformat()}.")
    return current


@cache
def mis_subcodes() -> dict[str, str]:
    """Return the MIS sub-code lookup: local mark (upper case) to statutory code."""
    with open(
        REFERENCE_DIR / "mis_subcodes.csv", encoding="utf-8", newline=""
    ) as handle:
        return {row["subcode"].upper(): row["code"] for row in csv.DictReader(handle)}


def statutory_code(raw: str, day: date) -> str | None:
    """Map a mark as an MIS exports it to a statutory code, or None when it is unknown.

    An empty mark or `-` means the register was not taken and maps to `MISSING`.
    """
    mark = raw.strip()
    if mark in ("", MISSING):
        return MISSING
    codes = codes_on(day)
    if mark in codes:
        return mark
    mapped = mis_subcodes().get(mark.upper())
    if mapped is None and mark.upper() in codes:
        mapped = mark.upper()
    return mapped if mapped in codes else None


def subcategory_lookup(day: date) -> np.ndarray:
    """Return a 256-entry array mapping a code's byte to its sub-category index.

    Bytes that are not codes (including `NO_ENTRY`) map to -1.
    """
    lookup = np.full(256, -1, dtype=np.int8)
    for code in codes_on(day).values():
        lookup[ord(code.code)] = SUBCATEGORIES.index(code.subcategory)
    return lookup


def session_index(day: date, session: str) -> int:
    """Return the position of a date's AM or PM session within its week's string."""
    return day.weekday() * 2 + (0 if session == "AM" else 1)
