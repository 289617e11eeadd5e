"""Weekly series for charts: the school against its comparator over every week."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from dashboard.i18n import _
from data.access import release_weeks
from data.figures import percent
from data.groups import PupilFilter
from data.reports import ReportScope
from data.sums import WeekRows


@dataclass(frozen=True)
class WeeklySeries:
    """A school line and a national line over every week of the year (None: a gap)."""

    weeks: tuple[date, ...]
    school: tuple[Fraction | None, ...]
    national: tuple[Fraction | None, ...]
    national_label: str


# A report's chart lines: each chart's label and its weekly series.
ChartLines = Callable[[ReportScope, PupilFilter], list[tuple[str, WeeklySeries]]]


def weekly_series(
    scope: ReportScope,
    pupil_filter: PupilFilter,
    measure: str = "present",
    comparator_cells: dict[str, Any] | None = None,
) -> WeeklySeries:
    """Return a measure's weekly rate for the chosen pupils and for the comparator.

    The comparator follows `comparator_cells` (by default the year group only), so it
    stays static when gender, eFSM or SEN/ALN narrow the school's figure.
    """
    cells = comparator_cells
    if cells is None:
        cells = {"year_group": pupil_filter.year_group}
    school = scope.data.sums.weekly(pupil_filter)
    national = scope.national.sums.weekly(scope.settings, **cells)
    weeks = sorted(set(release_weeks(scope.url, scope.release.id)) | set(school))
    return WeeklySeries(
        weeks=tuple(weeks),
        school=tuple(_rate(school, week, measure) for week in weeks),
        national=tuple(_rate(national, week, measure) for week in weeks),
        national_label=national_label(pupil_filter, cells),
    )


def national_label(pupil_filter: PupilFilter, cells: dict[str, object]) -> str:
    """Return the national line's legend in the current language, naming what it
    covers when filters narrow ("National, all pupils, Year 10")."""
    narrowed = any(
        getattr(pupil_filter, name) is not None and cells.get(name) is None
        for name in ("gender", "efsm", "sen", "reg_group", "eal", "ethnic_group")
    )
    parts = [_("National")]
    if narrowed:
        parts.append(_("all pupils"))
    described = _describe(cells)
    if described:
        parts.append(described)
    return ", ".join(parts)


def _describe(cells: dict[str, object]) -> str:
    words = []
    if cells.get("year_group") is not None:
        words.append(_("Year %(year)s", year=cells["year_group"]))
    if cells.get("gender") is not None:
        words.append(_("female") if cells["gender"] == "F" else _("male"))
    if cells.get("efsm") is not None:
        words.append(_("eFSM") if cells["efsm"] else _("not eFSM"))
    if cells.get("sen") is not None:
        words.append(_("SEN/ALN") if cells["sen"] else _("no SEN/ALN"))
    return ", ".join(words)


def _rate(by_week: WeekRows, week: date, measure: str) -> Fraction | None:
    row = by_week.get(week)
    if row is None:
        return None
    if "withheld" in row and row["withheld"]:
        return None
    return percent(row[measure], row["possible"])
