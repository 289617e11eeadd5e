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
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "release_schools"
COLUMN = "cells"


def upgrade() -> None:
    """Add release_schools.cells, unless the table has it already."""
    columns = sa.inspect(op.get_bind()).get_columns(TABLE)
    if any(column["name"] == COLUMN for column in columns):
        return
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column(COLUMN, sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Undo: drop release_schools.cells."""
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column(COLUMN)
