"""Data protection: purging pupil-level data past its retention, removing a school.

Both run as one transaction, so an interruption leaves the database as it was, and
both write their audit entry in that same transaction. They return the rows they
removed per table; a dry run does the same work and rolls it back.

What a purge keeps: every release row and its national, authority and region
comparators (`release_comparators`, `release_slot_sums`, `release_area_weeks`,
`release_persistence`), which are counts per week and pupil cell and name no pupil.
What it removes, for the academic years before the retained ones: marks
(`week_marks`; a week straddling 1 September loses only the older year's days), pupil
context (`pupil_years`), the per-pupil payloads of those years' releases
(`release_schools`) and pupils that no longer have any context or marks. The import log and the audit log name no pupil
and are kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    delete,
    except_,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from data import audit
from data.access import clear_cache
from data.calendar import academic_year_bounds, academic_year_of, monday_of
from data.codes import NO_ENTRY, SESSIONS_PER_WEEK
from data.db import rehearsal_scope, session_scope
from data.releases import PUBLISHED
from data.schema import (
    Base,
    ImportLog,
    Pupil,
    PupilGrant,
    PupilYear,
    Release,
    ReleaseSchool,
    School,
    SchoolClosure,
    SchoolTerm,
    User,
    WeekMarks,
)

log = logging.getLogger(__name__)

Counts = dict[str, int]
PUPIL_INDEX = "ix_week_marks_pupil_deleting"
PUPIL_ON = "ON week_marks (pupil_id)"


@dataclass(frozen=True)
class Removal:
    """What a purge or a school removal removed (or, in a dry run, would remove).

    `rows` maps a table (or "table action") to its number of rows, in the order the
    steps ran; `kept_from` is the oldest academic year a purge kept.
    """

    rows: Counts
    dry_run: bool
    kept_from: str = ""

    def describe(self) -> str:
        """Return the counts as one plain line: "week_marks 18, pupil_years 9, ..."."""
        return _describe(self.rows)


def purge(url: str, years_kept: int, dry_run: bool = False) -> Removal:
    """Remove pupil-level data of academic years before the `years_kept` latest,
    counted back from the current release's year; return what was removed.

    Raises ValueError when `years_kept` is below 1 or nothing has been published.
    """
    if years_kept < 1:
        raise ValueError("At least one academic year of pupil data must be kept.")
    scope = rehearsal_scope if dry_run else session_scope
    with scope(url) as session:
        current = session.scalar(
            select(Release.academic_year)
            .where(Release.status == PUBLISHED)
            .order_by(Release.id.desc())
            .limit(1)
        )
        if current is None:
            raise ValueError(
                "No release has been published yet: there is no current year to keep."
            )
        kept_from = _years_before(current, years_kept - 1)
        rows = _purge_rows(session.connection(), kept_from)
        if not dry_run:
            detail = f"before {kept_from}: {_describe(rows)}"
            audit.add_entry(session, "pupil_data_purged", None, detail=detail)
    if not dry_run:
        clear_cache()
        log.info("Purged pupil-level data before %s: %s", kept_from, _describe(rows))
    return Removal(rows, dry_run, kept_from)


def remove_school(url: str, school_id: str, dry_run: bool = False) -> Removal:
    """Remove every row held for one school and its pupils; return what was removed.

    The school's users are disabled and detached from it (kept, so that the audit log
    still names who did what); other users' pupil grants to it are revoked. Comparators
    already published keep its counts until the next publish, which excludes it.
    Raises LookupError when there is no such school.
    """
    scope = rehearsal_scope if dry_run else session_scope
    with scope(url) as session:
        if session.get(School, school_id) is None:
            raise LookupError(f"No school with id {school_id}.")
        rows = _school_rows(session, school_id)
        if not dry_run:
            audit.add_entry(session, "school_removed", None, school_id, _describe(rows))
    if not dry_run:
        clear_cache()
        log.info("Removed school %s: %s", school_id, _describe(rows))
    return Removal(rows, dry_run)


def _purge_rows(connection: Connection, kept_from: str) -> Counts:
    """Run each purge step for the years before `kept_from`; return rows per step."""
    first_day, _ = academic_year_bounds(kept_from)
    old_releases = select(Release.id).where(Release.academic_year < kept_from)
    # A week ending (on Friday) before the first day is wholly of an older year.
    old_weeks = WeekMarks.week_start < first_day - timedelta(days=4)
    return {
        "release_schools": _delete(
            connection, ReleaseSchool, ReleaseSchool.release_id.in_(old_releases)
        ),
        "week_marks": _delete(connection, WeekMarks, old_weeks),
        "week_marks trimmed": _trim_straddling_week(connection, first_day),
        "pupil_years": _delete(
            connection, PupilYear, PupilYear.academic_year < kept_from
        ),
        "pupils": _delete_unreferenced_pupils(connection),
    }


def _trim_straddling_week(connection: Connection, first_day: date) -> int:
    """Blank the sessions before `first_day` in the week holding it; return the rows
    changed. Nothing to do when the year starts on a Monday or at a weekend."""
    days_before = first_day.weekday()
    if days_before in (0, 5, 6):
        return 0
    sessions = days_before * 2
    blank = NO_ENTRY * sessions
    monday = monday_of(first_day)
    return connection.execute(
        update(WeekMarks)
        .where(WeekMarks.week_start == monday)
        .where(func.substr(WeekMarks.codes, 1, sessions) != blank)
        .values(
            codes=literal(blank, String)
            + func.substr(WeekMarks.codes, sessions + 1, SESSIONS_PER_WEEK - sessions)
        )
    ).rowcount


def _delete_unreferenced_pupils(connection: Connection) -> int:
    """Delete pupils with neither context nor marks left."""
    unreferenced = except_(
        select(Pupil.id), select(PupilYear.pupil_id), select(WeekMarks.pupil_id)
    )
    return _delete_pupils(connection, Pupil.id.in_(unreferenced))


def _school_rows(session: Session, school_id: str) -> Counts:
    """Delete a school's rows table by table (children first); return rows per step."""
    connection = session.connection()
    pupils = select(Pupil.id).where(Pupil.school_id == school_id)
    rows = {
        "week_marks": _delete(
            connection,
            WeekMarks,
            or_(WeekMarks.school_id == school_id, WeekMarks.pupil_id.in_(pupils)),
        ),
        "pupil_years": _delete(
            connection,
            PupilYear,
            or_(PupilYear.school_id == school_id, PupilYear.pupil_id.in_(pupils)),
        ),
        "pupils": _delete_pupils(connection, Pupil.school_id == school_id),
    }
    for model in (ReleaseSchool, ImportLog, SchoolTerm, SchoolClosure, PupilGrant):
        rows[model.__tablename__] = _delete(
            connection, model, model.school_id == school_id
        )
    rows["users disabled"] = connection.execute(
        update(User)
        .where(User.school_id == school_id)
        .values(active=False, school_id=None, session_version=User.session_version + 1)
    ).rowcount
    rows["schools"] = _delete(connection, School, School.id == school_id)
    return rows


def _delete_pupils(connection: Connection, where: ColumnElement[bool]) -> int:
    """Delete the pupils matching `where`, with week_marks indexed by pupil meanwhile.

    The foreign key check of every pupil deleted looks for its marks, and without
    that index reads every week of marks held. The index is made inside the
    transaction (after its first change, so that SQLite's driver has begun it) and
    dropped before it ends.
    """
    connection.execute(text(f"CREATE INDEX IF NOT EXISTS {PUPIL_INDEX} {PUPIL_ON}"))
    deleted = _delete(connection, Pupil, where)
    connection.execute(text(f"DROP INDEX {PUPIL_INDEX}"))
    return deleted


def _delete(
    connection: Connection, model: type[Base], where: ColumnElement[bool]
) -> int:
    """Delete a table's rows matching `where`; return how many."""
    return connection.execute(delete(model).where(where)).rowcount


def _years_before(academic_year: str, count: int) -> str:
    """Return the academic year `count` years before one: ("2023/24", 1) -> "2022/23"."""
    first_day, _ = academic_year_bounds(academic_year)
    return academic_year_of(first_day.replace(year=first_day.year - count))


def _describe(rows: Counts) -> str:
    """Return rows per table as "table count, table count"."""
    return ", ".join(f"{table} {count}" for table, count in rows.items())
