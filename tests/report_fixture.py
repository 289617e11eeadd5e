"""A two-school fixture loaded through the real importers, for hand-computed reports.

School A (6811001, Cardiff) and school B (6731001, Vale of Glamorgan), 2023/24, weeks
commencing 4 and 11 September 2023. The marks are in tests/fixtures/reports; every
expected figure in the report tests is worked out by hand from them:

    A1 Y10 F eFSM      w1 9 present, 1 illness          w2 10 present
    A2 Y10 M SEN       w1 8 present (1 late), 2 N       w2 6 present, 4 illness
    A3 Y7  F           w1 9 present, 1 medical          w2 8 present, 1 X, 1 missing
    A4 Y12             skipped everywhere
    B1 Y10 F           w1 8 present, 2 # (INSET)        w2 10 present
    B2 Y7  M eFSM SEN  w1 4 present, 6 G                w2 8 present, 2 U
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dashboard.config import Settings
from data.access import clear_cache
from data.imports import import_marks, import_pupils, import_schools
from data.releases import publish
from data.reports import ReportScope, open_scope

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
SCHOOL_A = "6811001"
SCHOOL_B = "6731001"
TO_DATE = date(2023, 9, 15)
WEEK_1 = date(2023, 9, 4)
WEEK_2 = date(2023, 9, 11)


def load_reports_fixture(url: str) -> None:
    """Import both schools' pupils and marks through the importers."""
    import_schools(url, FIXTURES / "schools.csv")
    for school, suffix in ((SCHOOL_A, "a"), (SCHOOL_B, "b")):
        import_pupils(url, FIXTURES / f"pupils_{suffix}.csv", school)
        import_marks(url, FIXTURES / f"marks_{suffix}.csv", school)


def small_group_settings(url: str) -> Settings:
    """Settings for the tiny fixture: comparators shown for groups of any size."""
    return replace(Settings(database_url=url), comparator_min_pupils=1)


def publish_fixture(url: str, settings: Settings) -> int:
    """Publish the fixture to Friday 15 September 2023 and return the release id."""
    return publish(url, to_date=TO_DATE, settings=settings).id


@pytest.fixture
def fixture_scope(db_url: str) -> ReportScope:
    """School A's scope in the fixture, published with comparators for small groups."""
    clear_cache()
    load_reports_fixture(db_url)
    settings = small_group_settings(db_url)
    publish_fixture(db_url, settings)
    return open_scope(db_url, SCHOOL_A, settings)
