"""Purging pupil-level data past its retention and removing a school, by hand.

Purge runs on the two-year regional fixture (tests/regional_fixture.py), published for
2022/23 (to 20 July 2023) and 2023/24 (to 15 September 2023), so 2023/24 is the
current year. 2022/23 holds 9 pupils x 2 weeks = 18 week rows and 9 pupil-years, and
its release 5 school payloads (C1, C2, C3, V1, N1). On top of that the tests add a
leaver who was only on C1's roll in 2022/23 (one week of marks), and a week for c1a
commencing Monday 28 August 2023, which straddles 1 September: its Monday to Thursday
(8 sessions) belong to 2022/23, its Friday to 2023/24.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import inspect

from data import protection
from data.access import clear_cache
from data.db import get_engine, session_scope
from data.protection import purge, remove_school
from data.pupil_names import pupil_by_upn
from data.reports import ReportUnavailable, open_scope
from data.reports.previous_year import open_last_year
from data.schema import (
    ImportLog,
    Pupil,
    PupilGrant,
    PupilYear,
    ReleaseSchool,
    School,
    SchoolClosure,
    User,
    WeekMarks,
)
from tests.protection_fixture import (
    add_audit,
    add_pupil,
    add_week,
    audit_details,
    count,
    snapshot,
)
from tests.regional_fixture import (
    C1,
    P2,
    load_regional_fixture,
    publish_both_years,
    regional_settings,
)
from tests.report_fixture import (
    SCHOOL_A,
    SCHOOL_B,
    load_reports_fixture,
    publish_fixture,
    small_group_settings,
)

C1A_UPN = "T681110100000"
STRADDLING = date(2023, 8, 28)
AGGREGATES = (
    "releases",
    "release_comparators",
    "release_area_weeks",
    "release_persistence",
)
KEEP_ONE_YEAR = {
    "release_schools": 5,
    "week_marks": 18 + 1,
    "week_marks trimmed": 1,
    "pupil_years": 9 + 1,
    "pupils": 1,
}


@pytest.fixture
def two_years(db_url: str) -> str:
    """Both years published, then a 2022/23 leaver and a straddling week added."""
    load_regional_fixture(db_url)
    publish_both_years(db_url, regional_settings(db_url))
    add_pupil(db_url, C1, "T681110100099", "2022/23", {P2: "//////////"})
    c1a = pupil_by_upn(db_url, C1, C1A_UPN)
    assert c1a is not None
    add_week(db_url, C1, c1a, STRADDLING, "IIIIIIII//")
    return db_url


def test_purge_keeping_one_year_removes_exactly_the_older_year(two_years):
    before = snapshot(two_years)

    removal = purge(two_years, years_kept=1)

    assert removal.kept_from == "2023/24"
    assert removal.rows == KEEP_ONE_YEAR
    after = snapshot(two_years)
    # The comparators of both releases, and the releases themselves, are untouched.
    for table in AGGREGATES:
        assert after[table] == before[table]
    assert len(after["release_comparators"]) > 0
    # This year's 10 pupils x 2 weeks, their context and payloads are untouched.
    assert _rows_from(after, date(2023, 9, 4)) == _rows_from(before, date(2023, 9, 4))
    assert len(_rows_from(after, date(2023, 9, 4))) == 20
    assert len(after["pupil_years"]) == 10
    assert len(after["pupils"]) == 10
    assert len(after["release_schools"]) == 5
    # The straddling week keeps only Friday 1 September 2023.
    assert [row[3] for row in after["week_marks"] if row[1] == STRADDLING] == [
        "........//"
    ]
    assert audit_details(two_years, "pupil_data_purged") == [
        (
            None,
            "before 2023/24: release_schools 5, week_marks 19, week_marks trimmed 1, "
            "pupil_years 10, pupils 1",
        )
    ]


def test_after_a_purge_this_year_reports_and_last_year_is_unavailable(two_years):
    purge(two_years, years_kept=1)
    settings = regional_settings(two_years)

    assert open_scope(two_years, C1, settings).release.academic_year == "2023/24"
    with pytest.raises(ReportUnavailable, match="no data in the release"):
        open_last_year(two_years, C1, settings)


def test_purge_with_the_default_two_years_removes_nothing(two_years):
    before = snapshot(two_years, skip=("audit_log",))

    removal = purge(two_years, years_kept=2)

    # 2022/23 starts on Thursday 1 September 2022: the week of 29 August holds no
    # mark before it in the fixture ("......////"), so nothing is trimmed either.
    assert removal.kept_from == "2022/23"
    assert set(removal.rows.values()) == {0}
    assert snapshot(two_years, skip=("audit_log",)) == before


def test_a_dry_run_counts_the_same_and_changes_nothing(two_years):
    before = snapshot(two_years)

    removal = purge(two_years, years_kept=1, dry_run=True)

    assert removal.dry_run
    assert removal.rows == KEEP_ONE_YEAR
    assert snapshot(two_years) == before


def test_an_interrupted_purge_leaves_everything(two_years, monkeypatch):
    before = snapshot(two_years)

    def interrupted(connection: object) -> int:
        raise RuntimeError("interrupted")

    # The last step fails after payloads, marks and context were deleted.
    monkeypatch.setattr(protection, "_delete_unreferenced_pupils", interrupted)
    with pytest.raises(RuntimeError, match="interrupted"):
        purge(two_years, years_kept=1)

    assert snapshot(two_years) == before


def test_the_pupil_index_lives_only_inside_the_transaction(two_years):
    purge(two_years, years_kept=1, dry_run=True)
    assert not _pupil_index(two_years)
    purge(two_years, years_kept=1)
    assert not _pupil_index(two_years)


def test_purge_refuses_without_a_release_or_with_no_year_kept(db_url):
    load_regional_fixture(db_url)

    with pytest.raises(ValueError, match="No release has been published"):
        purge(db_url, years_kept=2)
    with pytest.raises(ValueError, match="At least one academic year"):
        purge(db_url, years_kept=0)
    assert count(db_url, WeekMarks) == 18 + 20


@pytest.fixture
def two_schools(db_url: str) -> str:
    """The report fixture published, with users, grants and closures at A and B.

    A holds A1-A4: 4 pupils and 4 pupil-years, but marks only for A1-A3 (the marks
    import skips A4, in Year 12), 3 x 2 = 6 week rows; one payload in the release
    and two import log rows (pupils and marks).
    """
    clear_cache()
    load_reports_fixture(db_url)
    publish_fixture(db_url, small_group_settings(db_url))
    with session_scope(db_url) as session:
        for email, role, school, la_code in (
            ("a@ysgol.example", "school_viewer", SCHOOL_A, None),
            ("b@ysgol.example", "school_viewer", SCHOOL_B, None),
            ("la@awdurdod.example", "la_officer", None, 681),
            ("admin@traciwr.example", "admin", None, None),
        ):
            session.add(
                User(
                    email=email,
                    name="Prawf",
                    password_hash="not a hash",
                    role=role,
                    school_id=school,
                    la_code=la_code,
                    created_at=datetime(2023, 9, 1),
                )
            )
        session.flush()
        users = {user.email: user.id for user in session.query(User)}
        for email, school in (
            ("a@ysgol.example", SCHOOL_A),
            ("b@ysgol.example", SCHOOL_B),
            ("la@awdurdod.example", SCHOOL_A),
            ("admin@traciwr.example", SCHOOL_A),
            ("admin@traciwr.example", SCHOOL_B),
        ):
            session.add(PupilGrant(user_id=users[email], school_id=school))
        for school in (SCHOOL_A, SCHOOL_B):
            session.add(SchoolClosure(school_id=school, day=date(2023, 9, 1)))
    add_audit(db_url, "pupil_view", SCHOOL_A, "individual-pupil view pupil 1")
    return db_url


def test_remove_school_removes_everything_of_that_school(two_schools):
    removal = remove_school(two_schools, SCHOOL_A)

    assert removal.rows == {
        "week_marks": 6,
        "pupil_years": 4,
        "pupils": 4,
        "release_schools": 1,
        "import_log": 2,
        "school_terms": 0,
        "school_closures": 1,
        "pupil_grants": 3,
        "users disabled": 1,
        "schools": 1,
    }
    with session_scope(two_schools) as session:
        for model in (Pupil, PupilYear, WeekMarks, ReleaseSchool, ImportLog):
            assert session.query(model).filter_by(school_id=SCHOOL_A).count() == 0
        assert session.get(School, SCHOOL_A) is None
        user = session.query(User).filter_by(email="a@ysgol.example").one()
        assert (user.active, user.school_id, user.session_version) == (False, None, 1)
    # The audit log is the service's record and keeps its entries about A.
    assert audit_details(two_schools, "pupil_view") == [
        (SCHOOL_A, "individual-pupil view pupil 1")
    ]
    assert audit_details(two_schools, "school_removed")[0][0] == SCHOOL_A


def test_remove_school_leaves_the_other_school_byte_for_byte(two_schools):
    before = snapshot(two_schools)

    remove_school(two_schools, SCHOOL_A)

    after = snapshot(two_schools)
    for table, rows in before.items():
        if table == "audit_log":
            assert after[table][: len(rows)] == rows
        elif table in AGGREGATES:
            # Published comparators keep A's counts until the next publish.
            assert after[table] == rows
        else:
            assert _not_of(after[table], SCHOOL_A) == _not_of(rows, SCHOOL_A), table


def test_the_next_publish_after_a_removal_leaves_the_school_out(two_schools):
    remove_school(two_schools, SCHOOL_A)

    release_id = publish_fixture(two_schools, small_group_settings(two_schools))

    with session_scope(two_schools) as session:
        schools = session.query(ReleaseSchool.school_id).filter_by(
            release_id=release_id
        )
        assert [row.school_id for row in schools] == [SCHOOL_B]


def test_remove_school_refuses_an_unknown_school_and_dry_runs_change_nothing(
    two_schools,
):
    before = snapshot(two_schools)

    with pytest.raises(LookupError, match="No school with id 6999999"):
        remove_school(two_schools, "6999999")
    removal = remove_school(two_schools, SCHOOL_A, dry_run=True)

    assert removal.rows["pupils"] == 4
    assert snapshot(two_schools) == before


def test_an_interrupted_removal_leaves_everything(two_schools, monkeypatch):
    before = snapshot(two_schools)
    delete_rows = protection._delete

    def interrupted(connection: object, model: object, where: object) -> int:
        if model is Pupil:
            raise RuntimeError("interrupted")
        return delete_rows(connection, model, where)

    # Deleting pupils fails after their marks and context went and the pupil index
    # was made.
    monkeypatch.setattr(protection, "_delete", interrupted)
    with pytest.raises(RuntimeError, match="interrupted"):
        remove_school(two_schools, SCHOOL_A)

    assert snapshot(two_schools) == before
    assert not _pupil_index(two_schools)


def _pupil_index(url: str) -> bool:
    """Return whether the temporary week_marks index of pupil deletions exists."""
    indexes = inspect(get_engine(url)).get_indexes("week_marks")
    return any(index["name"] == protection.PUPIL_INDEX for index in indexes)


def _rows_from(found: dict, monday: date) -> list:
    """Return the week_marks rows of weeks from `monday` on."""
    return [row for row in found["week_marks"] if row[1] >= monday]


def _not_of(rows: list, school_id: str) -> list:
    """Return the rows naming no school id `school_id` in any column, and rows of
    users and grants with the school's user removed (detached by the removal)."""
    return [
        row for row in rows if school_id not in row and "a@ysgol.example" not in row
    ]
