"""Schema migrations: bring a database to the latest Alembic revision.

The revisions live in `migrations/` at the top of the repository. A database made by
the old `create_all` (tables but no version) is adopted by the baseline revision,
which creates only the tables it lacks.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command, op
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def upgrade(engine: Engine) -> None:
    """Apply every pending revision to a database in one transaction."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    """Return the revision a database is at, or None before any migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """Return the latest revision in `migrations/`."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"No migrations found in {MIGRATIONS_DIR}.")
    return head


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def add_column_once(table: str, column: sa.Column) -> None:
    """Add a column to a table inside a revision, unless the table has it already (a
    database made by `create_all` after the column joined the models)."""
    columns = sa.inspect(op.get_bind()).get_columns(table)
    if any(found["name"] == column.name for found in columns):
        return
    with op.batch_alter_table(table) as batch:
        batch.add_column(column)


def drop_column(table: str, name: str) -> None:
    """Drop a column inside a revision (SQLite copies the table to do it)."""
    with op.batch_alter_table(table) as batch:
        batch.drop_column(name)
