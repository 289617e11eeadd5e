"""The database schema: schools, calendars, pupils, marks, imports, releases and users.

Marks are held one row per pupil and week: a ten-character string of that week's session
codes (see `data.codes`). Published figures live in releases: each school's per-pupil,
per-week category counts as one compact Arrow payload, and the national, authority and
region comparators as rows of additive counts, with the sessions of the week they cover
as one Arrow payload per area.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every table."""


class LocalAuthority(Base):
    """One of the 22 Welsh local authorities, by its DfE/CTF number."""

    __tablename__ = "local_authorities"

    code: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_cy: Mapped[str] = mapped_column(String(80))


class RegionMapping(Base):
    """Which region an authority belonged to between two dates (`valid_to` exclusive)."""

    __tablename__ = "region_mappings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    la_code: Mapped[int] = mapped_column(ForeignKey("local_authorities.code"))
    region: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class School(Base):
    """A participating secondary school: 3-digit LA number and 4-digit establishment."""

    __tablename__ = "schools"

    id: Mapped[str] = mapped_column(String(7), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    la_code: Mapped[int] = mapped_column(
        ForeignKey("local_authorities.code"), index=True
    )


class SchoolTerm(Base):
    """A school's own dates for one half-term, overriding its authority's default."""

    __tablename__ = "school_terms"

    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(7), primary_key=True)
    half_term: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)


class SchoolClosure(Base):
    """A weekday in term when a school is closed to pupils (INSET or other)."""

    __tablename__ = "school_closures"

    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(40), default="INSET")


class Pupil(Base):
    """A pupil on a school's roll; identity only, context is held per academic year."""

    __tablename__ = "pupils"
    __table_args__ = (UniqueConstraint("school_id", "upn"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), index=True)
    upn: Mapped[str] = mapped_column(String(13))
    surname: Mapped[str] = mapped_column(String(80))
    forename: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date] = mapped_column(Date)


class PupilYear(Base):
    """A pupil's context and roll dates in one academic year (e.g. "2023/24")."""

    __tablename__ = "pupil_years"
    __table_args__ = (
        Index("ix_pupil_years_school_year", "school_id", "academic_year"),
    )

    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(7), primary_key=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"))
    year_group: Mapped[int] = mapped_column(SmallInteger)
    reg_group: Mapped[str] = mapped_column(String(10))
    gender: Mapped[str] = mapped_column(String(1))
    efsm: Mapped[bool] = mapped_column(Boolean)
    sen: Mapped[str] = mapped_column(String(6))
    eal: Mapped[bool] = mapped_column(Boolean)
    ethnicity: Mapped[str] = mapped_column(String(4))
    entry_date: Mapped[date] = mapped_column(Date)
    leaving_date: Mapped[date | None] = mapped_column(Date)


class WeekMarks(Base):
    """One pupil's session codes for one week (Monday AM to Friday PM)."""

    __tablename__ = "week_marks"
    __table_args__ = {"sqlite_with_rowid": False}

    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id"), primary_key=True)
    codes: Mapped[str] = mapped_column(String(10))


class ImportLog(Base):
    """One accepted import: who, when, which file, how many rows, which dates."""

    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    school_id: Mapped[str | None] = mapped_column(String(7), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    rows_accepted: Mapped[int] = mapped_column(Integer)
    rows_skipped: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[date | None] = mapped_column(Date)
    last_date: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")


class Release(Base):
    """A weekly release: everything published up to `to_date` for one academic year.

    `status` is "building" while it is computed and "published" once complete; readers
    only ever see published releases.
    """

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(7), index=True)
    to_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="building")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    schools: Mapped[int] = mapped_column(Integer, default=0)
    pupils: Mapped[int] = mapped_column(Integer, default=0)


class ReleaseSchool(Base):
    """One school's published data in a release.

    `pupils` is an Arrow IPC stream of the pupils' context for the release's year;
    `weeks` one of per-pupil, per-week counts of every sub-category; `cells` one of
    the same counts summed per week and pupil cell; `pupil_totals` one of each
    pupil's year-to-date and last-four-weeks totals (`data.sums.PUPIL_TOTALS`). The
    last two are None in releases published before they were kept.
    """

    __tablename__ = "release_schools"

    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True
    )
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    la_code: Mapped[int] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(40))
    pupils: Mapped[bytes] = mapped_column(LargeBinary)
    weeks: Mapped[bytes] = mapped_column(LargeBinary)
    cells: Mapped[bytes | None] = mapped_column(LargeBinary)
    pupil_totals: Mapped[bytes | None] = mapped_column(LargeBinary)


class ReleaseAreaWeek(Base):
    """How many schools an area had in a release, and how many had possible sessions
    in each week; the basis of withholding a comparator week."""

    __tablename__ = "release_area_weeks"

    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    area: Mapped[str] = mapped_column(String(40), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    schools_open: Mapped[int] = mapped_column(Integer)
    schools_participating: Mapped[int] = mapped_column(Integer)


class ReleaseComparator(Base):
    """Additive comparator counts for one area, week and pupil cell.

    `scope` is "national", "la" or "region"; `area` is "" for national, the LA number or
    the region key. A cell is year group x gender x eFSM x SEN level (none, school, la).
    """

    __tablename__ = "release_comparators"
    __table_args__ = (
        Index("ix_release_comparators_area", "release_id", "scope", "area"),
    )

    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    area: Mapped[str] = mapped_column(String(40), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    year_group: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    gender: Mapped[str] = mapped_column(String(1), primary_key=True)
    efsm: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    sen: Mapped[str] = mapped_column(String(6), primary_key=True)
    pupils: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer, default=0)
    late: Mapped[int] = mapped_column(Integer, default=0)
    approved: Mapped[int] = mapped_column(Integer, default=0)
    illness: Mapped[int] = mapped_column(Integer, default=0)
    medical: Mapped[int] = mapped_column(Integer, default=0)
    holiday_authorised: Mapped[int] = mapped_column(Integer, default=0)
    other_authorised: Mapped[int] = mapped_column(Integer, default=0)
    holiday_unauthorised: Mapped[int] = mapped_column(Integer, default=0)
    other_unauthorised: Mapped[int] = mapped_column(Integer, default=0)
    x_mark: Mapped[int] = mapped_column(Integer, default=0)
    not_counted: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[int] = mapped_column(Integer, default=0)


class ReleaseSlotSums(Base):
    """An area's possible and absent sessions on each session of the week, Monday AM to
    Friday PM, per week and pupil cell: the basis of the comparator's absence pattern.

    `sums` is an Arrow IPC stream with a row for each of the area's comparator rows
    (week_start, year_group, gender, efsm, sen, then `possible_mon_am` ...
    `possible_fri_pm` and `absence_mon_am` ... `absence_fri_pm`); one row per area
    keeps publishing as fast as without it.
    """

    __tablename__ = "release_slot_sums"

    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    area: Mapped[str] = mapped_column(String(40), primary_key=True)
    sums: Mapped[bytes] = mapped_column(LargeBinary)


class ReleasePersistence(Base):
    """Year-to-date persistent and severe absence for one area and pupil cell."""

    __tablename__ = "release_persistence"

    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(String(8), primary_key=True)
    area: Mapped[str] = mapped_column(String(40), primary_key=True)
    year_group: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    gender: Mapped[str] = mapped_column(String(1), primary_key=True)
    efsm: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    sen: Mapped[str] = mapped_column(String(6), primary_key=True)
    pupils: Mapped[int] = mapped_column(Integer)
    persistent: Mapped[int] = mapped_column(Integer)
    severe: Mapped[int] = mapped_column(Integer)
    schools: Mapped[int] = mapped_column(Integer)


class User(Base):
    """A person who signs in; one account per person."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    school_id: Mapped[str | None] = mapped_column(ForeignKey("schools.id"))
    la_code: Mapped[int | None] = mapped_column(ForeignKey("local_authorities.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2), default="en")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PupilGrant(Base):
    """Pupil-level access for a user to one school's pupils."""

    __tablename__ = "pupil_grants"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    school_id: Mapped[str] = mapped_column(ForeignKey("schools.id"), primary_key=True)


class AuditEntry(Base):
    """A security-relevant event: sign-ins, failures, pupil-level views and exports."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(40))
    school_id: Mapped[str | None] = mapped_column(String(7))
    detail: Mapped[str] = mapped_column(Text, default="")


class SignInAttempt(Base):
    """A failed sign-in, kept for lockout and per-address rate limits."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    email: Mapped[str] = mapped_column(String(255), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
