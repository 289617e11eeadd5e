"""A school's calendar file sets its own half-terms and closures, or is rejected whole.

The school is in Monmouthshire, whose 2024/25 calendar is the published common one:
half-terms 2 Sep-25 Oct, 4 Nov-20 Dec, 6 Jan-21 Feb, 3 Mar-11 Apr, 28 Apr-23 May and
2 Jun-21 Jul 2025. That is 40 + 35 + 35 + 30 + 20 + 36 = 196 weekdays, of which the
early May bank holiday (5 May 2025) is the only one in term: 195 school days.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from dashboard import cli
from dashboard.config import Settings
from data import access
from data import reports as report_scopes
from data.calendar import SchoolCalendar, school_calendar
from data.db import session_scope
from data.desk import import_history
from data.imports import (
    ImportRejected,
    ImportSummary,
    import_calendar,
    import_marks,
    import_pupils,
    import_schools,
)
from data.releases import publish
from data.schema import ImportLog, SchoolClosure, SchoolTerm
from tests.test_import_errors import database_snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
SCHOOL = "6794001"
LOG_LINE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} [A-Z]+ ")
HEADER = "kind,academic_year,half_term,first_day,last_day,reason\n"
# Half-term 1 a day later, half-term 6 ending on the Friday, four INSET and other days.
CALENDAR = (
    HEADER
    + "term,2024/25,1,2024-09-03,2024-10-25,\n"
    + "term,2024/25,6,2025-06-02,2025-07-18,\n"
    + "closure,,,2024-09-03,,INSET\n"
    + "closure,2024/25,,2025-01-06,2025-01-07,INSET\n"
    + "closure,,,2025-03-14,,Polling station\n"
).encode()
DEFAULT_HALF_TERMS = [
    (date(2024, 9, 2), date(2024, 10, 25)),
    (date(2024, 11, 4), date(2024, 12, 20)),
    (date(2025, 1, 6), date(2025, 2, 21)),
    (date(2025, 3, 3), date(2025, 4, 11)),
    (date(2025, 4, 28), date(2025, 5, 23)),
    (date(2025, 6, 2), date(2025, 7, 21)),
]
NEW_HALF_TERMS = [
    (date(2024, 9, 3), date(2024, 10, 25)),
    *DEFAULT_HALF_TERMS[1:5],
    (date(2025, 6, 2), date(2025, 7, 18)),
]
NEW_CLOSURES = {
    date(2024, 9, 3),
    date(2025, 1, 6),
    date(2025, 1, 7),
    date(2025, 3, 14),
}


@pytest.fixture
def school(db_url: str) -> str:
    """A database holding the fixture schools and nothing else."""
    import_schools(db_url, FIXTURES / "schools.csv")
    return db_url


def calendar_of(url: str, year: str = "2024/25") -> SchoolCalendar:
    with session_scope(url) as session:
        return school_calendar(session, SCHOOL, year)


def dates_of(calendar: SchoolCalendar) -> list[tuple[date, date]]:
    return [(term.first_day, term.last_day) for term in calendar.half_terms]


def stored_calendar(url: str) -> dict[str, object]:
    """Return the other import tests' snapshot with the stored terms and closures."""
    with session_scope(url) as session:
        terms = session.execute(
            select(
                SchoolTerm.academic_year,
                SchoolTerm.half_term,
                SchoolTerm.first_day,
                SchoolTerm.last_day,
            ).order_by(SchoolTerm.academic_year, SchoolTerm.half_term)
        ).all()
        closures = session.execute(
            select(SchoolClosure.day, SchoolClosure.reason).order_by(SchoolClosure.day)
        ).all()
    return {**database_snapshot(url), "terms": terms, "closures": closures}


def test_an_accepted_file_changes_the_school_calendar(school: str) -> None:
    before = calendar_of(school)

    summary = import_calendar(school, CALENDAR, SCHOOL, "calendar.csv", user_id=3)

    after = calendar_of(school)
    assert dates_of(before) == DEFAULT_HALF_TERMS
    assert dates_of(after) == NEW_HALF_TERMS
    assert after.closures == NEW_CLOSURES
    # 195 school days, less Monday 2 September, Monday 21 July and the four closures.
    assert (len(before.school_days()), len(after.school_days())) == (195, 189)
    # After Thursday 13 March: 21 + 19 + 36 school days, then 20 + 19 + 35.
    assert before.sessions_left_after(date(2025, 3, 13)) == 2 * 76
    assert after.sessions_left_after(date(2025, 3, 13)) == 2 * 74
    # After Friday 11 July: 14-18 July and 21 July, then 14-18 July only.
    assert before.sessions_left_after(date(2025, 7, 11)) == 12
    assert after.sessions_left_after(date(2025, 7, 11)) == 10
    assert summary == ImportSummary(
        "calendar",
        "calendar.csv",
        SCHOOL,
        rows_accepted=5,
        first_date=date(2024, 9, 3),
        last_date=date(2025, 7, 18),
    )
    reasons = {day: reason for day, reason in stored_calendar(school)["closures"]}
    assert reasons[date(2025, 3, 14)] == "Polling station"
    assert reasons[date(2025, 1, 7)] == "INSET"


def test_sending_the_file_again_changes_nothing(school: str) -> None:
    import_calendar(school, CALENDAR, SCHOOL, "calendar.csv")
    first = stored_calendar(school)

    import_calendar(school, CALENDAR, SCHOOL, "calendar.csv")

    second = stored_calendar(school)
    assert second["terms"] == first["terms"] and len(first["terms"]) == 2
    assert second["closures"] == first["closures"] and len(first["closures"]) == 4
    assert dates_of(calendar_of(school)) == NEW_HALF_TERMS
    assert calendar_of(school).closures == NEW_CLOSURES


def test_a_later_file_replaces_the_closures_of_its_years_only(school: str) -> None:
    import_calendar(school, CALENDAR, SCHOOL, "calendar.csv")
    next_year = HEADER + "closure,,,2025-09-01,,INSET\n"
    import_calendar(school, next_year.encode(), SCHOOL, "next.csv")

    fewer = HEADER + "closure,2024/25,,2024-09-03,,INSET\n"
    import_calendar(school, fewer.encode(), SCHOOL, "fewer.csv")
    terms_only = HEADER + "term,2024/25,6,2025-06-02,2025-07-21,\n"
    import_calendar(school, terms_only.encode(), SCHOOL, "terms.csv")

    after = calendar_of(school)
    assert after.closures == {date(2024, 9, 3)}
    assert dates_of(after) == [NEW_HALF_TERMS[0], *DEFAULT_HALF_TERMS[1:]]
    assert calendar_of(school, "2025/26").closures == {date(2025, 9, 1)}


def test_a_closure_may_fall_in_a_half_term_the_same_file_moves(school: str) -> None:
    longer = (
        HEADER
        + "closure,,,2025-07-22,,INSET\n"
        + "term,2024/25,6,2025-06-02,2025-07-22,\n"
    )

    import_calendar(school, longer.encode(), SCHOOL, "longer.csv")

    after = calendar_of(school)
    assert after.half_terms[5].last_day == date(2025, 7, 22)
    assert after.closures == {date(2025, 7, 22)}
    assert len(after.school_days()) == 195


def test_the_import_is_logged_and_shown_in_the_history(school: str) -> None:
    import_calendar(school, CALENDAR, SCHOOL, "calendar.csv", user_id=3)

    with session_scope(school) as session:
        log = session.scalars(
            select(ImportLog).where(ImportLog.kind == "calendar")
        ).one()
        stored = (log.school_id, log.user_id, log.file_name, log.rows_accepted)
        dates = (log.first_date, log.last_date)
    history = import_history(school, SCHOOL).table
    assert stored == (SCHOOL, 3, "calendar.csv", 5)
    assert dates == (date(2024, 9, 3), date(2025, 7, 18))
    assert history.column("Kind") == ["Calendar"]
    assert history.column("Dates") == ["2024-09-03 to 2025-07-18"]
    assert history.column("Rows accepted") == ["5"]
    assert history.column("Outcome") == ["Accepted"]


REJECTED = [
    pytest.param(
        "holiday,2024/25,,2024-10-28,2024-11-01,\n",
        ["Line 2: the kind 'holiday' is not term or closure."],
        id="unknown-kind",
    ),
    pytest.param(
        ",2024/25,1,2024-09-03,2024-10-25,\n",
        ["Line 2: the kind is empty."],
        id="no-kind",
    ),
    pytest.param(
        "term,2024/25,2,2024-11-31,2024-12-20,\n",
        ["Line 2: the first day 2024-11-31 is not a date."],
        id="not-a-date",
    ),
    pytest.param(
        "closure,,,03/09/2024,,INSET\n",
        ["Line 2: the first day 03/09/2024 is not a date."],
        id="not-iso",
    ),
    pytest.param(
        "term,2024/25,2,2024-11-04,,\n",
        ["Line 2: the last day is empty."],
        id="term-without-last-day",
    ),
    pytest.param(
        "closure,,,,2024-09-04,INSET\n",
        ["Line 2: the first day is empty."],
        id="closure-without-first-day",
    ),
    pytest.param(
        "term,2024/25,2,2024-12-20,2024-11-04,\n",
        ["Line 2: the last day 2024-11-04 is before the first day 2024-12-20."],
        id="term-backwards",
    ),
    pytest.param(
        "closure,,,2025-01-07,2025-01-06,INSET\n",
        ["Line 2: the last day 2025-01-06 is before the first day 2025-01-07."],
        id="closure-backwards",
    ),
    pytest.param(
        "term,2024/25,7,2024-09-03,2024-10-25,\nterm,2024/25,,2024-11-04,2024-12-20,\n",
        [
            "Line 2: the half-term must be a number from 1 to 6.",
            "Line 3: the half-term must be a number from 1 to 6.",
        ],
        id="half-term-number",
    ),
    pytest.param(
        "closure,,1,2024-09-04,,INSET\n",
        ["Line 2: a closure leaves the half-term empty."],
        id="closure-with-half-term",
    ),
    pytest.param(
        "term,2024/25,1,2024-09-03,2024-10-25,INSET\n",
        ["Line 2: a term leaves the reason empty."],
        id="term-with-reason",
    ),
    pytest.param(
        "closure,,,2024-09-04,,\n" + f"closure,,,2024-09-05,,{'x' * 41}\n",
        [
            "Line 2: the reason is empty.",
            "Line 3: the reason is longer than 40 characters.",
        ],
        id="reason",
    ),
    pytest.param(
        "term,2024/26,1,2024-09-03,2024-10-25,\n"
        "term,,2,2024-11-04,2024-12-20,\n"
        "closure,24/25,,2024-09-04,,INSET\n",
        [
            "Line 2: the academic year '2024/26' is not written like 2024/25.",
            "Line 3: the academic year is empty.",
            "Line 4: the academic year '24/25' is not written like 2024/25.",
        ],
        id="academic-year",
    ),
    pytest.param(
        "term,2025/26,6,2025-06-02,2025-07-18,\n"
        "closure,2025/26,,2025-01-06,,INSET\n"
        "closure,,,2025-07-18,2025-09-01,INSET\n",
        [
            "Line 2: 2025-06-02 is outside the academic year 2025/26.",
            "Line 3: 2025-01-06 is outside the academic year 2025/26.",
            "Line 4: 2025-09-01 is outside the academic year 2024/25.",
        ],
        id="outside-the-year",
    ),
    pytest.param(
        "term,2024/25,2,2024-11-04,2025-01-10,\n"
        "term,2024/25,3,2025-01-06,2025-02-21,\n",
        [
            "Line 3: half-term 3 starts on 2025-01-06, before half-term 2 ends on "
            "2025-01-10 (line 2)."
        ],
        id="overlap-in-the-file",
    ),
    pytest.param(
        "term,2024/25,1,2024-09-03,2024-11-05,\n"
        "term,2024/25,5,2025-04-10,2025-05-23,\n",
        [
            "Line 2: half-term 1 ends on 2024-11-05, after half-term 2 starts on "
            "2024-11-04 in the school's current calendar.",
            "Line 3: half-term 5 starts on 2025-04-10, before half-term 4 ends on "
            "2025-04-11 in the school's current calendar.",
        ],
        id="overlap-with-the-calendar",
    ),
    pytest.param(
        "closure,,,2024-09-07,,INSET\nclosure,,,2024-09-06,2024-09-08,INSET\n",
        [
            "Line 2: 2024-09-07 is a Saturday; closures start and end on weekdays.",
            "Line 3: 2024-09-08 is a Sunday; closures start and end on weekdays.",
        ],
        id="weekend",
    ),
    pytest.param(
        "closure,,,2024-10-28,,INSET\nclosure,,,2024-12-20,2025-01-06,INSET\n",
        [
            "Line 2: 2024-10-28 is in no half-term of the school's calendar for "
            "2024/25.",
            "Line 3: 2024-12-23 is in no half-term of the school's calendar for "
            "2024/25.",
        ],
        id="closure-in-a-holiday",
    ),
    pytest.param(
        "term,2024/25,1,2024-09-05,2024-10-25,\nclosure,,,2024-09-04,,INSET\n",
        ["Line 3: 2024-09-04 is in no half-term of the school's calendar for 2024/25."],
        id="closure-before-the-file's-half-term",
    ),
    pytest.param(
        "term,2024/25,2,2024-11-04,2024-12-20,\n"
        "term,2024/25,2,2024-11-05,2024-12-20,\n",
        ["Line 3: half-term 2 of 2024/25 is also on line 2."],
        id="repeated-half-term",
    ),
    pytest.param(
        "closure,,,2025-01-06,2025-01-07,INSET\nclosure,,,2025-01-07,,INSET\n",
        ["Line 3: 2025-01-07 is also closed on line 2."],
        id="repeated-closure",
    ),
    pytest.param(
        "term,2024/25,12,2024-09-02,2024-09-01,x\nterm,2024/25,2,2024-11-04,2024-12-20,\n",
        [
            "Line 2: the half-term must be a number from 1 to 6.",
            "Line 2: a term leaves the reason empty.",
            "Line 2: the last day 2024-09-01 is before the first day 2024-09-02.",
        ],
        id="several-on-one-line",
    ),
]


@pytest.mark.parametrize(("rows", "problems"), REJECTED)
def test_a_bad_file_is_rejected_and_nothing_changes(
    school: str, rows: str, problems: list[str]
) -> None:
    import_calendar(school, CALENDAR, SCHOOL, "calendar.csv")
    before = stored_calendar(school)

    with pytest.raises(ImportRejected) as rejected:
        import_calendar(school, (HEADER + rows).encode(), SCHOOL, "bad.csv")

    assert [str(problem) for problem in rejected.value.problems] == problems
    assert str(rejected.value).splitlines()[0] == (
        f"bad.csv: rejected, {len(problems)} problem(s)"
    )
    assert stored_calendar(school) == before


def test_a_file_for_an_unknown_school_is_refused(school: str) -> None:
    before = stored_calendar(school)

    with pytest.raises(ValueError) as refused:
        import_calendar(school, CALENDAR, "6799999", "calendar.csv")

    assert str(refused.value) == (
        "School 6799999 is not registered; import the schools file first."
    )
    assert stored_calendar(school) == before


@pytest.fixture
def fresh_caches():
    """Forget cached answers and calendars: release ids repeat across tests."""
    access.clear_cache()
    report_scopes._calendar.cache_clear()
    yield
    access.clear_cache()
    report_scopes._calendar.cache_clear()


def test_reports_read_an_imported_calendar_from_the_next_release(
    school: str, fresh_caches: None
) -> None:
    import_pupils(school, FIXTURES / "pupils.csv", SCHOOL)
    import_marks(school, FIXTURES / "marks_week1.csv", SCHOOL)
    publish(school, to_date=date(2023, 9, 8))
    published = report_scopes.open_scope(school, SCHOOL).calendar
    later_start = HEADER + "term,2023/24,1,2023-09-05,2023-10-27,\n"

    import_calendar(school, later_start.encode(), SCHOOL, "calendar.csv")
    same_release = report_scopes.open_scope(school, SCHOOL).calendar
    publish(school, to_date=date(2023, 9, 8))
    next_release = report_scopes.open_scope(school, SCHOOL).calendar

    assert published.half_terms[0].first_day == date(2023, 9, 4)
    assert same_release.half_terms[0].first_day == date(2023, 9, 4)
    assert next_release.half_terms[0].first_day == date(2023, 9, 5)


@pytest.fixture
def command_line(school: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command line working on the test database, with the calendar file saved."""
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(database_url=school))
    (tmp_path / "calendar.csv").write_bytes(CALENDAR)
    return tmp_path


def _stderr(capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Return what a command wrote to standard error, without the log's lines."""
    lines = capsys.readouterr().err.strip().splitlines()
    return [line for line in lines if not LOG_LINE.match(line)]


def test_the_command_reports_its_progress(command_line: Path, capsys) -> None:
    capsys.readouterr()
    path = command_line / "calendar.csv"

    assert cli.main(["import-calendar", str(path), "--school", SCHOOL]) == 0

    assert _stderr(capsys) == [
        "Read 5 rows from calendar.csv.",
        "Checked 5 rows; storing 2 half-terms and 4 closure days for 2024/25.",
        f"calendar import of calendar.csv for school {SCHOOL}: 5 rows accepted, "
        "0 skipped; dates 2024-09-03 to 2025-07-18.",
    ]


def test_the_command_fails_with_the_reason_first(command_line: Path, capsys) -> None:
    bad = command_line / "bad.csv"
    bad.write_text(HEADER + "closure,,,2024-09-07,,INSET\n")
    capsys.readouterr()

    assert cli.main(["import-calendar", str(bad), "--school", SCHOOL]) == 1
    rejected = _stderr(capsys)
    assert cli.main(["import-calendar", str(bad), "--school", "6799999"]) == 1
    unknown = _stderr(capsys)

    assert rejected == [
        "Read 1 rows from bad.csv.",
        "bad.csv: rejected, 1 problem(s)",
        "Line 2: 2024-09-07 is a Saturday; closures start and end on weekdays.",
    ]
    assert unknown == [
        "Read 1 rows from bad.csv.",
        "School 6799999 is not registered; import the schools file first.",
    ]
