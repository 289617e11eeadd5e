"""Baseline: every table as `create_all` made it before migrations.

A database made by the old `create_all` has some or all of these tables and no
version; this revision creates only the tables missing from it, so such a database
is adopted as it stands (and gains any table added since it was made) and is then
recorded at this revision. Tables that exist are not altered.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Parents before children, so that foreign keys can be made and dropped in order.
TABLE_ORDER = (
    "audit_log",
    "import_log",
    "local_authorities",
    "releases",
    "sign_in_attempts",
    "region_mappings",
    "release_area_weeks",
    "release_comparators",
    "release_persistence",
    "schools",
    "pupils",
    "release_schools",
    "school_closures",
    "school_terms",
    "users",
    "pupil_grants",
    "pupil_years",
    "week_marks",
)


def upgrade() -> None:
    """Create every table of the baseline schema that the database lacks."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())

    def _table(
        name: str,
        *elements: sa.schema.SchemaItem,
        indexes: Sequence[tuple[str, list[str]]] = (),
        **options: object,
    ) -> None:
        if name in existing:
            return
        op.create_table(name, *elements, **options)
        for index, columns in indexes:
            op.create_index(index, name, columns)

    _table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("school_id", sa.String(length=7), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_audit_log_at", ["at"])],
    )
    _table(
        "import_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("school_id", sa.String(length=7), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("rows_accepted", sa.Integer(), nullable=False),
        sa.Column("rows_skipped", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_import_log_school_id", ["school_id"])],
    )
    _table(
        "local_authorities",
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("name_cy", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("name"),
    )
    _table(
        "releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("academic_year", sa.String(length=7), nullable=False),
        sa.Column("to_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("schools", sa.Integer(), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_releases_academic_year", ["academic_year"])],
    )
    _table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        indexes=[
            ("ix_sign_in_attempts_address", ["address"]),
            ("ix_sign_in_attempts_at", ["at"]),
            ("ix_sign_in_attempts_email", ["email"]),
        ],
    )
    _table(
        "region_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("la_code", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["la_code"], ["local_authorities.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _table(
        "release_area_weeks",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("schools_open", sa.Integer(), nullable=False),
        sa.Column("schools_participating", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("release_id", "scope", "area", "week_start"),
    )
    _table(
        "release_comparators",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("year_group", sa.SmallInteger(), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("efsm", sa.Boolean(), nullable=False),
        sa.Column("sen", sa.String(length=6), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("late", sa.Integer(), nullable=False),
        sa.Column("approved", sa.Integer(), nullable=False),
        sa.Column("illness", sa.Integer(), nullable=False),
        sa.Column("medical", sa.Integer(), nullable=False),
        sa.Column("holiday_authorised", sa.Integer(), nullable=False),
        sa.Column("other_authorised", sa.Integer(), nullable=False),
        sa.Column("holiday_unauthorised", sa.Integer(), nullable=False),
        sa.Column("other_unauthorised", sa.Integer(), nullable=False),
        sa.Column("x_mark", sa.Integer(), nullable=False),
        sa.Column("not_counted", sa.Integer(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint(
            "release_id",
            "scope",
            "area",
            "week_start",
            "year_group",
            "gender",
            "efsm",
            "sen",
        ),
        indexes=[("ix_release_comparators_area", ["release_id", "scope", "area"])],
    )
    _table(
        "release_persistence",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("year_group", sa.SmallInteger(), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("efsm", sa.Boolean(), nullable=False),
        sa.Column("sen", sa.String(length=6), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("persistent", sa.Integer(), nullable=False),
        sa.Column("severe", sa.Integer(), nullable=False),
        sa.Column("schools", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint(
            "release_id", "scope", "area", "year_group", "gender", "efsm", "sen"
        ),
    )
    _table(
        "schools",
        sa.Column("id", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("la_code", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["la_code"], ["local_authorities.code"]),
        sa.PrimaryKeyConstraint("id"),
        indexes=[("ix_schools_la_code", ["la_code"])],
    )
    _table(
        "pupils",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.String(length=7), nullable=False),
        sa.Column("upn", sa.String(length=13), nullable=False),
        sa.Column("surname", sa.String(length=80), nullable=False),
        sa.Column("forename", sa.String(length=80), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("school_id", "upn"),
        indexes=[("ix_pupils_school_id", ["school_id"])],
    )
    _table(
        "release_schools",
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.String(length=7), nullable=False),
        sa.Column("la_code", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=True),
        sa.Column("pupils", sa.LargeBinary(), nullable=False),
        sa.Column("weeks", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.PrimaryKeyConstraint("release_id", "school_id"),
    )
    _table(
        "school_closures",
        sa.Column("school_id", sa.String(length=7), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.PrimaryKeyConstraint("school_id", "day"),
    )
    _table(
        "school_terms",
        sa.Column("school_id", sa.String(length=7), nullable=False),
        sa.Column("academic_year", sa.String(length=7), nullable=False),
        sa.Column("half_term", sa.SmallInteger(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.PrimaryKeyConstraint("school_id", "academic_year", "half_term"),
    )
    _table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("school_id", sa.String(length=7), nullable=True),
        sa.Column("la_code", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["la_code"], ["local_authorities.code"]),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    _table(
        "pupil_grants",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.String(length=7), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id", "school_id"),
    )
    _table(
        "pupil_years",
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("academic_year", sa.String(length=7), nullable=False),
        sa.Column("school_id", sa.String(length=7), nullable=False),
        sa.Column("year_group", sa.SmallInteger(), nullable=False),
        sa.Column("reg_group", sa.String(length=10), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("efsm", sa.Boolean(), nullable=False),
        sa.Column("sen", sa.String(length=6), nullable=False),
        sa.Column("eal", sa.Boolean(), nullable=False),
        sa.Column("ethnicity", sa.String(length=4), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("leaving_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupils.id"]),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.PrimaryKeyConstraint("pupil_id", "academic_year"),
        indexes=[("ix_pupil_years_school_year", ["school_id", "academic_year"])],
    )
    _table(
        "week_marks",
        sa.Column("school_id", sa.String(length=7), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("codes", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupils.id"]),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"]),
        sa.PrimaryKeyConstraint("school_id", "week_start", "pupil_id"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    """Drop every table (all data is lost)."""
    for name in reversed(TABLE_ORDER):
        op.drop_table(name)
