"""Release school pupil totals: each pupil's year-to-date and last-four-weeks counts,
kept at publish, so the 360 report's persistent absence and at-risk count read a few
thousand numbers instead of every pupil-week row.

A release published before this revision has no totals; its reports sum the
pupil-week rows as before. A database made by `create_all` after the column was added
already has it, and is left as it stands.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa

from data.migrate import add_column_once, drop_column

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "release_schools"
COLUMN = "pupil_totals"


def upgrade() -> None:
    """Add release_schools.pupil_totals, unless the table has it already."""
    add_column_once(TABLE, sa.Column(COLUMN, sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Undo: drop release_schools.pupil_totals."""
    drop_column(TABLE, COLUMN)
