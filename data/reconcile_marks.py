"""The marks we hold for a school's pupils over a date range, as the MIS check needs them.

Per pupil with context at the school for the year: totals of possible, present,
authorised and unauthorised sessions (sums of sub-categories as `data.figures.DERIVED`
defines them), and the sessions that commonly explain a difference from the MIS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.i18n import N_, _, format_day
from data.calendar import SchoolCalendar, monday_of, school_calendar
from data.codes import (
    CATEGORY_PARTS,
    NO_ENTRY,
    SESSIONS_PER_WEEK,
    SUBCATEGORIES,
    subcategory_lookup,
)
from data.figures import DERIVED
from data.schema import Pupil, PupilYear, WeekMarks

# Category numbers of each sub-category: the three parts of possible sessions, then
# not-counted marks and registers not taken.
CATEGORIES = (
    DERIVED["present"],
    DERIVED["authorised"],
    DERIVED["unauthorised"],
    CATEGORY_PARTS["not_possible"],
    CATEGORY_PARTS["missing"],
)
PRESENT, AUTHORISED, UNAUTHORISED, NOT_COUNTED, MISSING = range(5)
NO_REASON = ord("N")
SESSIONS = (N_("AM"), N_("PM"))


class Totals(NamedTuple):
    """A pupil's session totals over the dates: possible = the other three."""

    possible: int
    present: int
    authorised: int
    unauthorised: int


@dataclass(frozen=True)
class HeldPupil:
    """One pupil's totals and the sessions worth checking, labelled "Mon 11 Sep AM"
    (in the current language: "Llun 11 Medi bore").

    `missing`: school days on roll with no code, or a register not taken;
    `not_counted`: X, D, Y, Z or # on a school day; `no_reason`: N marks;
    `roll_events`: "joined 11 Sep 2023" or "left 8 Sep 2023" inside the dates.
    """

    year_group: int
    totals: Totals
    missing: tuple[str, ...]
    not_counted: tuple[str, ...]
    no_reason: tuple[str, ...]
    roll_events: tuple[str, ...]


@dataclass(frozen=True)
class HeldMarks:
    """Every pupil with context at the school for the year, by UPN."""

    pupils: dict[str, HeldPupil]


def held_marks(
    session: Session, school_id: str, year: str, first: date, last: date
) -> HeldMarks:
    """Return the school's pupils' totals and evidence from `first` to `last`."""
    roll = session.execute(
        select(
            Pupil.id,
            Pupil.upn,
            PupilYear.year_group,
            PupilYear.entry_date,
            PupilYear.leaving_date,
        )
        .join(PupilYear, PupilYear.pupil_id == Pupil.id)
        .where(PupilYear.school_id == school_id, PupilYear.academic_year == year)
        .order_by(Pupil.id)
    ).all()
    calendar = school_calendar(session, school_id, year)
    days = [
        first + timedelta(days=offset)
        for offset in range((last - first).days + 1)
        if (first + timedelta(days=offset)).weekday() < 5
    ]
    ids = np.array([row.id for row in roll], dtype=np.int64)
    codes = _codes(session, school_id, ids, days)
    categories = _categories(codes, days)

    school_day = np.repeat([calendar.is_school_day(day) for day in days], 2)
    pupils = {}
    for index, row in enumerate(roll):
        on_roll = np.repeat(
            [
                row.entry_date <= day
                and (row.leaving_date is None or day <= row.leaving_date)
                for day in days
            ],
            2,
        )
        pupils[row.upn] = _pupil(
            row.year_group,
            codes[index],
            categories[index],
            school_day,
            on_roll,
            days,
            _roll_events(calendar, days, row.entry_date, row.leaving_date),
        )
    return HeldMarks(pupils)


def _codes(
    session: Session, school_id: str, ids: np.ndarray, days: list[date]
) -> np.ndarray:
    """Return a (pupils, sessions) array of code bytes, `NO_ENTRY` where none is held."""
    grid = np.full((len(ids), 2 * len(days)), ord(NO_ENTRY), dtype=np.uint8)
    if not days or not len(ids):
        return grid
    rows = session.execute(
        select(WeekMarks.pupil_id, WeekMarks.week_start, WeekMarks.codes).where(
            WeekMarks.school_id == school_id,
            WeekMarks.week_start >= monday_of(days[0]),
            WeekMarks.week_start <= days[-1],
        )
    ).all()
    day_numbers = np.array(days, dtype="datetime64[D]").astype(np.int64)
    for pupil_id, week_start, text in rows:
        position = np.searchsorted(ids, pupil_id)
        if position >= len(ids) or ids[position] != pupil_id:
            continue
        week = np.datetime64(week_start, "D").astype(np.int64)
        marks = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        slots = np.arange(SESSIONS_PER_WEEK)
        columns = np.searchsorted(day_numbers, week + slots // 2)
        inside = (columns < len(days)) & (
            day_numbers[np.minimum(columns, len(days) - 1)] == week + slots // 2
        )
        grid[position, columns[inside] * 2 + slots[inside] % 2] = marks[inside]
    return grid


def _categories(codes: np.ndarray, days: list[date]) -> np.ndarray:
    """Return each session's category number (see `CATEGORIES`), -1 for no code."""
    to_category = np.full(len(SUBCATEGORIES) + 1, -1, dtype=np.int8)
    for number, parts in enumerate(CATEGORIES):
        for part in parts:
            to_category[SUBCATEGORIES.index(part)] = number
    if not days:
        return np.empty(codes.shape, dtype=np.int8)
    lookups = np.stack(
        [to_category[subcategory_lookup(day).astype(np.int64)] for day in days]
    )
    columns = np.repeat(np.arange(len(days)), 2)
    return lookups[columns[None, :], codes]


def _pupil(
    year_group: int,
    codes: np.ndarray,
    categories: np.ndarray,
    school_day: np.ndarray,
    on_roll: np.ndarray,
    days: list[date],
    roll_events: tuple[str, ...],
) -> HeldPupil:
    """Return one pupil's totals and evidence from their row of sessions."""
    present, authorised, unauthorised = (
        int((categories == number).sum())
        for number in (PRESENT, AUTHORISED, UNAUTHORISED)
    )
    missing = (categories == MISSING) | (
        (codes == ord(NO_ENTRY)) & school_day & on_roll
    )
    not_counted = (categories == NOT_COUNTED) & school_day
    return HeldPupil(
        year_group=year_group,
        totals=Totals(
            present + authorised + unauthorised, present, authorised, unauthorised
        ),
        missing=_labels(missing, days),
        not_counted=_labels(not_counted, days),
        no_reason=_labels(codes == NO_REASON, days),
        roll_events=roll_events,
    )


def _labels(flags: np.ndarray, days: list[date]) -> tuple[str, ...]:
    """Return the sessions flagged, as "Mon 11 Sep AM"."""
    return tuple(
        f"{format_day(days[column // 2], 'EEE d MMM')} {_(SESSIONS[column % 2])}"
        for column in np.flatnonzero(flags).tolist()
    )


def _roll_events(
    calendar: SchoolCalendar,
    days: list[date],
    entry: date,
    leaving: date | None,
) -> tuple[str, ...]:
    """Return the pupil's joining and leaving when school days fall outside them."""
    events = []
    if any(day < entry and calendar.is_school_day(day) for day in days):
        events.append(_("joined %(day)s", day=format_day(entry, "d MMM yyyy")))
    if leaving is not None and any(
        day > leaving and calendar.is_school_day(day) for day in days
    ):
        events.append(_("left %(day)s", day=format_day(leaving, "d MMM yyyy")))
    return tuple(events)
