"""Release school cells: each school's counts summed per week and pupil cell at publish,
so a report's first request for a school reads a few thousand sums instead of summing
every pupil-week row.

A release published before this revision has no cells; its reports sum the pupil-week
rows as before. A database made by `create_all` after the column was added already has
it, and is left as it stands.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa

from data.migrate import add_column_once, drop_column

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "release_schools"
COLUMN = "cells"


def upgrade() -> None:
    """Add release_schools.cells, unless the table has it already."""
    add_column_once(TABLE, sa.Column(COLUMN, sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Undo: drop release_schools.cells."""
    drop_column(TABLE, COLUMN)
