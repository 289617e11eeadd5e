"""The data desk in Welsh: an import's problems name the file, the line and the problem
in Welsh, whether just found or read back from the import log, while the command line
and the log keep English.

Built on the two-school reports fixture (school A 6811001: A1 to A3 in Years 7 and 10,
A4 in Year 12; marks 4 to 15 September 2023).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select, update

from components.desk_results import rejected
from dashboard.i18n import _, language
from data import import_report
from data.db import session_scope
from data.desk import import_history, rejection_problems, upload
from data.import_report import ImportRejected, shown_problem
from data.re_extract import ReExtractPreview
from data.schema import ImportLog
from tests.report_fixture import SCHOOL_A, load_reports_fixture
from tests.test_data_desk import MARKS_HEADER, MONDAY_MARKS, add_user

BAD_MARKS = MARKS_HEADER + (
    "T681100100001,2023-09-18,AM,/\n"
    "T681100100001,2023-09-31,PM,/\n"  # line 3: no 31 September
    "T681100100002,2023-09-18,AM,Q\n"  # line 4: no code Q
    "T681100100002,2023-09-16,AM,/\n"  # line 5: a Saturday
)


@pytest.fixture
def loaded(db_url: str) -> tuple[str, int]:
    """The reports fixture and a data manager of school A."""
    load_reports_fixture(db_url)
    return db_url, add_user(db_url)


def _reject(url: str, user: int) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        upload(url, "marks", BAD_MARKS.encode(), "bad.csv", SCHOOL_A, user)
    return caught.value


def _text(component: object) -> str:
    """Return every string inside a Dash component tree, joined by spaces."""
    if isinstance(component, str):
        return component
    children = getattr(component, "children", None)
    parts = children if isinstance(children, list) else [children]
    return " ".join(_text(part) for part in parts if part is not None)


def test_a_rejected_upload_names_the_file_line_and_problem_in_welsh(
    loaded: tuple[str, int],
) -> None:
    url, user = loaded
    error = _reject(url, user)

    with language("cy"):
        shown = _text(rejected(error))

    assert "Gwrthodwyd bad.csv ac ni chadwyd dim: 3 problem(au)." in shown
    assert "Llinell 3: nid yw 2023-09-31 yn ddyddiad." in shown
    assert "Llinell 4: cod presenoldeb anhysbys 'Q'." in shown
    assert (
        "Llinell 5: dydd Sadwrn yw 2023-09-16; dim ond ar ddiwrnodau'r wythnos waith "
        "y cofnodir marciau." in shown
    )
    # The same problems in English, as the command line prints them.
    assert [str(problem) for problem in error.problems] == [
        "Line 3: 2023-09-31 is not a date.",
        "Line 4: unknown attendance code 'Q'.",
        "Line 5: 2023-09-16 is a Saturday; marks are only recorded on weekdays.",
    ]


def test_a_stored_rejection_is_read_back_in_welsh_and_kept_in_english(
    loaded: tuple[str, int],
) -> None:
    url, user = loaded
    _reject(url, user)
    with session_scope(url) as session:
        session.execute(
            update(ImportLog).values(imported_at=datetime(2023, 9, 18, 16, 5))
        )
        stored = session.scalars(
            select(ImportLog.summary).where(ImportLog.kind == "marks-rejected")
        ).one()

    with language("cy"):
        history = import_history(url, SCHOOL_A)
        problems = rejection_problems(url, SCHOOL_A, history.rejected[0][0])
        label = history.rejected[0][1]

    assert stored.splitlines() == [
        "bad.csv: rejected, 3 problem(s)",
        "Line 3: 2023-09-31 is not a date.",
        "Line 4: unknown attendance code 'Q'.",
        "Line 5: 2023-09-16 is a Saturday; marks are only recorded on weekdays.",
    ]
    newest = history.table.records()[0]
    assert newest["Pryd (UTC)"] == "2023-09-18 16:05:00"  # exports keep ISO times
    assert history.table.rows[0][0].text == "18 Medi 2023 16:05"
    assert newest["Math"] == "Marciau" and newest["Ffeil"] == "bad.csv"
    assert newest["Canlyniad"] == "Gwrthodwyd: 3 problem(au)"
    assert label == "18 Medi 2023 16:05 bad.csv"
    assert problems.title == "Problemau yn bad.csv"
    assert problems.records() == [
        {"Llinell": "3", "Problem": "nid yw 2023-09-31 yn ddyddiad."},
        {"Llinell": "4", "Problem": "cod presenoldeb anhysbys 'Q'."},
        {
            "Llinell": "5",
            "Problem": "dydd Sadwrn yw 2023-09-16; dim ond ar ddiwrnodau'r wythnos "
            "waith y cofnodir marciau.",
        },
    ]


def test_an_accepted_upload_is_summed_up_in_welsh(loaded: tuple[str, int]) -> None:
    url, user = loaded
    summary = upload(url, "marks", MONDAY_MARKS.encode(), "monday.csv", SCHOOL_A, user)

    with language("cy"):
        shown = summary.shown()
        newest = import_history(url, SCHOOL_A).table.records()[0]
        logged = summary.describe()

    assert shown == (
        "Mewnforio marciau o monday.csv ar gyfer ysgol 6811001: derbyniwyd 2 rhes, "
        "hepgorwyd 1 (blynyddoedd 12 a 13: 1); dyddiadau 2023-09-18 i 2023-09-18."
    )
    assert newest["Canlyniad"] == "Derbyniwyd; hepgorwyd blynyddoedd 12 a 13: 1"
    assert newest["Dyddiadau"] == "2023-09-18 i 2023-09-18"
    assert logged == (
        "marks import of monday.csv for school 6811001: 2 rows accepted, 1 skipped "
        "(years 12 and 13: 1); dates 2023-09-18 to 2023-09-18."
    )


@pytest.mark.parametrize(
    ("stored", "welsh"),
    [
        ("the surname is empty.", "mae'r cyfenw yn wag."),
        # The longer wording wins over "%(value)s is not a date.".
        (
            "the entry date 2023-02-30 is not a date.",
            "nid yw'r dyddiad mynediad 2023-02-30 yn ddyddiad.",
        ),
        (
            "the forename given is not a date.",
            "nid yw'r enw cyntaf a roddwyd yn ddyddiad.",
        ),
        (
            "the marks give 3 attended sessions but SessionsAttended says 4.",
            "mae'r marciau'n rhoi 3 o sesiynau a fynychwyd ond mae SessionsAttended "
            "yn dweud 4.",
        ),
        ("missing columns 'upn', 'code'.", "colofnau coll 'upn', 'code'."),
        # A message no wording matches (an older version's) is shown as stored.
        ("something else went wrong.", "something else went wrong."),
    ],
)
def test_stored_problems_are_shown_in_welsh(stored: str, welsh: str) -> None:
    assert shown_problem(stored) == stored
    with language("cy"):
        assert shown_problem(stored) == welsh


def test_every_wording_is_read_back_as_itself() -> None:
    # Each wording filled with values of its own reads back as that wording, never as
    # another one that happens to match too.
    for template, words in import_report._WORDINGS.items():
        names = import_report._PLACEHOLDER.findall(template)
        values = {
            name: "surname" if name in words else f"v{index}x"
            for index, name in enumerate(names)
        }
        message = template % values
        with language("cy"):
            welsh = {
                name: _(value) if name in words else value
                for name, value in values.items()
            }
            assert shown_problem(message) == _(template, **welsh), template


def test_a_re_extract_preview_reads_in_welsh() -> None:
    preview = ReExtractPreview(
        school_id=SCHOOL_A,
        academic_year="2023/24",
        file_name="y.csv",
        first_date=date(2023, 9, 4),
        last_date=date(2023, 9, 14),
        sessions=54,
        added=0,
        changed=1,
        removed=6,
        pupils=3,
        weeks=((date(2023, 9, 4), 0, 1, 0), (date(2023, 9, 11), 0, 0, 6)),
        digest="",
    )

    with language("cy"):
        text = preview.describe()
        table = preview.table()

    assert text == (
        "Disodli pob marc o 2023/24 a gedwir ar gyfer ysgol 6811001 â'r 54 marc yn "
        "y.csv (4 Medi 2023 i 14 Medi 2023). Sesiynau: 1 yn newid cod, 0 wedi'u "
        "hychwanegu, 6 wedi'u tynnu; 3 disgybl mewn 2 wythnos."
    )
    assert table.columns == (
        "Wythnos yn dechrau",
        "Ychwanegwyd",
        "Newidiwyd",
        "Tynnwyd",
    )
    assert table.column("Tynnwyd") == ["0", "6"]
    assert _("Sign out") == "Sign out"  # the language was put back
