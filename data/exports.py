"""Writing report tables as CSV and Excel, with the figures exactly as shown on screen.

A table is written in the language it was built in; the closing internal-use line
follows the current language.
"""

from __future__ import annotations

import csv
import io
import re
from typing import IO

from openpyxl import Workbook

from dashboard.i18n import N_, _
from data.tables import Table

INTERNAL_USE = N_("For internal school use only")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Escape a cell a spreadsheet would run as a formula; plain numbers stay numbers."""
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def write_csv(table: Table, handle: IO[str]) -> None:
    """Write a table as CSV: the header, the rows, its notes, the internal-use line."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([safe_text(column) for column in table.columns])
    for record in table.records():
        writer.writerow([safe_text(record[column]) for column in table.columns])
    for line in (*table.notes, _(INTERNAL_USE)):
        writer.writerow([safe_text(line)])


def csv_bytes(table: Table) -> bytes:
    """Return a table as UTF-8 CSV with a byte-order mark, so Excel reads Welsh letters."""
    buffer = io.StringIO()
    write_csv(table, buffer)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: Table) -> bytes:
    """Return a table as an Excel workbook: numbers as numbers, the same figures."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append(list(table.columns))
    for row_number, record in enumerate(table.records(), start=2):
        for column_number, column in enumerate(table.columns, start=1):
            text = record[column]
            cell = sheet.cell(row_number, column_number, _excel_value(text))
            if _NUMBER.match(text) and "." in text:
                cell.number_format = "0." + "0" * len(text.split(".")[1])
    for line in (*table.notes, _(INTERNAL_USE)):
        sheet.append([safe_text(line)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_value(text: str) -> str | int | float:
    if _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return safe_text(text)
