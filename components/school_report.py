"""The body of a school report: legend, grid, notes, downloads and weekly charts.

Built grids and charts are kept per language as well as per table, since their band
words, week headings and chart words follow the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from dash import html

import components.ids as ids
from components.charts import Series
from components.downloads import download_bar
from components.figures import band_legend
from components.grid import ColumnGroup, report_grid
from components.weekly_chart import file_name, weekly_chart
from dashboard.i18n import N_, _, current_language
from data.reports.series import WeeklySeries
from data.tables import Table, ytd_rows

GROUP_NAMES = (N_("School %"), N_("National %"))
NARROW_TICKS = 4  # month marks on each of several charts side by side
BUILT_CACHE_SIZE = 256  # grids and chart sets kept, each keyed by everything it shows


def report_body(
    page: str,
    table: Table,
    charts: html.Div | None,
    grouped: bool = False,
    legend: bool = True,
    extra: Sequence[html.Div | html.P] = (),
) -> html.Div:
    """Return a report's content: the legend, its grid, notes, downloads and charts.

    A grouped table (Year Groups, Pupil Groups, Absence) shows each group's school and
    national figures under the group's name.
    """
    return html.Div(
        [
            band_legend() if legend else None,
            _grid(page, table, grouped, current_language()),
            *(html.P(note, className="report-notes my-1") for note in table.notes),
            download_bar(page),
            *extra,
            charts,
        ]
    )


def weekly_charts(
    lines: Sequence[tuple[str, WeeklySeries]],
    title: str,
    school_name: str,
    academic_year: str,
    overlays: Sequence[Sequence[Series]] = (),
) -> html.Div:
    """Return the charts under their heading: one per group, school against national.

    Every week of the year is charted, whichever term the table shows. `title` and
    the lines' labels come in the reader's language. `overlays`,
    when given, holds each chart's extra lines (last year's), in the charts' order;
    charts without them are built once and kept.
    """
    if overlays:
        return _build_charts(tuple(lines), title, school_name, academic_year, overlays)
    return _charts(tuple(lines), title, school_name, academic_year, current_language())


@lru_cache(maxsize=BUILT_CACHE_SIZE)
def _charts(
    lines: tuple[tuple[str, WeeklySeries], ...],
    title: str,
    school_name: str,
    academic_year: str,
    language: str,
) -> html.Div:
    """Return the charts, built once for the same lines, names and language (see
    `_grid`)."""
    return _build_charts(lines, title, school_name, academic_year, ())


def _build_charts(
    lines: tuple[tuple[str, WeeklySeries], ...],
    title: str,
    school_name: str,
    academic_year: str,
    overlays: Sequence[Sequence[Series]],
) -> html.Div:
    several = len(lines) > 1
    extra_lines = overlays or [()] * len(lines)
    graphs = [
        weekly_chart(
            series,
            label if several else title,
            file_name(school_name, title, label if several else "", academic_year),
            school_label=_("School, %(group)s", group=label) if several else None,
            extra_lines=extra,
            max_ticks=NARROW_TICKS if several else 12,
        )
        for (label, series), extra in zip(lines, extra_lines, strict=True)
    ]
    for graph in graphs:
        # Titles sit on the left so the modebar, top right, never covers them.
        graph.figure["layout"]["title"].update(x=0.01, xanchor="left")
    return html.Div(
        [
            html.H2(
                _("%(title)s, every week of the year", title=title),
                className="h6 mt-3",
            ),
            html.Div(graphs, className="report-charts" if several else ""),
        ]
    )


def forget_built() -> None:
    """Forget every kept grid and chart set, as a freshly started server has none."""
    _grid.cache_clear()
    _charts.cache_clear()


def grouped_columns(table: Table) -> tuple[list[str], list[ColumnGroup]]:
    """Return the columns a grouped table shows and their groups.

    Each group shows its school figure (with the difference band) and the national
    figure; the unrounded figures and the difference are in the school cell's tooltip.
    The table has three columns per group after the first, "<group> %" first in
    either language, so the group's name is its school column's less the " %".
    """
    columns = [table.columns[0]]
    groups = []
    names = tuple(_(name) for name in GROUP_NAMES)
    for school, national in zip(table.columns[1::3], table.columns[2::3], strict=True):
        pair = (school, national)
        columns += pair
        groups.append(ColumnGroup(school.removesuffix(" %"), pair, names))
    return columns, groups


@lru_cache(maxsize=BUILT_CACHE_SIZE)
def _grid(page: str, table: Table, grouped: bool, language: str) -> html.Div:
    """Return a report's grid, built once for the same table and language.

    A cached report table comes back on every visit; its grid and printed table are
    pure functions of it and the language, so they are kept too. Dash only reads
    what it is given.
    """
    grid_id = ids.report_grid(page)
    pinned = ytd_rows(table)
    if grouped:
        columns, groups = grouped_columns(table)
        return report_grid(table, grid_id, columns, groups, pinned_bottom=pinned)
    return report_grid(table, grid_id, pinned_bottom=pinned)
