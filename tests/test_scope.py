"""Scope checks: which schools and pupils each role reaches, and the audit log."""

from __future__ import annotations

import logging
from datetime import date, datetime

import pytest
from argon2 import PasswordHasher

from dashboard.users import create_user, disable_user, grant_pupil_access
from data import audit
from data.db import session_scope
from data.schema import Pupil, School
from data.scope import (
    UserScope,
    granted_schools,
    load_scope,
    may_manage_data,
    may_see_pupils,
    pupil_in_scope,
    school_in_scope,
    schools_in_scope,
)

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash passwords cheaply: these tests are about scope, not argon2's cost."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr("dashboard.users._hasher", cheap)


@pytest.fixture
def world(db_url: str) -> dict[str, int]:
    """Three schools (two in Anglesey, one in Gwynedd), a pupil in each, four users."""
    with session_scope(db_url) as session:
        session.add_all(
            [
                School(id="6604001", name="Ysgol Bryn", la_code=660),
                School(id="6604002", name="Ysgol Afon", la_code=660),
                School(id="6614001", name="Ysgol Cwm", la_code=661),
            ]
        )
        session.flush()
        for number, school_id in enumerate(("6604001", "6604002", "6614001"), 1):
            session.add(_pupil(number, school_id))
    ids = {
        "viewer": create_user(
            db_url, "v@x.example", "V", "school_viewer", PASSWORD, "6604001"
        ),
        "manager": create_user(
            db_url, "m@x.example", "M", "data_manager", PASSWORD, "6604001"
        ),
        "la": create_user(
            db_url, "la@x.example", "L", "la_officer", PASSWORD, la_code=660
        ),
        "admin": create_user(db_url, "a@x.example", "A", "admin", PASSWORD),
    }
    return ids


def _pupil(number: int, school_id: str) -> Pupil:
    return Pupil(
        id=number,
        school_id=school_id,
        upn=f"A12345678901{number}",
        surname="Jones",
        forename="Sam",
        date_of_birth=date(2010, 1, 1),
    )


def _scope(url: str, user_id: int) -> UserScope:
    scope = load_scope(url, user_id)
    assert scope is not None
    return scope


def test_each_role_lists_only_its_schools_sorted_by_name(db_url, world):
    afon, bryn = ("6604002", "Ysgol Afon"), ("6604001", "Ysgol Bryn")
    cwm = ("6614001", "Ysgol Cwm")

    assert schools_in_scope(db_url, _scope(db_url, world["viewer"])) == [bryn]
    assert schools_in_scope(db_url, _scope(db_url, world["la"])) == [afon, bryn]
    assert schools_in_scope(db_url, _scope(db_url, world["admin"])) == [
        afon,
        bryn,
        cwm,
    ]


def test_la_officer_cannot_reach_a_school_of_another_authority(db_url, world, caplog):
    scope = _scope(db_url, world["la"])

    with caplog.at_level(logging.WARNING, logger="data.scope"):
        assert school_in_scope(db_url, scope, "6604002")
        assert not school_in_scope(db_url, scope, "6614001")

    assert f"User {world['la']} refused school 6614001" in caplog.text


def test_school_viewer_cannot_reach_another_school(db_url, world):
    scope = _scope(db_url, world["viewer"])

    assert school_in_scope(db_url, scope, "6604001")
    assert not school_in_scope(db_url, scope, "6604002")
    assert not school_in_scope(db_url, scope, "no-such")


def test_a_forged_scope_is_checked_against_the_user_row(db_url, world):
    forged = UserScope(world["viewer"], "admin", "6614001", 661)

    assert not school_in_scope(db_url, forged, "6614001")
    assert schools_in_scope(db_url, forged) == [("6604001", "Ysgol Bryn")]


def test_pupil_level_access_needs_a_grant_within_scope(db_url, world, caplog):
    viewer = _scope(db_url, world["viewer"])
    assert not may_see_pupils(db_url, viewer, "6604001")
    assert not pupil_in_scope(db_url, viewer, 1)

    grant_pupil_access(db_url, "v@x.example", "6604001")

    assert may_see_pupils(db_url, viewer, "6604001")
    assert pupil_in_scope(db_url, viewer, 1)
    assert not pupil_in_scope(db_url, viewer, 2)
    assert granted_schools(db_url, viewer) == ["6604001"]
    assert "A123456789011" not in caplog.text and "Jones" not in caplog.text


def test_admin_sees_no_pupils_unless_granted(db_url, world):
    admin = _scope(db_url, world["admin"])
    assert school_in_scope(db_url, admin, "6614001")
    assert not may_see_pupils(db_url, admin, "6614001")

    grant_pupil_access(db_url, "a@x.example", "6614001")

    assert may_see_pupils(db_url, admin, "6614001")
    assert pupil_in_scope(db_url, admin, 3)
    assert not pupil_in_scope(db_url, admin, 1)


def test_la_officer_cannot_be_granted_outside_the_authority(db_url, world):
    with pytest.raises(ValueError, match="outside that user's scope"):
        grant_pupil_access(db_url, "la@x.example", "6614001")


def test_a_disabled_user_has_no_scope_and_reaches_nothing(db_url, world):
    scope = _scope(db_url, world["viewer"])

    disable_user(db_url, "v@x.example")

    assert load_scope(db_url, world["viewer"]) is None
    assert load_scope(db_url, 9999) is None
    assert not school_in_scope(db_url, scope, "6604001")
    assert schools_in_scope(db_url, scope) == []


def test_only_admins_and_the_schools_data_manager_manage_data(db_url, world):
    def manages(role: str, school_id: str) -> bool:
        return may_manage_data(_scope(db_url, world[role]), school_id)

    assert manages("manager", "6604001")
    assert not manages("manager", "6604002")
    assert not manages("viewer", "6604001")
    assert not manages("la", "6604001")
    assert manages("admin", "6614001")


def test_audit_entries_come_back_newest_first_and_as_safe_csv(db_url):
    audit.record(db_url, "sign_in", 7)
    audit.record(db_url, "pupil_export", 7, "6604001", "=cmd|' /C calc'!A0")

    found = audit.entries(db_url)
    since = audit.entries(db_url, since=datetime(2999, 1, 1))
    csv_text = audit.entries_csv(db_url).decode("utf-8-sig").splitlines()

    assert [entry["event"] for entry in found] == ["pupil_export", "sign_in"]
    assert found[0]["school_id"] == "6604001" and found[1]["user_id"] == 7
    assert since == []
    # User 7 has no account in this database; the detail is escaped for spreadsheets.
    assert csv_text[0] == "Time,User,Event,School,Detail"
    assert csv_text[1].endswith(
        ",\"(removed account, id 7)\",pupil_export,6604001,'=cmd|' /C calc'!A0"
    )
    assert csv_text[2].endswith(',"(removed account, id 7)",sign_in,,')
    assert csv_text[3] == "For internal school use only"
    assert len(csv_text) == 4
