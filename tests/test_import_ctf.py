"""Common Transfer Files: pupils, context and session marks stored; bad files rejected."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from data.db import session_scope
from data.imports import (
    ImportRejected,
    import_ctf,
    import_marks,
    import_pupils,
    import_schools,
)
from data.schema import Pupil, PupilYear
from tests.test_import_errors import database_snapshot
from tests.test_imports import stored_weeks

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
CTF = FIXTURES / "pupils_ctf.xml"
SCHOOL = "6794001"
MONDAY = date(2023, 9, 4)


def test_a_ctf_stores_pupils_context_and_marks(db_url: str) -> None:
    import_schools(db_url, FIXTURES / "schools.csv")

    summary = import_ctf(db_url, CTF, user_id=2)

    # Llŷr: 18 weekday sessions, Friday 8 September a closure (#); Ffion: 10 sessions,
    # her 2022 year has totals only; Dafydd is in year 12, so his 10 are skipped.
    assert (summary.school_id, summary.rows_accepted, summary.rows_skipped) == (
        SCHOOL,
        28,
        11,
    )
    assert summary.skipped == {"years without session marks": 1, "years 12 and 13": 10}
    assert (summary.first_date, summary.last_date) == (MONDAY, date(2023, 9, 15))
    assert stored_weeks(db_url) == {
        ("B679400199001", MONDAY): "/\\L\\II/O..",
        ("B679400199001", date(2023, 9, 11)): "/\\/\\M\\-\\/\\",
        ("B679400199002", MONDAY): "/\\/\\UU/\\GG",
    }
    with session_scope(db_url) as session:
        rows = session.execute(
            select(Pupil.upn, Pupil.surname, Pupil.forename, PupilYear)
            .join(PupilYear, PupilYear.pupil_id == Pupil.id)
            .order_by(Pupil.upn)
        ).all()
    contexts = [
        (
            row.surname,
            row.forename,
            row.PupilYear.academic_year,
            row.PupilYear.year_group,
            row.PupilYear.gender,
            row.PupilYear.efsm,
            row.PupilYear.sen,
            row.PupilYear.eal,
            row.PupilYear.ethnicity,
            row.PupilYear.entry_date,
        )
        for row in rows
    ]
    assert contexts == [
        ("Ŵyn", "Llŷr", "2023/24", 8, "M", True, "school", False, "WWEL", MONDAY),
        ("ap Iorwerth", "Ffion", "2023/24", 11, "F", False, "la", True, "NOBT", MONDAY),
        ("Rhys", "Dafydd", "2023/24", 12, "M", False, "none", False, "WBRI", MONDAY),
    ]


def test_a_ctf_leaves_other_pupils_marks_alone(db_url: str) -> None:
    import_schools(db_url, FIXTURES / "schools.csv")
    import_pupils(db_url, FIXTURES / "pupils.csv", SCHOOL)
    import_marks(db_url, FIXTURES / "marks_week1.csv", SCHOOL)
    before = {key: codes for key, codes in stored_weeks(db_url).items()}

    import_ctf(db_url, CTF)
    import_ctf(db_url, CTF)  # a second copy changes nothing

    after = stored_weeks(db_url)
    assert {
        key: codes for key, codes in after.items() if key[0].startswith("A")
    } == before
    assert after[("B679400199002", MONDAY)] == "/\\/\\UU/\\GG"


CASES = [
    (
        "ctf_totals_disagree.xml",
        "Line 54: the marks give 17 possible sessions but SessionsPossible says 19.",
    ),
    (
        "ctf_billion_laughs.xml",
        "Line 3: the file declares XML entities, which are not accepted.",
    ),
    (
        "ctf_unknown_school.xml",
        "Line 49: school 6799999 (LEA 679, Estab 9999) is not registered.",
    ),
    (
        "ctf_weekend_mark.xml",
        "Line 60: 2023-09-09 is a Saturday; marks are only recorded on weekdays.",
    ),
    (
        "ctf_not_well_formed.xml",
        "Line 24: the XML is not well formed (mismatched tag).",
    ),
]


@pytest.mark.parametrize(
    ("file_name", "expected"),
    CASES,
    ids=[case[0].removesuffix(".xml") for case in CASES],
)
def test_a_bad_ctf_is_rejected_and_nothing_changes(
    db_url: str, file_name: str, expected: str
) -> None:
    import_schools(db_url, FIXTURES / "schools.csv")
    import_ctf(db_url, CTF)
    before = database_snapshot(db_url)

    with pytest.raises(ImportRejected) as rejected:
        import_ctf(db_url, FIXTURES / "bad" / file_name)

    assert str(rejected.value) == f"{file_name}: rejected, 1 problem(s)\n{expected}"
    assert database_snapshot(db_url) == before
