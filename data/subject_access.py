"""Subject access: everything held about one UPN, across schools and years, as JSON.

A UPN is unique within a school, so a pupil who moved school is held once per school;
each record carries the pupil's identity, context per academic year, every mark, the
figures published about them, the import log rows that may have written their marks,
and the audit entries naming their pupil id. The export is itself audited by pupil id.

Audit entries are matched by pupil id at the pupil's own school. A known limit: SQLite
gives the next pupil added the highest id in use plus one, so if the pupil holding the
highest id is purged or removed, a later pupil of the same school can take that id and
inherit its old audit entries here. PostgreSQL never reuses ids.
"""

from __future__ import annotations

import json
import logging
import re
from bisect import bisect_left
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.access import decode_payload
from data.codes import MISSING, NO_ENTRY, codes_on
from data.db import session_scope
from data.schema import (
    AuditEntry,
    ImportLog,
    Pupil,
    PupilYear,
    Release,
    ReleaseSchool,
    School,
    WeekMarks,
)

log = logging.getLogger(__name__)

HEADING = "For internal school use only"
NOTES = (
    "Marks are one per session (AM, PM) as the school's register supplied them.",
    "Published figures are the pupil's weekly counts in each release still held; "
    "possible_slots and absent_slots mark the week's sessions, bit 0 Monday AM to "
    "bit 9 Friday PM.",
    "Import log rows do not name pupils: listed are those of the pupil's school whose "
    "dates cover at least one of the pupil's marks. Roll imports carry no dates and "
    "cannot be tied to one pupil.",
    "Audit entries are those naming the pupil's id at that school. Pupil List views "
    "record filters and counts, not who was listed, so they are not included.",
)
Record = dict[str, Any]


def subject_access(url: str, upn: str) -> Record:
    """Return everything held about a UPN and audit the export: one entry per school,
    naming the pupil's id there, so that a later export lists this one.

    The answer is {heading, upn, produced_at_utc, notes, pupils: [one record per school]}.
    Raises LookupError when no pupil has that UPN.
    """
    with session_scope(url) as session:
        pupils = session.scalars(
            select(Pupil).where(Pupil.upn == upn).order_by(Pupil.school_id, Pupil.id)
        ).all()
        if not pupils:
            raise LookupError("No pupil is held with that UPN.")
        records = [_pupil_record(session, pupil) for pupil in pupils]
        for pupil in pupils:
            detail = f"subject access export pupil {pupil.id}, command line"
            audit.add_entry(
                session, "subject_access_export", None, pupil.school_id, detail
            )
    log.info("Subject access export: %s", ", ".join(str(pupil.id) for pupil in pupils))
    return {
        "heading": HEADING,
        "upn": upn,
        "produced_at_utc": datetime.now(UTC).replace(microsecond=0, tzinfo=None),
        "notes": list(NOTES),
        "pupils": records,
    }


def subject_access_json(record: Record) -> bytes:
    """Return a subject access export as indented UTF-8 JSON, dates in ISO form."""
    text = json.dumps(record, default=_json_value, ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def _pupil_record(session: Session, pupil: Pupil) -> Record:
    """Return one school's record of a pupil: identity, context, marks and the rest."""
    marks = _marks(session, pupil.id)
    mark_days = sorted({mark["date"] for mark in marks})
    school = session.get(School, pupil.school_id)
    return {
        "pupil": {
            "pupil_id": pupil.id,
            "school_id": pupil.school_id,
            "school_name": school.name if school else "",
            "upn": pupil.upn,
            "surname": pupil.surname,
            "forename": pupil.forename,
            "date_of_birth": pupil.date_of_birth,
        },
        "context": _context(session, pupil.id),
        "marks": marks,
        "published": _published(session, pupil),
        "imports": _imports(session, pupil.school_id, mark_days),
        "audit": _audit_entries(session, pupil),
    }


def _context(session: Session, pupil_id: int) -> list[Record]:
    """Return the pupil's context per academic year, oldest first."""
    table = PupilYear.__table__
    query = (
        select(table)
        .where(table.c.pupil_id == pupil_id)
        .order_by(table.c.academic_year)
    )
    return [
        {name: value for name, value in row._mapping.items() if name != "pupil_id"}
        for row in session.execute(query)
    ]


def _marks(session: Session, pupil_id: int) -> list[Record]:
    """Return every mark held for the pupil: date, session, school, code, meaning."""
    query = (
        select(WeekMarks.school_id, WeekMarks.week_start, WeekMarks.codes)
        .where(WeekMarks.pupil_id == pupil_id)
        .order_by(WeekMarks.week_start)
    )
    marks = []
    for school_id, monday, codes in session.execute(query):
        for index, code in enumerate(codes):
            if code == NO_ENTRY:
                continue
            day = monday + timedelta(days=index // 2)
            marks.append(
                {
                    "date": day,
                    "session": "AM" if index % 2 == 0 else "PM",
                    "school_id": school_id,
                    "code": code,
                    "meaning": _meaning(code, day),
                }
            )
    return marks


def _published(session: Session, pupil: Pupil) -> list[Record]:
    """Return the pupil's context and weekly counts in every release still holding
    the school's per-pupil payload, newest release first."""
    query = (
        select(Release, ReleaseSchool.pupils, ReleaseSchool.weeks)
        .join(ReleaseSchool, ReleaseSchool.release_id == Release.id)
        .where(ReleaseSchool.school_id == pupil.school_id)
        .order_by(Release.id.desc())
    )
    published = []
    for release, pupils_payload, weeks_payload in session.execute(query):
        pupils = decode_payload(pupils_payload)
        context = pupils[pupils["pupil_id"] == pupil.id]
        weeks = decode_payload(weeks_payload)
        weeks = weeks[weeks["pupil_id"] == pupil.id]
        if context.empty and weeks.empty:
            continue
        published.append(
            {
                "release_id": release.id,
                "academic_year": release.academic_year,
                "to_date": release.to_date,
                "context": context.drop(columns="pupil_id").to_dict("records"),
                "weeks": weeks.drop(columns="pupil_id").to_dict("records"),
            }
        )
    return published


def _imports(session: Session, school_id: str, mark_days: list[date]) -> list[Record]:
    """Return the school's import log rows whose dates cover one of the mark days."""
    query = (
        select(ImportLog)
        .where(ImportLog.school_id == school_id)
        .where(ImportLog.first_date.is_not(None))
        .order_by(ImportLog.imported_at, ImportLog.id)
    )
    names = ("id", "kind", "imported_at", "file_name", "first_date", "last_date")
    found = []
    for row in session.scalars(query):
        first = row.first_date or date.min
        if _covers(mark_days, first, row.last_date or first):
            found.append({name: getattr(row, name) for name in (*names, "summary")})
    return found


def _audit_entries(session: Session, pupil: Pupil) -> list[Record]:
    """Return the audit entries at the pupil's school naming the pupil's id."""
    pattern = re.compile(rf"\bpupil {pupil.id}\b")
    query = (
        select(AuditEntry)
        .where(AuditEntry.school_id == pupil.school_id)
        .where(AuditEntry.detail.contains(f"pupil {pupil.id}"))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [
        {name: getattr(entry, name) for name in audit.COLUMNS}
        for entry in session.scalars(query)
        if pattern.search(entry.detail)
    ]


def _covers(days: list[date], first: date, last: date) -> bool:
    """Return whether any of the sorted `days` falls from `first` to `last`."""
    position = bisect_left(days, first)
    return position < len(days) and days[position] <= last


def _meaning(code: str, day: date) -> str:
    """Return what a stored code meant on its day."""
    if code == MISSING:
        return "No mark entered"
    found = codes_on(day).get(code)
    return found.meaning if found else ""


def _json_value(value: object) -> object:
    """Return a value JSON cannot write natively as text or a plain number."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"Cannot write {type(value).__name__} as JSON.")
