"""Report tables as AG Grids: sortable, first column pinned, tooltips, bands in words.

The public API, kept stable because the pupil reports build on it too:

- `report_grid(table, grid_id, columns=None, groups=(), pinned_bottom=0,
  first_width=None) -> html.Div`: the grid on screen and, for paper, the same cells
  as a plain table that only prints (a grid cannot reflow onto a page).
  `columns` picks and orders the table's columns to show (default: all);
  `groups` puts columns under a shared header (`ColumnGroup`); `pinned_bottom` keeps
  the table's last rows (e.g. YTD) under the others whatever the sort;
  `first_width` fixes the pinned first column's width in pixels.
- `ColumnGroup(label, columns, names)`: table columns shown under `label`, each headed
  by its short name ("Year 7" over "School %" and "National %").
- `grid_rows(table, columns)`: the grid's row data; `column_label(header)`: a header
  as shown (an ISO week "2023-09-04" becomes "4 Sep 23", in Welsh "4 Medi 23").

Band words and week headings are in the current language; the table's own words are
in the language it was built in.

Each row field `c<i>` holds a cell's text, `c<i>_key` its export text (for sorting),
`c<i>_tip` its tooltip, `c<i>_band` its band class and `c<i>_words` the band in words.
The cell renderer and the sort live in assets/dashAgGridFunctions.js.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import dash_ag_grid as dag
from dash import html

from components.figures import band_marker, band_sentence
from data.tables import Cell, Table, week_cell

MIN_WIDTH = 54
THEME = (
    "themeQuartz.withParams({spacing: 5, fontSize: 13, headerFontSize: 12, "
    "cellHorizontalPadding: 6, headerFontWeight: 600, wrapperBorderRadius: 4})"
)


@dataclass(frozen=True)
class ColumnGroup:
    """Table columns shown under one header, each under its own short name."""

    label: str
    columns: tuple[str, ...]
    names: tuple[str, ...]


def report_grid(
    table: Table,
    grid_id: str,
    columns: Sequence[str] | None = None,
    groups: Sequence[ColumnGroup] = (),
    pinned_bottom: int = 0,
    first_width: int | None = None,
) -> html.Div:
    """Return a table as a sortable grid, plus the same cells as a print-only table."""
    shown = list(columns or table.columns)
    rows = grid_rows(table, shown)
    body, pinned = (
        (rows[:-pinned_bottom], rows[-pinned_bottom:]) if pinned_bottom else (rows, [])
    )
    grid = dag.AgGrid(
        id=grid_id,
        columnDefs=_column_defs(table, shown, groups, first_width),
        rowData=body,
        defaultColDef={
            "sortable": True,
            "resizable": False,
            "suppressMovable": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "minWidth": MIN_WIDTH,
        },
        columnSize="responsiveSizeToFit",
        dashGridOptions={
            "domLayout": "autoHeight",
            "pinnedBottomRowData": pinned,
            "tooltipShowDelay": 200,
            "suppressColumnVirtualisation": True,
            "enableCellTextSelection": True,
            "theme": {"function": THEME},
        },
        className="report-grid",
    )
    return html.Div(
        [
            html.Div(grid, className="no-print"),
            print_table(table, shown),
        ],
        className="report-table",
    )


def grid_rows(table: Table, columns: Sequence[str]) -> list[dict[str, str | None]]:
    """Return the grid's row data: per shown column its text, key, tooltip and band."""
    indexes = [table.columns.index(column) for column in columns]
    return [
        {
            name: value
            for position, index in enumerate(indexes)
            for name, value in _cell_fields(f"c{position}", row[index]).items()
        }
        for row in table.rows
    ]


def column_label(header: str) -> str:
    """Return a column header as shown: ISO week dates as "4 Sep 23", others as is."""
    try:
        return week_cell(date.fromisoformat(header)).text
    except ValueError:
        return header


def print_table(table: Table, columns: Sequence[str]) -> html.Table:
    """Return the shown columns as a plain table that only appears on paper."""
    indexes = [table.columns.index(column) for column in columns]
    head = html.Thead(
        html.Tr([html.Th(column_label(column), scope="col") for column in columns])
    )
    body = html.Tbody(
        [
            html.Tr(
                [html.Th(row[indexes[0]].text, scope="row")]
                + [html.Td(band_marker(row[i])) for i in indexes[1:]]
            )
            for row in table.rows
        ]
    )
    return html.Table(
        [html.Caption(table.title, className="caption-top"), head, body],
        className="table table-sm print-table print-only",
    )


def band_words(cell: Cell) -> str:
    """Return a cell's band in words ("Worse than national by 2 to 4 points"), or ""."""
    return band_sentence(cell.band)


def _cell_fields(field: str, cell: Cell) -> dict[str, str | None]:
    words = band_words(cell)
    tooltip = cell.tooltip or words
    return {
        field: cell.text,
        f"{field}_key": cell.export_text,
        f"{field}_tip": tooltip or None,
        f"{field}_band": cell.band.css_class if cell.band.level else None,
        f"{field}_words": words or None,
    }


def _column_defs(
    table: Table,
    shown: list[str],
    groups: Sequence[ColumnGroup],
    first_width: int | None,
) -> list[dict]:
    fields = {column: f"c{position}" for position, column in enumerate(shown)}
    first = _column(fields[shown[0]], column_label(shown[0]), shown[0])
    first.update(
        pinned="left",
        width=first_width or _first_width(table, shown[0]),
        suppressSizeToFit=True,
        cellClass="first-column",
    )
    first.pop("type")
    grouped = {column: group for group in groups for column in group.columns}
    # Under grouped headers the pinned column needs a (blank) group header of its
    # own: AG Grid otherwise leaves an empty header row that screen readers misread.
    has_groups = any(column in grouped for column in shown[1:])
    defs: list[dict] = [
        {"headerName": "", "children": [first]} if has_groups else first
    ]
    for column in shown[1:]:
        group = grouped.get(column)
        if group is None:
            defs.append(_column(fields[column], column_label(column), column))
        elif column == group.columns[0]:
            defs.append(
                {
                    "headerName": group.label,
                    "marryChildren": True,
                    "headerClass": "group-header",
                    "children": [
                        _column(fields[name], short, name)
                        for name, short in zip(group.columns, group.names, strict=True)
                        if name in fields
                    ],
                }
            )
    return defs


def _column(field: str, label: str, header: str) -> dict:
    return {
        "field": field,
        "headerName": label,
        "headerTooltip": header,
        "tooltipField": f"{field}_tip",
        "cellRenderer": "ReportCell",
        "type": "rightAligned",
        "comparator": {
            "function": f"trackerCompare(nodeA, nodeB, '{field}_key', isDescending)"
        },
    }


def _first_width(table: Table, header: str) -> int:
    index = table.columns.index(header)
    longest = max([len(header), *(len(row[index].text) for row in table.rows)])
    return max(96, 8 * longest + 36)
