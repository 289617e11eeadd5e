"""Weekly releases: publish every mark of an academic year up to a date, atomically.

A release holds, per school, each pupil's per-week sub-category counts and context as
Arrow payloads, and the national, authority and region comparators as additive rows.
The whole publish is one transaction, so readers see the previous release until the
new one is complete, and a failed publish leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Connection, String, cast, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from dashboard.config import Settings, get_settings
from dashboard.i18n import _, format_day
from data.codes import EMPTY_WEEK
from data.comparators import (
    PUPIL_SCHEMA,
    MarksByWeek,
    SchoolPartials,
    area_rows,
    cell_payload,
    count_marks,
    payloads,
    pupil_totals_payload,
    school_partials,
)
from data.db import bulk_insert, session_scope
from data.schema import (
    PupilYear,
    RegionMapping,
    Release,
    ReleaseAreaWeek,
    ReleaseComparator,
    ReleasePersistence,
    ReleaseSchool,
    ReleaseSlotSums,
    School,
    WeekMarks,
)

logger = logging.getLogger(__name__)

SECONDARY_YEARS = (7, 11)
# Threads reading and counting schools while the publishing connection writes: the
# database reads, Arrow and numpy work largely outside Python's lock.
READERS = 2
PUBLISHED = "published"
CHILD_TABLES = (
    ReleaseSchool,
    ReleaseAreaWeek,
    ReleaseComparator,
    ReleaseSlotSums,
    ReleasePersistence,
)


@dataclass(frozen=True)
class ReleaseInfo:
    """A published release: its year, the last date it covers and what it holds.

    `schools` and `pupils` count the schools and pupils with any published pupil-week.
    """

    id: int
    academic_year: str
    to_date: date
    published_at: datetime
    schools: int
    pupils: int


def publish(
    url: str,
    to_date: date | None = None,
    settings: Settings | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReleaseInfo:
    """Publish the academic year of `to_date` up to and including it, and return it.

    `to_date` defaults to `default_to_date(url, today)`. Raises ValueError when no
    secondary pupil has any mark to publish, or as `check_publish_year`.
    """
    settings = settings or get_settings()
    to_date = to_date or default_to_date(url, today or date.today())
    check_publish_year(url, to_date)
    academic_year = _academic_year_of(to_date)
    report = progress or (lambda message: None)
    thresholds = (
        settings.persistent_absence_threshold,
        settings.severe_absence_threshold,
    )

    logger.info("Publishing %s up to %s", academic_year, to_date)
    with session_scope(url) as session:
        release = Release(
            academic_year=academic_year, to_date=to_date, created_at=_now()
        )
        session.add(release)
        session.flush()
        partials, pupils = _publish_schools(session, release, thresholds, report)
        if not partials:
            raise ValueError(
                _(
                    "No marks to publish for %(year)s up to %(day)s.",
                    year=academic_year,
                    day=to_date.isoformat(),
                )
            )
        report("Summing the national, authority and region comparators")
        _insert_areas(session, partials, release.id)
        release.status = PUBLISHED
        release.published_at = _now()
        release.schools = len(partials)
        release.pupils = pupils
        session.flush()
        _apply_retention(session, release)
        info = _info(release)

    logger.info(
        "Published release %s for %s to %s: %s schools, %s pupils",
        info.id,
        info.academic_year,
        info.to_date,
        info.schools,
        info.pupils,
    )
    return info


def check_publish_year(url: str, to_date: date) -> None:
    """Raise ValueError when `to_date` is in an academic year before the current
    release's: the newest release is the current one, so publishing it would put the
    reports back a year."""
    current = current_release(url)
    year = _academic_year_of(to_date)
    if current is not None and year < current.academic_year:
        raise ValueError(
            _(
                "%(day)s is in %(year)s, before the current release's %(current)s; "
                "choose a date in %(current)s or later.",
                day=format_day(to_date, "d MMM yyyy"),
                year=year,
                current=current.academic_year,
            )
        )


def current_release(url: str) -> ReleaseInfo | None:
    """Return the latest published release, or None before the first publish."""
    releases = _published(url, limit=1)
    return releases[0] if releases else None


def previous_year_release(url: str) -> ReleaseInfo | None:
    """Return the latest published release of a year before the current release's."""
    current = current_release(url)
    if current is None:
        return None
    releases = _published(url, before_year=current.academic_year, limit=1)
    return releases[0] if releases else None


def list_releases(url: str) -> list[ReleaseInfo]:
    """Return every published release, newest first."""
    return _published(url)


def default_to_date(url: str, today: date) -> date:
    """Return the Friday ending the last complete school week before `today`'s week.

    On a Saturday or Sunday this week's Friday counts as complete. The date is then
    moved back to the Friday of the latest week holding any mark.
    """
    monday = today - timedelta(days=today.weekday())
    friday = monday + timedelta(days=4 if today.weekday() >= 5 else -3)
    with session_scope(url) as session:
        latest = session.scalar(
            select(func.max(WeekMarks.week_start)).where(WeekMarks.codes != EMPTY_WEEK)
        )
    if latest is not None:
        friday = min(friday, latest + timedelta(days=4))
    return friday


def _publish_schools(
    session: Session,
    release: Release,
    thresholds: tuple[int, int],
    report: Callable[[str], None],
) -> tuple[list[SchoolPartials], int]:
    """Write every school's payloads; return their comparator partials and pupils.

    READERS threads read and count the schools, each on its own connection (the
    marks are committed, and this transaction does not change them), while this
    connection writes the schools' rows in order.
    """
    connection = session.connection()
    schools = _schools_of_year(connection, release.academic_year)
    regions = _regions_on(connection, release.to_date)
    engine = connection.engine

    def counted(school: tuple[str, int]) -> _CountedSchool | None:
        school_id, la_code = school
        with engine.connect() as reader:
            pupils = _pupils(reader, school_id, release.academic_year)
            weeks = _week_counts(reader, school_id, release.to_date, pupils.index)
        if weeks.empty:
            return None
        region = regions.get(la_code)
        partial = school_partials(weeks, pupils, la_code, region, thresholds)
        row = _school_row(release.id, school_id, partial, pupils, weeks)
        return _CountedSchool(row, partial, int(weeks["pupil_id"].nunique()))

    partials = []
    pupil_count = 0
    with ThreadPoolExecutor(READERS) as pool:
        for number, school in enumerate(pool.map(counted, schools), start=1):
            report(f"School {number} of {len(schools)}")
            if school is None:
                continue
            connection.execute(insert(ReleaseSchool), [school.row])
            partials.append(school.partial)
            pupil_count += school.pupils
    return partials, pupil_count


@dataclass(frozen=True)
class _CountedSchool:
    """One school's release row, comparator partials and pupils with any row."""

    row: dict[str, object]
    partial: SchoolPartials
    pupils: int


def _schools_of_year(
    connection: Connection, academic_year: str
) -> list[tuple[str, int]]:
    """Return (school id, LA number) of every school with secondary pupils in the year."""
    query = (
        select(School.id, School.la_code)
        .where(
            School.id.in_(
                select(PupilYear.school_id)
                .where(PupilYear.academic_year == academic_year)
                .where(PupilYear.year_group.between(*SECONDARY_YEARS))
            )
        )
        .order_by(School.id)
    )
    return [(row.id, row.la_code) for row in connection.execute(query)]


def _regions_on(connection: Connection, day: date) -> dict[int, str]:
    """Return each authority's region under the mapping valid on `day`."""
    query = select(RegionMapping.la_code, RegionMapping.region).where(
        RegionMapping.valid_from <= day,
        or_(RegionMapping.valid_to.is_(None), RegionMapping.valid_to > day),
    )
    return {row.la_code: row.region for row in connection.execute(query)}


def _pupils(connection: Connection, school_id: str, academic_year: str) -> pd.DataFrame:
    """Return the school's Year 7-11 pupils' context for the year, indexed by pupil_id."""
    names = PUPIL_SCHEMA.names
    query = (
        select(*(PupilYear.__table__.c[name] for name in names))
        .where(PupilYear.school_id == school_id)
        .where(PupilYear.academic_year == academic_year)
        .where(PupilYear.year_group.between(*SECONDARY_YEARS))
        .order_by(PupilYear.pupil_id)
    )
    rows = connection.execute(query).all()
    values = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    frame = pd.DataFrame(dict(zip(names, values, strict=True)))
    frame["efsm"] = frame["efsm"].astype(bool)
    frame["eal"] = frame["eal"].astype(bool)
    return frame.set_index("pupil_id")


def _week_counts(
    connection: Connection, school_id: str, to_date: date, pupil_ids: pd.Index
) -> pd.DataFrame:
    """Return the school's pupil-week counts of the year up to `to_date` (see
    `count_marks`), reading each week's marks as one concatenated string."""
    year_start = _year_start(to_date)
    query = (
        select(
            WeekMarks.week_start,
            func.aggregate_strings(cast(WeekMarks.pupil_id, String), ","),
            func.aggregate_strings(WeekMarks.codes, ""),
        )
        .where(WeekMarks.school_id == school_id)
        .where(WeekMarks.week_start > year_start - timedelta(days=7))
        .where(WeekMarks.week_start <= to_date)
        .group_by(WeekMarks.week_start)
        .order_by(WeekMarks.week_start)
    )
    chunks = connection.execute(query).all()
    marks = MarksByWeek(
        weeks=[row[0] for row in chunks],
        pupil_ids=[np.array(row[1].split(","), dtype=np.int64) for row in chunks],
        codes="".join(row[2] for row in chunks),
    )
    return count_marks(marks, pupil_ids.to_numpy(), year_start, to_date)


def _school_row(
    release_id: int,
    school_id: str,
    partial: SchoolPartials,
    pupils: pd.DataFrame,
    weeks: pd.DataFrame,
) -> dict[str, object]:
    """Return a ReleaseSchool row with the Arrow payloads of pupils, weeks, cells and
    pupil totals."""
    pupil_payload, week_payload = payloads(pupils, weeks)
    return {
        "release_id": release_id,
        "school_id": school_id,
        "la_code": partial.la_code,
        "region": partial.region,
        "pupils": pupil_payload,
        "weeks": week_payload,
        "cells": cell_payload(partial, weeks, pupils),
        "pupil_totals": pupil_totals_payload(pupils, weeks),
    }


def _insert_areas(
    session: Session, partials: list[SchoolPartials], release_id: int
) -> None:
    """Insert the comparator cells, their sessions of the week, area weeks and
    persistence rows of every area."""
    rows = area_rows(partials, release_id)
    for model, columns in (
        (ReleaseComparator, rows.comparators),
        (ReleaseAreaWeek, rows.area_weeks),
        (ReleasePersistence, rows.persistence),
    ):
        bulk_insert(session.connection(), model, columns)
    if rows.slot_sums:
        session.connection().execute(insert(ReleaseSlotSums), rows.slot_sums)


def _apply_retention(session: Session, release: Release) -> None:
    """Delete published releases other than the two latest of the new release's year
    and the latest of every other year."""
    published = session.execute(
        select(Release.id, Release.academic_year)
        .where(Release.status == PUBLISHED)
        .order_by(Release.id.desc())
    ).all()
    kept: dict[str, int] = {}
    doomed = []
    for release_id, year in published:
        allowed = 2 if year == release.academic_year else 1
        if kept.get(year, 0) < allowed:
            kept[year] = kept.get(year, 0) + 1
        else:
            doomed.append(release_id)
    if not doomed:
        return
    for model in CHILD_TABLES:
        session.execute(delete(model).where(model.release_id.in_(doomed)))
    session.execute(delete(Release).where(Release.id.in_(doomed)))
    logger.info("Retention removed %s old releases", len(doomed))


def _published(
    url: str, before_year: str | None = None, limit: int | None = None
) -> list[ReleaseInfo]:
    """Return published releases newest first, optionally of years before one."""
    query = select(Release).where(Release.status == PUBLISHED)
    if before_year is not None:
        query = query.where(Release.academic_year < before_year)
    with session_scope(url) as session:
        releases = session.scalars(query.order_by(Release.id.desc()).limit(limit))
        return [_info(release) for release in releases]


def _info(release: Release) -> ReleaseInfo:
    """Return the public summary of a release row."""
    return ReleaseInfo(
        id=release.id,
        academic_year=release.academic_year,
        to_date=release.to_date,
        published_at=release.published_at or release.created_at,
        schools=release.schools,
        pupils=release.pupils,
    )


def _academic_year_of(day: date) -> str:
    """Return the academic year (1 September to 31 August) holding a day, e.g. "2023/24"."""
    start = _year_start(day).year
    return f"{start}/{(start + 1) % 100:02d}"


def _year_start(day: date) -> date:
    """Return 1 September of the academic year holding a day."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def _now() -> datetime:
    """Return the current time in UTC, without a time zone as the schema stores it."""
    return datetime.now(UTC).replace(tzinfo=None)
