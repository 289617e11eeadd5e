"""The data desk in a real browser: bad uploads rejected by line with nothing stored, a
year re-extracted for one school only, the desk for a data manager and an
administrator, and kept from school viewers.

The bad uploads are every pupil and marks file of the data platform's table of bad
files (tests/test_import_errors.py) and the bad CTFs of tests/test_import_ctf.py that
reach the importer (a CTF whose marks disagree with its totals, an XML entity bomb, a
weekend mark, XML that is not well formed), with the problems they expect.

The desk works on school 6794001 of the import fixtures (tests/fixtures/imports),
loaded into the shared demo app's database as tests/test_import_errors.py loads it,
with a data manager of its own (only administrators and LA officers need an
authenticator code). That adds the fixtures' three schools, in no release; the demo's
four schools are never written to, so the figures other browser tests check stay as
they were, and the re-extract test checks that their marks do.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from sqlalchemy import func, select

from dashboard.users import create_user
from data.db import session_scope
from data.imports import import_marks, import_pupils, import_schools
from data.schema import Base, ImportLog, Pupil, PupilYear, User, WeekMarks
from data.scope import DATA_MANAGER
from tests.browser.conftest import ADMINISTRATOR, VIEWER, Browser
from tests.test_import_ctf import CASES as CTF_CASES
from tests.test_import_errors import BAD, CASES, FIXTURES, SCHOOL
from tests.test_re_extract import school_weeks

DESK_USER = ("data@trefynwy.example", "desk-data-manager-2026")
DESK_USER_NAME = "Nia Data"
REFUSAL = "The data desk is for administrators and schools' data managers."
LOG_TABLES = ("import_log", "audit_log")
# (file name, problems shown). The desk takes pupil, marks and CTF files; the list of
# schools comes by command line only. A CTF of another school is refused by the desk's
# own check before the importer sees it (tests/test_data_desk.py).
UPLOADS = [
    (file_name, expected)
    for file_name, _run, expected in CASES
    if file_name.startswith(("marks_", "pupils_"))
] + [
    (file_name, [expected])
    for file_name, expected in CTF_CASES
    if file_name != "ctf_unknown_school.xml"
]

# Pupil 003 in Year 9 in 2022/23, and one mark of that year: a re-extract of 2023/24
# must leave it alone.
LAST_YEAR_PUPIL = (
    "upn,surname,forename,year_group,reg_group,gender,efsm,sen,eal,ethnicity,"
    "date_of_birth,entry_date,leaving_date\n"
    "A679400123003,Okafor,Chidi,9,9C,M,N,none,Y,BAFR,2009-06-30,2022-09-05,\n"
)
LAST_YEAR_MARK = "upn,date,session,code\nA679400123003,2023-07-20,AM,/\n"
# Against marks_week1.csv, which holds 20 sessions of 2023/24 (a blank mark is stored
# as "register not taken"; pupils 005 and 006 are in Years 12 and 13 and skipped, and
# 002's second Monday AM repeats its first): 001's and 002's Monday 4 September stay,
# 001's Monday PM changes from \ to I, 003 gains Monday 18 September, and the other
# 16 sessions go (14 in the week of 4 September, 001's two on 11 September).
RE_EXTRACT = (
    "upn,date,session,code\n"
    "A679400123001,2023-09-04,AM,/\n"
    "A679400123001,2023-09-04,PM,I\n"
    "A679400123002,2023-09-04,AM,/\n"
    "A679400123002,2023-09-04,PM,\\\n"
    "A679400123003,2023-09-18,AM,/\n"
    "A679400123003,2023-09-18,PM,\\\n"
)
RE_EXTRACT_PREVIEW = (
    "Replace every mark of 2023/24 held for school 6794001 with the 6 marks in "
    "re-extract.csv (4 Sep 2023 to 18 Sep 2023). Sessions: 1 change code, 2 added, "
    "16 removed; 4 pupils in 3 weeks."
)
# Each row's cell texts, top to bottom, of the grid whose id is the argument.
GRID_ROWS = """
const rows = {};
document.querySelectorAll(`#${arguments[0]} .ag-row`).forEach(row => {
  const index = Number(row.getAttribute('row-index'));
  const cells = [...row.querySelectorAll('.ag-cell')].map(c => c.textContent.trim());
  rows[index] = (rows[index] || []).concat(cells);
});
return Object.keys(rows).sort((a, b) => a - b).map(index => rows[index]);
"""
# (week commencing, sessions added, changed, removed)
RE_EXTRACT_WEEKS = [
    ["4 Sep 23", "0", "1", "14"],
    ["11 Sep 23", "0", "0", "2"],
    ["18 Sep 23", "2", "0", "0"],
]
RE_EXTRACT_DONE = (
    "Replaced 2023/24: Sessions: 1 change code, 2 added, 16 removed; "
    "4 pupils in 3 weeks."
)
WEEKS_AFTER = [
    ("A679400123001", date(2023, 9, 4), "/I........"),
    ("A679400123002", date(2023, 9, 4), "/\\........"),
    ("A679400123003", date(2023, 7, 17), "....../..."),  # Thursday 20 July AM
    ("A679400123003", date(2023, 9, 18), "/\\........"),
]


@pytest.fixture(scope="module")
def desk_school(demo_url: str) -> str:
    """The import fixtures' school, pupils and first week in the demo database, and
    the school's data manager; return the database address.

    Other modules use this fixture too (tests/browser/test_welsh.py); the first to
    run loads the school, and the others find it loaded.
    """
    email, password = DESK_USER
    with session_scope(demo_url) as session:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            return demo_url
    import_schools(demo_url, FIXTURES / "schools.csv")
    import_pupils(demo_url, FIXTURES / "pupils.csv", SCHOOL)
    import_marks(demo_url, FIXTURES / "marks_week1.csv", SCHOOL)
    create_user(demo_url, email, DESK_USER_NAME, DATA_MANAGER, password, SCHOOL)
    return demo_url


@pytest.fixture
def desk(chromium: WebDriver, live_app: str, desk_school: str) -> Browser:
    """The shared browser on the data desk as the school's data manager, with an empty
    console log.

    Signing in takes a second, so these tests stay signed in from one to the next. The
    browser signs in again when the page it shows does not name the data manager: at
    the start, and after a test of another module, which signs out and in as another
    user.
    """
    desk = Browser(chromium, live_app)
    headers = chromium.find_elements(By.TAG_NAME, "header")
    if not headers or DESK_USER_NAME not in headers[0].text:
        desk.sign_in(*DESK_USER)
    desk.console_errors()
    desk.open("/data-desk")
    desk.wait_for("#desk-status .desk-status")
    return desk


def school_snapshot(url: str) -> dict[str, object]:
    """Return every table's row count and the desk school's pupils, contexts, weeks."""
    with session_scope(url) as session:
        counts = {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }
        pupils = session.execute(
            select(Pupil.upn, Pupil.surname, Pupil.forename, Pupil.date_of_birth)
            .where(Pupil.school_id == SCHOOL)
            .order_by(Pupil.upn)
        ).all()
        contexts = session.execute(
            select(
                PupilYear.pupil_id,
                PupilYear.academic_year,
                PupilYear.year_group,
                PupilYear.entry_date,
                PupilYear.leaving_date,
            )
            .where(PupilYear.school_id == SCHOOL)
            .order_by(PupilYear.pupil_id, PupilYear.academic_year)
        ).all()
    weeks = school_weeks(url, SCHOOL)
    return {"counts": counts, "pupils": pupils, "contexts": contexts, "weeks": weeks}


def other_schools_weeks(url: str) -> list[tuple[str, int, date, str]]:
    """Return every stored week of the schools other than the desk's, sorted."""
    with session_scope(url) as session:
        rows = session.execute(
            select(
                WeekMarks.school_id,
                WeekMarks.pupil_id,
                WeekMarks.week_start,
                WeekMarks.codes,
            )
            .where(WeekMarks.school_id != SCHOOL)
            .order_by(WeekMarks.school_id, WeekMarks.pupil_id, WeekMarks.week_start)
        ).all()
    return [tuple(row) for row in rows]


def newest_import(url: str) -> ImportLog:
    """Return the desk school's latest import log row."""
    with session_scope(url) as session:
        log = session.scalars(
            select(ImportLog)
            .where(ImportLog.school_id == SCHOOL)
            .order_by(ImportLog.id.desc())
            .limit(1)
        ).one()
        session.expunge(log)
    return log


def send_file(browser: Browser, upload_id: str, path: Path) -> None:
    """Choose a file in a drop zone, as the file dialog would."""
    browser.driver.find_element(
        By.CSS_SELECTOR, f"#{upload_id} input[type=file]"
    ).send_keys(str(path))


def click(browser: Browser, selector: str) -> None:
    """Scroll an element to the middle of the window and click it.

    Bootstrap scrolls smoothly, so a click straight after a plain scroll lands where
    the element was; the scroll here is instant.
    """
    element = browser.wait_for(selector)
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
        element,
    )
    element.click()


@pytest.mark.parametrize(
    ("file_name", "expected"),
    UPLOADS,
    ids=[case[0].rsplit(".", 1)[0] for case in UPLOADS],
)
def test_a_bad_upload_shows_each_problem_by_line_and_stores_nothing(
    desk: Browser, desk_school: str, file_name: str, expected: list[str]
) -> None:
    kind = file_name.partition("_")[0]
    before = school_snapshot(desk_school)

    desk.driver.find_element(By.CSS_SELECTOR, f"#desk-kind input[value={kind}]").click()
    send_file(desk, "desk-upload", BAD / file_name)
    shown = desk.wait_for("#desk-upload-result .desk-rejected")

    header = f"{file_name} was rejected and nothing was stored: "
    assert shown.text.startswith(header + f"{len(expected)} problem(s).")
    problems = shown.find_elements(By.CSS_SELECTOR, ".desk-problems li")
    assert [problem.text for problem in problems] == expected
    after = school_snapshot(desk_school)
    for part in ("pupils", "contexts", "weeks"):
        assert after[part] == before[part], part
    for table, count in after["counts"].items():
        if table not in LOG_TABLES:
            assert count == before["counts"][table], table
    assert after["counts"]["import_log"] == before["counts"]["import_log"] + 1
    logged = newest_import(desk_school)
    assert (logged.kind, logged.file_name) == (f"{kind}-rejected", file_name)
    assert logged.rows_accepted == 0
    problem_count = f"{file_name}: rejected, {len(expected)} problem(s)"
    assert logged.summary == "\n".join([problem_count, *expected])
    desk.wait_for_text("#desk-history", file_name)
    assert desk.console_errors() == []


def test_a_re_extract_replaces_one_schools_year_and_nothing_else(
    desk: Browser, desk_school: str, tmp_path: Path
) -> None:
    pupils, marks = LAST_YEAR_PUPIL.encode(), LAST_YEAR_MARK.encode()
    import_pupils(desk_school, pupils, SCHOOL, "2022/23", "last-year-pupils.csv")
    import_marks(desk_school, marks, SCHOOL, "last-year-marks.csv")
    held = school_weeks(desk_school, SCHOOL)
    others = other_schools_weeks(desk_school)
    re_extract = tmp_path / "re-extract.csv"
    re_extract.write_text(RE_EXTRACT, encoding="utf-8")

    send_file(desk, "desk-re-extract-upload", re_extract)
    preview = desk.wait_for("#desk-re-extract-preview .desk-preview")
    assert RE_EXTRACT_PREVIEW in preview.text
    grid = "desk-re-extract-grid"
    desk.wait_for(f"#{grid} .ag-row")
    assert desk.driver.execute_script(GRID_ROWS, grid) == RE_EXTRACT_WEEKS
    assert school_weeks(desk_school, SCHOOL) == held  # a preview stores nothing
    click(desk, "#desk-re-extract-confirm")
    desk.wait_for_text("#desk-re-extract-result", RE_EXTRACT_DONE)

    assert school_weeks(desk_school, SCHOOL) == WEEKS_AFTER
    assert other_schools_weeks(desk_school) == others
    logged = newest_import(desk_school)
    assert (logged.kind, logged.file_name) == ("re-extract", "re-extract.csv")
    assert logged.rows_accepted == 6
    desk.wait_for_text("#desk-history", "re-extract.csv")
    assert desk.console_errors() == []


def test_the_data_manager_has_the_desk_without_publishing(desk: Browser) -> None:
    desk.wait_for_text("#nav", "Data desk")
    page = desk.driver.find_element(By.ID, "_pages_content").text
    for section in ("Upload a file", "The school's marks", "Import history"):
        assert section in page
    assert desk.driver.find_elements(By.ID, "desk-publish-preview-button") == []
    assert desk.duplicate_ids() == []
    assert desk.console_errors() == []


def test_a_school_viewer_has_no_data_desk(browser: Browser) -> None:
    browser.sign_in(*VIEWER)
    browser.wait_for_text("#nav", "Regional attendance")
    assert "Data desk" not in browser.driver.find_element(By.ID, "nav").text

    browser.open("/data-desk")
    browser.wait_for_text("#_pages_content", REFUSAL)
    assert browser.driver.find_elements(By.ID, "desk-upload") == []
    assert browser.console_errors() == []


def test_an_administrator_picks_the_school_and_may_publish(
    browser: Browser, desk_school: str
) -> None:
    browser.sign_in_with_code(*ADMINISTRATOR)
    browser.console_errors()
    browser.open("/data-desk")
    browser.wait_for("#desk-status .desk-status")

    assert browser.wait_for('button[id*=\'"name":"school"\']').is_displayed()
    assert browser.wait_for("#desk-publish-preview-button").is_displayed()
    assert browser.duplicate_ids() == []
    assert browser.console_errors() == []
