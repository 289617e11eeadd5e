"""The data status: the date the latest release runs to and when the next is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from data.calendar import (
    SchoolCalendar,
    academic_year_of,
    bank_holidays,
    default_half_terms,
    next_release_date,
    school_calendar,
)
from data.db import session_scope
from data.releases import ReleaseInfo, current_release

# Authority whose default calendar schedules releases when no school is chosen.
DEFAULT_LA = 681


@dataclass(frozen=True)
class DataStatus:
    """What the home page's status panel shows."""

    latest: date | None
    next_release: date | None
    in_holiday: bool


def data_status(url: str, today: date, school_id: str | None = None) -> DataStatus:
    """Return the latest release's last date and the next scheduled release after today.

    The schedule follows the school's calendar (or the default calendar), rolling over
    into the next academic year when this year's terms have ended.
    """
    release = current_release(url)
    latest = release.to_date if release else None
    year = academic_year_of(today)
    for _ in range(2):
        calendar = _calendar(url, school_id, year)
        try:
            next_release, in_holiday = next_release_date(calendar, today)
        except LookupError:
            year = shift_year(year, 1)
            continue
        return DataStatus(latest, next_release, in_holiday)
    return DataStatus(latest, None, False)


def completed_year(
    url: str,
    today: date,
    school_id: str | None = None,
    release: ReleaseInfo | None = None,
) -> str | None:
    """Return the latest release's academic year when its terms have ended by `today`
    (the school's calendar, or the default one), so reports show a completed year
    until the next year's first release; None while the year is running.

    `release` is the latest release when the caller has already read it."""
    release = release or current_release(url)
    if release is None:
        return None
    calendar = _calendar(url, school_id, release.academic_year)
    if not calendar.half_terms or today <= calendar.half_terms[-1].last_day:
        return None
    return release.academic_year


def _calendar(url: str, school_id: str | None, year: str) -> SchoolCalendar:
    if school_id is not None:
        with session_scope(url) as session:
            return school_calendar(session, school_id, year)
    return SchoolCalendar(
        academic_year=year,
        half_terms=default_half_terms(DEFAULT_LA, year),
        closures=frozenset(),
        bank_holidays=bank_holidays(year),
    )


def shift_year(year: str, by: int) -> str:
    """Return the academic year `by` years after (or before) another: "2023/24" + 1."""
    start = int(year[:4]) + by
    return f"{start}/{(start + 1) % 100:02d}"
