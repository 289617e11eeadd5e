"""Subject access on the two-year regional fixture (tests/regional_fixture.py), by hand.

The subject is c1b (UPN T681110100001) at C1, who the tests also give an invented
earlier record at V1 under the same UPN (moved school): one week of 2021/22 there.
c1b's marks at C1, counted from the fixture's table:

    w/c 29 Aug 2022  "......//II"   4 marks: Thu 2 present, Fri 2 I
    w/c 5 Sep 2022   "////////NN"  10 marks: 8 present, 2 N
    w/c 4 Sep 2023   "//////NNNN"  10 marks: 6 present, 4 N
    w/c 11 Sep 2023  "//////////"  10 marks: 10 present
                                   34 marks: 26 present, 6 N, 2 I

At V1: w/c 6 Sep 2021 "IIII//////", 10 marks: 4 I, 6 present.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from data.pupil_names import pupil_by_upn
from data.subject_access import HEADING, subject_access, subject_access_json
from tests.protection_fixture import add_audit, add_pupil, audit_details
from tests.regional_fixture import (
    C1,
    C2,
    PUPILS,
    V1,
    load_regional_fixture,
    publish_both_years,
    regional_settings,
)

UPN = "T681110100001"
OTHER_UPNS = [f"T{PUPILS[key][0]}{index:05d}" for index, key in enumerate(PUPILS)]
OTHER_UPNS.remove(UPN)


@pytest.fixture
def held(db_url: str) -> tuple[str, int, int]:
    """Both years published, c1b's earlier record at V1 and audit entries around
    them; returns the URL and the two pupil ids."""
    load_regional_fixture(db_url)
    publish_both_years(db_url, regional_settings(db_url))
    at_c1 = pupil_by_upn(db_url, C1, UPN)
    assert at_c1 is not None
    at_v1 = add_pupil(
        db_url, V1, UPN, "2021/22", {date(2021, 9, 6): "IIII//////"}, "c1b"
    )
    for school, detail in (
        (C1, f"individual-pupil view pupil {at_c1} release 2 term autumn1"),
        (C1, f"individual-pupil view pupil {at_c1}0 release 2 term autumn1"),
        (C1, "pupil-list release 2 term autumn1, filters none, 2 pupils"),
        (C2, f"individual-pupil view pupil {at_c1} release 2 term autumn1"),
        (V1, f"individual-pupil csv pupil {at_v1} release 2 term autumn1"),
    ):
        add_audit(db_url, "pupil_view", school, detail)
    return db_url, at_c1, at_v1


def test_subject_access_holds_exactly_the_pupils_marks(held):
    url, at_c1, at_v1 = held

    found = subject_access(url, UPN)

    assert found["heading"] == HEADING == "For internal school use only"
    records = found["pupils"]
    # One record per school, in school id order.
    assert [record["pupil"]["pupil_id"] for record in records] == [at_v1, at_c1]
    assert [record["pupil"]["school_id"] for record in records] == [V1, C1]
    v1_marks, c1_marks = (record["marks"] for record in records)
    assert len(c1_marks) == 34
    assert Counter(mark["code"] for mark in c1_marks) == {"/": 26, "N": 6, "I": 2}
    assert c1_marks[2] == {
        "date": date(2022, 9, 2),
        "session": "AM",
        "school_id": C1,
        "code": "I",
        "meaning": "Illness",
    }
    assert len(v1_marks) == 10
    assert Counter(mark["code"] for mark in v1_marks) == {"/": 6, "I": 4}


def test_subject_access_holds_context_releases_imports_and_audit(held):
    url, at_c1, at_v1 = held

    v1, c1 = subject_access(url, UPN)["pupils"]

    assert [(year["academic_year"], year["year_group"]) for year in c1["context"]] == [
        ("2022/23", 10),
        ("2023/24", 11),
    ]
    # Both releases hold C1's payload; in 2023/24 week 1 c1b had 6 present, 4 N.
    assert [release["academic_year"] for release in c1["published"]] == [
        "2023/24",
        "2022/23",
    ]
    first_week = c1["published"][0]["weeks"][0]
    assert (first_week["week_start"], first_week["present"]) == (date(2023, 9, 4), 6)
    assert first_week["other_unauthorised"] == 4
    # C1's two marks imports cover c1b's marks; its roll imports carry no dates.
    assert [(row["first_date"], row["last_date"]) for row in c1["imports"]] == [
        (date(2022, 9, 1), date(2022, 9, 9)),
        (date(2023, 9, 4), date(2023, 9, 15)),
    ]
    # Only the entries at the pupil's school naming exactly the pupil's id.
    assert [entry["detail"] for entry in c1["audit"]] == [
        f"individual-pupil view pupil {at_c1} release 2 term autumn1"
    ]
    assert [entry["detail"] for entry in v1["audit"]] == [
        f"individual-pupil csv pupil {at_v1} release 2 term autumn1"
    ]
    assert v1["imports"] == []
    assert v1["published"] == []


def test_subject_access_names_nobody_else_and_is_audited_by_id(held):
    url, at_c1, at_v1 = held

    document = subject_access_json(subject_access(url, UPN)).decode("utf-8")

    assert document.startswith('{\n  "heading": "For internal school use only"')
    assert not [upn for upn in OTHER_UPNS if upn in document]
    records = json.loads(document)["pupils"]
    forenames = {record["pupil"]["forename"] for record in records}
    assert forenames == {"c1b"}
    assert audit_details(url, "subject_access_export") == [
        (V1, f"subject access export pupil {at_v1}, command line"),
        (C1, f"subject access export pupil {at_c1}, command line"),
    ]


def test_a_later_subject_access_lists_the_earlier_export(held):
    url, at_c1, _ = held
    subject_access(url, UPN)

    c1 = subject_access(url, UPN)["pupils"][1]

    assert [entry["event"] for entry in c1["audit"]] == [
        "pupil_view",
        "subject_access_export",
    ]


def test_subject_access_of_an_unknown_upn_fails_unaudited(held):
    url, _, _ = held

    with pytest.raises(LookupError, match="No pupil is held with that UPN"):
        subject_access(url, "T999999999999")
    assert audit_details(url, "subject_access_export") == []
