"""Report tables: the one shape a report's figures take on screen, in exports and PDFs.

Every cell carries the text users see, already rounded on the server, so the grid, the
CSV and Excel downloads and the PDF cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dashboard.i18n import N_, _, format_day
from data.figures import NO_BAND, Band

YTD = N_("YTD")
WEEK_COMMENCING = N_("w/c")


@dataclass(frozen=True)
class Cell:
    """One figure as shown: its text, its band against the comparator and a tooltip."""

    text: str
    band: Band = NO_BAND
    tooltip: str = ""
    export: str | None = None

    @property
    def export_text(self) -> str:
        """Return the text an export writes: ISO dates and plain counts, same figures."""
        return self.text if self.export is None else self.export


@dataclass(frozen=True)
class Table:
    """A report table: headers, then rows of cells (the first cell names the row)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = field(default=())

    def records(self) -> list[dict[str, str]]:
        """Return the rows as header-to-text dictionaries, as exports write them."""
        return [
            {
                column: cell.export_text
                for column, cell in zip(self.columns, row, strict=True)
            }
            for row in self.rows
        ]

    def column(self, header: str) -> list[str]:
        """Return one column's texts, top to bottom."""
        index = self.columns.index(header)
        return [row[index].text for row in self.rows]


def headers(*names: str) -> tuple[str, ...]:
    """Return column headers marked with `N_()` in the current language."""
    return tuple(_(name) for name in names)


def ytd_cell() -> Cell:
    """Return the year-to-date row's label cell: "YTD" (Welsh "BHY")."""
    return Cell(_(YTD))


def ytd_rows(table: Table) -> int:
    """Return 1 when the table's last row is the year to date (in the current
    language), else 0: how many rows to keep pinned under the others."""
    return 1 if table.rows and table.rows[-1][0].text == _(YTD) else 0


def week_cell(week_start: date) -> Cell:
    """Return a week's label cell: "4 Sep 23" (Welsh "4 Medi 23") on screen,
    "2023-09-04" in exports."""
    return Cell(week_label(week_start), export=week_start.isoformat())


def week_label(week_start: date) -> str:
    """Return a week's heading in the current language, e.g. "4 Sep 23" or "4 Medi 23"."""
    return format_day(week_start, "d MMM yy")


def count_cell(value: int) -> Cell:
    """Return a count cell: "1,008" on screen, "1008" in exports."""
    return Cell(f"{value:,}", export=str(value))
