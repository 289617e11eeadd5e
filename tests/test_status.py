"""The data status and the completed-year notice, on the two-school report fixture
published to Friday 15 September 2023 (the 2023/24 year; default calendar, whose
summer term ends Friday 19 July 2024 and whose 2024/25 year starts Monday 2 September)."""

from __future__ import annotations

from datetime import date

from data.status import completed_year, data_status
from tests.report_fixture import (
    SCHOOL_A,
    load_reports_fixture,
    publish_fixture,
    small_group_settings,
)


def test_no_year_is_complete_before_anything_is_published(db_url: str) -> None:
    assert completed_year(db_url, date(2024, 8, 1)) is None


def test_a_year_is_complete_once_its_terms_have_ended(db_url: str) -> None:
    load_reports_fixture(db_url)
    publish_fixture(db_url, small_group_settings(db_url))

    assert completed_year(db_url, date(2023, 9, 20), SCHOOL_A) is None
    assert completed_year(db_url, date(2024, 7, 19), SCHOOL_A) is None
    assert completed_year(db_url, date(2024, 7, 20), SCHOOL_A) == "2023/24"
    assert completed_year(db_url, date(2024, 8, 30)) == "2023/24"


def test_the_next_release_after_the_summer_is_the_first_week_back(db_url: str) -> None:
    load_reports_fixture(db_url)
    publish_fixture(db_url, small_group_settings(db_url))

    # 2 Sep 2024 is a Monday: the first Wednesday in term is 4 September, the week
    # after a holiday, so it is shown as w/c 2 September.
    status = data_status(db_url, date(2024, 8, 1), SCHOOL_A)
    assert (status.latest, status.next_release, status.in_holiday) == (
        date(2023, 9, 15),
        date(2024, 9, 4),
        True,
    )
