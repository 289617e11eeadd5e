"""Charts: one helper builds every graph, so each has the same modebar and colours.

Words and dates on a chart follow the current language: the axis title, the month
ticks (written with `format_day`, not plotly's English month names) and the week on
hover. Titles and line names come from the caller, already translated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from dash import dcc

from dashboard.i18n import _, format_day

SCHOOL_COLOUR = "#d6246e"
NATIONAL_COLOUR = "#6c757d"
# The hovered week as plotly writes it: day/month/year, no month name to translate.
HOVER_DAY = "%{x|%-d/%-m/%Y}"


@dataclass(frozen=True)
class Series:
    """One line: its name, a value per week (None leaves a gap) and the shown texts."""

    name: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...]
    colour: str
    dash: str = "solid"


def graph(
    figure: dict, file_name: str, graph_id: str | dict | None = None
) -> dcc.Graph:
    """Return a graph whose PNG download is named for what it shows; no cloud button."""
    config = {
        "displaylogo": False,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
    extra = {"id": graph_id} if graph_id is not None else {}
    return dcc.Graph(figure=figure, config=config, **extra)


def weekly_lines(
    weeks: list[date],
    series: list[Series],
    title: str,
    y_title: str = "%",
    max_ticks: int = 12,
) -> dict:
    """Return a plain-dict line figure over every week of the year; hover shows 1 d.p.

    The x axis is marked at the first charted week of each month, or of every other
    month and so on to keep within `max_ticks` marks ("4 Sep", in Welsh "4 Medi"); the
    hover names the week as "w/c 4/9/2023" ("w/d" in Welsh).
    """
    labels = [week.isoformat() for week in weeks]
    months = _month_ticks(weeks)
    ticks = months[:: max(1, math.ceil(len(months) / max_ticks))]
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": line.name,
            "x": labels,
            "y": list(line.values),
            "customdata": list(line.texts),
            "hovertemplate": "%{customdata}%<extra>" + line.name + "</extra>",
            "line": {"color": line.colour, "dash": line.dash, "width": 2},
            "marker": {"size": 4},
            "connectgaps": False,
        }
        for line in series
    ]
    return {
        "data": traces,
        "layout": {
            "title": {"text": title, "font": {"size": 15}},
            "margin": {"l": 50, "r": 10, "t": 40, "b": 40},
            "height": 320,
            "xaxis": {
                "type": "date",
                "tickmode": "array",
                "tickvals": [week.isoformat() for week in ticks],
                "ticktext": [format_day(week, "d MMM") for week in ticks],
                "title": {"text": _("Week commencing")},
                "unifiedhovertitle": {"text": _("w/c %(day)s", day=HOVER_DAY)},
            },
            "yaxis": {"title": {"text": y_title}},
            "legend": {"orientation": "h", "y": -0.25},
            "hovermode": "x unified",
        },
    }


def _month_ticks(weeks: list[date]) -> list[date]:
    """Return the first of the weeks in each month, in order."""
    firsts: dict[tuple[int, int], date] = {}
    for week in sorted(weeks):
        firsts.setdefault((week.year, week.month), week)
    return list(firsts.values())
