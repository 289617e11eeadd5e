"""The audit log page and its downloads: administrators read and export the log,
everyone else is refused, and reading or exporting it is itself audited."""

from __future__ import annotations

import base64

import pytest
from dash.exceptions import PreventUpdate

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.users import create_user
from data import audit
from data.db import session_scope
from data.schema import School
from tests.test_regional_callbacks import PASSWORD, _text, signed_in


@pytest.fixture
def server(sqlite_url: str):  # type: ignore[no-untyped-def]
    """The app on an empty database with one school."""
    with session_scope(sqlite_url) as session:
        session.add(School(id="6604001", name="Ysgol Bryn", la_code=660))
    return create_app(Settings(database_url=sqlite_url, secret_key="audit")).server


def _press(button: str) -> None:
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    pressed = f"audit-log-download-{button}"
    context_value.set(
        AttributeDict(triggered_inputs=[{"prop_id": f"{pressed}.n_clicks", "value": 1}])
    )


def test_an_administrator_reads_and_exports_the_log(server, sqlite_url) -> None:
    from callbacks.audit_log import download_audit_log
    from pages.audit_log import layout

    admin = create_user(sqlite_url, "ad@x.example", "Ad Min", "admin", PASSWORD)
    audit.record(sqlite_url, "pupil_view", admin, "6604001", "pupil 3")
    with signed_in(server, admin):
        shown = _text(layout())
        _press("csv")
        download = download_audit_log(1, None)

    assert "Ad Min <ad@x.example>" in shown and "pupil_view" in shown
    written = base64.b64decode(download["content"]).decode("utf-8-sig").splitlines()
    assert written[0] == "Time,User,Event,School,Detail"
    # Newest first: the page view, the pupil view, then the account's creation.
    events = [line.split(",")[-3] for line in written[1:-1]]
    assert events == ["audit_log_view", "pupil_view", "user_added"]
    assert written[-1] == "For internal school use only"
    assert [e["event"] for e in audit.entries(sqlite_url)][:2] == [
        "audit_log_export",
        "audit_log_view",
    ]


def test_nobody_but_an_administrator_reads_the_log(server, sqlite_url) -> None:
    from callbacks.audit_log import download_audit_log
    from pages.audit_log import layout

    manager = create_user(
        sqlite_url, "dm@x.example", "Dee", "data_manager", PASSWORD, "6604001"
    )
    audit.record(sqlite_url, "pupil_view", manager, "6604001", "pupil 3")
    with signed_in(server, manager):
        shown = _text(layout())
        _press("csv")
        with pytest.raises(PreventUpdate):
            download_audit_log(1, None)

    assert "The audit log is for administrators." in shown
    assert "pupil_view" not in shown
    assert [e["event"] for e in audit.entries(sqlite_url)] == [
        "pupil_view",
        "user_added",
    ]
