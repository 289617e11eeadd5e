"""The data desk's data layer: uploads, their history and rejections, and marks status.

Built on the two-school reports fixture (school A 6811001: A1 to A3 in Years 7 and 10,
A4 in Year 12; marks 4 to 15 September 2023).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data import desk
from data.db import session_scope
from data.desk import (
    UploadTooLarge,
    check_size,
    import_history,
    rejection_problems,
    upload,
)
from data.desk_marks import marks_status
from data.exports import csv_bytes
from data.import_report import ImportRejected
from data.imports import import_marks, import_schools
from data.releases import publish
from data.schema import AuditEntry, School, User
from tests.report_fixture import (
    SCHOOL_A,
    SCHOOL_B,
    load_reports_fixture,
    small_group_settings,
)
from tests.test_import_errors import database_snapshot

IMPORTS = Path(__file__).parent / "fixtures" / "imports"
MARKS_HEADER = "upn,date,session,code\n"
# Monday 18 September 2023: two of A1's sessions, and one of A4's (Year 12: skipped).
MONDAY_MARKS = MARKS_HEADER + (
    "T681100100001,2023-09-18,AM,/\n"
    "T681100100001,2023-09-18,PM,I\n"
    "T681100100004,2023-09-18,AM,/\n"
)


def add_user(
    url: str, role: str = "data_manager", school: str | None = SCHOOL_A
) -> int:
    """Add a user directly (no password is ever checked here) and return its id."""
    with session_scope(url) as session:
        user = User(
            email=f"{role}@school.example",
            name="Nia Data",
            password_hash="unused",
            role=role,
            school_id=school,
            created_at=datetime(2023, 9, 1),
        )
        session.add(user)
        session.flush()
        return user.id


@pytest.fixture
def loaded(db_url: str) -> tuple[str, int]:
    """The reports fixture and a data manager of school A."""
    load_reports_fixture(db_url)
    return db_url, add_user(db_url)


def audit_events(url: str) -> list[str]:
    with session_scope(url) as session:
        return list(session.scalars(select(AuditEntry.event).order_by(AuditEntry.id)))


def test_an_accepted_upload_is_in_the_history_with_who_and_which_dates(
    loaded: tuple[str, int],
) -> None:
    url, user = loaded

    summary = upload(url, "marks", MONDAY_MARKS.encode(), "monday.csv", SCHOOL_A, user)

    assert (summary.rows_accepted, summary.rows_skipped) == (2, 1)
    newest = import_history(url, SCHOOL_A).table.records()[0]
    assert newest["Who"] == "Nia Data" and newest["Kind"] == "Marks"
    assert newest["File"] == "monday.csv"
    assert newest["Dates"] == "2023-09-18 to 2023-09-18"
    assert (newest["Rows accepted"], newest["Rows rejected"]) == ("2", "1")
    assert newest["Outcome"] == "Accepted; skipped years 12 and 13: 1"
    assert audit_events(url)[-1] == "import_uploaded"


def test_a_rejected_upload_changes_no_marks_and_its_problems_download(
    loaded: tuple[str, int],
) -> None:
    url, user = loaded
    before = database_snapshot(url)
    marks = MARKS_HEADER + (
        "T681100100001,2023-09-18,AM,/\n"
        "T681100100001,2023-09-31,PM,/\n"  # line 3
        "T681100100002,2023-09-18,AM,Q\n"  # line 4
    )

    with pytest.raises(ImportRejected):
        upload(url, "marks", marks.encode(), "bad.csv", SCHOOL_A, user)

    after = database_snapshot(url)
    assert after["weeks"] == before["weeks"]
    assert after["contexts"] == before["contexts"]
    history = import_history(url, SCHOOL_A)
    newest = history.table.records()[0]
    assert (newest["Rows accepted"], newest["Rows rejected"]) == ("0", "3")
    assert newest["Outcome"] == "Rejected: 2 problem(s)"
    log_id = history.rejected[0][0]
    problems = rejection_problems(url, SCHOOL_A, log_id)
    assert problems.records() == [
        {"Line": "3", "Problem": "2023-09-31 is not a date."},
        {"Line": "4", "Problem": "unknown attendance code 'Q'."},
    ]
    assert csv_bytes(problems).decode("utf-8-sig").splitlines() == [
        "Line,Problem",
        "3,2023-09-31 is not a date.",
        "4,unknown attendance code 'Q'.",
        "For internal school use only",
    ]
    assert audit_events(url)[-1] == "import_rejected"


def test_another_schools_rejections_stay_hidden(loaded: tuple[str, int]) -> None:
    url, user = loaded
    with pytest.raises(ImportRejected):
        upload(url, "marks", b"upn,date\n", "bad.csv", SCHOOL_A, user)
    log_id = import_history(url, SCHOOL_A).rejected[0][0]

    assert import_history(url, SCHOOL_B).rejected == ()
    with pytest.raises(LookupError):
        rejection_problems(url, SCHOOL_B, log_id)


def test_an_upload_over_the_limit_is_refused_before_reading(
    loaded: tuple[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, user = loaded
    monkeypatch.setattr(desk, "UPLOAD_LIMIT", 2 * 1024 * 1024)

    with pytest.raises(UploadTooLarge) as refused:
        upload(url, "marks", b"x" * (3 * 1024 * 1024), "huge.csv", SCHOOL_A, user)

    assert str(refused.value).startswith("The file is 3.0 MB; the limit is 2.0 MB.")
    assert import_history(url, SCHOOL_A).rejected == ()
    check_size(2 * 1024 * 1024)  # exactly the limit is allowed


def test_a_ctf_holding_another_school_is_rejected_on_its_lines(db_url: str) -> None:
    import_schools(db_url, IMPORTS / "schools.csv")
    user = add_user(db_url, school="6814003")
    ctf = (IMPORTS / "pupils_ctf.xml").read_bytes()

    with pytest.raises(ImportRejected) as rejected:
        upload(db_url, "ctf", ctf, "ctf.xml", "6814003", user)

    lines = [problem.line for problem in rejected.value.problems]
    assert lines[:3] == [49, 87, 97]  # the YearData of school 6794001
    assert "school 6794001" in rejected.value.problems[0].message
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(School)) == 3
    summary = upload(db_url, "ctf", ctf, "ctf.xml", "6794001", user)
    assert summary.school_id == "6794001"


def test_marks_status_names_the_last_day_and_the_days_missing(
    loaded: tuple[str, int],
) -> None:
    url, _ = loaded
    assert marks_status(url, SCHOOL_A).window is None

    publish(url, to_date=date(2023, 9, 15), settings=small_group_settings(url))
    # Wednesday 13 September: every register not taken; Friday 15th likewise.
    empty = MARKS_HEADER + "".join(
        f"T68110010000{pupil},2023-09-{day},{half},\n"
        for pupil in (1, 2, 3)
        for day in (13, 15)
        for half in ("AM", "PM")
    )
    import_marks(url, empty.encode(), SCHOOL_A, "empty.csv")

    status = marks_status(url, SCHOOL_A)
    assert status.window == (date(2023, 9, 1), date(2023, 9, 15))
    assert status.missing_days == (date(2023, 9, 13), date(2023, 9, 15))
    assert status.last_marked == date(2023, 9, 14)
    assert marks_status(url, SCHOOL_B).missing_days == ()
