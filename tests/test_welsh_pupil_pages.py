"""The pupil and overview pages in Welsh: the whole guidance, the reference meanings
the register and the pupil's context show, and the at-risk list's words and dates."""

from __future__ import annotations

import csv
from datetime import date
from fractions import Fraction

import pytest
from babel.messages.pofile import read_po
from dash import dcc

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.i18n import language
from data.codes import REFERENCE_DIR
from data.early_warning import AtRisk, AtRiskPupil, at_risk_table
from data.groups import PupilFilter
from data.pupil_names import pupil_by_upn
from data.reports.individual_pupil import individual_pupil
from data.reports.pupil_list import pupil_list
from data.reports.pupil_register import register_columns
from data.reports.three_sixty import headline
from tests.report_fixture import SCHOOL_A
from tests.test_i18n import CATALOGUE

pytest_plugins = ["tests.pupil_fixture"]
WORKED_UPN = "T681100100901"  # Jones, Sarah: tests/fixtures/pupil_reports


@pytest.fixture
def app(sqlite_url: str):  # type: ignore[no-untyped-def]
    """The app, so that its pages are registered and can be laid out."""
    return create_app(Settings(database_url=sqlite_url, secret_key="welsh-pages"))


def _guidance_lines(code: str) -> list[str]:
    """Return the guidance page's Markdown in a language, one block to a line."""
    from pages.guidance import layout

    with language(code):
        page = layout()
    markdown = next(child for child in page.children if isinstance(child, dcc.Markdown))
    return [line for line in markdown.children.splitlines() if line.strip()]


def test_the_guidance_in_welsh_keeps_no_english_paragraph(app) -> None:
    english = _guidance_lines("en")
    welsh = _guidance_lines("cy")

    assert english[0] == "## How the tracker counts"
    assert welsh[0] == "## Sut mae'r traciwr yn cyfrif"
    # Eight sections, each heading and paragraph and list item on its own line.
    assert len(welsh) == len(english)
    assert sum(line.startswith("## ") for line in welsh) == 8
    for english_line, welsh_line in zip(english, welsh, strict=True):
        assert welsh_line != english_line
        assert english_line not in welsh
    with CATALOGUE.open("rb") as handle:
        translated = {message.string for message in read_po(handle, locale="cy")}
    for line in welsh:
        block = line.removeprefix("## ").removeprefix("- ")
        assert block in translated, block


def test_every_code_and_ethnicity_has_a_welsh_meaning() -> None:
    for name, column in (("codes.csv", "meaning_cy"), ("ethnicity.csv", "meaning_cy")):
        with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows and all(row[column].strip() for row in rows), name
        assert all(row[column] != row["meaning"] for row in rows), name


def test_the_register_names_days_and_sessions_in_the_language() -> None:
    assert register_columns()[:3] == ("w/c", "Mon AM", "Mon PM")
    assert register_columns()[-1] == "Fri PM"
    with language("cy"):
        assert register_columns()[:3] == ("w/d", "Llun yb", "Llun yh")
        assert register_columns()[-1] == "Gwen yh"


def test_the_at_risk_list_speaks_welsh_with_the_same_figures() -> None:
    # One pupil: 9 absences in 100 possible sessions (9.0%, close), 40 sessions left.
    pupil = AtRiskPupil(
        pupil_id=7,
        year_group=9,
        close=True,
        falling=False,
        absence=Fraction(9 * 100, 100),
        attendance=Fraction(91 * 100, 100),
        recent_attendance=None,
        can_miss=4,
        projected=None,
        spells=3,
    )
    found = AtRisk(
        (pupil,), (date(2023, 10, 2), date(2023, 10, 23)), 40, date(2023, 10, 27), 10
    )
    english = at_risk_table(found, {7: "Ŵyn, Llŷr"})
    with language("cy"):
        welsh = at_risk_table(found, {7: "Ŵyn, Llŷr"})

    assert english.columns[:3] == ("Pupil", "Year group", "Reason")
    assert welsh.columns[:3] == ("Disgybl", "Grŵp blwyddyn", "Rheswm")
    assert welsh.title == "Disgyblion mewn perygl o absenoldeb parhaus"
    assert [cell.text for cell in welsh.rows[0]] == [
        "Ŵyn, Llŷr",
        "9",
        "Agos",
        "9.0",
        "91.0",
        "",
        "4",
        "",
        "3",
    ]
    assert [cell.text for cell in english.rows[0]][2] == "Close"
    assert [c.text for c in english.rows[0]][3:] == [c.text for c in welsh.rows[0]][3:]
    assert welsh.notes == (
        "Agos: absenoldeb o 8% i lai na 10% o'r sesiynau posibl, blwyddyn hyd yma.",
        "Yn gostwng: presenoldeb dros y pedair wythnos ysgol ddiwethaf o leiaf 5 pwynt "
        "yn is na'r flwyddyn hyd yma.",
        "Y pedair wythnos ysgol ddiwethaf: w/d 2 Hyd 23 i w/d 23 Hyd 23.",
        "Sesiynau ar ôl yng nghalendr yr ysgol ar ôl 27 Hydref 2023: 40.",
    )
    assert english.notes[3] == (
        "Sessions left in the school's calendar after 27 October 2023: 40."
    )


def test_a_cached_welsh_report_never_reaches_an_english_reader(worked_scope) -> None:
    pupil_id = pupil_by_upn(worked_scope.url, SCHOOL_A, WORKED_UPN)
    with language("cy"):
        welsh = worked_scope.cached(individual_pupil, "summer2", pupil_id)
        welsh_list = worked_scope.cached(
            pupil_list, "summer2", PupilFilter(), False, None
        )
        welsh_headline = worked_scope.cached(headline, "ytd")
    english = worked_scope.cached(individual_pupil, "summer2", pupil_id)
    english_list = worked_scope.cached(
        pupil_list, "summer2", PupilFilter(), False, None
    )
    english_headline = worked_scope.cached(headline, "ytd")

    assert (welsh.marks.title, english.marks.title) == (
        "Crynodeb marciau",
        "Marks summary",
    )
    assert welsh.register.table.columns[0] == "w/d"
    assert english.register.table.columns[0] == "w/c"
    assert welsh_list.table.columns[:2] == ("UPN", "Enw")
    assert english_list.table.columns[:2] == ("UPN", "Name")
    # 306 of 326 sessions: 93.9, over 90 to under 95%, in either language.
    welsh_ytd, welsh_band = welsh_list.table.rows[0][4:6]
    english_ytd, english_band = english_list.table.rows[0][4:6]
    assert (welsh_ytd.text, welsh_ytd.tooltip) == ("93.9", "306 o 326 sesiwn")
    assert (english_ytd.text, english_ytd.tooltip) == ("93.9", "306 of 326 sessions")
    assert welsh_band.text == "Dros 90 i lai na 95%"
    assert english_list.table.rows[0][5].text == "Over 90 to under 95%"
    assert welsh_headline.rows[0][0].text == "Presenoldeb"
    assert english_headline.rows[0][0].text == "Attendance"
    assert welsh_headline.rows[0][1:] == english_headline.rows[0][1:]
