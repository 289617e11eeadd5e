"""Bad files are rejected with a line-numbered message and leave the database untouched."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data.db import session_scope
from data.imports import ImportRejected, import_marks, import_pupils, import_schools
from data.schema import Base, PupilYear, WeekMarks

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
BAD = FIXTURES / "bad"
SCHOOL = "6794001"


def database_snapshot(url: str) -> dict[str, object]:
    """Return every table's row count, the stored weekly marks and the pupils' context."""
    with session_scope(url) as session:
        counts = {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }
        weeks = session.execute(
            select(WeekMarks.pupil_id, WeekMarks.week_start, WeekMarks.codes).order_by(
                WeekMarks.pupil_id, WeekMarks.week_start
            )
        ).all()
        contexts = session.execute(
            select(
                PupilYear.pupil_id, PupilYear.year_group, PupilYear.leaving_date
            ).order_by(PupilYear.pupil_id)
        ).all()
    return {"counts": counts, "weeks": weeks, "contexts": contexts}


@pytest.fixture
def loaded_school(db_url: str) -> str:
    """A database holding the fixture schools, one school's pupils and a week of marks."""
    import_schools(db_url, FIXTURES / "schools.csv")
    import_pupils(db_url, FIXTURES / "pupils.csv", SCHOOL)
    import_marks(db_url, FIXTURES / "marks_week1.csv", SCHOOL)
    return db_url


def _marks(url: str, path: Path) -> object:
    return import_marks(url, path, SCHOOL)


def _pupils(url: str, path: Path) -> object:
    return import_pupils(url, path, SCHOOL)


def _schools(url: str, path: Path) -> object:
    return import_schools(url, path)


CASES = [
    ("marks_missing_column.csv", _marks, ["Line 1: missing column 'code'."]),
    (
        "marks_extra_column.csv",
        _marks,
        ["Line 1: unexpected column 'notes'; expected upn, date, session, code."],
    ),
    ("marks_bad_date.csv", _marks, ["Line 3: 2024-02-30 is not a date."]),
    (
        "marks_weekend.csv",
        _marks,
        ["Line 2: 2024-02-03 is a Saturday; marks are only recorded on weekdays."],
    ),
    ("marks_unknown_code.csv", _marks, ["Line 3: unknown attendance code 'Q7'."]),
    (
        "marks_not_on_roll.csv",
        _marks,
        ["Line 2: the pupil on this line is not on the school's roll."],
    ),
    (
        "marks_before_entry.csv",
        _marks,
        ["Line 2: 2023-09-05 is before this pupil's entry date (2023-09-06)."],
    ),
    (
        "marks_after_leaving.csv",
        _marks,
        ["Line 2: 2023-09-08 is after this pupil's leaving date (2023-09-07)."],
    ),
    (
        "marks_conflicting_codes.csv",
        _marks,
        ["Line 4: a different code for the same pupil and session is on line 2."],
    ),
    (
        "marks_no_context.csv",
        _marks,
        [
            "Line 2: the pupil on this line has no context for 2024/25; "
            "import the pupil file for that year first."
        ],
    ),
    ("marks_blank_line.csv", _marks, ["Line 4: 2023-09-31 is not a date."]),
    ("marks_empty.csv", _marks, ["Line 1: the file is empty."]),
    ("pupils_not_utf8.csv", _pupils, ["Line 5: the file is not UTF-8 text."]),
    (
        "pupils_leaving_before_entry.csv",
        _pupils,
        ["Line 3: the leaving date 2023-09-01 is before the entry date 2023-09-04."],
    ),
    (
        "pupils_bad_values.csv",
        _pupils,
        [
            "Line 3: the year group must be a number from 7 to 13.",
            "Line 3: the gender must be F or M.",
            "Line 3: the entry date 2023-13-04 is not a date.",
        ],
    ),
    (
        "schools_wrong_authority.csv",
        _schools,
        [
            "Line 2: school 6804001 does not start with 679, the number of Monmouthshire."
        ],
    ),
]


@pytest.mark.parametrize(
    ("file_name", "run", "expected"),
    CASES,
    ids=[case[0].rsplit(".", 1)[0] for case in CASES],
)
def test_a_bad_file_is_rejected_and_nothing_changes(
    loaded_school: str,
    file_name: str,
    run: Callable[[str, Path], object],
    expected: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = database_snapshot(loaded_school)

    with caplog.at_level(logging.WARNING), pytest.raises(ImportRejected) as rejected:
        run(loaded_school, BAD / file_name)

    header = f"{file_name}: rejected, {len(expected)} problem(s)"
    assert str(rejected.value) == "\n".join([header, *expected])
    assert database_snapshot(loaded_school) == before
    assert "Rejected" in caplog.text and file_name in caplog.text


def test_messages_never_name_a_pupil(loaded_school: str) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_marks(loaded_school, BAD / "marks_not_on_roll.csv", SCHOOL)
    with pytest.raises(ImportRejected) as pupils_rejected:
        import_pupils(loaded_school, BAD / "pupils_bad_values.csv", SCHOOL)

    text = str(rejected.value) + str(pupils_rejected.value)
    for personal in (
        "A679400199999",
        "A679400123002",
        "Pritchard",
        "Megan",
        "2011-01-22",
    ):
        assert personal not in text


def test_more_than_fifty_problems_are_cut_short_in_line_order(
    loaded_school: str,
) -> None:
    rows = ["upn,date,session,code"]
    rows += [f"A679400123001,2023-09-{day:02d},AM,Q{day}" for day in (4, 5, 6, 7, 8)]
    rows += ["A679400123001,2023-09-09,AM,/"] * 60  # a Saturday, sixty times

    with pytest.raises(ImportRejected) as rejected:
        import_marks(
            loaded_school, "\n".join(rows).encode(), SCHOOL, file_name="many.csv"
        )

    lines = str(rejected.value).splitlines()
    assert lines[0] == "many.csv: rejected, 65 problem(s)"
    assert lines[1] == "Line 2: unknown attendance code 'Q4'."
    assert (
        lines[6]
        == "Line 7: 2023-09-09 is a Saturday; marks are only recorded on weekdays."
    )
    assert (
        lines[50]
        == "Line 51: 2023-09-09 is a Saturday; marks are only recorded on weekdays."
    )
    assert lines[51] == "... and 15 more problems"
    assert len(rejected.value.problems) == 50


def test_a_file_with_a_ragged_row_names_its_line(loaded_school: str) -> None:
    rows = (
        b"upn,date,session,code\nA679400123001,2023-09-04,AM,/\nA1,2023-09-04,AM,/,x\n"
    )

    with pytest.raises(ImportRejected) as rejected:
        import_marks(loaded_school, rows, SCHOOL, file_name="ragged.csv")

    assert rejected.value.problems == [(3, "expected 4 values separated by commas.")]
