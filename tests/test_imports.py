"""Good school, pupil and marks files are stored exactly, and marks replace only their days."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select

from data.db import session_scope
from data.imports import (
    ImportSummary,
    import_marks,
    import_pupils,
    import_schools,
    store_marks,
    upsert_pupils,
)
from data.schema import ImportLog, Pupil, PupilYear, School, WeekMarks

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
SCHOOL = "6794001"
MONDAY = date(2023, 9, 4)


def stored_weeks(url: str) -> dict[tuple[str, date], str]:
    """Return each pupil's weekly string by (UPN, week commencing)."""
    with session_scope(url) as session:
        rows = session.execute(
            select(Pupil.upn, WeekMarks.week_start, WeekMarks.codes).join(
                Pupil, Pupil.id == WeekMarks.pupil_id
            )
        ).all()
    return {(upn, week): codes for upn, week, codes in rows}


def import_roll(url: str) -> None:
    """Load the fixture schools and the pupils of school 6794001."""
    import_schools(url, FIXTURES / "schools.csv")
    import_pupils(url, FIXTURES / "pupils.csv", SCHOOL)


def test_schools_are_added_and_then_updated(db_url: str) -> None:
    summary = import_schools(db_url, FIXTURES / "schools.csv", user_id=7)
    renamed = b"school_id,name,local_authority\n6794001,Ysgol Trefynwy,Monmouthshire\n"
    import_schools(db_url, renamed, file_name="rename.csv")

    with session_scope(db_url) as session:
        schools = {s.id: (s.name, s.la_code) for s in session.scalars(select(School))}
        log = session.scalars(select(ImportLog).order_by(ImportLog.id)).first()
    assert schools == {
        "6794001": ("Ysgol Trefynwy", 679),
        "6794002": ("Ysgol Uwchradd Cas-gwent", 679),
        "6814003": ("Ysgol Glan Taf Newydd", 681),
    }
    assert (summary.rows_accepted, summary.rows_skipped) == (3, 0)
    assert (log.kind, log.user_id, log.file_name, log.rows_accepted) == (
        "schools",
        7,
        "schools.csv",
        3,
    )


def test_pupils_are_stored_with_years_12_and_13_counted_as_skipped(db_url: str) -> None:
    import_schools(db_url, FIXTURES / "schools.csv")

    summary = import_pupils(db_url, FIXTURES / "pupils.csv", SCHOOL)

    assert summary == ImportSummary(
        "pupils", "pupils.csv", SCHOOL, 4, 2, {"years 12 and 13": 2}, None, None
    )
    with session_scope(db_url) as session:
        rows = session.execute(
            select(Pupil.upn, Pupil.forename, PupilYear)
            .join(PupilYear, PupilYear.pupil_id == Pupil.id)
            .order_by(Pupil.upn)
        ).all()
    # the latest entry date, 2023-09-06, falls in 2023/24
    assert {row.PupilYear.academic_year for row in rows} == {"2023/24"}
    assert [row.PupilYear.year_group for row in rows] == [7, 8, 10, 11, 12, 13]
    first = rows[0]
    assert first.forename == "Llŷr"
    assert (first.PupilYear.efsm, first.PupilYear.eal, first.PupilYear.sen) == (
        False,
        False,
        "none",
    )
    assert rows[1].PupilYear.efsm is True and rows[1].PupilYear.sen == "school"
    assert rows[3].PupilYear.leaving_date == date(2023, 9, 7)


def test_pupils_for_a_named_year_add_context_without_duplicating_pupils(
    db_url: str,
) -> None:
    import_roll(db_url)

    import_pupils(db_url, FIXTURES / "pupils.csv", SCHOOL, year="2024/25")

    with session_scope(db_url) as session:
        pupils = session.scalars(select(Pupil.id)).all()
        years = session.execute(
            select(PupilYear.academic_year, PupilYear.pupil_id).order_by(
                PupilYear.academic_year
            )
        ).all()
    assert len(pupils) == 6
    assert [year for year, _ in years] == ["2023/24"] * 6 + ["2024/25"] * 6


def test_marks_map_sub_codes_store_missing_and_skip_years_12_and_13(
    db_url: str,
) -> None:
    import_roll(db_url)
    messages: list[str] = []

    summary = import_marks(
        db_url, FIXTURES / "marks_week1.csv", SCHOOL, progress=messages.append
    )

    # 24 lines: 3 for years 12 and 13, one repeating line 14 exactly
    assert (summary.rows_accepted, summary.rows_skipped) == (20, 4)
    assert summary.skipped == {"years 12 and 13": 3, "repeated lines": 1}
    assert (summary.first_date, summary.last_date) == (MONDAY, date(2023, 9, 11))
    assert stored_weeks(db_url) == {
        ("A679400123001", MONDAY): "/\\L\\II--/\\",
        ("A679400123001", date(2023, 9, 11)): "/\\........",
        ("A679400123002", MONDAY): "/\\NO......",
        ("A679400123003", MONDAY): "..../\\....",
        ("A679400123004", MONDAY): "......SS..",
    }
    assert messages and messages[-1] == "Stored 20 marks."


def test_resending_some_days_replaces_exactly_those_days(db_url: str) -> None:
    import_roll(db_url)
    import_marks(db_url, FIXTURES / "marks_week1.csv", SCHOOL)

    summary = import_marks(db_url, FIXTURES / "marks_resend.csv", SCHOOL, user_id=3)

    # Tuesday and Thursday are replaced for every pupil; the pupil who had marks only on
    # Thursday is left with an empty week, which is deleted.
    assert stored_weeks(db_url) == {
        ("A679400123001", MONDAY): "/\\UUII../\\",
        ("A679400123001", date(2023, 9, 11)): "/\\........",
        ("A679400123002", MONDAY): "/\\..../\\..",
        ("A679400123003", MONDAY): "..../\\....",
    }
    assert summary.describe() == (
        "marks import of marks_resend.csv for school 6794001: 4 rows accepted, 0 skipped; "
        "dates 2023-09-05 to 2023-09-07."
    )
    with session_scope(db_url) as session:
        logs = session.execute(
            select(ImportLog.kind, ImportLog.user_id, ImportLog.last_date)
        ).all()
    assert logs[-1] == ("marks", 3, date(2023, 9, 7))


def test_a_byte_order_mark_is_accepted(db_url: str) -> None:
    import_roll(db_url)

    import_marks(db_url, FIXTURES / "marks_with_bom.csv", SCHOOL)

    assert stored_weeks(db_url) == {("A679400123001", date(2023, 9, 11)): "/........."}


def test_store_marks_takes_strings_and_counts_sessions(db_url: str) -> None:
    import_roll(db_url)
    with session_scope(db_url) as session:
        ids = dict(session.execute(select(Pupil.upn, Pupil.id)).all())
        days = np.array(
            ["2023-09-08", "2023-09-08", "2023-09-11"], dtype="datetime64[D]"
        )
        pupils = np.array([ids["A679400123002"]] * 3)

        stored = store_marks(
            session,
            SCHOOL,
            pupils,
            days,
            np.array([1, 0, 0]),
            np.array(["\\", "/", "B"]),
        )

    assert stored == 3
    assert stored_weeks(db_url) == {
        ("A679400123002", MONDAY): "......../\\",
        ("A679400123002", date(2023, 9, 11)): "B.........",
    }


def test_upsert_pupils_returns_ids_and_updates_names(db_url: str) -> None:
    import_roll(db_url)
    pupils = pd.DataFrame(
        [
            {
                "upn": "A679400123001",
                "surname": "Wyn",
                "forename": "Llŷr",
                "year_group": 8,
                "reg_group": "8A",
                "gender": "M",
                "efsm": True,
                "sen": "none",
                "eal": False,
                "ethnicity": "WWEL",
                "date_of_birth": date(2012, 3, 14),
                "entry_date": date(2024, 9, 2),
                "leaving_date": None,
            }
        ]
    )

    with session_scope(db_url) as session:
        ids = upsert_pupils(session, SCHOOL, "2024/25", pupils)
        pupil = session.get(Pupil, ids["A679400123001"])
        context = session.get(PupilYear, (ids["A679400123001"], "2024/25"))
        assert (pupil.surname, context.year_group, context.efsm) == ("Wyn", 8, True)
    assert list(ids) == ["A679400123001"]


def test_a_school_year_of_marks_is_stored_quickly(sqlite_url: str) -> None:
    import_schools(sqlite_url, FIXTURES / "schools.csv")
    rows = [
        {
            "upn": f"A6794{n:08d}",
            "surname": "S",
            "forename": "F",
            "year_group": 7 + n % 5,
            "reg_group": "",
            "gender": "F",
            "efsm": False,
            "sen": "none",
            "eal": False,
            "ethnicity": "WBRI",
            "date_of_birth": date(2010, 1, 1),
            "entry_date": MONDAY,
            "leaving_date": None,
        }
        for n in range(2000)
    ]
    weekdays = np.busday_offset("2023-09-04", np.arange(190), roll="forward")
    with session_scope(sqlite_url) as session:
        ids = np.array(
            list(upsert_pupils(session, SCHOOL, "2023/24", pd.DataFrame(rows)).values())
        )

    started = time.perf_counter()
    with session_scope(sqlite_url) as session:
        stored = store_marks(
            session,
            SCHOOL,
            np.repeat(ids, 380),
            np.tile(np.repeat(weekdays, 2), 2000),
            np.tile([0, 1], 2000 * 190),
            np.tile(np.frombuffer(b"/\\", dtype=np.uint8), 2000 * 190),
        )
    elapsed = time.perf_counter() - started

    assert stored == 760_000
    assert elapsed < 3.0
    with session_scope(sqlite_url) as session:
        first = session.scalars(select(WeekMarks.codes).limit(1)).one()
    assert first == "/\\" * 5


KILLED_IMPORT = """
import os, signal, sys
from pathlib import Path
import data.mark_store as store
from data.imports import import_marks

real = store.insert_weeks

def insert_then_die(*args, **kwargs):
    real(*args, **kwargs)  # the new marks are written, the transaction still open
    os.kill(os.getpid(), signal.SIGKILL)

store.insert_weeks = insert_then_die
import_marks(sys.argv[1], Path(sys.argv[2]), sys.argv[3])
"""


def test_an_import_killed_midway_leaves_the_marks_as_they_were(db_url: str) -> None:
    import signal
    import subprocess
    import sys

    from sqlalchemy import func, select

    from data.db import session_scope
    from data.schema import ImportLog, WeekMarks

    import_roll(db_url)
    import_marks(db_url, FIXTURES / "marks_week1.csv", SCHOOL)

    def stored() -> tuple[list[tuple], int]:
        with session_scope(db_url) as session:
            marks = session.execute(
                select(
                    WeekMarks.pupil_id, WeekMarks.week_start, WeekMarks.codes
                ).order_by(WeekMarks.pupil_id, WeekMarks.week_start)
            ).all()
            logged = session.scalar(select(func.count()).select_from(ImportLog))
        return [tuple(row) for row in marks], int(logged or 0)

    before = stored()
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_IMPORT,
            db_url,
            str(FIXTURES / "marks_resend.csv"),
            SCHOOL,
        ],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
    )

    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert stored() == before
