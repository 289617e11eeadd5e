"""Pupil List and Individual Pupil against hand-worked fixtures, on both databases.

The fixtures and their marks are described in tests/pupil_fixture.py. Year-to-date
figures of school A's pupils, to Fri 15 Sep 2023 (possible = present + absence):

    A1 Prydderch, Llŷr  19/20 = 95.0  (95 to under 100)   w1 9/10 = 90.0  w2 10/10
    A2 Owens, Gethin    14/20 = 70.0  (persistent)        w1 8/10 = 80.0  w2 6/10 = 60.0
    A3 Ŵyn, Ffion       17/18 = 94.4  (over 90 to 95)     w1 9/10 = 90.0  w2 8/8
    A5 Ŵyn, Llŷr         4/10 = 40.0  (severe; a leaver)  w1 4/10 = 40.0  w2 none
    A6 Bevan, Aled       0/0  no figure (10 X marks)
    A7 Lewis, Nia       20/20 = 100.0                     w1 10/10        w2 10/10
"""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.cli import main
from data import audit
from data.groups import PupilFilter
from data.pupil_names import find_pupil, pupil_by_upn, pupil_names, pupil_token
from data.reports import ReportScope, open_scope
from data.reports.individual_pupil import individual_pupil
from data.reports.pupil_list import (
    MERGED,
    ethnic_group_options,
    pupil_list,
    reg_group_options,
    searched,
)
from tests.report_fixture import SCHOOL_A, SCHOOL_B

pytest_plugins = ["tests.pupil_fixture"]
WORKED_UPN = "T681100100901"  # Jones, Sarah: tests/fixtures/pupil_reports

ON_ROLL = [
    "Bevan, Aled",
    "Lewis, Nia",
    "Owens, Gethin",
    "Prydderch, Llŷr",
    "Ŵyn, Ffion",
]
SECRET = "test-secret"


def _names(scope: ReportScope, **filters) -> list[str]:
    leavers = filters.pop("include_leavers", False)
    listed = pupil_list(scope, "autumn1", PupilFilter(**filters), leavers)
    return listed.table.column("Name")


def _pairs(table) -> dict[str, str]:
    return {row[0].text: row[1].text for row in table.rows}


def test_the_list_shows_each_pupil_on_roll_by_name(pupil_scope):
    listed = pupil_list(pupil_scope, "autumn1", PupilFilter())

    table = listed.table
    assert table.columns == (
        "UPN", "Name", "Year group", "Reg group", "YTD %", "Band",
        "4 Sep 23", "11 Sep 23",
    )  # fmt: skip
    # Sorted by surname with Ŵ among the Ws; Carys Rees (Year 12) and the leaver
    # Llŷr Ŵyn are not listed.
    assert table.column("Name") == ON_ROLL
    assert table.column("YTD %") == ["", "100.0", "70.0", "95.0", "94.4"]
    assert table.column("4 Sep 23") == ["", "100.0", "80.0", "90.0", "90.0"]
    assert table.column("11 Sep 23") == ["", "100.0", "60.0", "100.0", "100.0"]
    assert table.column("Reg group") == ["9D", "10P", "10Q", "10P", "7A"]
    assert table.column("Band")[2] == "Over 50 to 90% (persistent absence)"
    assert listed.bands[2] == ("50-90", "50-90", "50-90")
    assert listed.bands[0] == ("none", "none", "none")


def test_band_counts_and_the_selection_figures(pupil_scope):
    listed = pupil_list(pupil_scope, "autumn1", PupilFilter())

    assert _pairs(listed.band_counts) == {
        "100%": "1",
        "95 to under 100%": "1",
        "Over 90 to under 95%": "1",
        "Over 50 to 90% (persistent absence)": "1",
        "50% and under (severe absence)": "0",
        "No figure": "1",
    }
    # Present 19 + 14 + 17 + 0 + 20 = 70 of 20 + 20 + 18 + 0 + 20 = 78 possible:
    # 89.74 -> 89.7; authorised 1 I + 4 I + 1 M = 6 -> 7.69 -> 7.7; unauthorised
    # 2 N -> 2.56 -> 2.6.
    assert _pairs(listed.summary) == {
        "Pupils": "5",
        "Attendance %": "89.7",
        "Authorised absence %": "7.7",
        "Unauthorised absence %": "2.6",
    }


def test_leavers_are_added_and_marked_when_asked(pupil_scope):
    listed = pupil_list(pupil_scope, "autumn1", PupilFilter(), True)

    table = listed.table
    assert table.column("Name") == [*ON_ROLL, "Ŵyn, Llŷr"]
    assert table.column("Left") == ["", "", "", "", "", "Left 08/09/2023"]
    assert table.records()[-1]["Left"] == "Left 08/09/2023"  # exported as shown
    assert table.column("YTD %")[-1] == "40.0"
    assert table.column("11 Sep 23")[-1] == ""
    assert _pairs(listed.band_counts)["50% and under (severe absence)"] == "1"
    # With A5: present 74 of 88 = 84.09 -> 84.1; authorised 6/88 = 6.82 -> 6.8;
    # unauthorised 2 N + 6 O = 8/88 = 9.09 -> 9.1.
    assert _pairs(listed.summary) == {
        "Pupils": "6",
        "Attendance %": "84.1",
        "Authorised absence %": "6.8",
        "Unauthorised absence %": "9.1",
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"year_group": 10}, ["Lewis, Nia", "Owens, Gethin", "Prydderch, Llŷr"]),
        ({"reg_group": "10P"}, ["Lewis, Nia", "Prydderch, Llŷr"]),
        ({"gender": "M"}, ["Bevan, Aled", "Owens, Gethin"]),
        ({"efsm": True}, ["Bevan, Aled", "Prydderch, Llŷr"]),
        ({"sen": True}, ["Bevan, Aled", "Owens, Gethin"]),
        ({"eal": True}, ["Ŵyn, Ffion"]),
        ({"eal": True, "include_leavers": True}, ["Ŵyn, Ffion", "Ŵyn, Llŷr"]),
        (
            {"ethnic_group": "white"},
            ["Bevan, Aled", "Lewis, Nia", "Owens, Gethin", "Prydderch, Llŷr"],
        ),
        ({"ethnic_group": "asian"}, []),
        ({"ethnic_group": MERGED}, []),
    ],
    ids=lambda value: str(value),
)
def test_filters_choose_pupils(pupil_scope, filters, expected):
    assert _names(pupil_scope, **filters) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, [*ON_ROLL, "Ŵyn, Llŷr"]),
        ("", [*ON_ROLL, "Ŵyn, Llŷr"]),
        ("llŷr", ["Prydderch, Llŷr", "Ŵyn, Llŷr"]),
        ("ŵyn 7a", ["Ŵyn, Ffion"]),  # every word, each in any cell of the row
        ("10P", ["Lewis, Nia", "Prydderch, Llŷr"]),
        ("severe", ["Ŵyn, Llŷr"]),  # the band in words is a cell too
        ("wyn", []),  # as in the grid, accents are not folded
    ],
    ids=repr,
)
def test_the_search_keeps_the_rows_the_grid_keeps(pupil_scope, text, expected):
    listed = pupil_list(pupil_scope, "autumn1", PupilFilter(), True)

    found = searched(listed, text)

    assert found.table.column("Name") == expected
    upns = [row[0].text for row in found.table.rows]
    assert found.pupil_ids == tuple(
        pupil_by_upn(pupil_scope.url, SCHOOL_A, upn) for upn in upns
    )
    assert found.bands == tuple(
        listed.bands[listed.pupil_ids.index(pupil)] for pupil in found.pupil_ids
    )
    assert found.summary == listed.summary


def test_small_ethnic_groups_are_not_offered(pupil_scope):
    # White: A1 WWEL, A2 WBRI, A5 WBRI, A6 WSCO, A7 WBRI = 5 pupils, shown; Asian:
    # A3 alone, too few, and the merged small groups (1 pupil) are too few as well.
    assert ethnic_group_options(pupil_scope) == [("all", "All"), ("white", "White")]
    assert reg_group_options(pupil_scope) == [
        ("all", "All"), ("7A", "7A"), ("8C", "8C"), ("9D", "9D"),
        ("10P", "10P"), ("10Q", "10Q"),
    ]  # fmt: skip


def test_choosing_a_band_narrows_the_rows_but_not_the_counts(pupil_scope):
    listed = pupil_list(pupil_scope, "autumn1", PupilFilter(), False, "50-90")

    assert listed.table.column("Name") == ["Owens, Gethin"]
    assert _pairs(listed.band_counts)["No figure"] == "1"
    # Owens alone: 14/20 = 70.0; 4 I = 20.0; 2 N = 10.0.
    assert _pairs(listed.summary)["Attendance %"] == "70.0"
    assert _pairs(listed.summary)["Unauthorised absence %"] == "10.0"


def test_the_list_and_the_individual_report_agree_for_every_pupil(pupil_scope):
    listed = pupil_list(pupil_scope, "autumn1", PupilFilter(), True)

    for pupil_id, row in zip(listed.pupil_ids, listed.table.rows, strict=True):
        report = individual_pupil(pupil_scope, "autumn1", pupil_id)
        assert report.name == row[1].text
        assert report.ytd.text == row[5].text
        weeks = [cell.text for cell in report.marks.rows[0][2:]]
        assert weeks == [cell.text for cell in row[7:]]


def test_the_worked_example_of_the_guidance(worked_scope):
    pupil_id = pupil_by_upn(worked_scope.url, SCHOOL_A, WORKED_UPN)
    report = individual_pupil(worked_scope, "summer2", pupil_id)

    assert report.heading == "Jones, Sarah (Yr:10, F)"
    assert report.ytd.text == "93.9"  # 306 / 326 = 93.865... -> 93.9
    assert dict(report.context)["Ethnicity"] == "White - British"
    assert dict(report.context)["SEN/ALN"] == "No SEN/ALN"
    assert report.marks.columns == (
        "Measure",
        "YTD",
        "5 Jun 23",
        "12 Jun 23",
        "19 Jun 23",
    )
    assert [[cell.text for cell in row] for row in report.marks.rows] == [
        ["Attendance %", "93.9", "100.0", "100.0", "80.0"],
        ["Total marks", "326", "10", "10", "10"],
        ["Total present", "306", "10", "10", "8"],
        ["Total absence", "20", "0", "0", "2"],
        ["X marks", "0", "0", "0", "0"],
        ["Not counted marks", "66", "0", "0", "0"],
    ]
    assert [[cell.text for cell in row] for row in report.authorised.rows] == [
        ["Authorised absence", "15", "0", "0", "2"],
        ["Illness", "8", "0", "0", "2"],
        ["Medical", "3", "0", "0", "0"],
        ["Authorised holiday", "0", "0", "0", "0"],
    ]
    assert [[cell.text for cell in row] for row in report.unauthorised.rows] == [
        ["Unauthorised absence", "5", "0", "0", "0"],
        ["Unauthorised holiday", "0", "0", "0", "0"],
    ]
    # Summer 2: 28 present of 30 possible = 93.3; 2 illness = 6.7.
    assert _pairs(report.reasons)["Present"] == "28"
    assert report.reasons.rows[1][2].text == "6.7"
    week_19 = report.register.table.rows[2]
    assert [cell.text for cell in week_19[7:9]] == ["I", "I"]  # Thu 22 Jun AM, PM
    assert week_19[7].tooltip == "Illness"
    assert report.register.notes == ()


def test_another_schools_pupil_gets_nothing(pupil_scope):
    school_b = open_scope(pupil_scope.url, SCHOOL_B, pupil_scope.settings)
    their_pupil = int(school_b.data.pupils.index[0])

    with pytest.raises(LookupError):
        individual_pupil(pupil_scope, "autumn1", their_pupil)
    assert pupil_names(pupil_scope.url, SCHOOL_A, [their_pupil]) == {}
    their_token = pupil_token(SECRET, SCHOOL_B, their_pupil)
    ours = pupil_scope.data.pupils.index
    assert find_pupil(SECRET, SCHOOL_A, ours, their_token) is None
    own = int(ours[0])
    assert find_pupil(SECRET, SCHOOL_A, ours, pupil_token(SECRET, SCHOOL_A, own)) == own


def test_export_pupil_list_writes_the_table_and_an_audit_entry(
    pupil_scope, monkeypatch, capsys
):
    monkeypatch.setenv("DATABASE_URL", pupil_scope.url)
    monkeypatch.setenv("COMPARATOR_MIN_PUPILS", "1")
    monkeypatch.setenv("LOGNAME", "officer7")  # the first name getpass looks at

    status = main(
        ["export", "pupil-list", "--school", SCHOOL_A, "--term", "autumn1",
         "--year-group", "10", "--include-leavers"]
    )  # fmt: skip

    records = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert status == 0
    assert records[0][:7] == [
        "UPN", "Name", "Year group", "Reg group", "Left", "YTD %", "Band",
    ]  # fmt: skip
    assert records[1][:2] == ["T681100100007", "Lewis, Nia"]
    assert records[3][5:] == ["95.0", "95 to under 100%", "90.0", "100.0"]
    entry = audit.entries(pupil_scope.url)[0]
    assert entry["event"] == "pupil_export"
    # Year 10: Lewis (A7), Owens (A2) and Prydderch (A1), named by database id.
    year_10 = sorted(
        pupil_by_upn(pupil_scope.url, SCHOOL_A, f"T68110010000{n}") for n in (7, 2, 1)
    )
    assert entry["user_id"] is None
    assert entry["detail"].endswith(
        "3 pupils, command line, os user officer7; pupils "
        + ",".join(str(pupil) for pupil in year_10)
    )
    assert "Nia" not in str(entry) and "T6811" not in str(entry)


def test_export_individual_pupil_by_upn(worked_scope, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DATABASE_URL", worked_scope.url)
    monkeypatch.setenv("LOGNAME", "officer7")
    arguments = ["export", "individual-pupil", "--school", SCHOOL_A, "--upn"]

    status = main([*arguments, WORKED_UPN, "--term", "summer2"])
    records = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    missing = main([*arguments, "A000000000000"])

    assert status == 0
    assert records[0] == ["Measure", "YTD", "5 Jun 23", "12 Jun 23", "19 Jun 23"]
    assert records[1][:2] == ["Pupil", "Jones, Sarah"]
    assert records[3] == ["Attendance %", "93.9", "100.0", "100.0", "80.0"]
    assert missing != 0
    [entry] = audit.entries(worked_scope.url)
    assert entry["event"] == "pupil_export"
    pupil = pupil_by_upn(worked_scope.url, SCHOOL_A, WORKED_UPN)
    assert entry["detail"].startswith(f"individual-pupil csv pupil {pupil} ")
    assert entry["detail"].endswith("term summer2, command line, os user officer7")
