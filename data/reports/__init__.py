"""School reports as tables, built from one release through the figures library.

A `ReportScope` names everything a report depends on (database, settings, release,
school, the school's calendar), so cache keys and access checks cannot forget any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Concatenate, ParamSpec, TypeVar

from dashboard.config import Settings, get_settings
from dashboard.i18n import _, current_language
from data.access import Comparators, SchoolData, comparators, remember, school_data
from data.calendar import HALF_TERMS, SchoolCalendar, school_calendar
from data.db import session_scope
from data.releases import ReleaseInfo, current_release

P = ParamSpec("P")
T = TypeVar("T")


class ReportUnavailable(Exception):
    """A report cannot be shown: no release yet, or an unknown school or term."""


@dataclass(frozen=True)
class ReportScope:
    """The release, school and calendar a report is computed for."""

    url: str
    settings: Settings
    release: ReleaseInfo
    school_id: str
    calendar: SchoolCalendar

    @property
    def data(self) -> SchoolData:
        """Return the school's published data in this release (cached)."""
        return school_data(self.url, self.release.id, self.school_id)

    @property
    def national(self) -> Comparators:
        """Return the release's national comparator (cached)."""
        return comparators(self.url, self.release.id, "national", "")

    def term_weeks(self, term: str) -> list[date]:
        """Return the weeks of a half-term up to the release's last date."""
        if term not in HALF_TERMS:
            raise ReportUnavailable(
                f"Unknown term {term!r}; use one of {', '.join(HALF_TERMS)}."
            )
        return [w for w in self.calendar.term_weeks(term) if w <= self.release.to_date]

    def cached(
        self,
        report: Callable[Concatenate[ReportScope, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Return `report(self, *args)`, computed once per release, school, language
        and arguments (tables hold words and dates in the language they were made in).

        Published releases never change, so an answer keyed by the release id stays
        right until it falls out of the cache. Arguments must be hashable (terms,
        `PupilFilter`s); answers (tables, frozen dataclasses) must not be modified.
        """
        key = (
            report.__module__,
            report.__qualname__,
            self.url,
            self.release.id,
            self.school_id,
            current_language(),
            args,
            tuple(sorted(kwargs.items())),
        )
        return remember(key, lambda: report(self, *args, **kwargs))

    def default_term(self) -> str:
        """Return the half-term holding the release's last date, or the latest before it."""
        latest = HALF_TERMS[0]
        for half_term in self.calendar.half_terms:
            if half_term.first_day <= self.release.to_date:
                latest = half_term.key
        return latest


def open_scope(
    url: str,
    school_id: str,
    settings: Settings | None = None,
    release: ReleaseInfo | None = None,
) -> ReportScope:
    """Return the scope for a school in a release (the current one by default)."""
    release = release or current_release(url)
    if release is None:
        raise ReportUnavailable(_("No release has been published yet."))
    try:
        calendar = _calendar(url, release.id, school_id, release.academic_year)
        school_data(url, release.id, school_id)
    except LookupError:
        raise ReportUnavailable(
            _(
                "School %(school)s has no data in the release to %(day)s.",
                school=school_id,
                day=release.to_date.isoformat(),
            )
        ) from None
    return ReportScope(url, settings or get_settings(), release, school_id, calendar)


@lru_cache(maxsize=256)
def _calendar(
    url: str, release_id: int, school_id: str, academic_year: str
) -> SchoolCalendar:
    """Return the school's calendar as a release's reports read it.

    Kept per release, as the reports' answers are, so a calendar imported while the
    server runs is read by every worker from the next release on; until then a worker
    keeps the calendar its answers for the current release were made with."""
    with session_scope(url) as session:
        return school_calendar(session, school_id, academic_year)
