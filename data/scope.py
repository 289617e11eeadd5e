"""What a signed-in user may see: their schools and pupil-level grants, checked in SQL.

Every check re-reads the user's row, so a changed role, school or authority, a revoked
grant or a disabled account takes effect at once, and a caller cannot widen a scope by
building a `UserScope` by hand. Failed checks on an id are logged as warnings naming
the user id and the id tried, never a pupil's details.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, or_, select

from data.db import session_scope
from data.schema import Pupil, PupilGrant, School, User

log = logging.getLogger(__name__)

SCHOOL_VIEWER = "school_viewer"
DATA_MANAGER = "data_manager"
LA_OFFICER = "la_officer"
ADMIN = "admin"
ROLES = (SCHOOL_VIEWER, DATA_MANAGER, LA_OFFICER, ADMIN)
SCHOOL_ROLES = (SCHOOL_VIEWER, DATA_MANAGER)


@dataclass(frozen=True)
class UserScope:
    """Who the user is and where they belong: a school, an authority or everywhere."""

    user_id: int
    role: str
    school_id: str | None
    la_code: int | None


def load_scope(url: str, user_id: int) -> UserScope | None:
    """Return a user's scope, or None when the user is missing or disabled."""
    with session_scope(url) as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            return None
        return UserScope(user.id, user.role, user.school_id, user.la_code)


def schools_in_scope(url: str, scope: UserScope) -> list[tuple[str, str]]:
    """Return (school_id, name) of every school the user may see, sorted by name."""
    query = _visible_schools(scope).with_only_columns(School.id, School.name)
    with session_scope(url) as session:
        rows = session.execute(query.order_by(School.name, School.id)).all()
    return [(row.id, row.name) for row in rows]


def school_in_scope(url: str, scope: UserScope, school_id: str) -> bool:
    """Return whether the user may see a school's school-level reports."""
    query = _visible_schools(scope).where(School.id == school_id)
    return _exists(url, query, scope, "school", school_id)


def may_see_pupils(url: str, scope: UserScope, school_id: str) -> bool:
    """Return whether the user may see a school's pupil-level reports (in scope and
    granted)."""
    query = _granted_schools(scope).where(School.id == school_id)
    return _exists(url, query, scope, "pupil-level school", school_id)


def pupil_in_scope(url: str, scope: UserScope, pupil_id: int) -> bool:
    """Return whether the user may see one pupil: the pupil's school is in scope and
    granted."""
    query = _granted_schools(scope).join(Pupil, Pupil.school_id == School.id)
    query = query.where(Pupil.id == pupil_id)
    return _exists(url, query, scope, "pupil", pupil_id)


def granted_schools(url: str, scope: UserScope) -> list[str]:
    """Return the ids of the schools whose pupils the user may see, sorted; for menus."""
    query = _granted_schools(scope).order_by(School.id)
    with session_scope(url) as session:
        return list(session.scalars(query))


def may_manage_data(scope: UserScope, school_id: str) -> bool:
    """Return whether the user may import a school's data: admins, or its data manager."""
    if scope.role == ADMIN:
        return True
    return scope.role == DATA_MANAGER and scope.school_id == school_id


def may_use_data_desk(scope: UserScope) -> bool:
    """Return whether the user may open the data desk: admins and data managers."""
    return scope.role in (ADMIN, DATA_MANAGER)


def may_read_audit_log(scope: UserScope) -> bool:
    """Return whether the user may read and export the audit log: administrators."""
    return scope.role == ADMIN


def _visible_schools(scope: UserScope) -> Select[str]:
    """Return a query of the ids of the schools the user may see, from the user's row."""
    return (
        select(School.id)
        .join(User, _user_sees_school())
        .where(User.id == scope.user_id, User.active.is_(True))
    )


def _granted_schools(scope: UserScope) -> Select[str]:
    """Return a query of the visible schools for which the user holds a pupil grant."""
    return _visible_schools(scope).join(
        PupilGrant,
        and_(PupilGrant.user_id == User.id, PupilGrant.school_id == School.id),
    )


def _user_sees_school() -> ColumnElement[bool]:
    """Return the join condition between a user and the schools their role covers."""
    return or_(
        User.role == ADMIN,
        and_(User.role == LA_OFFICER, School.la_code == User.la_code),
        and_(User.role.in_(SCHOOL_ROLES), School.id == User.school_id),
    )


def _exists(
    url: str, query: Select[str], scope: UserScope, kind: str, tried: object
) -> bool:
    """Run a scope query; log a warning naming the user and the id when it finds
    nothing."""
    with session_scope(url) as session:
        found = session.execute(query.limit(1)).first() is not None
    if not found:
        log.warning("User %s refused %s %s: out of scope", scope.user_id, kind, tried)
    return found
