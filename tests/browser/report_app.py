"""A tracker over the two-school report fixture, served in its own process.

Dash hands its registered callbacks to the first app set up in a process, so a second
live app for hand-worked figures runs apart from the shared demo app:

    python -m tests.browser.report_app DATABASE_FILE [worked]

builds the fixture (school A's viewer signs in as `EMAIL`), prints the port it serves
on, then serves until stopped. Comparator groups under three pupils are withheld, so
the fixture shows withheld national figures too. With `worked`, school A holds only
the guidance's worked pupil (tests/pupil_fixture.py) and the viewer has pupil access.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from werkzeug.serving import make_server

from dashboard.config import Settings
from tests.report_fixture import SCHOOL_A, load_reports_fixture, publish_fixture

EMAIL = "fixture-viewer@school-a.example"
PASSWORD = "fixture viewer password"
MIN_PUPILS = 3


def fixture_settings(url: str) -> Settings:
    """The fixture app's settings: its database, a fixed secret, small groups withheld."""
    settings = Settings(database_url=url, secret_key="report-fixture-tests")
    return replace(settings, comparator_min_pupils=MIN_PUPILS)


def build(url: str, worked: bool = False) -> Settings:
    """Create the fixture database with school A's viewer; return the app's settings."""
    from dashboard.users import create_user, grant_pupil_access
    from data.db import init_db

    settings = fixture_settings(url)
    init_db(url)
    if worked:
        _load_worked(url, settings)
    else:
        load_reports_fixture(url)
        publish_fixture(url, settings)
    create_user(url, EMAIL, "Fixture Viewer", "school_viewer", PASSWORD, SCHOOL_A)
    if worked:
        grant_pupil_access(url, EMAIL, SCHOOL_A)
    return settings


def _load_worked(url: str, settings: Settings) -> None:
    from data.imports import import_marks, import_pupils, import_schools
    from data.releases import publish
    from tests.pupil_fixture import PUPIL_FIXTURES, WORKED_TO, write_worked_marks
    from tests.report_fixture import FIXTURES

    import_schools(url, FIXTURES / "schools.csv")
    import_pupils(url, PUPIL_FIXTURES / "pupils_worked.csv", SCHOOL_A)
    marks = Path(url.removeprefix("sqlite:///")).with_suffix(".marks.csv")
    import_marks(url, write_worked_marks(marks), SCHOOL_A)
    publish(url, to_date=WORKED_TO, settings=settings)


@contextmanager
def running(path: Path, worked: bool = False) -> Iterator[str]:
    """Run the fixture app in its own process; yield its base address."""
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "tests.browser.report_app", str(path)]
    server = subprocess.Popen(
        command + (["worked"] if worked else []),
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    port = server.stdout.readline().strip()
    assert port.isdigit(), "the fixture app did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def serve(path: str, worked: bool = False) -> None:
    """Build the fixture at `path`, print the port, then serve forever."""
    from dashboard.app import create_app

    settings = build(f"sqlite:///{path}", worked)
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    serve(sys.argv[1], worked=sys.argv[2:] == ["worked"])
