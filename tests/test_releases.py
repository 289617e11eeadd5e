"""Publishing releases: counts, masking, comparators, persistence, retention, atomicity.

Every expected number below is worked out by hand from the marks in `build_fixture`.
Weeks: w1 = 8 Jan 2024, w2 = 15 Jan, w3 = 22 Jan; the main release runs to Thursday
18 Jan, so the Friday of w2 and all of w3 are left out.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data import access, releases
from data.codes import SUBCATEGORIES
from data.db import session_scope
from data.releases import (
    current_release,
    default_to_date,
    list_releases,
    previous_year_release,
    publish,
)
from data.schema import (
    Pupil,
    PupilYear,
    RegionMapping,
    Release,
    ReleaseAreaWeek,
    ReleaseComparator,
    ReleasePersistence,
    ReleaseSchool,
    School,
    WeekMarks,
)

W1, W2, W3, W4 = (
    date(2024, 1, 8),
    date(2024, 1, 15),
    date(2024, 1, 22),
    date(2024, 1, 29),
)
TO_DATE = date(2024, 1, 18)
SCHOOL_A, SCHOOL_B, SCHOOL_C = "6604001", "6604002", "6724001"
SEVEN = (7, "F", False, "none")

# pupil id: (school, year group, gender, eFSM, SEN, leaving date)
PUPILS = {
    1: (SCHOOL_A, 7, "F", False, "none", None),
    2: (SCHOOL_A, 7, "F", False, "none", None),
    3: (SCHOOL_A, 12, "M", False, "none", None),
    4: (SCHOOL_B, 7, "F", False, "none", None),
    5: (SCHOOL_B, 10, "M", True, "school", None),
    6: (SCHOOL_C, 7, "F", False, "none", None),
    7: (SCHOOL_C, 11, "M", False, "la", date(2024, 1, 10)),
    8: (SCHOOL_C, 9, "F", False, "none", None),
}
# Position = weekday x 2 + (0 AM, 1 PM); "." is no entry.
MARKS = {
    (1, W1): "/\\/\\IILM##",
    (1, W2): "/\\/\\/\\/\\/\\",
    (1, W3): "IIIIIIIIII",
    (2, W1): "/\\/\\/\\/\\NO",
    (2, W2): "/\\-\\GG....",
    (2, W4): "..........",
    (3, W1): "/\\/\\/\\/\\/\\",
    (3, W2): "IIIIIIIIII",
    (4, W1): "/\\O.......",
    (4, W2): "/\\/\\/\\/\\IV",
    (5, W1): "XXXXXXXXXX",
    (5, W2): "/\\/\\IIIIII",
    (6, W1): "/\\/\\/\\/\\/I",
    (6, W2): "##########",
    (7, W1): "/\\O.......",
    (8, W1): "ZZZZZZZZZZ",
}


def add_school(session: Session, school_id: str, la_code: int) -> None:
    """Insert a school."""
    session.add(School(id=school_id, name=f"School {school_id}", la_code=la_code))
    session.flush()


def add_pupil(
    session: Session,
    pupil_id: int,
    school_id: str,
    cell: tuple[int, str, bool, str],
    academic_year: str = "2023/24",
    leaving_date: date | None = None,
) -> None:
    """Insert a pupil and their context for one academic year."""
    year_group, gender, efsm, sen = cell
    if session.get(Pupil, pupil_id) is None:
        session.add(
            Pupil(
                id=pupil_id,
                school_id=school_id,
                upn=f"A{pupil_id:012d}",
                surname="Test",
                forename="Pupil",
                date_of_birth=date(2010, 1, 1),
            )
        )
        session.flush()
    session.add(
        PupilYear(
            pupil_id=pupil_id,
            academic_year=academic_year,
            school_id=school_id,
            year_group=year_group,
            reg_group=f"{year_group}A",
            gender=gender,
            efsm=efsm,
            sen=sen,
            eal=pupil_id % 2 == 0,
            ethnicity="WWEL",
            entry_date=date(2023, 9, 4),
            leaving_date=leaving_date,
        )
    )
    session.flush()


def add_marks(
    session: Session, school_id: str, pupil_id: int, week_start: date, codes: str
) -> None:
    """Insert one pupil's marks for one week as a ten-character string."""
    assert len(codes) == 10
    session.add(
        WeekMarks(
            school_id=school_id, week_start=week_start, pupil_id=pupil_id, codes=codes
        )
    )


def build_fixture(url: str) -> None:
    """Insert three schools in two authorities, their pupils and their marks."""
    with session_scope(url) as session:
        for school_id in (SCHOOL_A, SCHOOL_B, SCHOOL_C):
            add_school(session, school_id, int(school_id[:3]))
        for pupil_id, (school_id, *cell, leaving) in PUPILS.items():
            add_pupil(session, pupil_id, school_id, tuple(cell), leaving_date=leaving)
        for (pupil_id, week), codes in MARKS.items():
            add_marks(session, PUPILS[pupil_id][0], pupil_id, week, codes)


def counts(**nonzero: int) -> dict[str, int]:
    """Return every sub-category count, zero unless given."""
    return {name: nonzero.get(name, 0) for name in SUBCATEGORIES}


@pytest.fixture(autouse=True)
def fresh_cache():
    """Clear the access cache: release ids repeat across tests on one database."""
    access.clear_cache()
    yield
    access.clear_cache()


@pytest.fixture
def published(db_url):
    """The fixture published to Thursday 18 January 2024."""
    build_fixture(db_url)
    return db_url, publish(db_url, TO_DATE)


def cell_rows(url: str, release_id: int, scope: str, area: str) -> dict[tuple, dict]:
    """Return comparator rows keyed by (week, year group, gender, eFSM, SEN)."""
    with session_scope(url) as session:
        rows = session.scalars(
            select(ReleaseComparator).where(
                ReleaseComparator.release_id == release_id,
                ReleaseComparator.scope == scope,
                ReleaseComparator.area == area,
            )
        ).all()
        return {
            (r.week_start, r.year_group, r.gender, r.efsm, r.sen): {
                "pupils": r.pupils,
                **{name: getattr(r, name) for name in SUBCATEGORIES},
            }
            for r in rows
        }


def test_release_summary(published):
    url, info = published
    assert (info.academic_year, info.to_date) == ("2023/24", TO_DATE)
    # Pupils 1, 2, 4, 5, 6, 7, 8 have entries; pupil 3 is in Year 12.
    assert (info.schools, info.pupils) == (3, 7)
    assert current_release(url) == info
    with session_scope(url) as session:
        release = session.get(Release, info.id)
        assert release.status == "published" and release.published_at is not None
        regions = dict(
            session.execute(select(ReleaseSchool.school_id, ReleaseSchool.region)).all()
        )
    assert regions == {SCHOOL_A: "north", SCHOOL_B: "north", SCHOOL_C: "central_south"}


def test_national_cells_summed_by_hand(published):
    url, info = published
    rows = cell_rows(url, info.id, "national", "")
    assert rows == {
        (W1, *SEVEN): {
            "pupils": 4,
            **counts(
                present=23,
                late=1,
                illness=3,
                medical=1,
                other_unauthorised=3,
                not_counted=2,
            ),
        },
        (W2, *SEVEN): {
            "pupils": 4,
            **counts(present=19, missing=1, holiday_unauthorised=2, not_counted=8),
        },
        (W1, 10, "M", True, "school"): {"pupils": 1, **counts(x_mark=10)},
        (W2, 10, "M", True, "school"): {"pupils": 1, **counts(present=4, illness=4)},
        (W1, 11, "M", False, "la"): {
            "pupils": 1,
            **counts(present=2, other_unauthorised=1),
        },
        (W1, 9, "F", False, "none"): {"pupils": 1, **counts(not_counted=10)},
    }


def test_authority_and_region_cells_summed_by_hand(published):
    url, info = published
    la_660 = cell_rows(url, info.id, "la", "660")
    assert la_660[(W1, *SEVEN)] == {
        "pupils": 3,
        **counts(
            present=14,
            late=1,
            illness=2,
            medical=1,
            other_unauthorised=3,
            not_counted=2,
        ),
    }
    assert la_660[(W2, *SEVEN)] == {
        "pupils": 3,
        **counts(present=19, missing=1, holiday_unauthorised=2),
    }
    assert len(la_660) == 4
    assert cell_rows(url, info.id, "region", "north") == la_660
    la_672 = cell_rows(url, info.id, "la", "672")
    assert la_672[(W2, *SEVEN)] == {"pupils": 1, **counts(not_counted=8)}


def test_schools_open_and_participating(published):
    url, info = published
    with session_scope(url) as session:
        rows = session.execute(
            select(
                ReleaseAreaWeek.scope,
                ReleaseAreaWeek.area,
                ReleaseAreaWeek.week_start,
                ReleaseAreaWeek.schools_open,
                ReleaseAreaWeek.schools_participating,
            ).where(ReleaseAreaWeek.release_id == info.id)
        ).all()
    found = {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows}
    # School C has only closure marks in w2; school B only X marks for its pupils in w1
    # apart from pupil 4's three possible sessions.
    assert found == {
        ("national", "", W1): (3, 3),
        ("national", "", W2): (2, 3),
        ("la", "660", W1): (2, 2),
        ("la", "660", W2): (2, 2),
        ("la", "672", W1): (1, 1),
        ("la", "672", W2): (0, 1),
        ("region", "north", W1): (2, 2),
        ("region", "north", W2): (2, 2),
        ("region", "central_south", W1): (1, 1),
        ("region", "central_south", W2): (0, 1),
    }


def test_persistent_absence_at_threshold_edges(published):
    url, info = published
    with session_scope(url) as session:
        rows = session.scalars(
            select(ReleasePersistence).where(ReleasePersistence.release_id == info.id)
        ).all()
        found = {
            (r.scope, r.area, r.year_group, r.gender, r.efsm, r.sen): (
                r.pupils,
                r.persistent,
                r.severe,
                r.schools,
            )
            for r in rows
        }
    # Year 7: pupil 1 missed 3 of 16, pupil 2 4 of 15, pupil 6 1 of 10 (exactly 10%):
    # persistent; pupil 4 missed 1 of 11: not. Pupil 5 missed 4 of 8 (exactly 50%):
    # severe. Pupil 7 left on 10 January and missed 1 of 3. Pupil 8 had no possible
    # session, so Year 9 has no row.
    assert found[("national", "", *SEVEN)] == (4, 3, 0, 3)
    assert found[("national", "", 10, "M", True, "school")] == (1, 1, 1, 1)
    assert found[("national", "", 11, "M", False, "la")] == (1, 1, 0, 1)
    assert found[("la", "660", *SEVEN)] == (3, 2, 0, 2)
    assert found[("la", "672", *SEVEN)] == (1, 1, 0, 1)
    assert not any(key[2] == 9 for key in found)


def test_persistence_threshold_comes_from_settings(db_url):
    build_fixture(db_url)
    settings = releases.get_settings()
    lenient = type(settings)(
        persistent_absence_threshold=20, severe_absence_threshold=40
    )
    info = publish(db_url, TO_DATE, settings=lenient)
    with session_scope(db_url) as session:
        row = session.scalars(
            select(ReleasePersistence).where(
                ReleasePersistence.release_id == info.id,
                ReleasePersistence.scope == "national",
                ReleasePersistence.year_group == 7,
            )
        ).one()
    # At 20% only pupil 2 (4 of 15 = 26.7%) counts; 3 of 16 is 18.75%.
    assert (row.persistent, row.severe) == (1, 0)


def test_region_follows_the_mapping_valid_on_to_date(db_url):
    build_fixture(db_url)
    with session_scope(db_url) as session:
        session.execute(
            update(RegionMapping)
            .where(RegionMapping.la_code == 672)
            .values(valid_to=date(2024, 1, 18))
        )
        session.add(
            RegionMapping(la_code=672, region="new", valid_from=date(2024, 1, 18))
        )
    before = publish(db_url, date(2024, 1, 17))
    after = publish(db_url, date(2024, 1, 18))
    with session_scope(db_url) as session:
        regions = session.execute(
            select(ReleaseSchool.release_id, ReleaseSchool.region).where(
                ReleaseSchool.school_id == SCHOOL_C
            )
        ).all()
        found = dict(regions)
    assert found == {before.id: "central_south", after.id: "new"}


def test_sessions_before_september_belong_to_the_previous_year(db_url):
    with session_scope(db_url) as session:
        add_school(session, SCHOOL_A, 660)
        add_pupil(session, 1, SCHOOL_A, SEVEN, academic_year="2022/23")
        add_pupil(session, 1, SCHOOL_A, SEVEN, academic_year="2023/24")
        # Monday 28 August to Thursday 31 August is 2022/23, Friday 1 September 2023/24.
        add_marks(session, SCHOOL_A, 1, date(2023, 8, 28), "IIIIIIII/\\")
    old = publish(db_url, date(2023, 8, 31))
    new = publish(db_url, date(2023, 9, 8))

    old_weeks = access.school_data(db_url, old.id, SCHOOL_A).weeks
    new_weeks = access.school_data(db_url, new.id, SCHOOL_A).weeks
    assert (old.academic_year, new.academic_year) == ("2022/23", "2023/24")
    assert old_weeks.loc[0, ["illness", "present"]].tolist() == [8, 0]
    assert new_weeks.loc[0, ["illness", "present"]].tolist() == [0, 2]
    assert list(new_weeks["week_start"]) == [date(2023, 8, 28)]


def test_retention_keeps_two_of_the_year_and_the_last_of_earlier_years(db_url):
    build_fixture(db_url)
    with session_scope(db_url) as session:
        add_pupil(session, 1, SCHOOL_A, SEVEN, academic_year="2022/23")
        add_marks(session, SCHOOL_A, 1, date(2023, 7, 10), "/\\/\\/\\/\\/\\")
    old_first = publish(db_url, date(2023, 7, 13))
    old_last = publish(db_url, date(2023, 7, 14))
    first = publish(db_url, date(2024, 1, 11))
    second = publish(db_url, date(2024, 1, 12))
    third = publish(db_url, TO_DATE)

    assert [r.id for r in list_releases(db_url)] == [third.id, second.id, old_last.id]
    assert old_last.academic_year == "2022/23" and old_last.pupils == 1
    assert previous_year_release(db_url) == old_last
    with session_scope(db_url) as session:
        for model in (
            ReleaseSchool,
            ReleaseAreaWeek,
            ReleaseComparator,
            ReleasePersistence,
        ):
            left = session.scalar(
                select(func.count())
                .select_from(model)
                .where(model.release_id.in_([old_first.id, first.id]))
            )
            assert left == 0, model.__tablename__


def test_current_release_ignores_a_building_release(published):
    url, info = published
    with session_scope(url) as session:
        session.add(
            Release(academic_year="2023/24", to_date=W3, created_at=info.published_at)
        )
    assert current_release(url) == info
    assert [r.id for r in list_releases(url)] == [info.id]
    assert previous_year_release(url) is None


def test_no_release_before_the_first_publish(db_url):
    assert current_release(db_url) is None
    assert previous_year_release(db_url) is None
    with pytest.raises(ValueError, match="No marks to publish for 2023/24"):
        publish(db_url, TO_DATE)
    assert list_releases(db_url) == []


def test_a_publish_killed_midway_leaves_the_previous_release(published, monkeypatch):
    url, info = published
    real = releases.school_partials
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(releases, "school_partials", failing)
    with pytest.raises(RuntimeError, match="killed"):
        publish(url, date(2024, 1, 19))

    assert current_release(url) == info
    with session_scope(url) as session:
        assert session.scalar(select(func.count()).select_from(Release)) == 1
        assert session.scalar(select(func.count()).select_from(ReleaseSchool)) == 3
    assert len(access.school_data(url, info.id, SCHOOL_A).weeks) == 4


def test_readers_see_the_previous_release_while_publishing(published):
    url, info = published
    seen = []
    publish(
        url,
        date(2024, 1, 19),
        progress=lambda _message: seen.append(current_release(url)),
    )
    assert seen and all(release == info for release in seen)
    assert current_release(url).to_date == date(2024, 1, 19)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 1, 17), date(2024, 1, 12)),  # Wednesday: the week before
        (date(2024, 1, 20), date(2024, 1, 19)),  # Saturday: this week
        (date(2024, 1, 22), date(2024, 1, 19)),  # Monday: the week before
        (date(2024, 3, 6), date(2024, 1, 26)),  # after the last marks (w4 has none)
    ],
    ids=["wednesday", "saturday", "monday", "after-last-marks"],
)
def test_default_to_date(db_url, today, expected):
    build_fixture(db_url)
    assert default_to_date(db_url, today) == expected


def test_publish_defaults_to_the_last_complete_week(db_url):
    build_fixture(db_url)
    info = publish(db_url, today=date(2024, 1, 17))
    assert info.to_date == date(2024, 1, 12)
    # Only w1 is published.
    assert access.release_weeks(db_url, info.id) == [W1]
