"""The pupil reports' layout: the virtualised Pupil List grid, its band circles and
counts, and the Individual Pupil report's parts (context, tables, register, charts).

Pupil attendance bands (data/figures.py `PUPIL_BANDS`) are drawn as circles on a
green-to-red scale, darkest green at 100%, always with the band in words beside or
behind them, so they never rely on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash_ag_grid as dag
from dash import dcc, html

import components.ids as ids
from components.charts import NATIONAL_COLOUR, SCHOOL_COLOUR, graph
from components.figures import figure_table
from components.grid import THEME, report_grid
from components.weekly_chart import weekly_chart
from dashboard.i18n import _
from data.figures import PUPIL_BANDS
from data.pupil_pdf import CONFIDENTIAL
from data.reports.individual_pupil import PupilReport
from data.reports.pupil_list import NAME_POSITION, PupilList, band_label
from data.reports.pupil_register import Register
from data.tables import Cell, Table

GRID_HEIGHT = 520  # px: about 16 rows, so the page holds few row elements at once
ROW_BUFFER = 5


def band_class(band: str) -> str:
    """Return the CSS class of a pupil band's circle, e.g. "pupil-band-95-100"."""
    return f"pupil-band-{band}"


def band_circle(band: str) -> html.Span:
    """Return a pupil band's circle with the band in words for screen readers."""
    return html.Span(
        [
            html.Span(
                className=f"band-circle {band_class(band)}", **{"aria-hidden": "true"}
            ),
            html.Span(band_label(band), className="visually-hidden"),
        ],
        title=band_label(band),
    )


def pupil_band_legend() -> html.Div:
    """Return the legend of the pupil attendance bands, best first."""
    items = [
        html.Li(
            [
                html.Span(
                    className=f"band-circle {band_class(band)}",
                    **{"aria-hidden": "true"},
                ),
                band_label(band),
            ],
            className="list-inline-item me-3",
        )
        for band in PUPIL_BANDS
    ]
    return html.Div(
        [
            html.Span(
                _("Year-to-date attendance band:") + " ", className="fw-semibold"
            ),
            html.Ul(items, className="list-inline d-inline"),
        ],
        className="band-legend small my-2",
    )


def band_choice(counts: Table) -> list[dict[str, str]]:
    """Return the band filter's options, each with its count of pupils."""
    options = [{"label": _("All bands"), "value": "all"}]
    for label, count in counts.rows:
        options.append(
            {"label": f"{label.text} ({count.text})", "value": label.export_text}
        )
    return options


def pupil_list_grid() -> dag.AgGrid:
    """Return the Pupil List's grid, empty until its callback fills it.

    The grid keeps a fixed height and renders only the rows in view (plus a small
    buffer), so a 2,000-pupil school stays quick in the browser.
    """
    return dag.AgGrid(
        id=ids.PUPIL_GRID,
        columnDefs=[],
        rowData=[],
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "suppressMovable": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "minWidth": 60,
        },
        dashGridOptions={
            "rowBuffer": ROW_BUFFER,
            "tooltipShowDelay": 200,
            "enableCellTextSelection": True,
            "theme": {"function": THEME},
            # The grid's own words, which it would otherwise show in English.
            "localeText": {
                "noRowsToShow": _("No pupils to show"),
                "loadingOoo": _("Loading…"),
            },
        },
        style={"height": f"{GRID_HEIGHT}px", "width": "100%"},
        className="report-grid pupil-grid",
    )


def pupil_list_columns(listed: PupilList) -> list[dict]:
    """Return the grid's columns: UPN and name pinned, then context, YTD and weeks."""
    figures = set(listed.figure_columns)
    defs = []
    for position, header in enumerate(listed.table.columns):
        field = f"c{position}"
        column = {
            "field": field,
            "headerName": header,
            "headerTooltip": header,
            "tooltipField": f"{field}_tip",
            "comparator": {
                "function": f"trackerCompare(nodeA, nodeB, '{field}_key', isDescending)"
            },
        }
        if header in figures:
            column.update(cellRenderer="PupilCell", type="rightAligned", width=92)
        elif position == NAME_POSITION:
            column.update(cellRenderer="PupilLink", pinned="left", width=200)
        elif position == 0:
            column.update(pinned="left", width=130)
        defs.append(column)
    return defs


def pupil_list_rows(listed: PupilList, links: Sequence[str]) -> list[dict]:
    """Return the grid's rows: each cell's text, sort key and tooltip, each figure's
    band, and the link to the pupil's own report."""
    figure_positions = [
        listed.table.columns.index(header) for header in listed.figure_columns
    ]
    rows = []
    for cells, bands, link in zip(listed.table.rows, listed.bands, links, strict=True):
        row: dict[str, str | None] = {"href": link}
        for position, cell in enumerate(cells):
            row.update(_fields(f"c{position}", cell))
        for position, band in zip(figure_positions, bands, strict=True):
            row[f"c{position}_band"] = band_class(band)
            row[f"c{position}_words"] = band_label(band)
        rows.append(row)
    return rows


def pupil_list_summary(listed: PupilList, at_risk: html.Div | None) -> html.Div:
    """Return what sits above the grid: the legend, the selection's figures, the
    pupils per band and, when given, the at-risk count."""
    return html.Div(
        [
            pupil_band_legend(),
            html.Div(
                [
                    figure_table(listed.summary, "pupil-list-summary"),
                    figure_table(listed.band_counts, "pupil-list-bands"),
                ],
                className="pupil-list-figures",
            ),
            at_risk,
            html.P(
                _(
                    "%(count)s pupils listed. Select a name to open the pupil's "
                    "report.",
                    count=len(listed.pupil_ids),
                ),
                className="small text-muted mb-1",
            ),
        ]
    )


def confidential_banner() -> html.Div:
    """Return the banner every pupil-level page carries."""
    return html.Div(
        html.Strong(_(CONFIDENTIAL)),
        className="alert alert-warning py-2 mb-2 confidential",
        role="note",
    )


def individual_pupil_body(report: PupilReport, file_name: str) -> html.Div:
    """Return the Individual Pupil report laid out as the guidance shows it."""
    chart = weekly_chart(
        report.series,
        _("Attendance: pupil and national"),
        file_name,
        school_label=_("Pupil"),
    )
    return html.Div(
        [
            html.Div(
                [
                    html.H2(report.heading, className="h4 mb-1", id="pupil-heading"),
                    html.P(
                        [
                            _("Year-to-date attendance:") + " ",
                            band_circle(report.ytd_band),
                            html.Strong(report.ytd.text, id="pupil-ytd"),
                            html.Span(
                                f" ({report.ytd.tooltip})", className="text-muted"
                            ),
                        ],
                        className="mb-2",
                    ),
                    _context(report.context),
                ],
                className="pupil-who",
            ),
            chart,
            report_grid(report.marks, "pupil-marks", first_width=170),
            html.Div(
                [
                    report_grid(report.authorised, "pupil-authorised", first_width=170),
                    report_grid(
                        report.unauthorised, "pupil-unauthorised", first_width=170
                    ),
                ],
                className="pupil-absence-tables",
            ),
            html.Div(
                [
                    reasons_chart(report.reasons, file_name),
                    figure_table(report.reasons, "pupil-reasons"),
                ],
                className="headline-grid",
            ),
            register_table(report.register),
        ]
    )


def reasons_chart(reasons: Table, file_name: str) -> dcc.Graph:
    """Return the bar chart of attendance and each absence reason for the term."""
    labels = [row[0].text for row in reasons.rows]
    texts = [row[2].text for row in reasons.rows]
    values = [float(text) if text else None for text in texts]
    colours = [SCHOOL_COLOUR] + [NATIONAL_COLOUR] * (len(labels) - 1)
    figure = {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": values,
                "customdata": texts,
                "marker": {"color": colours},
                "hovertemplate": "%{x}: %{customdata}%<extra></extra>",
            }
        ],
        "layout": {
            # On the left, so the modebar (top right) never covers the title.
            "title": {
                "text": _("Attendance and absence reasons, this term"),
                "x": 0.01,
                "xanchor": "left",
            },
            "margin": {"l": 50, "r": 10, "t": 40, "b": 90},
            "height": 320,
            "yaxis": {"title": {"text": _("% of possible sessions")}},
        },
    }
    return graph(figure, file_name + " - " + _("reasons"))


def register_table(register: Register) -> html.Div:
    """Return the session-by-session register with the meaning of each code used."""
    table = register.table
    head = html.Thead(
        html.Tr([html.Th(column, scope="col") for column in table.columns])
    )
    body = html.Tbody(
        [
            html.Tr(
                [html.Th(row[0].text, scope="row")]
                + [
                    html.Td(cell.text, title=cell.tooltip or None, className="mark")
                    for cell in row[1:]
                ]
            )
            for row in table.rows
        ]
    )
    legend = html.Ul(
        [
            html.Li([html.Code(code), f" {meaning}"], className="list-inline-item me-3")
            for code, meaning in register.legend
        ],
        className="list-inline small mb-1",
    )
    return html.Div(
        [
            html.H3(_("Register, session by session"), className="h6 mt-3"),
            html.Table(
                [head, body],
                className="table table-sm register-table",
                id="pupil-register",
            ),
            legend,
            *(html.P(note, className="report-notes") for note in register.notes),
        ]
    )


def _context(items: Sequence[tuple[str, str]]) -> html.Dl:
    children = []
    for label, value in items:
        children += [html.Dt(label), html.Dd(value)]
    return html.Dl(children, className="pupil-context")


def _fields(field: str, cell: Cell) -> dict[str, str | None]:
    """Return a cell's text, and its sort key and tooltip only where they add something
    (a full school sends thousands of rows; the grid sorts by the text otherwise)."""
    fields: dict[str, str | None] = {field: cell.text}
    if cell.export_text != cell.text:
        fields[f"{field}_key"] = cell.export_text
    if cell.tooltip:
        fields[f"{field}_tip"] = cell.tooltip
    return fields
