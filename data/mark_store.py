"""Storing session marks as weekly strings, replacing exactly the days given."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from data.codes import NO_ENTRY, SESSIONS_PER_WEEK
from data.db import bulk_insert
from data.schema import WeekMarks

BLANK = ord(NO_ENTRY)


def store_marks(
    session: Session,
    school_id: str,
    pupil_ids: np.ndarray,
    days: np.ndarray,
    sessions: np.ndarray,
    codes: np.ndarray,
) -> int:
    """Replace the school's marks on exactly the days given; return the sessions stored.

    Every pupil's sessions on those days are cleared, then set from the input; weeks left
    with no marks are deleted. `days` are weekdays (datetime64[D]), `sessions` 0 for AM
    and 1 for PM, `codes` one statutory character each (uint8 or 1-character strings).
    """
    return replace_marks(session, school_id, pupil_ids, days, sessions, codes, True)


def replace_marks(
    session: Session,
    school_id: str,
    pupil_ids: np.ndarray,
    days: np.ndarray,
    sessions: np.ndarray,
    codes: np.ndarray,
    whole_school: bool,
) -> int:
    """Replace marks on the given days for the whole school, or only the given pupils.

    A `NO_ENTRY` code clears a session. Returns how many sessions now hold a mark.
    The weeks touched are held as one grid, pupils x weeks x ten sessions.
    """
    pupil_ids = np.asarray(pupil_ids, dtype=np.int64)
    day_numbers = np.asarray(days, dtype="datetime64[D]").astype(np.int64)
    slots = (day_numbers + 3) % 7 * 2
    if len(day_numbers) == 0:
        return 0
    if (slots >= SESSIONS_PER_WEEK).any():
        raise ValueError("Marks can only be stored for weekdays.")
    weeks, week_index = distinct_ranks(day_numbers - slots // 2)
    week_dates = weeks.astype("datetime64[D]").tolist()
    scope = None if whole_school else np.unique(pupil_ids).tolist()

    old_pupils, old_weeks, old_codes = _stored_weeks(
        session, school_id, week_dates, scope
    )
    pupils, pupil_index = distinct_ranks(np.concatenate([old_pupils, pupil_ids]))
    grid = np.full((len(pupils), len(weeks), SESSIONS_PER_WEEK), BLANK, np.uint8)
    grid[pupil_index[: len(old_pupils)], np.searchsorted(weeks, old_weeks)] = old_codes
    new_rows = pupil_index[len(old_pupils) :]

    if whole_school:
        cleared = np.zeros((len(weeks), SESSIONS_PER_WEEK), dtype=bool)
        cleared[week_index, slots] = cleared[week_index, slots + 1] = True
        grid[:, cleared] = BLANK
    else:
        grid[new_rows, week_index, slots] = BLANK
        grid[new_rows, week_index, slots + 1] = BLANK
    targets = np.ravel_multi_index(
        (new_rows, week_index, slots + np.asarray(sessions, dtype=np.int64)),
        grid.shape,
    )
    grid.ravel()[targets] = code_bytes(codes)

    _write_weeks(session, school_id, week_dates, scope, pupils, grid)
    touched = np.zeros(grid.size, dtype=bool)
    touched[targets] = True
    return int((touched & (grid.ravel() != BLANK)).sum())


def distinct_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the sorted distinct integers and each value's index among them.

    The same answer as `np.unique(values, return_inverse=True)`; values in a modest
    range (pupil ids of a school, week numbers) are ranked by counting, not sorting.
    """
    if len(values) == 0 or values.max() - values.min() > 8 * len(values) + (1 << 20):
        return np.unique(values, return_inverse=True)
    low = values.min()
    present = np.zeros(values.max() - low + 1, dtype=bool)
    present[values - low] = True
    rank = np.cumsum(present) - 1
    return np.flatnonzero(present) + low, rank[values - low]


def code_bytes(codes: np.ndarray) -> np.ndarray:
    """Return one-character codes as their bytes (uint8)."""
    values = np.asarray(codes)
    if values.dtype == np.uint8:
        return values
    if values.dtype.kind == "S":
        return values.astype("S1").view(np.uint8)
    points = values.astype("U1").view(np.uint32)
    if (points > 127).any():
        raise ValueError("Attendance codes are single ASCII characters.")
    return points.astype(np.uint8)


def _stored_weeks(
    session: Session, school_id: str, week_dates: list[date], scope: list[int] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    query = select(WeekMarks.pupil_id, WeekMarks.week_start, WeekMarks.codes).where(
        WeekMarks.school_id == school_id, WeekMarks.week_start.in_(week_dates)
    )
    if scope is not None:
        query = query.where(WeekMarks.pupil_id.in_(scope))
    found = session.execute(query).all()
    pupils = np.array([row[0] for row in found], dtype=np.int64)
    weeks = np.array([row[1] for row in found], dtype="datetime64[D]").astype(np.int64)
    text = "".join(row[2] for row in found).encode("ascii")
    codes = np.frombuffer(text, dtype=np.uint8).reshape(len(found), SESSIONS_PER_WEEK)
    return pupils, weeks, codes


def _write_weeks(
    session: Session,
    school_id: str,
    week_dates: list[date],
    scope: list[int] | None,
    pupils: np.ndarray,
    grid: np.ndarray,
) -> None:
    """Delete the stored weeks, then insert every pupil-week of the grid with a mark,
    in primary-key order (week, then pupil)."""
    removal = delete(WeekMarks).where(
        WeekMarks.school_id == school_id, WeekMarks.week_start.in_(week_dates)
    )
    if scope is not None:
        removal = removal.where(WeekMarks.pupil_id.in_(scope))
    session.execute(removal)

    week_rows, pupil_rows = np.nonzero((grid != BLANK).any(axis=2).T)
    if len(week_rows) == 0:
        return
    text = grid[pupil_rows, week_rows].tobytes().decode("ascii")
    texts = [
        text[i : i + SESSIONS_PER_WEEK] for i in range(0, len(text), SESSIONS_PER_WEEK)
    ]
    weeks = [week_dates[i] for i in week_rows.tolist()]
    insert_weeks(session, school_id, pupils[pupil_rows].tolist(), weeks, texts)


def insert_weeks(
    session: Session,
    school_id: str,
    pupils: list[int],
    weeks: list[date],
    texts: list[str],
) -> None:
    """Insert weekly mark strings in bulk (see `data.db.bulk_insert`)."""
    columns: dict[str, list[Any]] = {
        "school_id": [school_id] * len(pupils),
        "week_start": weeks,
        "pupil_id": pupils,
        "codes": texts,
    }
    bulk_insert(session.connection(), WeekMarks, columns)
