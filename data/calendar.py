"""School calendars: academic years, half-terms, closures, bank holidays and releases.

Published common term dates (2022/23 to 2025/26) are read from
`reference/term_dates.csv`; a row with an empty `la_code` applies to every authority and
a row with one overrides that authority's half-term. Where the published calendars give
a range of start or end days, the file keeps one common date: autumn 2022 starts on
1 September (published 1-5 September), autumn 2024 on 2 September (2-3 September) and
summer 2023 ends on 20 July (20-24 July). Schools move their own days through
`SchoolTerm` rows and INSET days through `SchoolClosure` rows.

Years without published dates are derived by rule: autumn starts on the first weekday on
or after 1 September (the Monday after when that is a Friday); the October half-term is
the week of the last Monday of October; autumn ends on the last Friday on or before
23 December; spring starts on the first Monday on or after 4 January; the February
half-term is the week of the third Monday of February; the Easter break is the two weeks
from the Monday six days before Easter Sunday; the May half-term is the week of the last
Monday of May; summer ends on 20 July, or the nearest weekday when that is a weekend.
The rule reproduces the published dates of 2022/23 to 2025/26 except the February
half-terms of 2023/24 (12-16 February) and 2024/25 (24-28 February).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property

import holidays
from dateutil.easter import easter
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.i18n import N_
from data.codes import REFERENCE_DIR
from data.schema import School, SchoolClosure, SchoolTerm

HALF_TERMS = ("autumn1", "autumn2", "spring1", "spring2", "summer1", "summer2")
# Each half-term's name, translated where shown.
TERM_NAMES = {
    "autumn1": N_("Autumn 1"),
    "autumn2": N_("Autumn 2"),
    "spring1": N_("Spring 1"),
    "spring2": N_("Spring 2"),
    "summer1": N_("Summer 1"),
    "summer2": N_("Summer 2"),
}
RELEASE_WEEKDAY = 2  # releases are scheduled for Wednesdays
_WEEK = timedelta(days=7)


def academic_year_of(day: date) -> str:
    """Return the academic year holding a date, e.g. "2023/24" for 2023-09-01..2024-08-31."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def academic_year_bounds(year: str) -> tuple[date, date]:
    """Return the first and last day of an academic year: 1 September and 31 August."""
    start = _start_year(year)
    return date(start, 9, 1), date(start + 1, 8, 31)


def monday_of(day: date) -> date:
    """Return the Monday of the week holding a date (its week commencing)."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class HalfTerm:
    """One half-term: its number (1-6), key ("autumn1"...) and first and last day."""

    number: int
    key: str
    first_day: date
    last_day: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class SchoolCalendar:
    """A school's calendar for one academic year: half-terms, closures, bank holidays."""

    academic_year: str
    half_terms: tuple[HalfTerm, ...]
    closures: frozenset[date]
    bank_holidays: frozenset[date]

    def is_school_day(self, day: date) -> bool:
        """Whether a date is a weekday in a half-term, neither a closure nor a bank holiday."""
        return (
            day.weekday() < 5
            and self.half_term_of(day) is not None
            and day not in self.closures
            and day not in self.bank_holidays
        )

    def school_days(self) -> list[date]:
        """Return every school day of the year in date order."""
        return list(self._school_days)

    @cached_property
    def _school_days(self) -> tuple[date, ...]:
        return tuple(day for day in self.term_weekdays() if self.is_school_day(day))

    def term_weekdays(self) -> list[date]:
        """Return every weekday inside a half-term, including closures and bank holidays."""
        days: list[date] = []
        for term in self.half_terms:
            day = term.first_day
            while day <= term.last_day:
                if day.weekday() < 5:
                    days.append(day)
                day += timedelta(days=1)
        return days

    def half_term_of(self, day: date) -> HalfTerm | None:
        """Return the half-term holding a date, or None in a holiday."""
        return next((term for term in self.half_terms if day in term), None)

    def weeks(self) -> list[date]:
        """Return the Mondays of the weeks holding at least one day of a half-term."""
        mondays = {monday for term in self.half_terms for monday in _mondays(term)}
        return sorted(mondays)

    def term_weeks(self, key: str) -> list[date]:
        """Return the Mondays of the weeks overlapping one half-term ("autumn1"...)."""
        for term in self.half_terms:
            if term.key == key:
                return _mondays(term)
        raise KeyError(f"Unknown half-term {key!r}; expected one of {HALF_TERMS}.")

    def sessions_left_after(self, day: date) -> int:
        """Return the sessions (two a school day) after a date to the end of the year."""
        return 2 * sum(1 for school_day in self._school_days if school_day > day)


def bank_holidays(year: str) -> frozenset[date]:
    """Return the Welsh bank holidays falling within an academic year."""
    first, last = academic_year_bounds(year)
    return _bank_holidays(first, last)


@cache
def _bank_holidays(first: date, last: date) -> frozenset[date]:
    calendar = holidays.UK(subdiv="WLS", years=[first.year, last.year])
    return frozenset(day for day in calendar if first <= day <= last)


def default_half_terms(la_code: int, year: str) -> tuple[HalfTerm, ...]:
    """Return an authority's half-terms: published dates where known, otherwise by rule."""
    published = _published_dates()
    terms = {term.number: term for term in derived_half_terms(year)}
    terms.update(published.get((year, None), {}))
    terms.update(published.get((year, la_code), {}))
    return tuple(terms[number] for number in sorted(terms))


def derived_half_terms(year: str) -> tuple[HalfTerm, ...]:
    """Return the half-terms of a year by the rule in this module's docstring."""
    start = _start_year(year)
    autumn = _first_weekday_on_or_after(date(start, 9, 1))
    if autumn.weekday() == 4:
        autumn += timedelta(days=3)
    october = _last_monday(start, 10)
    christmas = _last_weekday_on_or_before(date(start, 12, 23), 4)
    spring = _first_weekday_on_or_after(date(start + 1, 1, 4), 0)
    february = _first_weekday_on_or_after(date(start + 1, 2, 1), 0) + 2 * _WEEK
    easter_break = easter(start + 1) - timedelta(days=6)
    may = _last_monday(start + 1, 5)
    bounds = (
        (autumn, october - timedelta(days=3)),
        (october + _WEEK, christmas),
        (spring, february - timedelta(days=3)),
        (february + _WEEK, easter_break - timedelta(days=3)),
        (easter_break + 2 * _WEEK, may - timedelta(days=3)),
        (may + _WEEK, _summer_end(start + 1)),
    )
    return tuple(
        HalfTerm(number, HALF_TERMS[number - 1], first, last)
        for number, (first, last) in enumerate(bounds, start=1)
    )


def school_calendar(session: Session, school_id: str, year: str) -> SchoolCalendar:
    """Return a school's calendar: its own half-terms over its authority's, its closures."""
    la_code = session.scalar(select(School.la_code).where(School.id == school_id))
    if la_code is None:
        raise LookupError(f"School {school_id} is not registered.")
    terms = {term.number: term for term in default_half_terms(la_code, year)}
    own_terms = select(SchoolTerm).where(
        SchoolTerm.school_id == school_id, SchoolTerm.academic_year == year
    )
    for row in session.scalars(own_terms):
        key = HALF_TERMS[row.half_term - 1]
        terms[row.half_term] = HalfTerm(row.half_term, key, row.first_day, row.last_day)
    first, last = academic_year_bounds(year)
    closures = session.scalars(
        select(SchoolClosure.day).where(
            SchoolClosure.school_id == school_id,
            SchoolClosure.day >= first,
            SchoolClosure.day <= last,
        )
    )
    return SchoolCalendar(
        academic_year=year,
        half_terms=tuple(terms[number] for number in sorted(terms)),
        closures=frozenset(closures),
        bank_holidays=bank_holidays(year),
    )


def next_release_date(calendar: SchoolCalendar, after: date) -> tuple[date, bool]:
    """Return the next scheduled release after a date and whether it follows a holiday.

    Releases fall on the first Wednesday after `after` that is inside a half-term; across
    a holiday that is the first Wednesday after pupils return. The flag is True when the
    release falls in the first week after a holiday, so it is shown as "w/c <Monday>".
    """
    wednesday = after + timedelta(days=(RELEASE_WEEKDAY - after.weekday() - 1) % 7 + 1)
    last_day = calendar.half_terms[-1].last_day
    while calendar.half_term_of(wednesday) is None:
        if wednesday > last_day:
            raise LookupError(
                f"No release is scheduled after {after.isoformat()} in "
                f"{calendar.academic_year}; use the next year's calendar."
            )
        wednesday += _WEEK
    return wednesday, _follows_holiday(calendar, wednesday)


def _follows_holiday(calendar: SchoolCalendar, wednesday: date) -> bool:
    """Whether a weekday from the previous week's Monday to this Tuesday was a holiday."""
    day = monday_of(wednesday) - _WEEK
    while day < wednesday:
        if day.weekday() < 5 and calendar.half_term_of(day) is None:
            return True
        day += timedelta(days=1)
    return False


@cache
def _published_dates() -> dict[tuple[str, int | None], dict[int, HalfTerm]]:
    """Read term_dates.csv, keyed by (academic year, LA code or None) and half-term."""
    dates: dict[tuple[str, int | None], dict[int, HalfTerm]] = {}
    with open(REFERENCE_DIR / "term_dates.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            number = int(row["half_term"])
            la_code = int(row["la_code"]) if row["la_code"] else None
            dates.setdefault((row["academic_year"], la_code), {})[number] = HalfTerm(
                number,
                HALF_TERMS[number - 1],
                date.fromisoformat(row["first_day"]),
                date.fromisoformat(row["last_day"]),
            )
    return dates


def _start_year(year: str) -> int:
    head, _, tail = year.partition("/")
    if not (head.isdigit() and tail.isdigit() and len(head) == 4 and len(tail) == 2):
        raise ValueError(f"Academic year {year!r} is not in the form 2023/24.")
    if (int(head) + 1) % 100 != int(tail):
        raise ValueError(f"Academic year {year!r} does not span consecutive years.")
    return int(head)


def _mondays(term: HalfTerm) -> list[date]:
    monday = monday_of(term.first_day)
    mondays: list[date] = []
    while monday <= term.last_day:
        mondays.append(monday)
        monday += _WEEK
    return mondays


def _first_weekday_on_or_after(day: date, weekday: int | None = None) -> date:
    """Return the first date on or after `day` that is `weekday` (any weekday if None)."""
    while (day.weekday() >= 5) if weekday is None else (day.weekday() != weekday):
        day += timedelta(days=1)
    return day


def _last_weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _last_monday(year: int, month: int) -> date:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return _last_weekday_on_or_before(next_month - timedelta(days=1), 0)


def _summer_end(year: int) -> date:
    day = date(year, 7, 20)
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day
