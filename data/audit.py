"""The audit log: sign-ins, failures, lockouts, sign-outs, pupil-level views and exports.

Entries name users by id and schools by id; `detail` is a short free text that must
never hold pupil names, UPNs or dates of birth.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.db import session_scope
from data.exports import safe_text
from data.schema import AuditEntry

log = logging.getLogger(__name__)

COLUMNS = ("id", "at", "user_id", "event", "school_id", "detail")
DETAIL_LIMIT = 500


def record(
    url: str,
    event: str,
    user_id: int | None,
    school_id: str | None = None,
    detail: str = "",
) -> None:
    """Write one audit entry stamped with the current time."""
    with session_scope(url) as session:
        add_entry(session, event, user_id, school_id, detail)
    log.info("Audit: %s by user %s school %s", event, user_id, school_id)


def add_entry(
    session: Session,
    event: str,
    user_id: int | None,
    school_id: str | None = None,
    detail: str = "",
) -> None:
    """Add one audit entry to a session's transaction, so that it stands or falls with
    the work it records; the caller logs the work once it is committed."""
    session.add(
        AuditEntry(
            at=datetime.now().replace(microsecond=0),
            user_id=user_id,
            event=event[:40],
            school_id=school_id,
            detail=detail[:DETAIL_LIMIT],
        )
    )


def entries(
    url: str, since: datetime | None = None, limit: int | None = 500
) -> list[dict[str, object]]:
    """Return audit entries, newest first: dicts of id, at, user_id, event, school_id,
    detail."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if limit is not None:
        query = query.limit(limit)
    with session_scope(url) as session:
        rows = session.scalars(query).all()
        return [{name: getattr(row, name) for name in COLUMNS} for row in rows]


def entries_csv(url: str) -> bytes:
    """Return the whole audit log as UTF-8 CSV, newest first, formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in entries(url, limit=None):
        writer.writerow([safe_text(_cell(entry[name])) for name in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: object) -> str:
    """Return a value as CSV text: ISO times, empty for missing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)
