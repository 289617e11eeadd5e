"""Local authorities and regions as a release recorded them: names and member schools.

A release stores each school's authority and its region under the dated mapping valid
on the release's last date, so a past year keeps the grouping of its time. A school
whose authority had no mapping then has no region in that release.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select

from data.access import remember
from data.codes import REFERENCE_DIR
from data.db import session_scope
from data.schema import LocalAuthority, ReleaseSchool, School


@dataclass(frozen=True)
class SchoolArea:
    """A school's authority and region in one release (region None: no mapping)."""

    la_code: int
    la_name: str
    region: str | None
    region_name: str


@cache
def region_names() -> dict[str, str]:
    """Return the region key to English name lookup ("north" -> "North Wales")."""
    with open(REFERENCE_DIR / "regions.csv", encoding="utf-8", newline="") as handle:
        return {row["key"]: row["name"] for row in csv.DictReader(handle)}


def authority_name(url: str, la_code: int) -> str:
    """Return an authority's English name, or its number when it is unknown."""
    return remember(("authority_name", url, la_code), lambda: _name(url, la_code))


def school_area(url: str, release_id: int, school_id: str) -> SchoolArea:
    """Return a school's authority and region in a release (cached per release).

    Raises LookupError when the school has no data in the release.
    """
    key = ("school_area", url, release_id, school_id)
    return remember(key, lambda: _school_area(url, release_id, school_id))


def authority_schools(
    url: str, release_id: int, la_code: int
) -> tuple[tuple[str, str], ...]:
    """Return (school id, name) of every school of an authority in a release, by name."""
    key = ("authority_schools", url, release_id, la_code)
    return remember(key, lambda: _authority_schools(url, release_id, la_code))


def _name(url: str, la_code: int) -> str:
    with session_scope(url) as session:
        name = session.scalar(
            select(LocalAuthority.name).where(LocalAuthority.code == la_code)
        )
    return name or str(la_code)


def _school_area(url: str, release_id: int, school_id: str) -> SchoolArea:
    with session_scope(url) as session:
        row = session.execute(
            select(ReleaseSchool.la_code, ReleaseSchool.region).where(
                ReleaseSchool.release_id == release_id,
                ReleaseSchool.school_id == school_id,
            )
        ).first()
    if row is None:
        raise LookupError(f"School {school_id} has no data in release {release_id}.")
    region_name = region_names().get(row.region, row.region) if row.region else ""
    return SchoolArea(
        row.la_code, authority_name(url, row.la_code), row.region, region_name
    )


def _authority_schools(
    url: str, release_id: int, la_code: int
) -> tuple[tuple[str, str], ...]:
    query = (
        select(School.id, School.name)
        .join(ReleaseSchool, ReleaseSchool.school_id == School.id)
        .where(ReleaseSchool.release_id == release_id)
        .where(ReleaseSchool.la_code == la_code)
        .order_by(School.name, School.id)
    )
    with session_scope(url) as session:
        return tuple((row.id, row.name) for row in session.execute(query))
