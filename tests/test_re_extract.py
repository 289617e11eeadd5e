"""Re-extracts replace exactly one school's year; publishing previews what it changes.

The reports fixture: school A's marks file for 4 to 15 September 2023 holds 60 marks
of A1 to A3 (three pupils x 20 sessions) and 20 of A4 in Year 12, which are skipped.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from data.db import session_scope
from data.desk import import_history
from data.desk_releases import preview_publish, publish_now, release_history
from data.import_report import ImportRejected
from data.imports import import_marks, import_pupils
from data.re_extract import StalePreview, preview_re_extract, re_extract
from data.schema import Pupil, WeekMarks
from tests.report_fixture import (
    FIXTURES,
    SCHOOL_A,
    SCHOOL_B,
    load_reports_fixture,
    small_group_settings,
)
from tests.test_data_desk import add_user

YEAR = "2023/24"
IMPORTED_INTO_A = (
    "Marks imported for Ysgol Prawf Caerdydd (6811001) since the current release was "
    "made; figures may change in "
)


def school_weeks(url: str, school_id: str) -> list[tuple[str, date, str]]:
    """Return a school's stored weeks as (UPN, Monday, codes), sorted."""
    with session_scope(url) as session:
        rows = session.execute(
            select(Pupil.upn, WeekMarks.week_start, WeekMarks.codes)
            .join(Pupil, Pupil.id == WeekMarks.pupil_id)
            .where(WeekMarks.school_id == school_id)
            .order_by(Pupil.upn, WeekMarks.week_start)
        ).all()
    return [tuple(row) for row in rows]


def re_extract_file() -> bytes:
    """School A's marks without Friday 15 September, with A1's first mark now I."""
    lines = (FIXTURES / "marks_a.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if ",2023-09-15," not in line]
    assert kept[1] == "T681100100001,2023-09-04,AM,/"
    kept[1] = "T681100100001,2023-09-04,AM,I"
    return ("\n".join(kept) + "\n").encode()


@pytest.fixture
def two_years(db_url: str) -> tuple[str, int]:
    """The reports fixture plus one 2022/23 pupil of school A with two marks.

    Thursday 31 August 2023 sits in the week of Monday 28 August, whose Friday is in
    2023/24: a re-extract of 2023/24 must leave it alone.
    """
    load_reports_fixture(db_url)
    pupils = (FIXTURES / "pupils_a.csv").read_text(encoding="utf-8").splitlines()
    last_year = pupils[1].replace(",10,10P,", ",9,9P,")
    last_year = last_year.replace(",2023-09-04,", ",2022-09-05,")
    import_pupils(db_url, f"{pupils[0]}\n{last_year}\n".encode(), SCHOOL_A, "2022/23")
    marks = (
        "upn,date,session,code\n"
        "T681100100001,2023-07-20,AM,/\n"
        "T681100100001,2023-08-31,PM,I\n"
    )
    import_marks(db_url, marks.encode(), SCHOOL_A, "last-year.csv")
    return db_url, add_user(db_url)


def test_the_preview_names_every_session_that_changes(
    two_years: tuple[str, int],
) -> None:
    url, user = two_years

    preview = preview_re_extract(url, re_extract_file(), SCHOOL_A, YEAR, user, "y.csv")

    # One changed (A1 Mon AM); Friday 15th removed for A1, A2 and A3: 6 sessions.
    assert (preview.changed, preview.added, preview.removed) == (1, 0, 6)
    assert preview.sessions == 54 and preview.pupils == 3
    assert preview.skipped == {"years 12 and 13": 18}
    assert preview.weeks == ((date(2023, 9, 4), 0, 1, 0), (date(2023, 9, 11), 0, 0, 6))
    assert preview.describe() == (
        "Replace every mark of 2023/24 held for school 6811001 with the 54 marks in "
        "y.csv (4 Sep 2023 to 14 Sep 2023). Sessions: 1 change code, 0 added, "
        "6 removed; 3 pupils in 2 weeks."
    )
    assert preview.table().column("Removed") == ["0", "6"]


def test_a_re_extract_replaces_exactly_one_schools_year(
    two_years: tuple[str, int],
) -> None:
    url, user = two_years
    school_b = school_weeks(url, SCHOOL_B)
    before = {(upn, week): codes for upn, week, codes in school_weeks(url, SCHOOL_A)}
    preview = preview_re_extract(url, re_extract_file(), SCHOOL_A, YEAR, user)

    done = re_extract(url, re_extract_file(), SCHOOL_A, YEAR, preview.digest, user)

    after = {(upn, week): codes for upn, week, codes in school_weeks(url, SCHOOL_A)}
    a1 = "T681100100001"
    assert after[(a1, date(2023, 9, 4))] == "I" + before[(a1, date(2023, 9, 4))][1:]
    assert after[(a1, date(2023, 9, 11))] == before[(a1, date(2023, 9, 11))][:8] + ".."
    # Last year's marks stay, including Thursday 31 August beside Friday 1 September.
    assert after[(a1, date(2023, 7, 17))] == "....../..."
    assert after[(a1, date(2023, 8, 28))] == ".......I.."
    assert len(after) == len(before)
    assert school_weeks(url, SCHOOL_B) == school_b
    assert done.changed == 1
    newest = import_history(url, SCHOOL_A).table.records()[0]
    assert newest["Kind"] == "Re-extract" and newest["Rows accepted"] == "54"


def test_a_re_extract_is_refused_when_the_marks_changed_since_the_preview(
    two_years: tuple[str, int],
) -> None:
    url, user = two_years
    preview = preview_re_extract(url, re_extract_file(), SCHOOL_A, YEAR, user)
    medical = b"upn,date,session,code\nT681100100002,2023-09-05,AM,M\n"
    import_marks(url, medical, SCHOOL_A)
    held = school_weeks(url, SCHOOL_A)

    with pytest.raises(StalePreview):
        re_extract(url, re_extract_file(), SCHOOL_A, YEAR, preview.digest, user)

    assert school_weeks(url, SCHOOL_A) == held


def test_a_re_extract_with_a_date_outside_the_year_is_rejected_and_logged(
    two_years: tuple[str, int],
) -> None:
    url, user = two_years
    marks = re_extract_file() + b"T681100100001,2024-09-02,AM,/\n"

    with pytest.raises(ImportRejected) as rejected:
        preview_re_extract(url, marks, SCHOOL_A, YEAR, user, "next.csv")

    # 81 lines less the eight of Friday 15 September, then this one: line 74.
    assert [str(problem) for problem in rejected.value.problems] == [
        "Line 74: 2024-09-02 is outside 2023/24; a re-extract is one year.",
        "Line 74: the pupil on this line has no context for 2024/25; "
        "import the pupil file for that year first.",
    ]
    assert import_history(url, SCHOOL_A).table.records()[0]["Kind"] == "Re-extract"
    assert import_history(url, SCHOOL_A).rejected


def test_publishing_previews_the_schools_pupils_and_weeks_it_adds(
    db_url: str,
) -> None:
    load_reports_fixture(db_url)
    settings = small_group_settings(db_url)
    user = add_user(db_url, role="admin", school=None)

    first = preview_publish(db_url, date(2023, 9, 8))
    # A1-A3 and B1-B2 (A4 is in Year 12), in the week of 4 September.
    assert first.current is None
    assert first.proposed.schools == (SCHOOL_B, SCHOOL_A)
    assert (first.proposed.pupils, first.proposed.weeks) == (5, (date(2023, 9, 4),))
    assert first.changes()[0].startswith("Schools added: Ysgol Prawf y Fro (6731001)")

    publish_now(db_url, date(2023, 9, 8), user, settings)
    second = preview_publish(db_url, date(2023, 9, 15))
    assert second.changes() == ["Weeks added: w/c 11 Sep 2023"]
    weeks = [cell.text for cell in second.table().rows[4]]
    assert weeks == ["Weeks", "1", "2", "+1"]

    publish_now(db_url, date(2023, 9, 15), user, settings)
    history = release_history(db_url).records()
    assert [(row["Data to"], row["Pupils"], row["Weeks"]) for row in history] == [
        ("2023-09-15", "5", "2"),
        ("2023-09-08", "5", "1"),
    ]


def test_the_preview_counts_only_sessions_up_to_the_date(db_url: str) -> None:
    load_reports_fixture(db_url)
    # Only A1 has a mark in the week of 18 September: Tuesday afternoon.
    tuesday = b"upn,date,session,code\nT681100100001,2023-09-19,PM,/\n"
    import_marks(db_url, tuesday, SCHOOL_A)

    to_monday = preview_publish(db_url, date(2023, 9, 18)).proposed
    to_tuesday = preview_publish(db_url, date(2023, 9, 19)).proposed

    assert to_monday.weeks[-1] == date(2023, 9, 11) and to_monday.pupils == 5
    assert to_tuesday.weeks[-1] == date(2023, 9, 18)


def test_the_preview_names_marks_imported_into_published_weeks(db_url: str) -> None:
    load_reports_fixture(db_url)
    user = add_user(db_url, role="admin", school=None)
    publish_now(db_url, date(2023, 9, 15), user, small_group_settings(db_url))
    # The fixture's imports came before the release: nothing to name.
    assert preview_publish(db_url, date(2023, 9, 15)).changes() == [
        "Nothing changes but the date the release was made."
    ]

    # A late correction on Tuesday 5 September, a week already published.
    medical = b"upn,date,session,code\nT681100100002,2023-09-05,AM,M\n"
    import_marks(db_url, medical, SCHOOL_A)

    preview = preview_publish(db_url, date(2023, 9, 15))
    assert preview.imported == {SCHOOL_A: (date(2023, 9, 4),)}
    assert preview.changes() == [IMPORTED_INTO_A + "w/c 4 Sep 2023"]


def test_the_preview_names_every_week_of_a_re_extracted_year(
    two_years: tuple[str, int],
) -> None:
    url, user = two_years
    publish_now(url, date(2023, 9, 15), user, small_group_settings(url))
    # School A's marks of the week of 4 September only: the re-extract removes its
    # week of 11 September, which school B's marks keep in the release.
    lines = (FIXTURES / "marks_a.csv").read_text(encoding="utf-8").splitlines()
    first_week = [line for line in lines if ",2023-09-1" not in line]
    marks = ("\n".join(first_week) + "\n").encode()
    preview = preview_re_extract(url, marks, SCHOOL_A, YEAR, user)
    re_extract(url, marks, SCHOOL_A, YEAR, preview.digest, user)

    changes = preview_publish(url, date(2023, 9, 15)).changes()

    assert changes == [IMPORTED_INTO_A + "w/c 4 Sep 2023, w/c 11 Sep 2023"]


def test_a_date_in_a_year_before_the_current_releases_is_refused(
    two_years: tuple[str, int],
) -> None:
    url, user = two_years
    settings = small_group_settings(url)
    publish_now(url, date(2023, 9, 15), user, settings)
    refusal = "20 Jul 2023 is in 2022/23, before the current release's 2023/24"

    with pytest.raises(ValueError, match=refusal):
        preview_publish(url, date(2023, 7, 20))
    with pytest.raises(ValueError, match=refusal):
        publish_now(url, date(2023, 7, 20), user, settings)

    assert [row["Data to"] for row in release_history(url).records()] == ["2023-09-15"]
    # The current year and later ones are still offered.
    assert preview_publish(url, date(2023, 9, 15)).proposed.academic_year == YEAR
