"""CSV and Excel files from a table: cells a spreadsheet would run are escaped, numbers
stay numbers, Welsh letters survive, and every file ends with the internal-use line."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from data.exports import csv_bytes, safe_text, xlsx_bytes
from data.tables import Cell, Table

TABLE = Table(
    "Pupils",
    ("Name", "Figure"),
    (
        (Cell("=HYPERLINK(A1)"), Cell("-4.3")),
        (Cell("+1"), Cell("93.9")),
        (Cell("@SUM(A1)"), Cell("-")),
        (Cell("Llŷr Ŵyn"), Cell("12")),
    ),
    notes=("=note",),
)


def test_cells_a_spreadsheet_would_run_are_escaped() -> None:
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("+44 1234") == "'+44 1234"
    assert safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("-cmd") == "'-cmd"
    # Numbers as the reports write them, negative ones included, stay numbers; the
    # reports never write a plus sign, so "+1" is escaped like any other formula.
    assert safe_text("-4.3") == "-4.3"
    assert safe_text("+1") == "'+1"


def test_csv_escapes_keeps_welsh_letters_and_says_internal_use() -> None:
    written = csv_bytes(TABLE)

    assert written.startswith(b"\xef\xbb\xbf")  # a byte-order mark for Excel
    lines = written.decode("utf-8-sig").splitlines()
    assert lines == [
        "Name,Figure",
        "'=HYPERLINK(A1),-4.3",
        "'+1,93.9",
        "'@SUM(A1),'-",
        "Llŷr Ŵyn,12",
        "'=note",
        "For internal school use only",
    ]


def test_excel_holds_the_same_figures_as_numbers() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(TABLE))).active

    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[:5] == [
        ["Name", "Figure"],
        ["'=HYPERLINK(A1)", -4.3],
        ["'+1", 93.9],
        ["'@SUM(A1)", "'-"],
        ["Llŷr Ŵyn", 12],
    ]
    assert rows[-1] == ["For internal school use only", None]
    assert sheet["B3"].number_format == "0.0"
