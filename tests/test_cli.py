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
