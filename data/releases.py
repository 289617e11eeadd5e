"""Weekly releases: publish every mark of an academic year up to a date, atomically.

A release holds, per school, each pupil's per-week sub-category counts and context as
Arrow payloads, and the national, authority and region comparators as additive rows.
The whole publish is one transaction, so readers see the previous release until the
new one is complete, and a failed publish leaves nothing behind.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import Connection, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from dashboard.config import Settings, get_settings
from data.codes import EMPTY_WEEK, SESSIONS_PER_WEEK, SUBCATEGORIES, subcategory_lookup
from data.comparators import SchoolPartials, area_rows, school_partials
from data.db import session_scope
from data.schema import (
    PupilYear,
    RegionMapping,
    Release,
    ReleaseAreaWeek,
    ReleaseComparator,
    ReleasePersistence,
    ReleaseSchool,
    School,
    WeekMarks,
)

logger = logging.getLogger(__name__)

SECONDARY_YEARS = (7, 11)
PUBLISHED = "published"
COMPRESSION = pa.ipc.IpcWriteOptions(compression="zstd")

PUPIL_SCHEMA = pa.schema(
    [
        ("pupil_id", pa.int32()),
        ("year_group", pa.int8()),
        ("reg_group", pa.string()),
        ("gender", pa.string()),
        ("efsm", pa.bool_()),
        ("sen", pa.string()),
        ("eal", pa.bool_()),
        ("ethnicity", pa.string()),
        ("entry_date", pa.date32()),
        ("leaving_date", pa.date32()),
    ]
)
WEEK_SCHEMA = pa.schema(
    [("pupil_id", pa.int32()), ("week_start", pa.date32())]
    + [(name, pa.int8()) for name in SUBCATEGORIES]
)
CHILD_TABLES = (ReleaseSchool, ReleaseAreaWeek, ReleaseComparator, ReleasePersistence)


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
    secondary pupil has any mark to publish.
    """
    settings = settings or get_settings()
    to_date = to_date or default_to_date(url, today or date.today())
    academic_year = _academic_year_of(to_date)
    report = progress or (lambda message: None)
    thresholds = (
        settings.persistent_absence_threshold,
        settings.severe_absence_threshold,
    )

    with session_scope(url) as session:
        release = Release(
            academic_year=academic_year, to_date=to_date, created_at=_now()
        )
        session.add(release)
        session.flush()
        partials, pupils = _publish_schools(session, release, thresholds, report)
        if not partials:
            raise ValueError(
                f"No marks to publish for {academic_year} up to {to_date.isoformat()}."
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


def current_release(url: str) -> ReleaseInfo | None:
    """Return the latest published release, or None before the first publish."""
    with session_scope(url) as session:
        release = session.scalars(
            select(Release)
            .where(Release.status == PUBLISHED)
            .order_by(Release.id.desc())
        ).first()
        return _info(release) if release else None


def previous_year_release(url: str) -> ReleaseInfo | None:
    """Return the latest published release of a year before the current release's."""
    current = current_release(url)
    if current is None:
        return None
    with session_scope(url) as session:
        release = session.scalars(
            select(Release)
            .where(Release.status == PUBLISHED)
            .where(Release.academic_year < current.academic_year)
            .order_by(Release.id.desc())
        ).first()
        return _info(release) if release else None


def list_releases(url: str) -> list[ReleaseInfo]:
    """Return every published release, newest first."""
    with session_scope(url) as session:
        releases = session.scalars(
            select(Release)
            .where(Release.status == PUBLISHED)
            .order_by(Release.id.desc())
        )
        return [_info(release) for release in releases]


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
    """Write every school's payloads; return their comparator partials and pupils."""
    connection = session.connection()
    schools = _schools_of_year(connection, release.academic_year)
    regions = _regions_on(connection, release.to_date)
    partials = []
    pupil_count = 0
    for number, (school_id, la_code) in enumerate(schools, start=1):
        report(f"School {number} of {len(schools)}")
        pupils = _pupils(connection, school_id, release.academic_year)
        weeks = _week_counts(connection, school_id, release.to_date, pupils.index)
        if weeks.empty:
            continue
        region = regions.get(la_code)
        connection.execute(
            insert(ReleaseSchool),
            [_school_row(release.id, school_id, la_code, region, pupils, weeks)],
        )
        partials.append(school_partials(weeks, pupils, la_code, region, thresholds))
        pupil_count += weeks["pupil_id"].nunique()
    return partials, pupil_count


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
    columns = [
        PupilYear.pupil_id,
        *(PupilYear.__table__.c[n] for n in PUPIL_SCHEMA.names[1:]),
    ]
    query = (
        select(*columns)
        .where(PupilYear.school_id == school_id)
        .where(PupilYear.academic_year == academic_year)
        .where(PupilYear.year_group.between(*SECONDARY_YEARS))
        .order_by(PupilYear.pupil_id)
    )
    rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=PUPIL_SCHEMA.names)
    frame["efsm"] = frame["efsm"].astype(bool)
    frame["eal"] = frame["eal"].astype(bool)
    return frame.set_index("pupil_id")


def _week_counts(
    connection: Connection, school_id: str, to_date: date, pupil_ids: pd.Index
) -> pd.DataFrame:
    """Return per pupil and week the count of every sub-category, rows with entries only.

    Sessions before the academic year starts or after `to_date` are left out.
    """
    year_start = _year_start(to_date)
    query = (
        select(WeekMarks.week_start, WeekMarks.pupil_id, WeekMarks.codes)
        .where(WeekMarks.school_id == school_id)
        .where(WeekMarks.week_start > year_start - timedelta(days=7))
        .where(WeekMarks.week_start <= to_date)
    )
    rows = connection.execute(query).all()
    columns = ["week_start", *SUBCATEGORIES]
    if not rows:
        return pd.DataFrame(columns=["pupil_id", *columns])
    week_starts, marked_ids, codes = zip(*rows, strict=True)
    marked = np.fromiter(marked_ids, dtype=np.int64, count=len(rows))
    keep = np.isin(marked, pupil_ids.to_numpy())

    weeks, week_index = np.unique(
        np.asarray(week_starts, dtype=object)[keep], return_inverse=True
    )
    marks = np.frombuffer("".join(codes).encode("ascii"), dtype=np.uint8)
    marks = marks.reshape(len(rows), SESSIONS_PER_WEEK)[keep]
    categories = _categories(marks, list(weeks), week_index, year_start, to_date)

    entries = categories >= 0
    row_of = np.broadcast_to(np.arange(len(marks))[:, None], marks.shape)[entries]
    counts = np.bincount(
        row_of * len(SUBCATEGORIES) + categories[entries],
        minlength=len(marks) * len(SUBCATEGORIES),
    ).reshape(len(marks), len(SUBCATEGORIES))
    has_entry = entries.any(axis=1)

    frame = pd.DataFrame(counts[has_entry].astype(np.int8), columns=list(SUBCATEGORIES))
    frame.insert(0, "week_start", weeks[week_index[has_entry]])
    frame.insert(0, "pupil_id", marked[keep][has_entry].astype(np.int32))
    return frame.sort_values(["pupil_id", "week_start"], ignore_index=True)


def _categories(
    marks: np.ndarray,
    weeks: list[date],
    week_index: np.ndarray,
    year_start: date,
    to_date: date,
) -> np.ndarray:
    """Return each session's sub-category index (-1 for no entry) within the year."""
    lookups = np.stack([subcategory_lookup(week) for week in weeks])
    first = np.array([(year_start - week).days * 2 for week in weeks])
    after = np.array([((to_date - week).days + 1) * 2 for week in weeks])
    position = np.arange(SESSIONS_PER_WEEK)[None, :]
    outside = (position < first[week_index, None]) | (
        position >= after[week_index, None]
    )
    categories = lookups[week_index[:, None], marks]
    categories[outside] = -1
    return categories


def _school_row(
    release_id: int,
    school_id: str,
    la_code: int,
    region: str | None,
    pupils: pd.DataFrame,
    weeks: pd.DataFrame,
) -> dict[str, object]:
    """Return a ReleaseSchool row with the Arrow payloads of pupils and weeks."""
    pupil_table = pa.Table.from_pandas(
        pupils.reset_index(), schema=PUPIL_SCHEMA, preserve_index=False
    )
    week_table = pa.Table.from_pandas(weeks, schema=WEEK_SCHEMA, preserve_index=False)
    return {
        "release_id": release_id,
        "school_id": school_id,
        "la_code": la_code,
        "region": region,
        "pupils": _ipc_bytes(pupil_table),
        "weeks": _ipc_bytes(week_table),
    }


def _ipc_bytes(table: pa.Table) -> bytes:
    """Return a table as a compressed Arrow IPC stream."""
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema, options=COMPRESSION) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _insert_areas(
    session: Session, partials: list[SchoolPartials], release_id: int
) -> None:
    """Insert the comparator cells, area weeks and persistence rows of every area."""
    rows = area_rows(partials, release_id)
    for model, records in (
        (ReleaseComparator, rows.comparators),
        (ReleaseAreaWeek, rows.area_weeks),
        (ReleasePersistence, rows.persistence),
    ):
        if records:
            session.execute(insert(model), records)


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
