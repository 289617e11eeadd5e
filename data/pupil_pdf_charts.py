"""The Individual Pupil PDF's charts, drawn as vector lines and bars with fpdf2.

Drawing them here keeps the PDF pure Python (no browser to render a chart image) and
prints sharply on A4. The figures are the report's own, unrounded for position and
rounded by the figures library for any text; words and month names are in the current
language.
"""

from __future__ import annotations

from fractions import Fraction

from fpdf import FPDF

from dashboard.i18n import _, format_day
from data.reports.series import WeeklySeries
from data.tables import Table

PUPIL_RGB = (214, 36, 110)
NATIONAL_RGB = (108, 117, 125)
GRID_RGB = (222, 226, 230)
PRESENT_RGB = (25, 135, 84)
AUTHORISED_RGB = (253, 126, 20)
UNAUTHORISED_RGB = (220, 53, 69)
FONT = "DejaVu"


def line_chart(
    pdf: FPDF, x: float, y: float, width: float, height: float, series: WeeklySeries
) -> None:
    """Draw the pupil's weekly attendance (pink) against national (grey)."""
    shown = [v for v in (*series.school, *series.national) if v is not None]
    floor = min([50, *(int(v) // 10 * 10 for v in shown)])
    plot_x, plot_w = x + 10, width - 12
    plot_y, plot_h = y + 6, height - 16

    def to_y(value: Fraction) -> float:
        return plot_y + plot_h * (1 - (float(value) - floor) / (100 - floor))

    pdf.set_font(FONT, size=7)
    pdf.set_draw_color(*GRID_RGB)
    pdf.set_line_width(0.2)
    for level in range(floor, 101, 10):
        level_y = to_y(Fraction(level))
        pdf.line(plot_x, level_y, plot_x + plot_w, level_y)
        pdf.set_xy(x, level_y - 1.5)
        pdf.cell(9, 3, f"{level}%", align="R")
    count = len(series.weeks)
    step = plot_w / max(count - 1, 1)
    for index, week in enumerate(series.weeks):
        if week.day <= 7:
            pdf.set_xy(plot_x + index * step - 5, plot_y + plot_h + 1)
            pdf.cell(10, 3, format_day(week, "MMM"), align="C")
    for values, colour in (
        (series.national, NATIONAL_RGB),
        (series.school, PUPIL_RGB),
    ):
        _draw_line(
            pdf, [None if v is None else to_y(v) for v in values], plot_x, step, colour
        )
    _legend(
        pdf, x + 10, y, [(_("Pupil"), PUPIL_RGB), (series.national_label, NATIONAL_RGB)]
    )


def bar_chart(pdf: FPDF, x: float, y: float, width: float, reasons: Table) -> float:
    """Draw one bar per reason as % of possible sessions; return the height used."""
    label_w, value_w, row_h = 38.0, 24.0, 5.0
    bar_w = width - label_w - value_w
    pdf.set_font(FONT, size=8)
    for index, row in enumerate(reasons.rows):
        label, sessions, share = row
        row_y = y + index * row_h
        pdf.set_xy(x, row_y)
        pdf.cell(label_w, row_h - 1, label.text)
        shown = float(share.text) if share.text else 0.0
        pdf.set_fill_color(*_reason_colour(index))
        if shown > 0:
            pdf.rect(
                x + label_w, row_y + 0.5, bar_w * shown / 100, row_h - 2, style="F"
            )
        pdf.set_xy(x + label_w + bar_w, row_y)
        text = f"{share.text}% ({sessions.text})" if share.text else sessions.text
        pdf.cell(value_w, row_h - 1, text, align="R")
    return len(reasons.rows) * row_h


def _reason_colour(index: int) -> tuple[int, int, int]:
    if index == 0:
        return PRESENT_RGB
    return AUTHORISED_RGB if index <= 4 else UNAUTHORISED_RGB


def _draw_line(
    pdf: FPDF,
    points: list[float | None],
    left: float,
    step: float,
    colour: tuple[int, int, int],
) -> None:
    """Draw a line through the points, leaving a gap where a week has no figure."""
    pdf.set_draw_color(*colour)
    pdf.set_fill_color(*colour)
    pdf.set_line_width(0.5)
    run: list[tuple[float, float]] = []
    for index, point in enumerate([*points, None]):
        if point is not None:
            run.append((left + index * step, point))
            continue
        if len(run) > 1:
            pdf.polyline(run)
        for px, py in run:
            pdf.circle(px, py, 0.5, style="F")
        run = []


def _legend(
    pdf: FPDF, x: float, y: float, entries: list[tuple[str, tuple[int, int, int]]]
) -> None:
    pdf.set_font(FONT, size=7)
    for label, colour in entries:
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.8)
        pdf.line(x, y + 1.5, x + 6, y + 1.5)
        pdf.set_xy(x + 7, y)
        pdf.cell(pdf.get_string_width(label) + 2, 3, label)
        x += pdf.get_string_width(label) + 14
