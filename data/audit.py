"""The audit log: sign-ins, failures, lockouts, sign-outs, pupil-level views and exports.

Entries name users by id and schools by id; `detail` is a short free text that must
never hold pupil names, UPNs or dates of birth. An entry about a list of pupils ends
its detail with every listed pupil's database id ("; pupils 12,15,31"), never cut
short, so the log says which pupils each view or export showed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.i18n import N_, _
from data.db import session_scope
from data.exports import csv_bytes
from data.schema import AuditEntry, User
from data.tables import Cell, Table

log = logging.getLogger(__name__)

COLUMNS = ("id", "at", "user_id", "event", "school_id", "detail")
DETAIL_LIMIT = 500
TABLE_COLUMNS = (N_("Time"), N_("User"), N_("Event"), N_("School"), N_("Detail"))


def record(
    url: str,
    event: str,
    user_id: int | None,
    school_id: str | None = None,
    detail: str = "",
    pupils: Iterable[int] | None = None,
) -> None:
    """Write one audit entry stamped with the current time; `pupils`, when given, are
    the ids of the pupils shown or exported, written in full after the detail."""
    with session_scope(url) as session:
        add_entry(session, event, user_id, school_id, detail, pupils)
    log.info("Audit: %s by user %s school %s", event, user_id, school_id)


def add_entry(
    session: Session,
    event: str,
    user_id: int | None,
    school_id: str | None = None,
    detail: str = "",
    pupils: Iterable[int] | None = None,
) -> None:
    """Add one audit entry to a session's transaction, so that it stands or falls with
    the work it records; the caller logs the work once it is committed."""
    listed = "" if pupils is None else f"; pupils {_id_list(pupils)}"
    session.add(
        AuditEntry(
            at=datetime.now().replace(microsecond=0),
            user_id=user_id,
            event=event[:40],
            school_id=school_id,
            detail=detail[:DETAIL_LIMIT] + listed,
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


def audit_table(
    url: str, since: datetime | None = None, limit: int | None = None
) -> Table:
    """Return audit entries, newest first, as a table: time, user (name, email and
    id), event, school id and detail; exports write ISO times. Headers are in the
    current language; events and details are shown as recorded."""
    found = entries(url, since=since, limit=limit)
    user_ids = {entry["user_id"] for entry in found if entry["user_id"] is not None}
    with session_scope(url) as session:
        users = {
            user.id: _(
                "%(name)s <%(email)s> (id %(id)s)",
                name=user.name,
                email=user.email,
                id=user.id,
            )
            for user in session.scalars(select(User).where(User.id.in_(user_ids)))
        }
    rows = tuple(
        (
            Cell(
                f"{entry['at']:%d/%m/%Y %H:%M:%S}",
                export=_cell(entry["at"]),
            ),
            Cell(_user(entry["user_id"], users)),
            Cell(str(entry["event"])),
            Cell(_cell(entry["school_id"])),
            Cell(_cell(entry["detail"])),
        )
        for entry in found
    )
    columns = tuple(_(column) for column in TABLE_COLUMNS)
    return Table(_("Audit log"), columns, rows)


def entries_csv(url: str, since: datetime | None = None) -> bytes:
    """Return the audit log as UTF-8 CSV, newest first, formula-safe, ending with
    the internal-use line."""
    return csv_bytes(audit_table(url, since=since))


def _user(user_id: object, users: dict[int, str]) -> str:
    """Return who a user id is, or how the entry came without one."""
    if user_id is None:
        return _("(no account)")
    removed = _("(removed account, id %(id)s)", id=user_id)
    return users.get(int(str(user_id)), removed)


def _cell(value: object) -> str:
    """Return a value as CSV text: ISO times, empty for missing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _id_list(pupils: Iterable[int]) -> str:
    """Return pupil ids as "3,12,15" in ascending order, or "none"."""
    return ",".join(str(pupil) for pupil in sorted(pupils)) or "none"
