"""Regional attendance: area grids, the area and school charts and the page's controls."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.charts import (
    NATIONAL_COLOUR,
    SCHOOL_COLOUR,
    Series,
    graph,
    weekly_lines,
)
from components.figures import BAND_WORDS
from components.grid import report_grid
from dashboard.i18n import N_, _
from data.figures import display
from data.reports.regional import AREA_COLUMNS, AUTHORITY, REGION, AreaSeries
from data.tables import YTD, Table

# Each area's line: colour and dash.
AREA_STYLES = {
    "la": ("#212529", "dash"),
    "region": ("#0d6efd", "dot"),
    "national": (NATIONAL_COLOUR, "solid"),
}
# Schools of an authority side by side: a colour each, repeating after ten.
SCHOOL_COLOURS = (
    SCHOOL_COLOUR, "#1f77b4", "#2ca02c", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#ff7f0e", "#7f7f7f",
)  # fmt: skip
# A difference column's band in words, by the area it compares with and direction.
COMPARED_WITH = {
    AUTHORITY: {
        "better": N_("Better than the authority by %(size)s"),
        "worse": N_("Worse than the authority by %(size)s"),
    },
    REGION: {
        "better": N_("Better than the region by %(size)s"),
        "worse": N_("Worse than the region by %(size)s"),
    },
}
COLUMN_COMPARISON = N_(
    "Each difference compares the school with the area its column names; "
    "the circles follow the same bands as against national."
)


def area_grid(table: Table, grid_id: str) -> html.Div:
    """Return a regional table as a grid whose bands name the area they compare with.

    Difference columns headed "Authority ..." or "Region ..." describe their bands
    against that area rather than national.
    """
    pinned = 1 if table.rows and table.rows[-1][0].text == _(YTD) else 0
    shown = report_grid(table, grid_id, pinned_bottom=pinned)
    for grid in _grids(shown):
        options = grid.dashGridOptions or {}
        for rows in (grid.rowData or [], options.get("pinnedBottomRowData") or []):
            _reword(table, rows)
    return shown


def notes(table: Table) -> list[html.P]:
    """Return a table's notes (withholding, a missing region) as paragraphs."""
    return [html.P(note, className="report-notes my-1") for note in table.notes]


def area_chart(series: AreaSeries, title: str, file_name: str) -> dcc.Graph:
    """Return weekly lines: each school in its own colour, each area in its style."""
    lines = []
    for index, ((label, values), scope) in enumerate(
        zip(series.lines, series.scopes, strict=True)
    ):
        colour, dash = AREA_STYLES.get(
            scope, (SCHOOL_COLOURS[index % len(SCHOOL_COLOURS)], "solid")
        )
        lines.append(
            Series(
                name=label,
                values=tuple(None if v is None else float(v) for v in values),
                texts=tuple(display(v) for v in values),
                colour=colour,
                dash=dash,
            )
        )
    return graph(weekly_lines(list(series.weeks), lines, title), file_name)


def column_bars(
    table: Table, column: str, title: str, file_name: str, areas: int
) -> dcc.Graph:
    """Return one column of a table as bars, one per row; the last `areas` rows grey.

    The bars carry the table's own rounded texts, so chart and table agree.
    """
    index = table.columns.index(column)
    labels = [row[0].text for row in table.rows]
    texts = [row[index].text for row in table.rows]
    colours = [SCHOOL_COLOUR] * (len(labels) - areas) + [NATIONAL_COLOUR] * areas
    figure = {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": [float(text) if text else None for text in texts],
                "text": [f"{text}%" if text else "" for text in texts],
                "textposition": "outside",
                "marker": {"color": colours},
                "hovertemplate": "%{x}: %{text}<extra></extra>",
            }
        ],
        "layout": {
            "title": {"text": title, "font": {"size": 15}, "x": 0.01},
            "margin": {"l": 50, "r": 10, "t": 40, "b": 80},
            "height": 320,
            "yaxis": {"title": {"text": _("% of pupils")}, "rangemode": "tozero"},
        },
    }
    return graph(figure, file_name)


def choice(
    component_id: str, options: Sequence[tuple[str, str]], value: str, label: str
) -> html.Div:
    """Return a labelled row of radio buttons."""
    return html.Div(
        [
            html.Span(label, className="fw-semibold me-2"),
            dbc.RadioItems(
                id=component_id,
                options=[{"label": text, "value": key} for key, text in options],
                value=value,
                inline=True,
                input_class_name="me-1",
                label_class_name="me-3",
            ),
        ],
        className="d-flex flex-wrap align-items-center mb-2",
    )


def _grids(component: object) -> list:
    """Return every AG Grid inside a component tree."""
    found = []
    if type(component).__name__ == "AgGrid":
        found.append(component)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found += _grids(child)
    return found


def _reword(table: Table, rows: list[dict]) -> None:
    for heading, sentences in COMPARED_WITH.items():
        header = _(AREA_COLUMNS[heading][1])
        if header not in table.columns:
            continue
        field = f"c{table.columns.index(header)}"
        for row in rows:
            band = row.get(f"{field}_band")
            if not band:
                continue
            _band, direction, level = band.split("-")
            size = _(BAND_WORDS[int(level)])
            words = _(sentences[direction], size=size)
            row[f"{field}_words"] = words
            row[f"{field}_tip"] = words
