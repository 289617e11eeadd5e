"""Fixtures for the pupil reports, loaded through the real importers and published.

`pupil_scope`: the two-school report fixture (see tests/report_fixture.py) with three
more pupils in school A (tests/fixtures/pupil_reports), 2023/24, to Fri 15 Sep 2023:

    A5 Ŵyn, Llŷr   Y8  M 8C  EAL WBRI  left Fri 8 Sep   w1 4 present, 6 O
    A6 Bevan, Aled Y9  M 9D  eFSM LA-SEN WSCO           w1 10 X          (no figure)
    A7 Lewis, Nia  Y10 F 10P WBRI                       w1 10 present    w2 10 present

`worked_scope`: the guidance's worked example, Jones, Sarah (Y10 F 10P, WBRI), alone
in school A in 2022/23, published to Fri 23 Jun 2023. She joined on Fri 23 Sep 2022
and has a mark in every weekday session from then to Fri 23 Jun 2023: one day and 39
weeks, 2 + 390 = 392 sessions. `WORKED_CODES` lists every session that is not present
(the fixture's holidays are invented; only the counts matter):

    # not counted: Fri 23 Sep (INSET, 2); the weeks of 31 Oct, 26 Dec, 2 Jan, 20 Feb,
      3 Apr and 29 May (6 x 10 = 60); Mon 1 May and Mon 8 May (4)      = 66
    I illness: Mon 3 to Wed 5 Oct 2022 (6); Thu 22 Jun 2023 (2)          = 8
    M medical: Tue 15 Nov AM, Thu 12 Jan PM, Wed 8 Mar AM                = 3
    C other authorised: Mon 13 and Tue 14 Mar 2023                        = 4
    O unauthorised: Friday PM of 24 Mar, 31 Mar, 21 Apr, 28 Apr, 5 May   = 5
    possible 392 - 66 = 326; absence 8 + 3 + 4 + 5 = 20; present 326 - 20 = 306.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from data.access import clear_cache
from data.imports import import_marks, import_pupils, import_schools
from data.releases import publish
from data.reports import ReportScope, open_scope
from tests.report_fixture import (
    FIXTURES,
    SCHOOL_A,
    SCHOOL_B,
    publish_fixture,
    small_group_settings,
)

PUPIL_FIXTURES = Path(__file__).parent / "fixtures" / "pupil_reports"
WORKED_UPN = "T681100100901"
WORKED_FIRST = date(2022, 9, 23)
WORKED_TO = date(2023, 6, 23)


def _closed_week(monday: date) -> dict[tuple[date, str], str]:
    return {
        (monday + timedelta(days=day), half): "#"
        for day in range(5)
        for half in ("AM", "PM")
    }


def _both(day: date, code: str) -> dict[tuple[date, str], str]:
    return {(day, "AM"): code, (day, "PM"): code}


def worked_codes() -> dict[tuple[date, str], str]:
    """Return the worked example's sessions that are not present, by (day, AM/PM)."""
    codes: dict[tuple[date, str], str] = {}
    codes.update(_both(date(2022, 9, 23), "#"))
    for monday in ("2022-10-31", "2022-12-26", "2023-01-02", "2023-02-20"):
        codes.update(_closed_week(date.fromisoformat(monday)))
    for monday in ("2023-04-03", "2023-05-29"):
        codes.update(_closed_week(date.fromisoformat(monday)))
    codes.update(_both(date(2023, 5, 1), "#"))
    codes.update(_both(date(2023, 5, 8), "#"))
    for day in (date(2022, 10, 3), date(2022, 10, 4), date(2022, 10, 5)):
        codes.update(_both(day, "I"))
    codes.update(_both(date(2023, 6, 22), "I"))
    codes[(date(2022, 11, 15), "AM")] = "M"
    codes[(date(2023, 1, 12), "PM")] = "M"
    codes[(date(2023, 3, 8), "AM")] = "M"
    codes.update(_both(date(2023, 3, 13), "C"))
    codes.update(_both(date(2023, 3, 14), "C"))
    for friday in (
        "2023-03-24",
        "2023-03-31",
        "2023-04-21",
        "2023-04-28",
        "2023-05-05",
    ):
        codes[(date.fromisoformat(friday), "PM")] = "O"
    return codes


def write_worked_marks(path: Path) -> Path:
    """Write the worked example's marks CSV: every weekday session of her year."""
    exceptions = worked_codes()
    lines = ["upn,date,session,code"]
    day = WORKED_FIRST
    while day <= WORKED_TO:
        if day.weekday() < 5:
            for half, present in (("AM", "/"), ("PM", "\\")):
                code = exceptions.get((day, half), present)
                lines.append(f"{WORKED_UPN},{day.isoformat()},{half},{code}")
        day += timedelta(days=1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_pupil_fixture(url: str, work_dir: Path) -> None:
    """Import both schools, school A with the pupil reports' extra pupils."""
    import_schools(url, FIXTURES / "schools.csv")
    marks_a = work_dir / "marks_a.csv"
    extra = (PUPIL_FIXTURES / "extra_marks_a.csv").read_text(encoding="utf-8")
    marks_a.write_text(
        (FIXTURES / "marks_a.csv").read_text(encoding="utf-8")
        + extra.split("\n", 1)[1],
        encoding="utf-8",
    )
    import_pupils(url, PUPIL_FIXTURES / "pupils_a.csv", SCHOOL_A)
    import_marks(url, marks_a, SCHOOL_A)
    import_pupils(url, FIXTURES / "pupils_b.csv", SCHOOL_B)
    import_marks(url, FIXTURES / "marks_b.csv", SCHOOL_B)


@pytest.fixture
def pupil_scope(db_url: str, tmp_path: Path) -> Iterator[ReportScope]:
    """School A's scope in the pupil fixture, published to Fri 15 Sep 2023."""
    clear_cache()
    load_pupil_fixture(db_url, tmp_path)
    settings = small_group_settings(db_url)
    publish_fixture(db_url, settings)
    yield open_scope(db_url, SCHOOL_A, settings)
    clear_cache()


@pytest.fixture
def worked_scope(db_url: str, tmp_path: Path) -> Iterator[ReportScope]:
    """School A with the guidance's worked example, published to Fri 23 Jun 2023."""
    clear_cache()
    import_schools(db_url, FIXTURES / "schools.csv")
    import_pupils(db_url, PUPIL_FIXTURES / "pupils_worked.csv", SCHOOL_A)
    import_marks(db_url, write_worked_marks(tmp_path / "worked.csv"), SCHOOL_A)
    settings = small_group_settings(db_url)
    publish(db_url, to_date=WORKED_TO, settings=settings)
    yield open_scope(db_url, SCHOOL_A, settings)
    clear_cache()
