"""The database engine, sessions and schema set-up; the only place that creates them."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from data.codes import REFERENCE_DIR
from data.migrate import upgrade
from data.schema import LocalAuthority, RegionMapping


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
