"""Helpers for the data protection tests: whole-table snapshots and invented rows.

Every pupil here is invented (surname "Prawf", the Welsh for "test").
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from data.db import session_scope
from data.schema import AuditEntry, Base, Pupil, PupilYear, WeekMarks

Snapshot = dict[str, list[tuple[object, ...]]]


def snapshot(url: str, skip: tuple[str, ...] = ()) -> Snapshot:
    """Return every row of every table (but `skip`), in primary-key order."""
    found: Snapshot = {}
    with session_scope(url) as session:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            query = select(table).order_by(*table.primary_key.columns)
            found[table.name] = [tuple(row) for row in session.execute(query)]
    return found


def count(url: str, model: type[Base]) -> int:
    """Return how many rows a table holds."""
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def add_pupil(
    url: str,
    school_id: str,
    upn: str,
    year: str,
    weeks: dict[date, str],
    forename: str = "gadael",
) -> int:
    """Add an invented pupil with context in one year and the given weeks' marks."""
    with session_scope(url) as session:
        pupil = Pupil(
            school_id=school_id,
            upn=upn,
            surname="Prawf",
            forename=forename,
            date_of_birth=date(2009, 1, 1),
        )
        session.add(pupil)
        session.flush()
        session.add(
            PupilYear(
                pupil_id=pupil.id,
                academic_year=year,
                school_id=school_id,
                year_group=11,
                reg_group="11A",
                gender="F",
                efsm=False,
                sen="none",
                eal=False,
                ethnicity="WBRI",
                entry_date=date(int(year[:4]), 9, 1),
                leaving_date=None,
            )
        )
        for monday, codes in weeks.items():
            session.add(
                WeekMarks(
                    school_id=school_id,
                    week_start=monday,
                    pupil_id=pupil.id,
                    codes=codes,
                )
            )
        return pupil.id


def add_week(url: str, school_id: str, pupil_id: int, monday: date, codes: str) -> None:
    """Add one week of marks for a pupil."""
    with session_scope(url) as session:
        session.add(
            WeekMarks(
                school_id=school_id, week_start=monday, pupil_id=pupil_id, codes=codes
            )
        )


def add_audit(url: str, event: str, school_id: str | None, detail: str) -> None:
    """Add an audit entry as the app would, by the command line (user none)."""
    with session_scope(url) as session:
        session.add(
            AuditEntry(
                at=datetime(2023, 9, 20, 9, 0),
                user_id=None,
                event=event,
                school_id=school_id,
                detail=detail,
            )
        )


def audit_details(url: str, event: str) -> list[tuple[str | None, str]]:
    """Return (school_id, detail) of every audit entry of one event, oldest first."""
    with session_scope(url) as session:
        rows = session.execute(
            select(AuditEntry.school_id, AuditEntry.detail)
            .where(AuditEntry.event == event)
            .order_by(AuditEntry.id)
        )
        return [(row.school_id, row.detail) for row in rows]
