"""Tests of school calendars: term dates, bank holidays, overrides and release dates."""

from __future__ import annotations

from datetime import date

import pytest

from data.calendar import (
    HALF_TERMS,
    SchoolCalendar,
    academic_year_bounds,
    academic_year_of,
    bank_holidays,
    default_half_terms,
    derived_half_terms,
    next_release_date,
    school_calendar,
)
from data.db import session_scope
from data.schema import School, SchoolClosure, SchoolTerm

SWANSEA = 670


def _dates(terms) -> list[tuple[date, date]]:
    return [(term.first_day, term.last_day) for term in terms]


def _calendar(year: str = "2026/27", closures=()) -> SchoolCalendar:
    return SchoolCalendar(
        year,
        default_half_terms(SWANSEA, year),
        frozenset(closures),
        bank_holidays(year),
    )


def test_academic_year_of_and_bounds() -> None:
    assert academic_year_of(date(2023, 9, 1)) == "2023/24"
    assert academic_year_of(date(2024, 8, 31)) == "2023/24"
    assert academic_year_of(date(2099, 12, 31)) == "2099/00"
    assert academic_year_bounds("2023/24") == (date(2023, 9, 1), date(2024, 8, 31))
    with pytest.raises(ValueError, match="2023/25"):
        academic_year_bounds("2023/25")


def test_published_dates_are_loaded() -> None:
    terms = default_half_terms(SWANSEA, "2024/25")

    assert [term.key for term in terms] == list(HALF_TERMS)
    assert [term.number for term in terms] == [1, 2, 3, 4, 5, 6]
    assert _dates(terms) == [
        (date(2024, 9, 2), date(2024, 10, 25)),
        (date(2024, 11, 4), date(2024, 12, 20)),
        (date(2025, 1, 6), date(2025, 2, 21)),
        (date(2025, 3, 3), date(2025, 4, 11)),
        (date(2025, 4, 28), date(2025, 5, 23)),
        (date(2025, 6, 2), date(2025, 7, 21)),
    ]
    assert default_half_terms(SWANSEA, "2022/23")[0].first_day == date(2022, 9, 1)


def test_rule_derives_2026_27_dates() -> None:
    # Autumn: Tue 1 Sep; October half-term 26-30 Oct; last Friday on or before 23 Dec
    # is 18 Dec. Spring: Mon 4 Jan; third Monday of Feb is the 15th. Easter is 28 Mar
    # 2027, so the break is 22 Mar-2 Apr. Last Monday of May is the 31st. 20 Jul is a
    # Tuesday.
    assert _dates(default_half_terms(SWANSEA, "2026/27")) == [
        (date(2026, 9, 1), date(2026, 10, 23)),
        (date(2026, 11, 2), date(2026, 12, 18)),
        (date(2027, 1, 4), date(2027, 2, 12)),
        (date(2027, 2, 22), date(2027, 3, 19)),
        (date(2027, 4, 5), date(2027, 5, 28)),
        (date(2027, 6, 7), date(2027, 7, 20)),
    ]


@pytest.mark.parametrize("year", ["2022/23", "2023/24", "2024/25", "2025/26"])
def test_rule_reproduces_published_dates_except_february(year: str) -> None:
    derived = derived_half_terms(year)
    published = default_half_terms(SWANSEA, year)

    differing = [
        term.key
        for term, known in zip(derived, published, strict=True)
        if term != known
    ]

    # The rule's third Monday of February misses 2023/24 (12 Feb, the second Monday)
    # and 2024/25 (24 Feb, the fourth Monday).
    expected = ["spring1", "spring2"] if year in ("2023/24", "2024/25") else []
    assert differing == expected
    assert derived[2].first_day == published[2].first_day
    assert derived[3].last_day == published[3].last_day


def test_bank_holidays_in_wales() -> None:
    assert date(2026, 5, 4) in bank_holidays("2025/26")
    assert date(2022, 9, 19) in bank_holidays("2022/23")
    assert date(2023, 5, 8) in bank_holidays("2022/23")
    assert date(2026, 8, 31) in bank_holidays("2025/26")
    assert date(2025, 8, 25) not in bank_holidays("2025/26")


def test_is_school_day() -> None:
    calendar = _calendar(closures=[date(2026, 9, 1)])

    assert not calendar.is_school_day(date(2026, 9, 1))  # INSET
    assert calendar.is_school_day(date(2026, 9, 2))
    assert not calendar.is_school_day(date(2026, 9, 5))  # Saturday
    assert not calendar.is_school_day(date(2026, 10, 28))  # half-term holiday
    assert not calendar.is_school_day(date(2027, 5, 3))  # May Day
    assert calendar.is_school_day(date(2027, 5, 4))


def test_school_days_and_sessions_left() -> None:
    calendar = _calendar(closures=[date(2026, 9, 1)])
    days = calendar.school_days()

    # Weekdays per half-term: 39, 35, 30, 20, 40 and 32 (196); less May Day 2027 and
    # the INSET day.
    assert len(days) == 194
    assert days[0] == date(2026, 9, 2)
    assert days[-1] == date(2027, 7, 20)
    # After Mon 19 Jul 2027 only Tue 20 Jul remains.
    assert calendar.sessions_left_after(date(2027, 7, 19)) == 2
    assert calendar.sessions_left_after(date(2027, 7, 20)) == 0


def test_half_term_of_and_weeks() -> None:
    calendar = _calendar()

    assert calendar.half_term_of(date(2026, 12, 18)).key == "autumn2"
    assert calendar.half_term_of(date(2026, 12, 21)) is None
    assert calendar.term_weeks("autumn1")[0] == date(2026, 8, 31)
    assert len(calendar.term_weeks("autumn1")) == 8
    assert calendar.term_weeks("summer2") == [
        date(2027, 6, 7),
        date(2027, 6, 14),
        date(2027, 6, 21),
        date(2027, 6, 28),
        date(2027, 7, 5),
        date(2027, 7, 12),
        date(2027, 7, 19),
    ]
    weeks = calendar.weeks()
    assert date(2026, 10, 26) not in weeks
    assert len(weeks) == 8 + 7 + 6 + 4 + 8 + 7
    with pytest.raises(KeyError):
        calendar.term_weeks("winter")


def test_school_terms_override_the_authority(db_url: str) -> None:
    with session_scope(db_url) as session:
        session.add(School(id="6704001", name="Ysgol Prawf", la_code=SWANSEA))
        session.flush()
        session.add_all(
            [
                SchoolTerm(
                    school_id="6704001",
                    academic_year="2026/27",
                    half_term=1,
                    first_day=date(2026, 9, 3),
                    last_day=date(2026, 10, 23),
                ),
                SchoolClosure(school_id="6704001", day=date(2026, 9, 3)),
                SchoolClosure(school_id="6704001", day=date(2025, 9, 1)),
            ]
        )

    with session_scope(db_url) as session:
        calendar = school_calendar(session, "6704001", "2026/27")

    assert calendar.half_terms[0].first_day == date(2026, 9, 3)
    assert calendar.half_terms[1].first_day == date(2026, 11, 2)
    assert calendar.closures == frozenset({date(2026, 9, 3)})
    assert calendar.school_days()[0] == date(2026, 9, 4)
    assert not calendar.is_school_day(date(2026, 9, 2))


def test_school_calendar_of_unknown_school(db_url: str) -> None:
    with session_scope(db_url) as session, pytest.raises(LookupError):
        school_calendar(session, "6709999", "2026/27")


def test_next_release_mid_term() -> None:
    calendar = _calendar()

    assert next_release_date(calendar, date(2026, 12, 3)) == (date(2026, 12, 9), False)
    assert next_release_date(calendar, date(2026, 12, 2)) == (date(2026, 12, 9), False)


def test_next_release_across_holidays() -> None:
    calendar = _calendar()

    # Autumn ends Fri 18 Dec; pupils return Mon 4 Jan 2027.
    assert next_release_date(calendar, date(2026, 12, 17)) == (date(2027, 1, 6), True)
    assert next_release_date(calendar, date(2026, 12, 29)) == (date(2027, 1, 6), True)
    # Across the October half-term (26-30 Oct) to the Wednesday of the week back.
    assert next_release_date(calendar, date(2026, 10, 22)) == (date(2026, 11, 4), True)
    assert next_release_date(calendar, date(2026, 11, 4)) == (date(2026, 11, 11), False)
    with pytest.raises(LookupError):
        next_release_date(calendar, date(2027, 7, 20))
