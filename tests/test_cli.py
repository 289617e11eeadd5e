"""The command line fails with one line and a non-zero status, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import cli
from dashboard.config import Settings


@pytest.fixture
def no_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database file nobody has run init-db on."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(database_url=url))
    return tmp_path


def _reason(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.strip().splitlines()


def test_a_database_without_a_schema_gives_one_line(no_schema, capsys) -> None:
    assert cli.main(["export", "attendance-summary", "--school", "6604001"]) == 1
    (line,) = _reason(capsys)
    assert "init-db" in line and "Traceback" not in line


def test_a_folder_given_as_a_file_gives_one_line(no_schema, capsys) -> None:
    assert cli.main(["import-marks", str(no_schema), "--school", "6604001"]) == 1
    assert _reason(capsys)[-1] == f"{no_schema}: Is a directory."


def test_a_wrong_argument_gives_one_line_without_the_usage(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["export", "no-such-report"])
    assert stopped.value.code == 2
    (line,) = _reason(capsys)
    assert "invalid choice: 'no-such-report'" in line and "usage" not in line


REPORTS = Path(__file__).parent / "fixtures" / "reports"


@pytest.fixture
def with_schools(no_schema: Path) -> Path:
    """A database with the report fixture's schools."""
    assert cli.main(["init-db"]) == 0
    assert cli.main(["import-schools", str(REPORTS / "schools.csv")]) == 0
    return no_schema


def test_import_pupils_reports_its_progress(with_schools, capsys) -> None:
    capsys.readouterr()
    pupils = REPORTS / "pupils_a.csv"
    assert cli.main(["import-pupils", str(pupils), "--school", "6811001"]) == 0

    # Four pupils, the fourth in Year 12: read, checked, then the summary.
    lines = _reason(capsys)
    assert lines[0] == "Read 4 rows from pupils_a.csv."
    assert lines[1] == "Checked 4 rows; storing 4 pupils for 2023/24."
    assert lines[-1].endswith("3 rows accepted, 1 skipped (years 12 and 13: 1).")


def test_import_ctf_reports_its_progress(no_schema, capsys) -> None:
    imports = Path(__file__).parent / "fixtures" / "imports"
    assert cli.main(["init-db"]) == 0
    assert cli.main(["import-schools", str(imports / "schools.csv")]) == 0
    capsys.readouterr()
    ctf = imports / "pupils_ctf.xml"
    assert cli.main(["import-ctf", str(ctf)]) == 0

    # The file holds three pupils, each with context for the school's year.
    lines = _reason(capsys)
    assert lines[0] == f"Read pupils_ctf.xml ({ctf.stat().st_size:,} bytes)."
    assert lines[1] == "Checked 3 pupils; storing them and their marks."
