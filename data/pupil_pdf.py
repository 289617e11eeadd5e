"""The Individual Pupil report as an A4 PDF, with the same tables and figures as the page.

The PDF embeds DejaVu Sans, kept in data/fonts (from Debian's fonts-dejavu-core 2.37,
with its licence) so that nothing is fetched and Welsh letters such as ŵ, ŷ and â print
correctly, and carries "Confidential: Personal Information" and "For internal school
use only" on every page. It is written in the current language: every word and date
of a PDF made in Welsh is Welsh, and the figures are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from dashboard.i18n import N_, _, format_day
from data.calendar import TERM_NAMES
from data.exports import INTERNAL_USE
from data.pupil_pdf_charts import FONT, bar_chart, line_chart
from data.reports.individual_pupil import PupilReport
from data.reports.pupil_list import band_label
from data.tables import Table

FONT_DIR = Path(__file__).resolve().parent / "fonts"
CONFIDENTIAL = N_("Confidential: Personal Information")
PAGE_WIDTH = 190.0
LABEL_WIDTH = 42.0
ROW_HEIGHT = 5.5


@dataclass(frozen=True)
class PdfHeading:
    """What the PDF names besides the pupil: the school, the release's academic year
    ("2022/23") and its last date."""

    school_name: str
    to_date: date
    academic_year: str


def pupil_pdf(report: PupilReport, heading: PdfHeading) -> bytes:
    """Return the Individual Pupil report as PDF bytes."""
    pdf = _Document()
    pdf.add_page()
    _banner(pdf, report, heading)
    _pupil(pdf, report)
    pdf.section(_("Attendance summary"))
    top = pdf.get_y()
    line_chart(pdf, 10, top, PAGE_WIDTH, 62, report.series)
    pdf.set_y(top + 64)
    for table in (report.marks, report.authorised, report.unauthorised):
        _table(pdf, table)
    pdf.section(
        _(
            "%(title)s, %(term)s",
            title=report.reasons.title,
            term=term_name(report.term),
        )
    )
    used = bar_chart(pdf, 10, pdf.get_y(), 130, report.reasons)
    pdf.set_y(pdf.get_y() + used + 2)
    _register(pdf, report)
    return bytes(pdf.output())


class _Document(FPDF):
    """An A4 page with the embedded font and the confidentiality footer."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        self.add_font(FONT, "", regular)
        self.add_font(FONT, "B", bold)
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(True, margin=16)
        self.set_title(_("Individual Pupil report"))
        self.set_creator(_("Attendance Tracker"))

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.set_text_color(90, 90, 90)
        self.cell(
            0,
            4,
            f"{_(CONFIDENTIAL)} · {_(INTERNAL_USE)} · "
            + _("Page %(page)s/%(pages)s", page=self.page_no(), pages="{nb}"),
            align="C",
        )
        self.set_text_color(0, 0, 0)

    def section(self, title: str) -> None:
        """Start a titled section, on a new page if fewer than 30 mm are left."""
        if self.get_y() > self.h - 46:
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", 10)
        self.cell(0, 6, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _banner(pdf: _Document, report: PupilReport, heading: PdfHeading) -> None:
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, _("Individual Pupil report"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_fill_color(248, 215, 218)
    pdf.set_text_color(132, 32, 41)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(
        0, 7, _(CONFIDENTIAL), fill=True, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=8)
    pdf.cell(
        0,
        6,
        " · ".join(
            (
                heading.school_name,
                heading.academic_year,
                _("Term: %(term)s", term=term_name(report.term)),
                _(
                    "Data to %(day)s",
                    day=format_day(heading.to_date, "EEE dd MMMM y"),
                ),
                _(INTERNAL_USE),
            )
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _pupil(pdf: _Document, report: PupilReport) -> None:
    pdf.ln(1)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(120, 7, report.heading)
    ytd = f"{report.ytd.text}%" if report.ytd.text else _("No figure")
    pdf.cell(
        0,
        7,
        _("YTD attendance: %(figure)s", figure=ytd),
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font(FONT, size=8)
    pdf.cell(
        0,
        5,
        f"{band_label(report.ytd_band)} ({report.ytd.tooltip})",
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    context = "   ".join(
        _("%(label)s: %(value)s", label=label, value=value)
        for label, value in report.context
    )
    pdf.multi_cell(0, 4.5, context, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(pdf: _Document, table: Table) -> None:
    pdf.section(table.title)
    pdf.set_font(FONT, "B", 8)
    longest = max(pdf.get_string_width(row[0].text) for row in table.rows)
    widths = _widths(len(table.columns), longest + 3)
    pdf.set_fill_color(233, 236, 239)
    for column, width in zip(table.columns, widths, strict=True):
        pdf.cell(width, ROW_HEIGHT, column, border=1, fill=True, align="C")
    pdf.ln(ROW_HEIGHT)
    for row in table.rows:
        for index, (cell, width) in enumerate(zip(row, widths, strict=True)):
            pdf.set_font(FONT, "B" if index == 0 else "", 8)
            pdf.cell(
                width, ROW_HEIGHT, cell.text, border=1, align="L" if index == 0 else "R"
            )
        pdf.ln(ROW_HEIGHT)


def _register(pdf: _Document, report: PupilReport) -> None:
    register = report.register
    pdf.section(
        _(
            "%(title)s, %(term)s",
            title=register.table.title,
            term=term_name(report.term),
        )
    )
    table = register.table
    widths = [30.0, *([16.0] * (len(table.columns) - 1))]
    pdf.set_font(FONT, "B", 8)
    pdf.set_fill_color(233, 236, 239)
    for column, width in zip(table.columns, widths, strict=True):
        pdf.cell(width, ROW_HEIGHT, column, border=1, fill=True, align="C")
    pdf.ln(ROW_HEIGHT)
    pdf.set_font(FONT, size=8)
    for row in table.rows:
        for index, (cell, width) in enumerate(zip(row, widths, strict=True)):
            pdf.cell(
                width, ROW_HEIGHT, cell.text, border=1, align="L" if index == 0 else "C"
            )
        pdf.ln(ROW_HEIGHT)
    pdf.ln(1)
    legend = "   ".join(f"{code} {meaning}" for code, meaning in register.legend)
    if legend:
        pdf.multi_cell(
            0,
            4.5,
            _("Codes: %(legend)s", legend=legend),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    for note in register.notes:
        pdf.multi_cell(0, 4.5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _widths(columns: int, label: float) -> list[float]:
    """Return column widths: the label column, at least LABEL_WIDTH and wide enough
    for `label` mm (Welsh labels run longer), then the rest sharing the page."""
    first = max(LABEL_WIDTH, label)
    other = (PAGE_WIDTH - first) / max(columns - 1, 1)
    return [first, *([min(other, 24.0)] * (columns - 1))]


def term_name(term: str) -> str:
    """Return a half-term's name from its key in the current language: "summer2"
    gives "Summer 2" ("Haf 2")."""
    return _(TERM_NAMES[term])
