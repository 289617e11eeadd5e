"""The database engine, sessions and schema set-up; the only place that creates them."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, cast

import numpy as np
from sqlalchemy import (
    Connection,
    Date,
    Engine,
    Table,
    create_engine,
    event,
    insert,
    select,
)
from sqlalchemy.orm import Session, sessionmaker

from data.codes import REFERENCE_DIR
from data.migrate import upgrade
from data.schema import Base, LocalAuthority, RegionMapping

# The parameters one SQLite statement may take in every build (SQLite before 3.32).
SQLITE_PARAMETERS = 999


@cache
def get_engine(url: str) -> Engine:
    """Return the one engine for a database URL, creating the SQLite folder if needed."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # No server-side prepared statements: psycopg prepares a statement run five
    # times, and PostgreSQL may keep a generic plan for it made while a table was
    # still small (a sequential scan). A long import reused such plans as the tables
    # grew: importing 200 schools' pupils took 235 s. Planning each statement for its
    # own values costs nothing measurable here (marks imports ran as fast).
    return create_engine(
        url, pool_pre_ping=True, connect_args={"prepare_threshold": None}
    )


def _sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def bulk_insert(
    connection: Connection, model: type[Base], columns: Mapping[str, Sequence[Any]]
) -> None:
    """Insert many rows of a model's table, given column by column (names to equally
    long lists of values).

    PostgreSQL (psycopg) takes them by COPY; SQLite by one executemany of plain
    parameters, dates as the ISO text SQLAlchemy itself stores. Skipping SQLAlchemy's
    per-row processing makes a release's comparator rows and a year's marks several
    times faster to write. Values must be plain Python (no numpy scalars).
    """
    table = cast(Table, model.__table__)
    names = list(columns)
    if not names or not len(columns[names[0]]):
        return
    values = [columns[name] for name in names]
    listed = ", ".join(names)
    dialect = connection.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        raw: Any = connection.connection.dbapi_connection
        copy_sql = f"COPY {table.name} ({listed}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for row in zip(*values, strict=True):
                copy.write_row(row)
        return
    if dialect.name == "sqlite":
        values = [
            _iso_days(column) if isinstance(table.c[name].type, Date) else column
            for name, column in zip(names, values, strict=True)
        ]
        _sqlite_insert(connection, f"INSERT INTO {table.name} ({listed})", values)
        return
    connection.execute(
        insert(table),
        [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)],
    )


def _sqlite_insert(
    connection: Connection, statement: str, values: list[Sequence[Any]]
) -> None:
    """Run `statement` ("INSERT INTO t (columns)") for rows given column by column, as
    many rows to a VALUES list as SQLITE_PARAMETERS allows and the rest one by one: one
    statement of many rows costs SQLite about two thirds of as many one-row ones.

    The rows are laid out in a numpy grid of objects, so that each statement's
    parameters are a slice of it rather than tuples built one row at a time.
    """
    width, count = len(values), len(values[0])
    per_statement = max(1, SQLITE_PARAMETERS // width)
    grid = np.empty((count, width), dtype=object)
    for position, column in enumerate(values):
        grid[:, position] = column
    whole = count - count % per_statement
    if whole:
        row = "(" + ", ".join("?" * width) + ")"
        many = f"{statement} VALUES " + ", ".join([row] * per_statement)
        parameters = grid[:whole].reshape(-1, per_statement * width).tolist()
        connection.exec_driver_sql(many, list(map(tuple, parameters)))
    if whole < count:
        one = f"{statement} VALUES (" + ", ".join("?" * width) + ")"
        connection.exec_driver_sql(one, list(map(tuple, grid[whole:].tolist())))


def _iso_days(days: Sequence[date | None]) -> list[str | None]:
    """Return dates as ISO text, converting each distinct date once."""
    texts = {day: day.isoformat() if day is not None else None for day in set(days)}
    return list(map(texts.__getitem__, days))


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """Yield a session in one transaction: committed on success, rolled back on error."""
    factory = sessionmaker(get_engine(url), expire_on_commit=False)
    with factory.begin() as session:
        yield session


@contextmanager
def rehearsal_scope(url: str) -> Iterator[Session]:
    """Yield a session whose transaction is always rolled back: for dry runs that do
    the work to count it, then leave the database as it was."""
    factory = sessionmaker(get_engine(url), expire_on_commit=False)
    with factory() as session:
        try:
            yield session
        finally:
            session.rollback()


def init_db(url: str) -> None:
    """Migrate the schema to the latest revision (`upgrade head`; a database made by
    the old `create_all` is adopted) and load the reference data (authorities,
    regions)."""
    upgrade(get_engine(url))
    with session_scope(url) as session:
        if session.scalar(select(LocalAuthority.code).limit(1)) is None:
            session.add_all(_reference_rows())


def _reference_rows() -> list[LocalAuthority | RegionMapping]:
    rows: list[LocalAuthority | RegionMapping] = []
    with open(REFERENCE_DIR / "local_authorities.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                LocalAuthority(
                    code=int(row["code"]), name=row["name"], name_cy=row["name_cy"]
                )
            )
    with open(REFERENCE_DIR / "region_mapping.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                RegionMapping(
                    la_code=int(row["la_code"]),
                    region=row["region"],
                    valid_from=date.fromisoformat(row["valid_from"]),
                    valid_to=date.fromisoformat(row["valid_to"])
                    if row["valid_to"]
                    else None,
                )
            )
    return rows
