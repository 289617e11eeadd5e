"""Release slot sums: each area's possible and absent sessions on each session of the
week, per week and pupil cell, so the national, authority and region absence patterns
are read from the release.

A release published before this revision has no rows here; its patterns ask for the
release to be published again. A database made by `create_all` after this table was
added already has it, and is left as it stands.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "release_slot_sums"


def upgrade() -> None:
    """Create the release_slot_sums table, unless the database has it already."""
    if TABLE in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        TABLE,
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("sums", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("release_id", "scope", "area"),
    )


def downgrade() -> None:
    """Undo: drop the release_slot_sums table."""
    op.drop_table(TABLE)
