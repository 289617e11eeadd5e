"""Who sees which pupils: the pupil reports' callbacks called as Dash calls them,
signed in with and without the pupil-level grant, with forged pupil ids from another
school and ids that name nobody.

Like tests/test_regional_callbacks.py, the callbacks are called directly inside a
request, so no second app has to serve Dash's routes in this process.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import struct
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from dash.exceptions import PreventUpdate
from flask import Flask

from dashboard.app import create_app
from dashboard.cli import main
from dashboard.users import create_user, grant_pupil_access
from data import audit
from data.pupil_names import pupil_by_upn, pupil_token
from data.releases import publish
from tests.pupil_fixture import load_pupil_fixture
from tests.report_fixture import SCHOOL_A, SCHOOL_B, small_group_settings
from tests.test_regional_callbacks import PASSWORD, _filter, _text, signed_in

SECRET = "test"
OWN_UPN = "T681100100001"  # Prydderch, Llŷr of school A
OTHER_UPN = "T673100100001"  # Morgan, Elin of school B
FILTERS = "filter"


@pytest.fixture
def server(sqlite_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app's server on the pupil fixture, published to Fri 15 Sep 2023."""
    load_pupil_fixture(sqlite_url, tmp_path)
    settings = replace(small_group_settings(sqlite_url), secret_key=SECRET)
    publish(sqlite_url, settings=settings)
    yield create_app(settings).server


def _pupil_user(url: str) -> tuple[int, int, int]:
    """Add school A's user with pupil access; return it, A's and B's fixture pupil."""
    user = create_user(url, "p@a.example", "P", "school_viewer", PASSWORD, SCHOOL_A)
    grant_pupil_access(url, "p@a.example", SCHOOL_A)
    own = pupil_by_upn(url, SCHOOL_A, OWN_UPN)
    other = pupil_by_upn(url, SCHOOL_B, OTHER_UPN)
    assert own is not None and other is not None
    return user, own, other


def _context(
    filters: list[dict], states: bool = False, pressed: str = "pupil-pdf"
) -> None:
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    listed = [filters]
    context_value.set(
        AttributeDict(
            inputs_list=[] if states else listed,
            states_list=listed if states else [],
            triggered_inputs=[{"prop_id": f"{pressed}.n_clicks", "value": 1}],
        )
    )


def _plain(component: object) -> str:
    """Return a component as JSON text with Welsh letters as themselves."""
    return json.dumps(json.loads(_text(component)), ensure_ascii=False)


def individual(token: str) -> str:
    """Return the Individual Pupil content for a pupil id from the browser."""
    from callbacks.pupil_reports import show_individual_pupil

    filters = [_filter("pupil", token), _filter("term", "autumn1")]
    _context(filters)
    return _plain(show_individual_pupil([f["value"] for f in filters]))


def pupil_list() -> str:
    """Return the Pupil List's summary and rows for all pupils."""
    from callbacks.pupil_reports import show_pupil_list

    filters = [_filter("term", "autumn1")]
    _context(filters)
    return _plain(show_pupil_list([f["value"] for f in filters], [], "all"))


def downloaded_list(leavers: list[str], search: str | None) -> list[list[str]]:
    """Return the rows of the Pupil List's CSV download, as the page asks for it."""
    from callbacks.pupil_reports import download_pupil_list

    filters = [_filter("term", "autumn1")]
    _context(filters, states=True, pressed="pupil-list-download-csv")
    values = [f["value"] for f in filters]
    download = download_pupil_list(1, None, values, leavers, "all", search)
    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_a_user_without_pupil_access_gets_no_pupil(server, sqlite_url) -> None:
    viewer = create_user(
        sqlite_url, "v@a.example", "V", "school_viewer", PASSWORD, SCHOOL_A
    )
    own = pupil_by_upn(sqlite_url, SCHOOL_A, OWN_UPN)
    assert own is not None
    with signed_in(server, viewer):
        shown = individual(pupil_token(SECRET, SCHOOL_A, own))
        assert "does not have access" in shown and "Prydderch" not in shown
        listed = pupil_list()
        assert "does not have access" in listed and "Prydderch" not in listed
    assert not [e for e in audit.entries(sqlite_url) if e["event"] == "pupil_view"]


def test_forged_pupil_ids_reach_no_other_school(server, sqlite_url) -> None:
    user, own, other = _pupil_user(sqlite_url)
    with signed_in(server, user):
        shown = individual(pupil_token(SECRET, SCHOOL_A, own))
        assert "Prydderch, Llŷr" in shown

        forged = (
            pupil_token(SECRET, SCHOOL_B, other),  # B's own id for its pupil
            pupil_token(SECRET, SCHOOL_A, other),  # B's pupil under A's key
            pupil_token("another secret", SCHOOL_A, own),  # a guessed key
            "0" * 20,
        )
        for token in forged:
            refused = individual(token)
            assert "not in your school" in refused
            assert "Morgan" not in refused and "Prydderch" not in refused

        listed = pupil_list()
        assert "Prydderch, Llŷr" in listed and "Morgan" not in listed

    views = [e for e in audit.entries(sqlite_url) if e["event"] == "pupil_view"]
    assert [e["detail"].split()[3] for e in views] == [str(own)]


def test_the_pdf_download_is_audited_and_refused_for_a_forged_id(
    server, sqlite_url
) -> None:
    from callbacks.pupil_reports import download_individual_pupil

    user, own, other = _pupil_user(sqlite_url)
    with signed_in(server, user):
        for token, sent in (
            (pupil_token(SECRET, SCHOOL_A, own), True),
            ("1" * 20, False),
        ):
            filters = [_filter("pupil", token), _filter("term", "autumn1")]
            _context(filters, states=True)
            values = [f["value"] for f in filters]
            if sent:
                download = download_individual_pupil(None, None, 1, None, values)
                assert download["filename"].endswith(".pdf")
                _context(filters, states=True, pressed="pupil-image")
                image = download_individual_pupil(None, None, None, 1, values)
                assert image["filename"].endswith(".png")
                png = base64.b64decode(image["content"])
                assert png.startswith(b"\x89PNG")
                width, height = struct.unpack(">II", png[16:24])
                assert height > width  # A4 portrait pages, stacked
            else:
                with pytest.raises(PreventUpdate):
                    download_individual_pupil(None, None, 1, None, values)
    exports = [e for e in audit.entries(sqlite_url) if e["event"] == "pupil_export"]
    assert len(exports) == 2
    assert all(f"pupil {own} " in str(entry["detail"]) for entry in exports)


def test_a_user_of_several_schools_sees_pupils_only_where_granted(
    server, sqlite_url
) -> None:
    # An administrator sees every school's figures but pupils only where granted:
    # here school A. A pupil page whose address names school B lists none of B's
    # pupils, not even in the picker the layout builds.
    from callbacks.pupil_reports import update_picker
    from pages import at_risk, individual_pupil, pupil_list

    admin = create_user(sqlite_url, "ad@example.org", "Ad", "admin", PASSWORD)
    grant_pupil_access(sqlite_url, "ad@example.org", SCHOOL_A)
    with signed_in(server, admin):
        for page in (individual_pupil, pupil_list, at_risk):
            refused = _plain(page.layout(school=SCHOOL_B))
            assert "does not have access" in refused, page.__name__
            assert "Morgan" not in refused

        granted = _plain(individual_pupil.layout(school=SCHOOL_A))
        assert "Prydderch, Llŷr" in granted and "does not have access" not in granted

        # Nor when the year group changes and the picker's callback runs again.
        assert update_picker("all", SCHOOL_B) == []
        assert len(update_picker("all", SCHOOL_A)) == 6


def test_the_list_download_is_what_the_page_shows(
    server, sqlite_url, monkeypatch, capsys
) -> None:
    user, _, _ = _pupil_user(sqlite_url)
    with signed_in(server, user):
        found = downloaded_list(["yes"], "llŷr")
        everyone = downloaded_list(["yes"], None)

    # The search keeps both Llŷrs. Prydderch: 19 of 20 = 95.0, w1 9/10 = 90.0, w2
    # 10/10; Ŵyn left on Fri 8 Sep: w1 4/10 = 40.0, no sessions in w2.
    assert found == [
        ["UPN", "Name", "Year group", "Reg group", "Left", "YTD %", "Band",
         "4 Sep 23", "11 Sep 23"],
        ["T681100100001", "Prydderch, Llŷr", "10", "10P", "", "95.0",
         "95 to under 100%", "90.0", "100.0"],
        ["T681100100005", "Ŵyn, Llŷr", "8", "8C", "Left 08/09/2023", "40.0",
         "50% and under (severe absence)", "40.0", ""],
        ["For internal school use only"],
    ]  # fmt: skip
    assert len(everyone) == 1 + 6 + 1

    # The command line writes the same table as the unsearched download.
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("COMPARATOR_MIN_PUPILS", "1")
    arguments = ["--school", SCHOOL_A, "--term", "autumn1", "--include-leavers"]
    assert main(["export", "pupil-list", *arguments]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == everyone


def test_list_views_and_exports_name_their_pupils_in_the_audit(
    server, sqlite_url
) -> None:
    from callbacks.at_risk import show_at_risk

    user, own, _ = _pupil_user(sqlite_url)
    on_roll = sorted(  # A1, A2, A3, A6 and A7; A4 is in Year 12, A5 has left
        pupil_by_upn(sqlite_url, SCHOOL_A, f"T68110010000{n}") for n in (1, 2, 3, 6, 7)
    )
    leaver = pupil_by_upn(sqlite_url, SCHOOL_A, "T681100100005")
    with signed_in(server, user):
        pupil_list()
        downloaded_list(["yes"], "llŷr")
        filters = [_filter("term", "autumn1")]
        _context(filters)
        show_at_risk([f["value"] for f in filters])

    at_risk, export, view = audit.entries(sqlite_url)[:3]
    assert view["event"] == "pupil_list_view"
    assert view["detail"].endswith(
        "5 pupils; pupils " + ",".join(str(pupil) for pupil in on_roll)
    )
    assert export["event"] == "pupil_export"
    assert export["detail"].endswith(
        f"search yes, 2 pupils, csv; pupils {min(own, leaver)},{max(own, leaver)}"
    )
    # Nobody is at risk: A1 (1 of 20) and A3 (1 of 18) are absent under 8% of their
    # sessions, A2 is persistently absent, A6 has no sessions, A7 missed none.
    assert at_risk["detail"].endswith("0 pupils; pupils none")
    for entry in (view, export, at_risk):
        assert "Llŷr" not in str(entry) and "T6811" not in str(entry)


def test_without_pupil_access_downloads_and_the_picker_give_nothing(
    server, sqlite_url
) -> None:
    from callbacks.pupil_reports import (
        download_individual_pupil,
        download_pupil_list,
        update_picker,
    )

    viewer = create_user(
        sqlite_url, "v@a.example", "V", "school_viewer", PASSWORD, SCHOOL_A
    )
    own = pupil_by_upn(sqlite_url, SCHOOL_A, OWN_UPN)
    assert own is not None
    with signed_in(server, viewer):
        filters = [_filter("term", "autumn1")]
        _context(filters, states=True, pressed="pupil-list-download-csv")
        with pytest.raises(PreventUpdate):
            download_pupil_list(1, None, ["autumn1"], ["yes"], "all", None)

        token = pupil_token(SECRET, SCHOOL_A, own)
        filters = [_filter("pupil", token), _filter("term", "autumn1")]
        for pressed, clicks in (
            ("individual-pupil-download-csv", (1, None, None, None)),
            ("individual-pupil-download-xlsx", (None, 1, None, None)),
            ("pupil-pdf", (None, None, 1, None)),
            ("pupil-image", (None, None, None, 1)),
        ):
            _context(filters, states=True, pressed=pressed)
            with pytest.raises(PreventUpdate):
                download_individual_pupil(*clicks, [token, "autumn1"])

        assert update_picker("all") == []
        assert update_picker("10") == []
    events = {e["event"] for e in audit.entries(sqlite_url)}
    assert not events & {"pupil_view", "pupil_export", "pupil_list_view"}


def test_the_picker_lists_the_schools_pupils_alphabetically(server, sqlite_url) -> None:
    from callbacks.pupil_reports import update_picker

    user, _, _ = _pupil_user(sqlite_url)
    with signed_in(server, user):
        everyone = update_picker("all")
        year_10 = update_picker("10")

    # School A by surname, then forename, Ŵ among the Ws, the leaver marked; Carys
    # Rees (Year 12) is not among them, nor B's Elin Morgan and Dafydd Hughes.
    assert [option["label"] for option in everyone] == [
        "Bevan, Aled (Yr 9, 9D)",
        "Lewis, Nia (Yr 10, 10P)",
        "Owens, Gethin (Yr 10, 10Q)",
        "Prydderch, Llŷr (Yr 10, 10P)",
        "Ŵyn, Ffion (Yr 7, 7A)",
        "Ŵyn, Llŷr (Yr 8, 8C, left 08/09/2023)",
    ]
    upns = ("T681100100006", "T681100100007", "T681100100002", OWN_UPN)
    assert [option["value"] for option in everyone[:4]] == [
        pupil_token(SECRET, SCHOOL_A, pupil_by_upn(sqlite_url, SCHOOL_A, upn))
        for upn in upns
    ]
    assert year_10 == everyone[1:4]
