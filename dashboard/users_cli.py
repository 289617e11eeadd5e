"""The `python -m dashboard user ...` commands: manage accounts from the shell.

Passwords are read from a prompt, or from the first line of standard input when it is
not a terminal; never from the command line.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from dashboard.users import (
    create_user,
    disable_user,
    grant_pupil_access,
    list_users,
    reset_password,
    revoke_pupil_access,
)
from data.scope import ROLES


def add_user_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `user add|disable|reset-password|grant|revoke|list` to the command line."""
    user = subparsers.add_parser("user", help="manage user accounts")
    commands = user.add_subparsers(dest="user_command", required=True)

    command = commands.add_parser("add", help="add a user (password from a prompt)")
    command.add_argument("email")
    command.add_argument("--name", required=True)
    command.add_argument("--role", required=True, choices=ROLES)
    command.add_argument("--school", help="school id, for school roles")
    command.add_argument("--la", type=int, help="authority number, for LA officers")
    command.set_defaults(run=_add)

    for name, run, text in (
        ("disable", _disable, "disable a user and end their sign-ins"),
        ("reset-password", _reset, "set a new password (from a prompt)"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("email")
        command.set_defaults(run=run)

    for name, run, text in (
        ("grant", _grant, "give pupil-level access to a school"),
        ("revoke", _revoke, "take away pupil-level access to a school"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("email")
        command.add_argument("--school", required=True)
        command.set_defaults(run=run)

    command = commands.add_parser("list", help="list every user")
    command.set_defaults(run=_list)


def _add(args: argparse.Namespace) -> None:
    password = _read_password()
    _run(
        lambda url: create_user(
            url, args.email, args.name, args.role, password, args.school, args.la
        ),
        "Added user {}.",
    )


def _disable(args: argparse.Namespace) -> None:
    _run(lambda url: disable_user(url, args.email), "Disabled user {}.")


def _reset(args: argparse.Namespace) -> None:
    password = _read_password()
    _run(lambda url: reset_password(url, args.email, password), "Reset user {}.")


def _grant(args: argparse.Namespace) -> None:
    _run(
        lambda url: grant_pupil_access(url, args.email, args.school),
        f"Granted user {{}} pupil access to school {args.school}.",
    )


def _revoke(args: argparse.Namespace) -> None:
    _run(
        lambda url: revoke_pupil_access(url, args.email, args.school),
        f"Revoked user {{}} pupil access to school {args.school}.",
    )


def _list(args: argparse.Namespace) -> None:
    from dashboard.config import get_settings

    columns = ("id", "email", "name", "role", "school_id", "la_code", "active", "totp")
    print("\t".join((*columns, "grants")))
    for row in list_users(get_settings().database_url):
        cells = ["" if row[name] is None else str(row[name]) for name in columns]
        print("\t".join((*cells, ",".join(row["grants"]))))  # type: ignore[arg-type]


def _run(change, done: str) -> None:  # type: ignore[no-untyped-def]
    """Apply one account change to the configured database; report it on stderr."""
    from dashboard.cli import CommandFailed
    from dashboard.config import get_settings

    try:
        user_id = change(get_settings().database_url)
    except ValueError as problem:
        raise CommandFailed(str(problem)) from None
    print(done.format(user_id), file=sys.stderr)


def _read_password() -> str:
    """Return a password from a prompt (asked twice), or stdin's first line."""
    from dashboard.cli import CommandFailed

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise CommandFailed("The two passwords differ.")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandFailed("No password given.")
    return password
