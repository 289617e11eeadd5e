"""Pupil List: one row per pupil with the year to date and each week of a term.

Pupils on roll at the release's last date are listed by default; leavers (a leaving
date on or before it) are added on request and marked "Left dd/mm/yyyy", in exports as
on screen. Pupils not yet on roll are never listed. Every figure and band comes from
the figures library, on the unrounded counts.

Ethnicity filters offer only main groups with at least `MIN_ETHNIC_GROUP` pupils in
the school's year; smaller groups are merged into one "other groups" choice, offered
when the merged pupils are themselves that many. A request for a small group (or for
a merged group that is still too small) lists nobody.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import pandas as pd

from dashboard.i18n import N_, _, current_language
from data.codes import REFERENCE_DIR
from data.figures import (
    PUPIL_BANDS,
    display,
    percent,
    pupil_band,
    totals,
    with_derived,
)
from data.groups import PupilFilter, ethnic_groups, pupil_totals
from data.pupil_names import name_order, pupil_names
from data.reports import ReportScope
from data.tables import Cell, Table, count_cell, week_label

MIN_ETHNIC_GROUP = 5
MERGED = "merged"
MERGED_LABEL = N_("Other groups (merged)")
# Words are marked here and translated where shown (`band_label`, `pupil_list`), so
# the table is made in the reader's language; the keys stay language-neutral.
BAND_LABELS = {
    "100": N_("100%"),
    "95-100": N_("95 to under 100%"),
    "90-95": N_("Over 90 to under 95%"),
    "50-90": N_("Over 50 to 90% (persistent absence)"),
    "0-50": N_("50% and under (severe absence)"),
    "none": N_("No figure"),
}
FIXED_COLUMNS = (N_("UPN"), N_("Name"), N_("Year group"), N_("Reg group"))
NAME_POSITION = FIXED_COLUMNS.index("Name")
LEFT = N_("Left")
YTD_COLUMN = N_("YTD %")
BAND = N_("Band")


@dataclass(frozen=True)
class PupilList:
    """The list as shown, with what the page needs beside the table.

    `table` rows are pupils sorted by name; `pupil_ids[i]` is row i's pupil;
    `bands[i]` the band of row i's YTD figure, then of each week's; `band_counts` the
    pupils per band before any band is chosen; `summary` the selection's year to date.
    """

    table: Table
    pupil_ids: tuple[int, ...]
    bands: tuple[tuple[str, ...], ...]
    band_counts: Table
    summary: Table
    weeks: tuple[date, ...]
    figure_columns: tuple[str, ...]


def pupil_list(
    scope: ReportScope,
    term: str,
    pupil_filter: PupilFilter,
    include_leavers: bool = False,
    band: str | None = None,
) -> PupilList:
    """Return the Pupil List of a term for the chosen pupils (and, if given, band)."""
    weeks = tuple(scope.term_weeks(term))
    listed = listed_pupils(scope, pupil_filter, include_leavers)
    rows = scope.data.weeks[scope.data.weeks["pupil_id"].isin(listed.index)]
    ytd = pupil_totals(rows).reindex(listed.index, fill_value=0)
    ytd_bands = [
        pupil_band(present, possible)
        for present, possible in zip(ytd["present"], ytd["possible"], strict=True)
    ]
    listed = listed.assign(ytd_band=ytd_bands)
    counts = _band_counts(listed["ytd_band"])
    if band in PUPIL_BANDS:
        listed = listed[listed["ytd_band"] == band]
        rows = rows[rows["pupil_id"].isin(listed.index)]

    names = pupil_names(scope.url, scope.school_id, listed.index)
    order = sorted(listed.index, key=lambda pupil: name_order(names[pupil]))
    weekly = _weekly_counts(rows, weeks)
    week_labels = tuple(week_label(week) for week in weeks)
    columns = (
        *(_(column) for column in FIXED_COLUMNS),
        *((_(LEFT),) if include_leavers else ()),
        _(YTD_COLUMN),
        _(BAND),
        *week_labels,
    )
    figures = _Figures()
    body, bands = [], []
    for pupil in order:
        context = listed.loc[pupil]
        name = names[pupil]
        ytd_cell, ytd_band = figures.cell(
            ytd.at[pupil, "present"], ytd.at[pupil, "possible"]
        )
        cells = [
            Cell(name.upn),
            Cell(name.full),
            Cell(str(context["year_group"])),
            Cell(str(context["reg_group"])),
        ]
        if include_leavers:
            cells.append(_left_cell(context["leaving_date"], scope.release.to_date))
        cells += [ytd_cell, Cell(band_label(ytd_band))]
        row_bands = [ytd_band]
        for week in weeks:
            present, possible = weekly.get((pupil, week), (0, 0))
            cell, week_band = figures.cell(present, possible)
            cells.append(cell)
            row_bands.append(week_band)
        body.append(tuple(cells))
        bands.append(tuple(row_bands))
    table = Table(_("Pupil List"), columns, tuple(body))
    return PupilList(
        table=table,
        pupil_ids=tuple(int(pupil) for pupil in order),
        bands=tuple(bands),
        band_counts=counts,
        summary=_summary(rows, len(order)),
        weeks=weeks,
        figure_columns=(_(YTD_COLUMN), *week_labels),
    )


def sessions_of(present: int, possible: int) -> str:
    """Return a figure's tooltip: "306 of 326 sessions"."""
    return _("%(present)s of %(possible)s sessions", present=present, possible=possible)


def band_label(band: str) -> str:
    """Return a pupil band in words in the current language, e.g. "Over 90 to under
    95%"."""
    return _(BAND_LABELS[band])


def searched(listed: PupilList, text: str | None) -> PupilList:
    """Return the list narrowed to the rows the grid's search box keeps, in the same
    order: as AG Grid's quick filter does, every space-separated word of `text`, in
    capitals, is part of some cell's shown text in capitals. The figures above the
    grid (`summary`, `band_counts`) are the unsearched list's, as on the page."""
    words = (text or "").upper().split(" ")
    kept = [
        position
        for position, cells in enumerate(listed.table.rows)
        if all(any(word in cell.text.upper() for cell in cells) for word in words)
    ]
    return replace(
        listed,
        table=replace(listed.table, rows=tuple(listed.table.rows[i] for i in kept)),
        pupil_ids=tuple(listed.pupil_ids[i] for i in kept),
        bands=tuple(listed.bands[i] for i in kept),
    )


def listed_pupils(
    scope: ReportScope, pupil_filter: PupilFilter, include_leavers: bool
) -> pd.DataFrame:
    """Return the release's pupils the filters choose: entered by the release's last
    date, on roll unless leavers are included, ethnicity merged as the module says."""
    pupils = scope.data.pupils
    to_date = scope.release.to_date
    keep = replace(pupil_filter, ethnic_group=None).mask(pupils)
    keep &= pupils["entry_date"] <= to_date
    if not include_leavers:
        keep &= ~is_leaver(pupils, to_date)
    if pupil_filter.ethnic_group is not None:
        keep &= _ethnicity_mask(pupils, pupil_filter.ethnic_group)
    return pupils[keep]


def is_leaver(pupils: pd.DataFrame, to_date: date) -> pd.Series:
    """Return which pupils left on or before a date (their leaving date is their last
    day on roll)."""
    return pupils["leaving_date"].map(lambda left: pd.notna(left) and left <= to_date)


def ethnic_group_options(scope: ReportScope) -> list[tuple[str, str]]:
    """Return the ethnicity choices of a school: (key, name), the merged group last."""
    sizes = _group_sizes(scope.data.pupils)
    names = main_group_names()
    shown = [key for key in names if sizes.get(key, 0) >= MIN_ETHNIC_GROUP]
    merged = sum(size for key, size in sizes.items() if key not in shown)
    options = [("all", _("All")), *((key, names[key]) for key in shown)]
    if merged >= MIN_ETHNIC_GROUP:
        options.append((MERGED, _(MERGED_LABEL)))
    return options


def reg_group_options(scope: ReportScope) -> list[tuple[str, str]]:
    """Return the registration groups of a school's pupils, sorted, after "All"."""
    groups = sorted(set(scope.data.pupils["reg_group"]), key=_reg_group_order)
    return [("all", _("All")), *((group, group) for group in groups)]


def main_group_names() -> dict[str, str]:
    """Return the main ethnic groups' names by key, in the reference table's order and
    the current language."""
    column = "name_cy" if current_language() == "cy" else "name"
    return {key: row[column] for key, row in _main_groups().items()}


@cache
def _main_groups() -> dict[str, dict[str, str]]:
    path = REFERENCE_DIR / "ethnic_groups.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["key"]: row for row in csv.DictReader(handle)}


class _Figures:
    """Percentages and bands of (present, possible) pairs, each worked out once."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, int], tuple[Cell, str]] = {}

    def cell(self, present: int, possible: int) -> tuple[Cell, str]:
        key = (int(present), int(possible))
        if key not in self._seen:
            tooltip = sessions_of(*key) if key[1] else _("No figure")
            self._seen[key] = (
                Cell(display(percent(*key)), tooltip=tooltip),
                pupil_band(*key),
            )
        return self._seen[key]


def _weekly_counts(
    rows: pd.DataFrame, weeks: tuple[date, ...]
) -> dict[tuple[int, date], tuple[int, int]]:
    """Return (present, possible) per (pupil, week) for the term's weeks."""
    chosen = rows[rows["week_start"].isin(weeks)]
    if chosen.empty:
        return {}
    derived = with_derived(chosen.drop(columns=["pupil_id", "week_start"]))
    return {
        (int(pupil), week): (int(present), int(possible))
        for pupil, week, present, possible in zip(
            chosen["pupil_id"],
            chosen["week_start"],
            derived["present"],
            derived["possible"],
            strict=True,
        )
    }


def _band_counts(bands: pd.Series) -> Table:
    counted = bands.value_counts()
    rows = tuple(
        (Cell(band_label(band), export=band), count_cell(int(counted.get(band, 0))))
        for band in PUPIL_BANDS
    )
    return Table(_("Pupils by YTD attendance band"), (_(BAND), _("Pupils")), rows)


def _summary(rows: pd.DataFrame, pupils: int) -> Table:
    summed = totals(rows) if len(rows) else None
    possible = summed["possible"] if summed else 0

    def share(measure: str) -> Cell:
        value = summed[measure] if summed else 0
        return Cell(
            display(percent(value, possible)),
            tooltip=_("%(part)s of %(whole)s", part=value, whole=possible),
        )

    body = (
        (Cell(_("Pupils")), count_cell(pupils)),
        (Cell(_("Attendance %")), share("present")),
        (Cell(_("Authorised absence %")), share("authorised")),
        (Cell(_("Unauthorised absence %")), share("unauthorised")),
    )
    return Table(_("Selected pupils, year to date"), (_("Measure"), _("Value")), body)


def _left_cell(leaving: date | None, to_date: date) -> Cell:
    if leaving is None or pd.isna(leaving) or leaving > to_date:
        return Cell("")
    return Cell(_("Left %(day)s", day=f"{leaving:%d/%m/%Y}"))


def _group_sizes(pupils: pd.DataFrame) -> dict[str, int]:
    groups = pupils["ethnicity"].map(ethnic_groups()).fillna("unclassified")
    return {str(key): int(size) for key, size in groups.value_counts().items()}


def _ethnicity_mask(pupils: pd.DataFrame, chosen: str) -> pd.Series:
    """Return the pupils of a shown main group, or of the merged small groups."""
    sizes = _group_sizes(pupils)
    small = {key for key, size in sizes.items() if size < MIN_ETHNIC_GROUP}
    groups = pupils["ethnicity"].map(ethnic_groups()).fillna("unclassified")
    if chosen in small or chosen == MERGED:
        merged = sum(sizes[key] for key in small)
        if merged < MIN_ETHNIC_GROUP:
            return pd.Series(False, index=pupils.index)
        return groups.isin(small)
    return groups == chosen


def _reg_group_order(group: str) -> tuple[int, str]:
    digits = "".join(ch for ch in group if ch.isdigit())
    return (int(digits) if digits else 99, group)
