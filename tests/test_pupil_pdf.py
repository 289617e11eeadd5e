"""The Individual Pupil PDF: a real A4 file with the page's figures and Welsh letters.

Text is extracted from the file itself, so these tests see what a printer would.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from dashboard.cli import main
from dashboard.i18n import language
from data.pupil_names import pupil_by_upn
from data.pupil_pdf import CONFIDENTIAL, PdfHeading, pupil_pdf
from data.reports.individual_pupil import individual_pupil
from tests.report_fixture import SCHOOL_A

pytest_plugins = ["tests.pupil_fixture"]
WORKED_UPN = "T681100100901"  # Jones, Sarah: tests/fixtures/pupil_reports
A4_POINTS = (595, 842)


def _text(payload: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(payload))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_worked_example_prints_the_guidance_figures(worked_scope):
    pupil_id = pupil_by_upn(worked_scope.url, SCHOOL_A, WORKED_UPN)
    report = individual_pupil(worked_scope, "summer2", pupil_id)

    release = worked_scope.release
    heading = PdfHeading("Ysgol Prawf Caerdydd", release.to_date, release.academic_year)
    payload = pupil_pdf(report, heading)
    reader, text = _text(payload)

    assert payload.startswith(b"%PDF-")
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == A4_POINTS
    assert CONFIDENTIAL in text
    assert "For internal school use only" in text
    assert "Jones, Sarah (Yr:10, F)" in text
    assert "YTD attendance: 93.9%" in text
    # The marks summary as the guidance shows it: YTD, then 5, 12 and 19 June.
    assert "Attendance % 93.9 100.0 100.0 80.0" in text
    assert "Total marks 326 10 10 10" in text
    assert "Total present 306 10 10 8" in text
    assert "Not counted marks 66 0 0 0" in text
    assert "Authorised absence 15 0 0 2" in text
    assert "Illness 8 0 0 2" in text
    assert "Medical 3 0 0 0" in text
    assert "Unauthorised absence 5 0 0 0" in text
    assert "Present 93.3% (28)" in text  # Summer 2: 28 of 30


def test_welsh_letters_print_from_the_embedded_font(pupil_scope):
    pupils = pupil_scope.data.pupils
    leaver = pupil_by_upn(pupil_scope.url, SCHOOL_A, "T681100100005")
    assert leaver in pupils.index
    report = individual_pupil(pupil_scope, "autumn1", leaver)

    release = pupil_scope.release
    heading = PdfHeading("Ysgol Prawf Caerdydd", release.to_date, release.academic_year)
    payload = pupil_pdf(report, heading)
    reader, text = _text(payload)

    assert "Ŵyn, Llŷr (Yr:8, M)" in text
    assert "Left: 08/09/2023" in text
    fonts = [
        font["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].get_object().values()
    ]
    assert any("DejaVuSans" in str(name) for name in fonts)
    assert b"FontFile2" in payload  # the TrueType font is embedded, not referenced


def test_the_command_line_writes_the_same_pdf(worked_scope, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", worked_scope.url)
    output = tmp_path / "pupil.pdf"

    status = main(
        ["export", "individual-pupil", "--school", SCHOOL_A, "--upn", WORKED_UPN,
         "--term", "summer2", "--format", "pdf", "--output", str(output)]
    )  # fmt: skip

    assert status == 0
    _, text = _text(output.read_bytes())
    assert "Jones, Sarah (Yr:10, F)" in text
    assert "Total marks 326 10 10 10" in text
    assert "Ysgol Prawf Caerdydd" in text


def _figures(text: str) -> list[str]:
    """Return the numbers of a PDF's text in order, page footers left out (a longer
    language may break pages elsewhere)."""
    body = re.sub(r"(Page|Tudalen) \d+/\d+", "", text)
    return re.findall(r"\d+(?:\.\d+)?", body)


def test_the_welsh_pdf_has_welsh_words_and_dates_and_the_same_figures(worked_scope):
    pupil_id = pupil_by_upn(worked_scope.url, SCHOOL_A, WORKED_UPN)
    release = worked_scope.release
    heading = PdfHeading("Ysgol Prawf Caerdydd", release.to_date, release.academic_year)
    english = _text(
        pupil_pdf(individual_pupil(worked_scope, "summer2", pupil_id), heading)
    )[1]
    with language("cy"):
        welsh = _text(
            pupil_pdf(individual_pupil(worked_scope, "summer2", pupil_id), heading)
        )[1]

    assert "Adroddiad disgybl unigol" in welsh
    assert "Cyfrinachol: Gwybodaeth Bersonol" in welsh
    assert "At ddefnydd mewnol yr ysgol yn unig" in welsh
    # Fri 23 Jun 2023, the release's last date; summer 2 is "Haf 2".
    assert "Tymor: Haf 2" in welsh
    assert "Data hyd at Gwen 23 Mehefin 2023" in welsh
    assert "Jones, Sarah (Bl:10, B)" in welsh
    assert "Presenoldeb BHY: 93.9%" in welsh
    assert "Dros 90 i lai na 95% (306 o 326 sesiwn)" in welsh
    assert "Grŵp cofrestru: 10P" in welsh  # ŵ prints from the embedded font
    assert "Ethnigrwydd: Gwyn - Prydeinig" in welsh
    # The marks summary: YTD (BHY), then w/d 5, 12 and 19 June.
    assert "Crynodeb marciau" in welsh
    assert "Mesur BHY 5 Meh 23 12 Meh 23 19 Meh 23" in welsh
    assert "Presenoldeb % 93.9 100.0 100.0 80.0" in welsh
    assert "Cyfanswm marciau 326 10 10 10" in welsh
    assert "Cyfanswm presennol 306 10 10 8" in welsh
    assert "Marciau heb eu cyfrif 66 0 0 0" in welsh
    assert "Absenoldeb awdurdodedig 15 0 0 2" in welsh
    assert "Salwch 8 0 0 2" in welsh
    assert "Absenoldeb heb awdurdod 5 0 0 0" in welsh
    assert "Presennol 93.3% (28)" in welsh  # Summer 2: 28 of 30
    assert "Cofrestr, Haf 2" in welsh
    assert "w/d Llun yb Llun yh" in welsh
    assert "I Salwch" in welsh  # Thu 22 Jun: illness, in the codes' legend
    for english_word in (
        "Total marks",
        "Attendance summary",
        "Term:",
        "Data to",
        "Page",
        "Illness",
        "June",
        "Jun 23",
        "Confidential",
    ):
        assert english_word not in welsh, english_word

    assert _figures(welsh) == _figures(english)
