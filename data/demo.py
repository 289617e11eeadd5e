"""The demo data set: invented Welsh secondary schools, their pupils, marks and releases.

`generate_demo` builds everything in memory and is reproducible by seed; `build_demo`
writes it through the import layer and publishes releases: the previous academic year's
final release, and the current year's releases to the last two complete weeks before
`as_of`.
"""

from __future__ import annotations

import csv
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from data.calendar import (
    HalfTerm,
    SchoolCalendar,
    academic_year_of,
    bank_holidays,
    default_half_terms,
)
from data.codes import REFERENCE_DIR
from data.db import init_db, session_scope
from data.demo_marks import YearMarks, absence_propensity, year_marks
from data.demo_pupils import DemoSchool, demo_roll, demo_schools, year_roll
from data.schema import School, SchoolClosure, SchoolTerm

logger = logging.getLogger(__name__)

PUPIL_COLUMNS = (
    "upn", "surname", "forename", "year_group", "reg_group", "gender", "efsm", "sen",
    "eal", "ethnicity", "date_of_birth", "entry_date", "leaving_date",
)  # fmt: skip
# Sessions missed in 2022/23 ranged from 10.6% in Powys to 14.5% in Blaenau Gwent.
AREA_FACTORS = {666: 0.87, 677: 1.17}
LATE_START_SHARE = 0.2  # schools whose autumn term starts two days after the default


@dataclass(frozen=True)
class DemoSchoolYear:
    """One school's academic year: its calendar, pupil file and marks."""

    school: DemoSchool
    academic_year: str
    calendar: SchoolCalendar
    pupils: pd.DataFrame
    marks: YearMarks


@dataclass(frozen=True)
class DemoSummary:
    """What `build_demo` wrote: schools, pupils, marks and the releases' last dates."""

    schools: int
    pupils: int
    marks: int
    releases: tuple[date, ...]
    seconds: float


def build_demo(
    url: str,
    as_of: date | None = None,
    schools: int = 30,
    seed: int = 2023,
    progress: Callable[[str], None] | None = None,
    first_roll: int | None = None,
) -> DemoSummary:
    """Create the demo data set in an empty database and publish its releases.

    `first_roll` makes the first school that size, with no sixth form (the
    benchmarks' large school). Raises ValueError when the database already holds
    schools.
    """
    from data.imports import store_marks, upsert_pupils
    from data.releases import publish

    started = time.perf_counter()
    as_of = as_of or date.today()
    report = progress or (lambda message: None)
    init_db(url)
    with session_scope(url) as session:
        if session.scalar(select(func.count()).select_from(School)):
            raise ValueError("The demo needs an empty database; this one has schools.")

    marks = 0
    upns: set[tuple[str, str]] = set()
    last_days: list[date] = []
    made = demo_school_years(as_of, schools, seed, first_roll)
    for index, years in enumerate(made, start=1):
        report(f"Writing school {index} of {schools}")
        with session_scope(url) as session:
            _add_school(session, years)
            for school_year in years:
                pupils = school_year.pupils
                ids = upsert_pupils(
                    session,
                    school_year.school.id,
                    school_year.academic_year,
                    pupils.loc[:, list(PUPIL_COLUMNS)],
                )
                pupil_ids = np.array(
                    [ids[upn] for upn in pupils["upn"]], dtype=np.int64
                )
                stored = school_year.marks
                marks += store_marks(
                    session,
                    school_year.school.id,
                    pupil_ids[stored.pupil_index],
                    stored.days,
                    stored.sessions,
                    stored.codes,
                )
                upns.update((school_year.school.id, upn) for upn in pupils["upn"])
        last_days.append(years[0].calendar.half_terms[-1].last_day)

    releases = release_dates(as_of, max(last_days))
    for to_date in releases:
        report(f"Publishing the release to {to_date.isoformat()}")
        publish(url, to_date=to_date)
    seconds = time.perf_counter() - started
    logger.info(
        "Built the demo: %s schools, %s pupils, %s marks in %.1f s",
        schools,
        len(upns),
        marks,
        seconds,
    )
    return DemoSummary(schools, len(upns), marks, tuple(releases), seconds)


def generate_demo(
    as_of: date, schools: int = 3, seed: int = 2023
) -> list[DemoSchoolYear]:
    """Return every school-year of the demo in memory, without touching a database."""
    return [
        school_year
        for years in demo_school_years(as_of, schools, seed)
        for school_year in years
    ]


def demo_school_years(
    as_of: date, schools: int, seed: int, first_roll: int | None = None
) -> Iterator[tuple[DemoSchoolYear, ...]]:
    """Yield, school by school, the previous and the current academic year.

    `first_roll` sets the first school's roll size and takes away its sixth form.
    """
    current = academic_year_of(as_of)
    previous = academic_year_of(date(int(current[:4]) - 1, 9, 1))
    rng = np.random.default_rng(seed)
    la_codes = _la_codes()
    areas = {code: AREA_FACTORS.get(code, rng.uniform(0.93, 1.08)) for code in la_codes}
    made = demo_schools(schools, la_codes, rng)
    if first_roll is not None and made:
        made[0] = replace(made[0], roll_size=first_roll, sixth_form=False)
    for index, school in enumerate(made):
        school_rng = np.random.default_rng([seed, index])
        roll = demo_roll(school, previous, school_rng)
        area = areas[school.la_code] * school_rng.lognormal(0, 0.08)
        roll["propensity"] = absence_propensity(roll, area, school_rng)
        late_start = school_rng.random() < LATE_START_SHARE
        yield tuple(
            _school_year(school, roll, year_index, year, as_of, late_start, school_rng)
            for year_index, year in enumerate((previous, current))
        )


def demo_calendar(
    school: DemoSchool, year: str, late_start: bool, rng: np.random.Generator
) -> SchoolCalendar:
    """Return a demo school's calendar: its authority's, perhaps starting two days
    later, with 5 or 6 INSET days on the first days of term and a few Mondays and
    Fridays."""
    terms = list(default_half_terms(school.la_code, year))
    if late_start:
        autumn = terms[0]
        terms[0] = HalfTerm(
            autumn.number,
            autumn.key,
            _add_weekdays(autumn.first_day, 2),
            autumn.last_day,
        )
    holidays = bank_holidays(year)
    draft = SchoolCalendar(year, tuple(terms), frozenset(), holidays)
    days = draft.school_days()
    opening = days[: int(rng.integers(1, 3))]
    edges = [
        day
        for day in days[len(opening) :]
        if day.weekday() in (0, 4) and day.month != 9
    ]
    wanted = int(rng.integers(5, 7)) - len(opening)
    picked = rng.choice(len(edges), size=wanted, replace=False)
    inset = frozenset(opening) | frozenset(edges[i] for i in picked)
    return SchoolCalendar(year, tuple(terms), inset, holidays)


def release_dates(as_of: date, previous_last_day: date) -> list[date]:
    """Return the releases to publish: the previous year's last term day, then the
    Fridays ending the last two complete weeks before `as_of` in the current year."""
    friday = as_of - timedelta(days=(as_of.weekday() - 4) % 7 or 7)
    current_start = date(int(academic_year_of(as_of)[:4]), 9, 1)
    weeks = [friday - timedelta(days=7), friday]
    return [previous_last_day] + [day for day in weeks if day >= current_start]


def _school_year(
    school: DemoSchool,
    roll: pd.DataFrame,
    year_index: int,
    year: str,
    as_of: date,
    late_start: bool,
    rng: np.random.Generator,
) -> DemoSchoolYear:
    calendar = demo_calendar(school, year, late_start, rng)
    pupils = year_roll(roll, year_index, year, as_of)
    marks = year_marks(pupils, calendar, as_of, rng)
    return DemoSchoolYear(school, year, calendar, pupils, marks)


def _add_school(session: Session, years: tuple[DemoSchoolYear, ...]) -> None:
    """Insert a school with the half-terms that differ from its authority's and its
    INSET days."""
    school = years[0].school
    session.add(School(id=school.id, name=school.name, la_code=school.la_code))
    session.flush()
    terms: list[dict[str, object]] = []
    closures: list[dict[str, object]] = []
    for school_year in years:
        calendar = school_year.calendar
        defaults = default_half_terms(school.la_code, calendar.academic_year)
        for term, default in zip(calendar.half_terms, defaults, strict=True):
            if term != default:
                terms.append(_term_row(school.id, calendar.academic_year, term))
        closures += [
            {"school_id": school.id, "day": day, "reason": "INSET"}
            for day in sorted(calendar.closures)
        ]
    if terms:
        session.execute(insert(SchoolTerm), terms)
    session.execute(insert(SchoolClosure), closures)


def _term_row(school_id: str, year: str, term: HalfTerm) -> dict[str, object]:
    return {
        "school_id": school_id,
        "academic_year": year,
        "half_term": term.number,
        "first_day": term.first_day,
        "last_day": term.last_day,
    }


def _add_weekdays(day: date, count: int) -> date:
    while count:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _la_codes() -> list[int]:
    with open(REFERENCE_DIR / "local_authorities.csv", encoding="utf-8") as handle:
        return [int(row["code"]) for row in csv.DictReader(handle)]
