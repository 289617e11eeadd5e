"""Releases on the data desk: what each covered, what publishing now would change.

A release covers the schools, pupils and weeks with any published pupil-week: a Year 7
to 11 pupil with context for the year holding at least one session code (a register
not taken counts) between 1 September and the release's last date. The preview counts
the same from the marks held, so it matches what `publish` then stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from dashboard.config import Settings
from dashboard.i18n import N_, _, format_day, format_moment
from data import audit
from data.calendar import academic_year_bounds, academic_year_of, monday_of
from data.codes import EMPTY_WEEK, NO_ENTRY, SESSIONS_PER_WEEK
from data.db import session_scope
from data.desk import STAMP
from data.re_extract import KIND as RE_EXTRACT
from data.releases import (
    SECONDARY_YEARS,
    ReleaseInfo,
    check_publish_year,
    current_release,
    publish,
)
from data.releases import list_releases as published_releases
from data.schema import (
    ImportLog,
    PupilYear,
    Release,
    ReleaseAreaWeek,
    ReleaseSchool,
    School,
    WeekMarks,
)
from data.tables import Cell, Table, count_cell

# The imports that write marks, by their kind in the import log.
MARK_IMPORTS = ("marks", "ctf", RE_EXTRACT)
HISTORY_COLUMNS = (
    N_("Release"),
    N_("Academic year"),
    N_("Data to"),
    N_("Published (UTC)"),
    N_("Schools"),
    N_("Pupils"),
    N_("Weeks"),
)


@dataclass(frozen=True)
class Coverage:
    """What a release holds (or would hold): year, last date, school ids, pupils, weeks."""

    academic_year: str
    to_date: date
    schools: tuple[str, ...]
    pupils: int
    weeks: tuple[date, ...]


@dataclass(frozen=True)
class PublishPreview:
    """The current release's coverage beside what publishing to a date would give.

    `names` maps the school ids of both to their names. `imported` maps each school
    whose marks were imported since the current release was made (None for a CTF file
    of several schools) to the weeks of `proposed` those imports touched.
    """

    current: Coverage | None
    proposed: Coverage
    names: dict[str, str]
    imported: dict[str | None, tuple[date, ...]] = field(default_factory=dict)

    def table(self) -> Table:
        """Return the current and proposed coverage side by side, with the change."""
        now, then = self.current, self.proposed
        year = now.academic_year if now else ""
        to_date = now.to_date.isoformat() if now else ""
        rows = (
            _row(_("Academic year"), year, then.academic_year),
            _row(_("Data to"), to_date, then.to_date.isoformat()),
            _count_row(_("Schools"), len(now.schools) if now else 0, len(then.schools)),
            _count_row(_("Pupils"), now.pupils if now else 0, then.pupils),
            _count_row(_("Weeks"), len(now.weeks) if now else 0, len(then.weeks)),
        )
        columns = ("", _("Current release"), _("After publishing"), _("Change"))
        return Table(_("What publishing changes"), columns, rows)

    def changes(self) -> list[str]:
        """Return sentences naming the schools and weeks added or no longer included,
        and the schools whose marks were imported since the current release, with the
        weeks they touched."""
        same_year = (
            self.current is not None
            and self.current.academic_year == self.proposed.academic_year
        )
        before = set(self.current.schools) if self.current and same_year else set()
        weeks_before = set(self.current.weeks) if self.current and same_year else set()
        after = set(self.proposed.schools)
        lines = []
        if self.current is not None and not same_year:
            lines.append(
                _(
                    "Starts the %(year)s academic year.",
                    year=self.proposed.academic_year,
                )
            )
        for label, found in (
            (_("Schools added"), sorted(after - before)),
            (_("Schools no longer included"), sorted(before - after)),
        ):
            if found:
                lines.append(f"{label}: " + ", ".join(self._named(s) for s in found))
        weeks_after = set(self.proposed.weeks)
        for label, weeks in (
            (_("Weeks added"), sorted(weeks_after - weeks_before)),
            (_("Weeks no longer included"), sorted(weeks_before - weeks_after)),
        ):
            if weeks:
                lines.append(f"{label}: {_weeks(weeks)}")
        for school_id, touched in self.imported.items():
            school = self._named(school_id) if school_id else _("several schools (CTF)")
            lines.append(
                _(
                    "Marks imported for %(school)s since the current release was made; "
                    "figures may change in %(weeks)s",
                    school=school,
                    weeks=_weeks(touched),
                )
            )
        return lines or [_("Nothing changes but the date the release was made.")]

    def _named(self, school_id: str) -> str:
        return f"{self.names.get(school_id, school_id)} ({school_id})"


def release_history(url: str) -> Table:
    """Return every kept release, newest first, with the schools, pupils and weeks."""
    releases = published_releases(url)
    with session_scope(url) as session:
        weeks = dict(
            session.execute(
                select(
                    ReleaseAreaWeek.release_id,
                    func.count(ReleaseAreaWeek.week_start.distinct()),
                )
                .where(ReleaseAreaWeek.scope == "national")
                .group_by(ReleaseAreaWeek.release_id)
            ).all()
        )
    rows = tuple(
        (
            Cell(str(release.id)),
            Cell(release.academic_year),
            Cell(
                format_day(release.to_date, "EEE d MMM yyyy"),
                export=release.to_date.isoformat(),
            ),
            Cell(
                format_moment(release.published_at, STAMP),
                export=release.published_at.isoformat(sep=" "),
            ),
            count_cell(release.schools),
            count_cell(release.pupils),
            count_cell(int(weeks.get(release.id, 0))),
        )
        for release in releases
    )
    columns = tuple(_(column) for column in HISTORY_COLUMNS)
    return Table(_("Releases"), columns, rows)


def preview_publish(url: str, to_date: date) -> PublishPreview:
    """Return what publishing the year of `to_date` up to it would hold, beside now.

    Raises ValueError as `check_publish_year` for a date before the current year.
    """
    check_publish_year(url, to_date)
    release = current_release(url)
    with session_scope(url) as session:
        current = _current_coverage(session, release) if release else None
        proposed = _proposed_coverage(session, to_date)
        imported = _imported_since(session, release, proposed) if release else {}
        ids = set(proposed.schools) | set(current.schools if current else ())
        ids |= {school_id for school_id in imported if school_id}
        names = dict(
            session.execute(
                select(School.id, School.name).where(School.id.in_(ids))
            ).all()
        )
    return PublishPreview(current, proposed, names, imported)


def publish_now(
    url: str, to_date: date, user_id: int, settings: Settings
) -> ReleaseInfo:
    """Publish the year of `to_date` up to it and audit who did; ValueError if empty."""
    info = publish(url, to_date=to_date, settings=settings)
    detail = (
        f"release {info.id}: {info.academic_year} to {info.to_date.isoformat()}, "
        f"{info.schools} schools, {info.pupils} pupils"
    )
    audit.record(url, "release_published", user_id, None, detail)
    return info


def _current_coverage(session: Session, release: ReleaseInfo) -> Coverage:
    schools = session.scalars(
        select(ReleaseSchool.school_id)
        .where(ReleaseSchool.release_id == release.id)
        .order_by(ReleaseSchool.school_id)
    ).all()
    weeks = session.scalars(
        select(ReleaseAreaWeek.week_start)
        .where(ReleaseAreaWeek.release_id == release.id)
        .where(ReleaseAreaWeek.scope == "national")
        .distinct()
        .order_by(ReleaseAreaWeek.week_start)
    ).all()
    return Coverage(
        release.academic_year,
        release.to_date,
        tuple(schools),
        release.pupils,
        tuple(weeks),
    )


def _proposed_coverage(session: Session, to_date: date) -> Coverage:
    """Count what `publish` would store, from the marks held."""
    year = academic_year_of(to_date)
    first = academic_year_bounds(year)[0]
    pupils = select(PupilYear.pupil_id).where(
        PupilYear.academic_year == year,
        PupilYear.year_group.between(*SECONDARY_YEARS),
    )
    counted = (
        select(WeekMarks.school_id, WeekMarks.pupil_id, WeekMarks.week_start)
        .where(WeekMarks.week_start.between(monday_of(first), to_date))
        .where(WeekMarks.pupil_id.in_(pupils))
        .where(_has_entry(first, to_date))
        .subquery()
    )
    per_school = session.execute(
        select(counted.c.school_id, func.count(counted.c.pupil_id.distinct()))
        .group_by(counted.c.school_id)
        .order_by(counted.c.school_id)
    ).all()
    weeks = session.scalars(
        select(counted.c.week_start).distinct().order_by(counted.c.week_start)
    ).all()
    return Coverage(
        year,
        to_date,
        tuple(row[0] for row in per_school),
        sum(int(row[1]) for row in per_school),
        tuple(weeks),
    )


def _imported_since(
    session: Session, release: ReleaseInfo, proposed: Coverage
) -> dict[str | None, tuple[date, ...]]:
    """Return each school's weeks of `proposed` that marks imported since `release`
    was made touched, by school id.

    The import log holds the first and last date of each import; a re-extract
    replaces its whole year, so it touches every week of it.
    """
    made = session.scalar(select(Release.created_at).where(Release.id == release.id))
    imports = session.execute(
        select(ImportLog.school_id, ImportLog.kind, ImportLog.first_date)
        .add_columns(ImportLog.last_date)
        .where(ImportLog.imported_at >= made)
        .where(ImportLog.kind.in_(MARK_IMPORTS))
        .where(ImportLog.first_date.is_not(None))
        .order_by(ImportLog.school_id, ImportLog.id)
    ).all()
    touched: dict[str | None, set[date]] = {}
    for school_id, kind, first, last in imports:
        if kind == RE_EXTRACT:
            first, last = academic_year_bounds(academic_year_of(first))
        weeks = {week for week in proposed.weeks if monday_of(first) <= week <= last}
        if weeks:
            touched.setdefault(school_id, set()).update(weeks)
    return {school_id: tuple(sorted(weeks)) for school_id, weeks in touched.items()}


def _weeks(weeks: Iterable[date]) -> str:
    return ", ".join(
        _("w/c %(day)s", day=format_day(week, "d MMM yyyy")) for week in weeks
    )


def _has_entry(first: date, last: date) -> ColumnElement[bool]:
    """Return the condition that a week row holds a code between two days.

    Whole weeks inside the dates need any code; the edge weeks only count the sessions
    from `first` and up to `last`.
    """
    first_week, last_week = monday_of(first), monday_of(last)
    conditions = [
        and_(
            WeekMarks.week_start > first_week,
            WeekMarks.week_start < last_week,
            WeekMarks.codes != EMPTY_WEEK,
        )
    ]
    for week in sorted({first_week, last_week}):
        start = max(0, (first - week).days * 2)
        end = min(SESSIONS_PER_WEEK, ((last - week).days + 1) * 2)
        if end <= start:
            continue
        part = func.substr(WeekMarks.codes, start + 1, end - start)
        conditions.append(
            and_(WeekMarks.week_start == week, part != NO_ENTRY * (end - start))
        )
    return or_(*conditions)


def _row(label: str, now: str, then: str) -> tuple[Cell, ...]:
    changed = "" if now == then else _("changed")
    return (Cell(label), Cell(now), Cell(then), Cell(changed))


def _count_row(label: str, now: int, then: int) -> tuple[Cell, ...]:
    change = then - now
    sign = "+" if change > 0 else ""
    return (
        Cell(label),
        count_cell(now),
        count_cell(then),
        Cell(f"{sign}{change:,}", export=str(change)),
    )
