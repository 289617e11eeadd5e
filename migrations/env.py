"""Alembic's environment: the tracker's tables, migrated online on one connection.

`data.migrate` hands in an open connection (`config.attributes["connection"]`); the
alembic command line instead connects to the database `DATABASE_URL` names.
"""

from alembic import context
from sqlalchemy import Connection

from data.schema import Base

config = context.config


def run_migrations(connection: Connection) -> None:
    """Run the pending revisions; SQLite alters tables by copying them (batch mode)."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_from_command_line() -> None:
    """Connect to the configured database and migrate it in one transaction."""
    from dashboard.config import get_settings
    from dashboard.logs import configure_logging
    from data.db import get_engine

    configure_logging()
    with get_engine(get_settings().database_url).begin() as connection:
        run_migrations(connection)


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; connect instead.")
if "connection" in config.attributes:
    run_migrations(config.attributes["connection"])
else:
    run_from_command_line()
