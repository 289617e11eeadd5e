"""Which days a school has marks for: its last marked day and the school days missing.

A day counts as marked when at least one pupil holds a code other than "no entry" (`.`)
or "register not taken" (`-`) in either session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.calendar import academic_year_bounds, monday_of, school_calendar
from data.codes import EMPTY_WEEK, MISSING, NO_ENTRY, SESSIONS_PER_WEEK
from data.db import session_scope
from data.releases import current_release
from data.schema import WeekMarks

_BLANKS = np.frombuffer((NO_ENTRY + MISSING).encode("ascii"), dtype=np.uint8)


@dataclass(frozen=True)
class MarksStatus:
    """A school's marks against the current release.

    `window` is the first and last day the current release covers (None before the
    first release); `missing_days` the school days in it, by the school's calendar,
    with no mark; `last_marked` the latest day with any mark, in any year.
    """

    school_id: str
    last_marked: date | None
    window: tuple[date, date] | None
    missing_days: tuple[date, ...]


def marks_status(url: str, school_id: str) -> MarksStatus:
    """Return the school's last marked day and the days missing in the release window."""
    release = current_release(url)
    with session_scope(url) as session:
        last = last_marked_day(session, school_id)
        if release is None:
            return MarksStatus(school_id, last, None, ())
        first_day = academic_year_bounds(release.academic_year)[0]
        window = (first_day, release.to_date)
        calendar = school_calendar(session, school_id, release.academic_year)
        marked = marked_days(session, school_id, *window)
    missing = tuple(
        day
        for day in calendar.school_days()
        if window[0] <= day <= window[1] and day not in marked
    )
    return MarksStatus(school_id, last, window, missing)


def last_marked_day(session: Session, school_id: str) -> date | None:
    """Return the latest day on which any pupil of the school holds a mark."""
    latest = select(func.max(WeekMarks.week_start)).where(
        WeekMarks.school_id == school_id, WeekMarks.codes != EMPTY_WEEK
    )
    week = session.scalar(latest)
    while week is not None:
        days = marked_days(session, school_id, week, week + timedelta(days=4))
        if days:
            return max(days)
        week = session.scalar(latest.where(WeekMarks.week_start < week))
    return None


def marked_days(session: Session, school_id: str, first: date, last: date) -> set[date]:
    """Return the days from `first` to `last` on which any pupil holds a mark."""
    query = select(WeekMarks.week_start, WeekMarks.codes).where(
        WeekMarks.school_id == school_id,
        WeekMarks.week_start >= monday_of(first),
        WeekMarks.week_start <= last,
        WeekMarks.codes != EMPTY_WEEK,
    )
    rows = session.execute(query).all()
    if not rows:
        return set()
    weeks, week_rows = np.unique(
        np.array([row[0] for row in rows], dtype="datetime64[D]"), return_inverse=True
    )
    text = "".join(row[1] for row in rows).encode("ascii")
    codes = np.frombuffer(text, dtype=np.uint8).reshape(len(rows), SESSIONS_PER_WEEK)
    real = ~np.isin(codes, _BLANKS)
    week_has = np.zeros((len(weeks), SESSIONS_PER_WEEK), dtype=bool)
    np.logical_or.at(week_has, week_rows, real)
    day_has = week_has[:, 0::2] | week_has[:, 1::2]

    found = set()
    for week_index, weekday in zip(*np.nonzero(day_has), strict=True):
        day = weeks[week_index].item() + timedelta(days=int(weekday))
        if first <= day <= last:
            found.add(day)
    return found
