"""Importing a school's own calendar: its half-term dates and the days it is closed.

The file is one CSV with the columns `kind,academic_year,half_term,first_day,last_day,
reason`, a row of one of two kinds:

- `term`: the school's own first and last day (ISO dates) of one half-term, numbered 1
  to 6, of an academic year written like 2024/25; the reason is left empty.
- `closure`: the school is closed to pupils on every weekday from `first_day` to
  `last_day` (left empty for a single day) for a reason of up to 40 characters, such as
  INSET. The half-term is left empty and the academic year may be, as the first day
  gives it. Weekends inside the range are passed over; the first and last day must be
  weekdays.

An accepted file replaces the school's own dates of each half-term it lists, and all of
the school's closures in each academic year its closure rows fall in, so sending the
same file again changes nothing and a day taken out of the file is no longer closed. A
half-term the file does not list keeps its dates, and a year with no closure row keeps
its closures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import delete
from sqlalchemy.orm import Session

from data.calendar import (
    HALF_TERMS,
    HalfTerm,
    academic_year_bounds,
    academic_year_of,
    school_calendar,
)
from data.csv_input import ISO_DATE, date_shown, read_source, read_table
from data.db import session_scope
from data.import_marks import WEEKDAY_NAMES
from data.import_report import ImportSummary, ProblemCollector, record_import
from data.import_roll import require_school
from data.schema import SchoolClosure, SchoolTerm

KIND = "calendar"
CALENDAR_COLUMNS = (
    "kind",
    "academic_year",
    "half_term",
    "first_day",
    "last_day",
    "reason",
)
REASON_LIMIT = 40
HALF_TERM_NUMBER = re.compile(r"[1-6]")

UNKNOWN_KIND = "the kind '%(kind)s' is not term or closure."
EMPTY = "the %(what)s is empty."
NOT_A_DATE = "the %(what)s %(value)s is not a date."
BACKWARDS = "the last day %(last)s is before the first day %(first)s."
BAD_HALF_TERM = "the half-term must be a number from 1 to 6."
CLOSURE_HALF_TERM = "a closure leaves the half-term empty."
TERM_REASON = "a term leaves the reason empty."
LONG_REASON = "the reason is longer than %(limit)s characters."
BAD_YEAR = "the academic year '%(year)s' is not written like 2024/25."
OUTSIDE_YEAR = "%(day)s is outside the academic year %(year)s."
WEEKEND = "%(day)s is a %(weekday)s; closures start and end on weekdays."
REPEATED_TERM = "half-term %(number)s of %(year)s is also on line %(line)s."
REPEATED_CLOSURE = "%(day)s is also closed on line %(line)s."
STARTS_EARLY = (
    "half-term %(later)s starts on %(start)s, before half-term %(earlier)s ends on "
    "%(end)s%(where)s."
)
ENDS_LATE = (
    "half-term %(earlier)s ends on %(end)s, after half-term %(later)s starts on "
    "%(start)s%(where)s."
)
ON_LINE = " (line %(line)s)"
IN_CALENDAR = " in the school's current calendar"
NOT_IN_TERM = "%(day)s is in no half-term of the school's calendar for %(year)s."


@dataclass(frozen=True)
class TermRow:
    """A checked `term` row: one half-term's own dates."""

    line: int
    academic_year: str
    number: int
    first_day: date
    last_day: date


@dataclass(frozen=True)
class ClosureRow:
    """A checked `closure` row: the weekdays from `first_day` to `last_day` closed."""

    line: int
    academic_year: str
    first_day: date
    last_day: date
    reason: str

    def days(self) -> Iterator[date]:
        """Yield the weekdays of the range in date order."""
        day = self.first_day
        while day <= self.last_day:
            if day.weekday() < 5:
                yield day
            day += timedelta(days=1)


@dataclass(frozen=True)
class CalendarRows:
    """The rows of a calendar file that passed the checks of a row on its own."""

    terms: list[TermRow]
    closures: list[ClosureRow]

    def years(self) -> list[str]:
        """Return the academic years of the rows in order."""
        rows: list[TermRow | ClosureRow] = [*self.terms, *self.closures]
        return sorted({row.academic_year for row in rows})

    def closed_days(self) -> list[date]:
        """Return every closed weekday the closure rows give, in file order."""
        return [day for closure in self.closures for day in closure.days()]

    def dates(self) -> tuple[date, date]:
        """Return the first and the last day any row gives."""
        rows: list[TermRow | ClosureRow] = [*self.terms, *self.closures]
        return min(row.first_day for row in rows), max(row.last_day for row in rows)


def import_calendar(
    url: str,
    source: Path | bytes,
    school_id: str,
    file_name: str | None = None,
    user_id: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Check a school's calendar file and store its half-terms and closures.

    Replaces the school's own dates of each (academic year, half-term) the file lists
    and all its closures in each academic year of the file's closure rows (see the
    module docstring). Raises ValueError for an unknown school.
    """
    report = progress or (lambda _: None)
    data, name = read_source(source, file_name)
    table, lines = read_table(data, CALENDAR_COLUMNS, KIND, name, school_id)
    report(f"Read {len(lines):,} rows from {name}.")

    with session_scope(url) as session:
        require_school(session, school_id)
        checks = ProblemCollector()
        rows = _checked_rows(table, lines, checks)
        _check_repeats(rows, checks)
        _check_against_calendar(session, school_id, rows, checks)
        checks.raise_if_any(KIND, name, school_id)
        report(
            f"Checked {len(lines):,} rows; storing {len(rows.terms):,} half-terms and "
            f"{len(rows.closed_days()):,} closure days for {', '.join(rows.years())}."
        )
        _store(session, school_id, rows)
        first_date, last_date = rows.dates()
        summary = ImportSummary(
            KIND,
            name,
            school_id,
            rows_accepted=len(lines),
            first_date=first_date,
            last_date=last_date,
        )
        record_import(session, summary, user_id)
    return summary


def _checked_rows(
    table: pd.DataFrame, lines: np.ndarray, checks: ProblemCollector
) -> CalendarRows:
    """Check each row on its own; return the rows without problems by kind."""
    terms: list[TermRow] = []
    closures: list[ClosureRow] = []
    text = table[list(CALENDAR_COLUMNS)].apply(lambda column: column.str.strip())
    for line, values in zip(lines.tolist(), text.itertuples(index=False), strict=True):
        row = dict(zip(CALENDAR_COLUMNS, values, strict=True))
        kind = row["kind"].casefold()
        if kind == "term":
            term = _term_row(line, row, checks)
            if term is not None:
                terms.append(term)
        elif kind == "closure":
            closure = _closure_row(line, row, checks)
            if closure is not None:
                closures.append(closure)
        elif not kind:
            checks.add(line, EMPTY % {"what": "kind"})
        else:
            checks.add(line, UNKNOWN_KIND % {"kind": row["kind"]})
    return CalendarRows(terms, closures)


def _term_row(
    line: int, row: dict[str, str], checks: ProblemCollector
) -> TermRow | None:
    """Return a `term` row once it passes every check of a row on its own, else None."""
    found = len(checks)
    if not HALF_TERM_NUMBER.fullmatch(row["half_term"]):
        checks.add(line, BAD_HALF_TERM)
    if row["reason"]:
        checks.add(line, TERM_REASON)
    year = _checked_year(line, row["academic_year"], checks, required=True)
    first_day = _checked_day(line, row["first_day"], "first day", checks)
    last_day = _checked_day(line, row["last_day"], "last day", checks)
    _check_order_of_days(line, first_day, last_day, checks)
    if len(checks) > found or year is None or first_day is None or last_day is None:
        return None
    if not _inside_year(line, (first_day, last_day), year, checks):
        return None
    return TermRow(line, year, int(row["half_term"]), first_day, last_day)


def _closure_row(
    line: int, row: dict[str, str], checks: ProblemCollector
) -> ClosureRow | None:
    """Return a `closure` row once it passes every check of a row on its own, else
    None; its academic year is the first day's when the row gives none."""
    found = len(checks)
    if row["half_term"]:
        checks.add(line, CLOSURE_HALF_TERM)
    if not row["reason"]:
        checks.add(line, EMPTY % {"what": "reason"})
    elif len(row["reason"]) > REASON_LIMIT:
        checks.add(line, LONG_REASON % {"limit": REASON_LIMIT})
    year = _checked_year(line, row["academic_year"], checks, required=False)
    first_day = _checked_day(line, row["first_day"], "first day", checks)
    last_day = first_day
    if row["last_day"]:
        last_day = _checked_day(line, row["last_day"], "last day", checks)
    for day in sorted({day for day in (first_day, last_day) if day is not None}):
        if day.weekday() >= 5:
            weekday = WEEKDAY_NAMES[day.weekday()]
            checks.add(line, WEEKEND % {"day": day, "weekday": weekday})
    _check_order_of_days(line, first_day, last_day, checks)
    if len(checks) > found or first_day is None or last_day is None:
        return None
    year = year or academic_year_of(first_day)
    if not _inside_year(line, (first_day, last_day), year, checks):
        return None
    return ClosureRow(line, year, first_day, last_day, row["reason"])


def _checked_year(
    line: int, text: str, checks: ProblemCollector, required: bool
) -> str | None:
    """Return a well-written academic year, or None (recording a problem if due)."""
    if not text:
        if required:
            checks.add(line, EMPTY % {"what": "academic year"})
        return None
    try:
        academic_year_bounds(text)
    except ValueError:
        checks.add(line, BAD_YEAR % {"year": text})
        return None
    return text


def _checked_day(
    line: int, text: str, what: str, checks: ProblemCollector
) -> date | None:
    """Return an ISO date, or None after recording why it is not one."""
    if not text:
        checks.add(line, EMPTY % {"what": what})
        return None
    if ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    checks.add(line, NOT_A_DATE % {"what": what, "value": date_shown(text)})
    return None


def _check_order_of_days(
    line: int, first_day: date | None, last_day: date | None, checks: ProblemCollector
) -> None:
    if first_day is not None and last_day is not None and last_day < first_day:
        checks.add(line, BACKWARDS % {"first": first_day, "last": last_day})


def _inside_year(
    line: int, days: tuple[date, date], year: str, checks: ProblemCollector
) -> bool:
    """Tell whether both days are in the academic year, recording the first that is not."""
    start, end = academic_year_bounds(year)
    outside = [day for day in days if not start <= day <= end]
    if outside:
        checks.add(line, OUTSIDE_YEAR % {"day": outside[0], "year": year})
    return not outside


def _check_repeats(rows: CalendarRows, checks: ProblemCollector) -> None:
    """Record a half-term or a closed day that an earlier line already gave."""
    term_lines: dict[tuple[str, int], int] = {}
    for term in rows.terms:
        key = (term.academic_year, term.number)
        if key in term_lines:
            checks.add(
                term.line,
                REPEATED_TERM
                % {
                    "number": term.number,
                    "year": term.academic_year,
                    "line": term_lines[key],
                },
            )
        term_lines.setdefault(key, term.line)
    day_lines: dict[date, int] = {}
    for closure in rows.closures:
        repeated = [day for day in closure.days() if day in day_lines]
        if repeated:
            earlier = day_lines[repeated[0]]
            checks.add(
                closure.line, REPEATED_CLOSURE % {"day": repeated[0], "line": earlier}
            )
        for day in closure.days():
            day_lines.setdefault(day, closure.line)


def _check_against_calendar(
    session: Session,
    school_id: str,
    rows: CalendarRows,
    checks: ProblemCollector,
) -> None:
    """Check each year's half-terms, with the file's over the school's current ones,
    are in order without overlapping, and every closed day is in one of them."""
    for year in rows.years():
        current = school_calendar(session, school_id, year).half_terms
        applied: dict[int, tuple[HalfTerm, int | None]] = {
            term.number: (term, None) for term in current
        }
        for row in rows.terms:
            if row.academic_year == year:
                key = HALF_TERMS[row.number - 1]
                half_term = HalfTerm(row.number, key, row.first_day, row.last_day)
                applied[row.number] = (half_term, row.line)
        ordered = [applied[number] for number in sorted(applied)]
        _check_order(ordered, checks)
        for closure in rows.closures:
            if closure.academic_year == year:
                _check_in_term(closure, [term for term, _ in ordered], checks)


def _check_order(
    ordered: list[tuple[HalfTerm, int | None]], checks: ProblemCollector
) -> None:
    """Record each half-term starting before the one before it ends, on the file's
    line of the later one (or of the earlier one, when only that is in the file)."""
    for (earlier, earlier_line), (later, later_line) in pairwise(ordered):
        if later.first_day > earlier.last_day:
            continue
        values = {
            "earlier": earlier.number,
            "end": earlier.last_day,
            "later": later.number,
            "start": later.first_day,
        }
        if later_line is not None:
            where = (
                IN_CALENDAR
                if earlier_line is None
                else ON_LINE % {"line": earlier_line}
            )
            checks.add(later_line, STARTS_EARLY % {**values, "where": where})
        elif earlier_line is not None:
            checks.add(earlier_line, ENDS_LATE % {**values, "where": IN_CALENDAR})


def _check_in_term(
    closure: ClosureRow, half_terms: list[HalfTerm], checks: ProblemCollector
) -> None:
    """Record the first day of a closure that falls in no half-term."""
    for day in closure.days():
        if not any(day in term for term in half_terms):
            values = {"day": day, "year": closure.academic_year}
            checks.add(closure.line, NOT_IN_TERM % values)
            return


def _store(session: Session, school_id: str, rows: CalendarRows) -> None:
    """Replace the school's own dates of the file's half-terms and its closures in
    the years of the file's closures."""
    for term in rows.terms:
        session.execute(
            delete(SchoolTerm).where(
                SchoolTerm.school_id == school_id,
                SchoolTerm.academic_year == term.academic_year,
                SchoolTerm.half_term == term.number,
            )
        )
    for year in sorted({closure.academic_year for closure in rows.closures}):
        start, end = academic_year_bounds(year)
        session.execute(
            delete(SchoolClosure).where(
                SchoolClosure.school_id == school_id,
                SchoolClosure.day >= start,
                SchoolClosure.day <= end,
            )
        )
    session.add_all(
        SchoolTerm(
            school_id=school_id,
            academic_year=term.academic_year,
            half_term=term.number,
            first_day=term.first_day,
            last_day=term.last_day,
        )
        for term in rows.terms
    )
    session.add_all(
        SchoolClosure(school_id=school_id, day=day, reason=closure.reason)
        for closure in rows.closures
        for day in closure.days()
    )
