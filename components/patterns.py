"""Absence patterns: two heat maps of the week's sessions side by side, the table of
their figures beside them, and the switch between the year to date and the term."""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import dcc, html

import components.ids as ids
from components.charts import graph
from components.figures import band_legend, figure_table
from dashboard.i18n import N_, _
from data.figures import display
from data.patterns import DAYS, HALVES, YEAR_TO_DATE, Pattern, PatternComparison

TERM = "term"
PERIODS = ((YEAR_TO_DATE, N_("Year to date")), (TERM, N_("The term chosen above")))
# Light to dark as absence rises; the figure is written in every cell, in black or
# white as the cell's colour needs, so the colour is never read alone.
COLOURS = [[0.0, "#fbf5f9"], [0.5, "#d98cb3"], [1.0, "#6b0f3c"]]
MAP_HEIGHT = 230


def period_switch(value: str) -> html.Fieldset:
    """Return the choice of weeks: the year to date or the term of the filter bar."""
    return html.Fieldset(
        [
            html.Legend(_("Weeks"), className="form-label small mb-0 float-none"),
            dbc.RadioItems(
                id=ids.PATTERN_PERIOD,
                options=[{"label": _(label), "value": key} for key, label in PERIODS],
                value=value if value in dict(PERIODS) else YEAR_TO_DATE,
                inline=True,
                input_class_name="me-1",
                label_class_name="me-3",
            ),
        ],
        className="mb-2",
    )


def pattern_section(
    comparison: PatternComparison,
    table_id: str,
    file_name: str,
    banded: bool = True,
) -> html.Div:
    """Return the two heat maps under the table's title, then the table and its notes.

    Both maps share one colour scale, so equal colours are equal rates. A withheld
    second pattern shows its reason where its map would be.
    """
    table = comparison.table
    first, second = comparison.names
    top = _top(comparison.first, comparison.second)
    maps = [_map(comparison.first, first, top, f"{file_name} - {first}")]
    if comparison.second is not None:
        maps.append(_map(comparison.second, second, top, f"{file_name} - {second}"))
    else:
        reason = table.rows[0][2].tooltip
        maps.append(html.P(f"{second}: {reason}", className="text-muted small"))
    return html.Div(
        [
            html.H2(table.title, className="h6 mt-3"),
            band_legend() if banded else None,
            html.Div(
                [html.Div(part, className="col-12 col-lg-6") for part in maps],
                className="row g-2",
            ),
            figure_table(replace(table, title=_("The heat maps in figures")), table_id),
            *(html.P(note, className="report-notes my-1") for note in table.notes),
        ],
        className="pattern-section",
    )


def _top(first: Pattern, second: Pattern | None) -> float:
    """Return the top of the shared colour scale: the highest rate shown, at least 1."""
    rates = [*first.rates(), *(second.rates() if second else ())]
    return max([1.0, *(float(rate) for rate in rates if rate is not None)])


def _map(pattern: Pattern, name: str, top: float, file_name: str) -> dcc.Graph:
    """Return one heat map: the week's days across, AM above PM, % written in cells."""
    grid = pattern.grid()
    values = [
        [None if day[half] is None else float(day[half]) for day in grid]
        for half in (0, 1)
    ]
    texts = [
        [f"{display(day[half])}%" if day[half] is not None else "" for day in grid]
        for half in (0, 1)
    ]
    days = [_(day) for day in DAYS]
    halves = [_(half) for half in HALVES]
    figure = {
        "data": [
            {
                "type": "heatmap",
                "z": values,
                "x": days,
                "y": halves,
                "text": texts,
                "texttemplate": "%{text}",
                "hovertemplate": "%{x} %{y}: %{text}<extra></extra>",
                "zmin": 0,
                "zmax": top,
                "colorscale": COLOURS,
                "xgap": 3,
                "ygap": 3,
                "colorbar": {"title": {"text": "%"}, "thickness": 12},
            }
        ],
        "layout": {
            "title": {
                "text": _("%(name)s: absence %% by session", name=name),
                "font": {"size": 14},
                "x": 0.01,
                "xanchor": "left",
            },
            "height": MAP_HEIGHT,
            "margin": {"l": 40, "r": 10, "t": 40, "b": 30},
            "yaxis": {"autorange": "reversed", "fixedrange": True, "automargin": True},
            "xaxis": {"fixedrange": True, "side": "bottom"},
        },
    }
    return graph(figure, file_name)
