"""Alembic migrations build exactly the models' schema, and adopt older databases."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text

from dashboard.cli import main
from data.db import get_engine, init_db, session_scope
from data.migrate import _config, current_revision, head_revision
from data.schema import Base, LocalAuthority, School


def _differences(engine: Engine) -> list[object]:
    """Return what autogenerate would change to make the database match the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": Base.metadata}
        )
        return list(compare_metadata(context, Base.metadata))


def _downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the database to a revision."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def _empty(engine: Engine) -> None:
    """Drop every table, the migration version included."""
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_head_builds_exactly_the_models_schema(db_url: str) -> None:
    # db_url is a database built from nothing by init_db, that is by `upgrade head`.
    engine = get_engine(db_url)

    assert current_revision(engine) == head_revision()
    assert _differences(engine) == []


def test_a_database_made_by_create_all_is_adopted_and_keeps_its_rows(
    db_url: str,
) -> None:
    engine = get_engine(db_url)
    _empty(engine)
    Base.metadata.create_all(engine)
    # An old database could predate a table: it is added, the others are left alone.
    Base.metadata.tables["sign_in_attempts"].drop(engine)
    init_db(db_url)
    with session_scope(db_url) as session:
        session.add(School(id="6612345", name="Ysgol Prawf", la_code=661))

    init_db(db_url)

    assert current_revision(engine) == head_revision()
    assert "sign_in_attempts" in inspect(engine).get_table_names()
    assert _differences(engine) == []
    with session_scope(db_url) as session:
        assert session.scalar(select(School.name)) == "Ysgol Prawf"
        assert session.scalar(select(func.count()).select_from(LocalAuthority)) == 22


def test_downgrade_to_base_removes_every_table(db_url: str) -> None:
    engine = get_engine(db_url)
    _downgrade(engine, "base")

    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert current_revision(engine) is None


def test_init_db_command_migrates_the_configured_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("DATABASE_URL", url)

    assert main(["init-db"]) == 0

    engine = get_engine(url)
    assert current_revision(engine) == head_revision()
    assert _differences(engine) == []
    engine.dispose()


def test_0002_adds_the_slot_sums_table_and_its_downgrade_drops_only_that(
    db_url: str,
) -> None:
    engine = get_engine(db_url)
    _downgrade(engine, "0001")
    tables = set(inspect(engine).get_table_names())
    assert "release_slot_sums" not in tables
    assert {"release_comparators", "releases"} <= tables
    assert current_revision(engine) == "0001"

    init_db(db_url)

    assert current_revision(engine) == head_revision()
    assert "release_slot_sums" in inspect(engine).get_table_names()
    assert _differences(engine) == []


@pytest.mark.parametrize(
    ("before", "column"), [("0002", "cells"), ("0003", "pupil_totals")]
)
def test_a_release_school_column_revision_adds_it_and_its_downgrade_drops_only_it(
    db_url: str, before: str, column: str
) -> None:
    # 0003 added release_schools.cells, 0004 release_schools.pupil_totals.
    engine = get_engine(db_url)
    _downgrade(engine, before)
    columns = {
        found["name"] for found in inspect(engine).get_columns("release_schools")
    }
    assert column not in columns
    assert {"pupils", "weeks"} <= columns
    assert current_revision(engine) == before

    init_db(db_url)

    assert current_revision(engine) == head_revision()
    columns = {
        found["name"] for found in inspect(engine).get_columns("release_schools")
    }
    assert column in columns
    assert _differences(engine) == []
