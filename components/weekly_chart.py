"""The weekly chart: the school as a pink line and its comparator as a grey one."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc

from components.charts import (
    NATIONAL_COLOUR,
    SCHOOL_COLOUR,
    Series,
    graph,
    weekly_lines,
)
from dashboard.i18n import _
from data.figures import display
from data.reports.series import WeeklySeries


def weekly_chart(
    series: WeeklySeries,
    title: str,
    file_name: str,
    school_label: str | None = None,
    extra_lines: Sequence[Series] = (),
    max_ticks: int = 12,
) -> dcc.Graph:
    """Return the chart of a weekly series; hover shows figures to one decimal place.

    The school's line is named `school_label` ("School" in the current language by
    default); `extra_lines` (e.g. last year's overlay) are drawn after, over the same
    weeks; `max_ticks` bounds the month marks on the axis (fewer for narrow charts).
    """
    lines = [
        _line(school_label or _("School"), series.school, SCHOOL_COLOUR),
        _line(series.national_label, series.national, NATIONAL_COLOUR),
        *extra_lines,
    ]
    figure = weekly_lines(list(series.weeks), lines, title, max_ticks=max_ticks)
    return graph(figure, file_name)


def _line(name: str, values, colour: str) -> Series:  # type: ignore[no-untyped-def]
    return Series(
        name=name,
        values=tuple(None if v is None else float(v) for v in values),
        texts=tuple(display(v) for v in values),
        colour=colour,
    )


def file_name(*parts: str) -> str:
    """Return a download name from its parts: "Ysgol Bro Taf - 360 report - autumn1"."""
    cleaned = [part.replace("/", "-").strip() for part in parts if part]
    return " - ".join(cleaned)
