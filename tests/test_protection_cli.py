"""The `purge`, `remove-school` and `subject-access` commands: exit status, what they
print, and that neither their output nor their logs name a pupil.

On the two-year regional fixture (tests/regional_fixture.py); the counts are worked
out in tests/test_protection.py and tests/test_subject_access.py.
"""

from __future__ import annotations

import json
import stat

import pytest

from dashboard.cli import main
from data.schema import School, WeekMarks
from tests.protection_fixture import count
from tests.regional_fixture import (
    C1,
    load_regional_fixture,
    publish_both_years,
    regional_settings,
)

UPN = "T681110100001"
# What must never reach standard error: UPNs, the fixture's surname and its forenames
# (the pupils' keys), and its dates of birth.
PERSONAL = ("T6811101", "Prawf", "c1a", "c1b", "2010-01-01")


@pytest.fixture
def published(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both years published; the commands read this database from the environment."""
    load_regional_fixture(sqlite_url)
    publish_both_years(sqlite_url, regional_settings(sqlite_url))
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    return sqlite_url


def errors_of(capsys: pytest.CaptureFixture[str]) -> str:
    """Return standard error so far, checking it names no pupil."""
    text = capsys.readouterr().err
    assert not [word for word in PERSONAL if word in text]
    return text


def test_purge_dry_run_then_purge(published, capsys, monkeypatch):
    monkeypatch.setenv("PUPIL_DATA_YEARS", "1")

    assert main(["purge", "--dry-run"]) == 0
    dry = errors_of(capsys)
    assert count(published, WeekMarks) == 18 + 20
    assert main(["purge"]) == 0
    done = errors_of(capsys)

    counts = "release_schools 5, week_marks 18, week_marks trimmed 0, pupil_years 9"
    assert "Dry run, nothing changed. Would remove pupil-level data before " in dry
    assert f"2023/24 (keeping 1 academic year(s)):\n  {counts}, pupils 0.\n" in dry
    assert (
        "Removed pupil-level data before 2023/24 (keeping 1 academic year(s)):" in done
    )
    assert count(published, WeekMarks) == 20


def test_purge_without_a_release_fails_with_one_line(sqlite_url, capsys, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)

    assert main(["purge"]) == 1
    assert capsys.readouterr().err == (
        "No release has been published yet: there is no current year to keep.\n"
    )


def test_remove_school_needs_the_matching_confirm(published, capsys):
    assert main(["remove-school", C1, "--confirm", "6811102"]) == 1
    assert capsys.readouterr().err == (
        f"Refusing to remove school {C1}: --confirm must repeat its id.\n"
    )
    assert count(published, School) == 5

    assert main(["remove-school", "6999999", "--confirm", "6999999"]) == 1
    assert errors_of(capsys) == "No school with id 6999999.\n"

    assert main(["remove-school", C1, "--confirm", C1]) == 0
    removed = errors_of(capsys)
    assert f"Removed school {C1}:\n  week_marks 8, pupil_years 4, pupils 2," in removed
    assert removed.endswith("include its counts until the next publish.\n")
    assert count(published, School) == 4


def test_subject_access_writes_a_private_file(published, capsys, tmp_path):
    output = tmp_path / f"{UPN}.json"

    assert main(["subject-access", UPN, "--output", str(output)]) == 0

    assert errors_of(capsys).endswith(
        "Subject access export of 1 pupil record(s) written.\n"
    )
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["heading"] == "For internal school use only"
    assert len(document["pupils"][0]["marks"]) == 34
    assert stat.S_IMODE(output.stat().st_mode) == 0o600


def test_subject_access_to_standard_output_and_failures(published, capsys, tmp_path):
    assert main(["subject-access", UPN]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["upn"] == UPN
    assert UPN not in captured.err

    assert main(["subject-access", "T999999999999"]) == 1
    assert errors_of(capsys) == "No pupil is held with that UPN.\n"
    missing = tmp_path / "no such folder" / f"{UPN}.json"
    assert main(["subject-access", UPN, "--output", str(missing)]) == 1
    assert errors_of(capsys).endswith(
        "Cannot write the output file: No such file or directory.\n"
    )
