"""A tracker over the two-school report fixture, served in its own process.

Dash hands its registered callbacks to the first app set up in a process, so a second
live app for hand-worked figures runs apart from the shared demo app:

    python -m tests.browser.report_app DATABASE_FILE

builds the fixture (school A's viewer signs in as `EMAIL`), prints the port it serves
on, then serves until stopped. Comparator groups under three pupils are withheld, so
the fixture shows withheld national figures too.
"""

from __future__ import annotations

import sys
from dataclasses import replace

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


def build(url: str) -> Settings:
    """Create the fixture database with school A's viewer; return the app's settings."""
    from dashboard.users import create_user
    from data.db import init_db

    settings = fixture_settings(url)
    init_db(url)
    load_reports_fixture(url)
    publish_fixture(url, settings)
    create_user(url, EMAIL, "Fixture Viewer", "school_viewer", PASSWORD, SCHOOL_A)
    return settings


def serve(path: str) -> None:
    """Build the fixture at `path`, print the port, then serve forever."""
    from dashboard.app import create_app

    settings = build(f"sqlite:///{path}")
    app = create_app(settings)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    serve(sys.argv[1])
