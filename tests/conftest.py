"""Shared fixtures: a fresh database per test on SQLite and, if reachable, PostgreSQL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from data.db import get_engine, init_db
from data.schema import Base
from tests.report_fixture import fixture_scope  # noqa: F401  (shared fixture)

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_reachable() -> bool:
    try:
        with create_engine(POSTGRES_ADMIN_URL).connect() as connection:
            connection.execute(text("select 1"))
        return True
    except OperationalError:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test run, or a skip saying why."""
    if not _postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}")
    name = f"tracker_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    get_engine(url).dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty, initialised database: a SQLite file, then the PostgreSQL server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tracker.db'}"
        init_db(url)
        yield url
        get_engine(url).dispose()
        return
    url = request.getfixturevalue("postgres_url")
    engine = get_engine(url)
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:  # so that init_db migrates from nothing again
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    init_db(url)
    yield url


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    """An empty, initialised SQLite database, for tests that need only one backend."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    init_db(url)
    yield url
    get_engine(url).dispose()


def pytest_setup_options():
    """Drive Debian's headless Chromium for the dash_duo browser tests."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,900",
    ):
        options.add_argument(flag)
    return options


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throw-away Redis server on a free port, or a skip saying why."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.3)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait()
