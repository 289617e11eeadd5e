"""Who is looking, and at which school: resolved on the server on every request.

The school whose figures are shown comes from the signed-in user's scope. A school id
arriving from the browser (a local-authority officer's pick) is only a request: it is
checked in SQL against the user's scope, and a school outside it shows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user

from dashboard.context import database_url
from data.scope import (
    UserScope,
    granted_schools,
    load_scope,
    school_in_scope,
    schools_in_scope,
)


@dataclass(frozen=True)
class Viewer:
    """The signed-in user, the school shown and the schools they may choose from."""

    scope: UserScope
    name: str
    school_id: str | None
    school_name: str
    schools: tuple[tuple[str, str], ...]
    pupil_access: bool


def current_viewer(requested_school: str | None = None) -> Viewer | None:
    """Return the viewer of this request, or None when nobody is signed in."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    url = database_url()
    scope = load_scope(url, int(current_user.get_id()))
    if scope is None:
        return None
    schools = tuple(schools_in_scope(url, scope))
    school_id = _chosen_school(url, scope, schools, requested_school)
    names = dict(schools)
    return Viewer(
        scope=scope,
        name=getattr(current_user, "name", ""),
        school_id=school_id,
        school_name=names.get(school_id, "") if school_id else "",
        schools=schools,
        pupil_access=school_id in granted_schools(url, scope),
    )


def _chosen_school(
    url: str,
    scope: UserScope,
    schools: tuple[tuple[str, str], ...],
    requested: str | None,
) -> str | None:
    if requested is not None:
        # Whatever the browser sent: only a school id in the user's scope is shown.
        wanted = isinstance(requested, str) and school_in_scope(url, scope, requested)
        return requested if wanted else None
    if scope.school_id is not None:
        return scope.school_id
    return schools[0][0] if schools else None
