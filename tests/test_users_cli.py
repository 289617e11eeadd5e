"""The `user` commands: adding, listing, disabling and granting, and the demo users."""

from __future__ import annotations

import argparse
import io
import sys

import pyotp
import pytest
from argon2 import PasswordHasher

from dashboard import cli
from dashboard.config import Settings
from dashboard.users import authenticate, create_demo_users
from dashboard.users_cli import add_user_commands
from data.db import session_scope
from data.schema import School

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash passwords cheaply: argon2's cost is not what these tests check."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr("dashboard.users._hasher", cheap)


@pytest.fixture
def url(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with two schools, which the commands use as their settings say."""
    with session_scope(sqlite_url) as session:
        session.add(School(id="6604001", name="Ysgol Bryn", la_code=660))
        session.add(School(id="6614001", name="Ysgol Cwm", la_code=661))
    settings = Settings(database_url=sqlite_url)
    monkeypatch.setattr("dashboard.config.get_settings", lambda: settings)
    return sqlite_url


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, stdin: str = "") -> int:
    """Run one `user` command as `python -m dashboard` does; return the exit status."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    parser = argparse.ArgumentParser(prog="python -m dashboard")
    add_user_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["user", *argv])
    try:
        args.run(args)
    except cli.CommandFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    return 0


def listing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> list:
    capsys.readouterr()
    assert run(["list"], monkeypatch) == 0
    lines = capsys.readouterr().out.splitlines()
    return [line.split("\t") for line in lines]


def test_add_reads_the_password_from_stdin_and_list_shows_the_user(
    url, monkeypatch, capsys
):
    add = ["add", "V@X.example", "--name", "Vera", "--role", "school_viewer"]
    status = run([*add, "--school", "6604001"], monkeypatch, PASSWORD + "\nignored\n")

    rows = listing(monkeypatch, capsys)

    assert status == 0
    assert rows[0] == [
        "id", "email", "name", "role", "school_id", "la_code", "active", "totp",
        "grants",
    ]  # fmt: skip
    assert rows[1] == [
        "1", "v@x.example", "Vera", "school_viewer", "6604001", "", "True", "False", "",
    ]  # fmt: skip
    assert authenticate(url, "v@x.example", PASSWORD) is not None
    assert authenticate(url, "v@x.example", PASSWORD + "\nignored") is None


@pytest.mark.parametrize(
    ("argv", "stdin", "reason"),
    [
        (["--role", "school_viewer"], PASSWORD, "needs --school"),
        (["--role", "la_officer", "--la", "999"], PASSWORD, "No local authority"),
        (["--role", "school_viewer", "--school", "9999999"], PASSWORD, "No school"),
        (["--role", "admin"], "short", "at least 12 characters"),
        (["--role", "admin"], "", "No password given."),
    ],
    ids=["no-school", "unknown-la", "unknown-school", "short", "empty"],
)
def test_add_fails_with_a_one_line_reason(
    url, monkeypatch, capsys, argv, stdin, reason
):
    status = run(["add", "a@x.example", "--name", "A", *argv], monkeypatch, stdin)

    error = capsys.readouterr().err.strip()
    assert status == 1
    assert reason in error and "\n" not in error
    assert authenticate(url, "a@x.example", PASSWORD) is None


def test_an_email_has_one_account(url, monkeypatch, capsys):
    add = ["add", "a@x.example", "--name", "A", "--role", "admin"]
    assert run(add, monkeypatch, PASSWORD) == 0

    assert run([*add[:1], "A@x.example ", *add[2:]], monkeypatch, PASSWORD) == 1
    assert "already exists" in capsys.readouterr().err


def test_a_password_cannot_be_given_as_an_argument(url, monkeypatch):
    add = ["add", "a@x.example", "--name", "A", "--role", "admin"]
    for option in (["--password", PASSWORD], [PASSWORD]):
        with pytest.raises(SystemExit) as refused:
            run([*add, *option], monkeypatch, PASSWORD)
        assert refused.value.code == 2
    with pytest.raises(SystemExit):
        run(["reset-password", "a@x.example", PASSWORD], monkeypatch)


def test_disable_grant_revoke_and_reset(url, monkeypatch, capsys):
    add = ["add", "la@x.example", "--name", "L", "--role", "la_officer", "--la", "660"]
    run(add, monkeypatch, PASSWORD)

    assert run(["grant", "la@x.example", "--school", "6604001"], monkeypatch) == 0
    assert run(["grant", "la@x.example", "--school", "6614001"], monkeypatch) == 1
    assert listing(monkeypatch, capsys)[1][-1] == "6604001"
    assert run(["revoke", "la@x.example", "--school", "6604001"], monkeypatch) == 0
    assert listing(monkeypatch, capsys)[1][-1] == ""

    assert run(["reset-password", "la@x.example"], monkeypatch, "a new long one!") == 0
    assert authenticate(url, "la@x.example", PASSWORD) is None
    assert authenticate(url, "la@x.example", "a new long one!") is not None

    assert run(["disable", "la@x.example"], monkeypatch) == 0
    assert listing(monkeypatch, capsys)[1][6] == "False"
    assert authenticate(url, "la@x.example", "a new long one!") is None
    assert run(["disable", "nobody@x.example"], monkeypatch) == 1


def test_demo_users_cover_each_kind_and_their_totp_secrets_work(url):
    users = create_demo_users(url)
    again = create_demo_users(url)

    assert [email for email, _password, _role in users] == [
        "viewer@demo.example",
        "pupils@demo.example",
        "la@demo.example",
        "admin@demo.example",
    ]
    assert users == again
    for email, password, described in users:
        account = authenticate(url, email, password)
        assert account is not None
        assert account.needs_totp == ("TOTP secret" in described)
    assert "pupil-level access" in users[1][2]
    secret = users[3][2].rsplit(" ", 1)[1]
    assert len(pyotp.TOTP(secret).now()) == 6


def test_demo_users_only_in_sqlite():
    with pytest.raises(ValueError, match="SQLite"):
        create_demo_users("postgresql://tracker@localhost/tracker")


def test_the_tracker_command_line_has_the_user_commands_once_wired(
    url, monkeypatch, capsys
):
    commands = cli._parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    if "user" not in commands:
        pytest.skip("dashboard/cli.py does not call add_user_commands yet")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))

    status = cli.main(["user", "add", "a@x.example", "--name", "A", "--role", "admin"])

    assert status == 0
    assert authenticate(url, "a@x.example", PASSWORD) is not None


def test_the_audit_command_writes_the_log_with_who_did_what(
    url, monkeypatch, capsysbinary, tmp_path
):
    from data import audit

    monkeypatch.setattr(cli, "get_settings", lambda: Settings(database_url=url))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
    assert (
        cli.main(["user", "add", "a@x.example", "--name", "Ann", "--role", "admin"])
        == 0
    )
    with session_scope(url) as session:
        from data.schema import User

        admin_id = session.query(User.id).filter_by(email="a@x.example").scalar()
    audit.record(url, "pupil_view", admin_id, "6604001", "pupil 12")
    capsysbinary.readouterr()

    assert cli.main(["audit"]) == 0
    lines = capsysbinary.readouterr().out.decode("utf-8-sig").splitlines()
    assert lines[0] == "Time,User,Event,School,Detail"
    assert lines[1].endswith(
        f",Ann <a@x.example> (id {admin_id}),pupil_view,6604001,pupil 12"
    )
    assert lines[-1] == "For internal school use only"

    assert (
        cli.main(
            ["audit", "--since", "2999-01-01", "--output", str(tmp_path / "a.csv")]
        )
        == 0
    )
    written = (tmp_path / "a.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert written == ["Time,User,Event,School,Detail", "For internal school use only"]
