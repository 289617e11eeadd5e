"""Who sees what on the Regional attendance and previous-year pages: the page
callbacks called as Dash calls them, signed in as a school viewer or a Cardiff officer,
with forged views and school ids that must reach no other school's figures.

The callbacks are called directly inside a request: Dash hands its registered callbacks
to the first app that serves a request in a process (the shared browser app), so these
tests never send one.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import plotly.utils
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict
from dash.exceptions import PreventUpdate
from flask import Flask
from flask_login import login_user
from pypdf import PdfReader
from sqlalchemy import select

from components.filter_state import FilterState
from dashboard.app import create_app
from dashboard.users import create_user, grant_pupil_access, load_account
from data.db import session_scope
from data.pupil_names import pupil_by_upn, pupil_token
from data.schema import AuditEntry
from tests.regional_fixture import (
    C1,
    C1B_UPN,
    C2,
    CARDIFF,
    N1,
    load_regional_fixture,
    publish_both_years,
    regional_settings,
)

PASSWORD = "correct horse battery"
SECRET = "test"
C2A_UPN = "T681110200002"  # c2a of Ysgol Dau
AUTHORITY, SCHOOLS = "authority", "regional-schools"
NO_PUPIL_ACCESS = "Your account does not have access to pupil-level reports."
OTHER_SCHOOLS = ("Ysgol Dau", "Ysgol Tri", "Ysgol y Fro", "Ysgol Casnewydd")


@pytest.fixture
def server(sqlite_url: str) -> Flask:
    """The app's server on the five-school fixture; users are added by the tests."""
    load_regional_fixture(sqlite_url)
    publish_both_years(sqlite_url, regional_settings(sqlite_url))
    settings = replace(regional_settings(sqlite_url), secret_key=SECRET)
    return create_app(settings).server


@contextmanager
def signed_in(server: Flask, user_id: int) -> Iterator[None]:
    """Run a block inside a request of the given user."""
    url = server.config["TRACKER_SETTINGS"].database_url
    with server.test_request_context("/"):
        login_user(load_account(url, user_id))
        yield


def regional(view: str, school: str | None = None) -> str:
    """Call the Regional attendance callback as the browser would, possibly forged."""
    from callbacks.regional import show_regional

    filters = [] if school is None else [_filter("school", school)]
    _inputs([_input("regional-view", view), filters])
    shown = show_regional(view, "ytd", "present", [f["value"] for f in filters])
    return _text(shown)


def previous_year(school: str | None = None, report: str = "year-groups") -> str:
    """Call the previous year's content callback, possibly with a forged school."""
    from callbacks.previous_year import show_previous_year

    filters = [_filter("term", "autumn1")]
    if school is not None:
        filters.append(_filter("school", school))
    _inputs([_input("previous-year-report", report), filters])
    return _text(show_previous_year(report, [f["value"] for f in filters]))


def pupil_list(school: str | None = None, last_year: bool = True) -> str:
    """Call the Pupil List's callback as last year's page (or this year's) calls it."""
    from callbacks.pupil_reports import LAST_YEAR, show_pupil_list

    filters = [_filter("term", "autumn1")]
    if school is not None:
        filters.append(_filter("school", school))
    _inputs([filters, _input("pupil-leavers", []), _input("pupil-band", "all")])
    year = [LAST_YEAR] if last_year else []
    values = [f["value"] for f in filters]
    return _text(show_pupil_list(values, [], "all", year))


def last_years_pupil(token: str, school: str | None = None) -> str:
    """Call the Individual Pupil report's callback as last year's page calls it."""
    from callbacks.pupil_reports import LAST_YEAR, show_individual_pupil

    filters = [_filter("pupil", token), _filter("term", "autumn1")]
    if school is not None:
        filters.append(_filter("school", school))
    _inputs([filters])
    return _text(show_individual_pupil([f["value"] for f in filters], [LAST_YEAR]))


def last_years_pupil_pdf(token: str) -> dict:
    """Press last year's Individual Pupil report's PDF button for a pupil id."""
    from callbacks.pupil_reports import LAST_YEAR, download_individual_pupil

    filters = [_filter("pupil", token), _filter("term", "autumn1")]
    context_value.set(
        AttributeDict(
            inputs_list=[],
            states_list=[filters],
            triggered_inputs=[{"prop_id": "pupil-pdf.n_clicks", "value": 1}],
        )
    )
    values = [f["value"] for f in filters]
    return download_individual_pupil(None, None, 1, None, values, [LAST_YEAR])


def attendance_summary(overlay: list[str], school: str | None = None) -> str:
    """Call the Attendance Summary's content callback with last year's switch."""
    from callbacks.school_reports import REPORTS, show_report

    filters = [_filter("term", "autumn1")]
    if school is not None:
        filters.append(_filter("school", school))
    toggle = _input("attendance-summary-last-year-overlay", overlay)
    _inputs([filters, toggle])
    state = FilterState(term="autumn1", school=school)
    return _text(show_report(REPORTS[0], state, overlay))


def previous_three_sixty(school: str | None = None) -> str:
    """Call last year's 360 report callback, possibly with a forged school."""
    from callbacks.previous_year import show_previous_three_sixty

    filters = [] if school is None else [_filter("school", school)]
    _inputs([_input("previous-year-period", "ytd"), filters])
    return _text(show_previous_three_sixty("ytd", [f["value"] for f in filters]))


def test_a_school_user_never_reaches_another_school(server, sqlite_url) -> None:
    viewer = create_user(sqlite_url, "v@x.example", "V", "school_viewer", PASSWORD, C1)
    with signed_in(server, viewer):
        own = regional(AUTHORITY)
        assert "Authority %" in own and "Central South Wales" in own
        assert not any(name in own for name in OTHER_SCHOOLS)
        assert "Schools of Cardiff" not in own

        for forged in (regional(AUTHORITY, C2), regional("school", N1)):
            assert "Authority %" not in forged
            assert not any(name in forged for name in OTHER_SCHOOLS)
        assert "Year 10 %" in previous_year()
        assert "Year 10 %" not in previous_year(C2)
        # Last year's Data Check and 360 report: C1's 28 marks, 24/28 = 85.7%.
        assert '"28"' in previous_year(report="data-check")
        assert '"28"' not in previous_year(C2, report="data-check")
        assert "85.7" in previous_three_sixty()
        assert "Headline figures" not in previous_three_sixty(C2)


def test_last_years_pupil_list_needs_the_pupil_grant(server, sqlite_url) -> None:
    viewer = create_user(sqlite_url, "v@x.example", "V", "school_viewer", PASSWORD, C1)
    with signed_in(server, viewer):
        refused = pupil_list()
        assert NO_PUPIL_ACCESS in refused and "c1b" not in refused

    grant_pupil_access(sqlite_url, "v@x.example", C1)
    with signed_in(server, viewer):
        shown = pupil_list()
        # 2022/23: c1b 2/4 = 50% then 8/10 = 80%, 10/14 = 71.4% for the year;
        # c1a 4/4 and 10/10. Names open last year's Individual Pupil report.
        assert "c1a" in shown and "c1b" in shown
        assert all(figure in shown for figure in ('"50.0"', '"80.0"', '"71.4"'))
        c1b = pupil_by_upn(sqlite_url, C1, C1B_UPN)
        assert c1b is not None
        link = "/previous-year/individual-pupil?term=autumn1&pupil="
        assert link + pupil_token(SECRET, C1, c1b) in shown
        assert '"href": null' not in shown and "/pupil-reports/" not in shown
        # This year's list is this year's: c1b 6/10 = 60% in the first week.
        assert '"60.0"' in pupil_list(last_year=False)
        forged = pupil_list(C2)
        assert NO_PUPIL_ACCESS in forged and "c2a" not in forged

    with session_scope(sqlite_url) as session:
        details = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.event == "pupil_list_view")
        ).all()
    # Release 1 is 2022/23's, release 2 this year's.
    assert details[0].startswith("pupil-list release 1 term autumn1")
    assert details[1].startswith("pupil-list release 2 term autumn1")


def test_last_year_on_the_attendance_summary_chart(server, sqlite_url) -> None:
    viewer = create_user(sqlite_url, "v@x.example", "V", "school_viewer", PASSWORD, C1)
    with signed_in(server, viewer):
        assert "2022/23" not in attendance_summary([])
        shown = attendance_summary(["on"])
        # This year's weeks of 4 and 11 September 2023 meet last year's first two
        # weeks of autumn 1: C1 6/8 = 75% and 18/20 = 90%; national 34/36 = 94.4%
        # and 81/90 = 90%.
        assert "School, 2022/23 (same week of half-term)" in shown
        assert "National, 2022/23" in shown
        assert '"x": ["2023-09-04", "2023-09-11"], "y": [75.0, 90.0]' in shown
        assert '"customdata": ["94.4", "90.0"]' in shown
        forged = attendance_summary(["on"], C2)
        assert "2022/23" not in forged
        assert table_of(AUTHORITY) is None


def test_an_officer_sees_only_the_authoritys_schools(server, sqlite_url) -> None:
    officer = create_user(
        sqlite_url, "la@x.example", "L", "la_officer", PASSWORD, la_code=CARDIFF
    )
    with signed_in(server, officer):
        overview = regional(AUTHORITY)
        assert "Schools of Cardiff" in overview
        assert all(name in overview for name in ("Ysgol Un", "Ysgol Dau", "Ysgol Tri"))
        assert "Ysgol y Fro" not in overview and "Ysgol Casnewydd" not in overview

        one_school = regional("school", C2)
        assert "Authority %" in one_school and "Schools of Cardiff" not in one_school
        forged = regional(AUTHORITY, N1)
        assert "Ysgol Casnewydd" not in forged and "Authority %" not in forged

        found = table_of(AUTHORITY)
        assert found is not None
        name, table = found
        assert name == "Cardiff - Regional attendance - 2023-24"
        assert table.column("School")[:3] == ["Ysgol Dau", "Ysgol Tri", "Ysgol Un"]


def table_of(view: str) -> tuple | None:
    """Return the authority table a download would send (pages import after the app)."""
    from callbacks.regional import regional_table

    return regional_table(SCHOOLS, FilterState(), view, "ytd", "present")


def _filter(name: str, value: str) -> dict:
    return {"id": {"type": "filter", "name": name}, "property": "value", "value": value}


def _input(component_id: str, value: str) -> dict:
    return {"id": component_id, "property": "value", "value": value}


def _inputs(inputs: list) -> None:
    context_value.set(AttributeDict(inputs_list=inputs, states_list=[]))


def _text(component: object) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


def test_last_years_individual_pupil_needs_the_pupil_grant(
    server, sqlite_url, caplog
) -> None:
    viewer = create_user(sqlite_url, "v@x.example", "V", "school_viewer", PASSWORD, C1)
    c1b, c2a = (
        pupil_by_upn(sqlite_url, C1, C1B_UPN),
        pupil_by_upn(sqlite_url, C2, C2A_UPN),
    )
    assert c1b is not None and c2a is not None
    own = pupil_token(SECRET, C1, c1b)
    with signed_in(server, viewer):
        refused = last_years_pupil(own)
        assert NO_PUPIL_ACCESS in refused and "c1b" not in refused
        with pytest.raises(PreventUpdate):
            last_years_pupil_pdf(own)

    grant_pupil_access(sqlite_url, "v@x.example", C1)
    with signed_in(server, viewer):
        shown = last_years_pupil(own)
        # 2022/23: Year 10 (11 this year), 10/14 = 71.4%; 2/4 = 50% then 8/10 = 80%
        # against that year's national Year 10, 6/8 = 75% then 18/20 = 90%.
        assert "Prawf, c1b (Yr:10, M)" in shown and '"71.4"' in shown
        assert '"y": [50.0, 80.0' in shown and '"y": [75.0, 90.0' in shown

        forged = (
            pupil_token(SECRET, C2, c2a),  # C2's own id for its pupil
            pupil_token(SECRET, C1, c2a),  # C2's pupil under C1's key
            pupil_token("another secret", C1, c1b),  # a guessed key
        )
        with caplog.at_level(logging.WARNING):
            for token in forged:
                found = last_years_pupil(token)
                assert "not in your school's release of last year" in found
                assert "c2a" not in found and "c1b" not in found
                with pytest.raises(PreventUpdate):
                    last_years_pupil_pdf(token)
        assert caplog.text.count("asked for a pupil id not in school 6811101") == 6
        other_school = last_years_pupil(pupil_token(SECRET, C2, c2a), C2)
        assert NO_PUPIL_ACCESS in other_school and "c2a" not in other_school

        pdf = last_years_pupil_pdf(own)
        assert pdf["filename"] == (
            "Ysgol Un - Individual Pupil - 2022-23 - Autumn 1.pdf"
        )
        payload = base64.b64decode(pdf["content"])
        text = "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(payload)).pages
        )
        assert "Ysgol Un · 2022/23 · Term: Autumn 1" in text
        assert "Prawf, c1b (Yr:10, M)" in text and "YTD attendance: 71.4%" in text

    with session_scope(sqlite_url) as session:
        entries = session.execute(
            select(AuditEntry.event, AuditEntry.detail)
            .where(AuditEntry.event.in_(("pupil_view", "pupil_export")))
            .order_by(AuditEntry.id)
        ).all()
    # One view and one download, of c1b in release 1 (2022/23's).
    assert [tuple(entry) for entry in entries] == [
        ("pupil_view", f"individual-pupil view pupil {c1b} release 1 term autumn1"),
        ("pupil_export", f"individual-pupil pdf pupil {c1b} release 1 term autumn1"),
    ]
