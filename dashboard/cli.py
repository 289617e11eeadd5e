"""The command line: data work as `python -m dashboard COMMAND`.

Command names and options are a contract that scripts rely on. Every command exits 0 on
success and non-zero on failure with a one-line reason first on standard error. Export
writes CSV to standard output and nothing else; logs and progress go to standard error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import SQLAlchemyError

from dashboard.config import get_settings
from dashboard.logs import configure_logging

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run one command and return its exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging()
    try:
        args.run(args)
    except CommandFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    except SQLAlchemyError as problem:
        log.debug("Database error", exc_info=True)
        print(
            f"The database did not do what was asked ({type(problem).__name__}); "
            "check DATABASE_URL and run 'python -m dashboard init-db'.",
            file=sys.stderr,
        )
        return 1
    except OSError as problem:
        print(f"{problem.filename or 'A file'}: {problem.strerror}.", file=sys.stderr)
        return 1
    return 0


class CommandFailed(Exception):
    """A command could not do its work; the message is the one-line reason."""


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line (and exit status 2), without the usage text."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    command = commands.add_parser("init-db", help="create or upgrade the schema")
    command.set_defaults(run=_init_db)

    command = commands.add_parser("import-schools", help="import schools from CSV")
    command.add_argument("file", type=Path)
    command.set_defaults(run=_import_schools)

    command = commands.add_parser("import-pupils", help="import a school's pupils")
    command.add_argument("file", type=Path)
    command.add_argument("--school", required=True)
    command.add_argument("--year", help="academic year, e.g. 2023/24")
    command.set_defaults(run=_import_pupils)

    command = commands.add_parser("import-marks", help="import a school's marks")
    command.add_argument("file", type=Path)
    command.add_argument("--school", required=True)
    command.set_defaults(run=_import_marks)

    command = commands.add_parser("import-ctf", help="import a Common Transfer File")
    command.add_argument("file", type=Path)
    command.set_defaults(run=_import_ctf)

    command = commands.add_parser(
        "import-calendar", help="import a school's own half-terms and closures"
    )
    command.add_argument("file", type=Path)
    command.add_argument("--school", required=True)
    command.set_defaults(run=_import_calendar)

    command = commands.add_parser("publish", help="publish the weekly release")
    command.add_argument("--to", type=date.fromisoformat, help="last date, ISO")
    command.set_defaults(run=_publish)

    from dashboard.export_cli import add_export_command

    add_export_command(commands)

    command = commands.add_parser("status", help="show the latest release")
    command.add_argument(
        "--quiet", action="store_true", help="print nothing; fail if none published"
    )
    command.set_defaults(run=_status)

    command = commands.add_parser("demo", help="build the demo data set")
    command.add_argument("--as-of", type=date.fromisoformat)
    command.add_argument("--schools", type=int, default=30)
    command.set_defaults(run=_demo)

    command = commands.add_parser(
        "audit", help="write the audit log as CSV, newest first (administrators)"
    )
    command.add_argument(
        "--since", type=date.fromisoformat, help="only entries from this date, ISO"
    )
    command.add_argument(
        "--output", type=Path, help="a file instead of standard output"
    )
    command.set_defaults(run=_audit)

    from dashboard.users_cli import add_user_commands

    add_user_commands(commands)

    from dashboard.protection_cli import add_protection_commands

    add_protection_commands(commands)
    return parser


def database_url() -> str:
    """Return the database the command works on (`DATABASE_URL` or the default)."""
    return get_settings().database_url


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _init_db(args: argparse.Namespace) -> None:
    from data.db import init_db

    init_db(database_url())
    log.info("Schema ready")


def _imported(run) -> None:  # type: ignore[no-untyped-def]
    from data.imports import ImportRejected

    try:
        summary = run()
    except ImportRejected as rejected:
        raise CommandFailed(str(rejected)) from None
    except FileNotFoundError as missing:
        raise CommandFailed(f"{missing.filename}: no such file.") from None
    except ValueError as problem:
        raise CommandFailed(str(problem)) from None
    print(summary.describe(), file=sys.stderr)


def _import_schools(args: argparse.Namespace) -> None:
    from data.imports import import_schools

    _imported(lambda: import_schools(database_url(), args.file))


def _import_pupils(args: argparse.Namespace) -> None:
    from data.imports import import_pupils

    _imported(
        lambda: import_pupils(
            database_url(), args.file, args.school, year=args.year, progress=_progress
        )
    )


def _import_marks(args: argparse.Namespace) -> None:
    from data.imports import import_marks

    _imported(
        lambda: import_marks(database_url(), args.file, args.school, progress=_progress)
    )


def _import_ctf(args: argparse.Namespace) -> None:
    from data.imports import import_ctf

    _imported(lambda: import_ctf(database_url(), args.file, progress=_progress))


def _import_calendar(args: argparse.Namespace) -> None:
    from data.imports import import_calendar

    _imported(
        lambda: import_calendar(
            database_url(), args.file, args.school, progress=_progress
        )
    )


def _publish(args: argparse.Namespace) -> None:
    from data.releases import publish

    try:
        release = publish(database_url(), to_date=args.to, progress=_progress)
    except ValueError as problem:
        raise CommandFailed(str(problem)) from None
    print(
        f"Published release {release.id}: {release.academic_year} to "
        f"{release.to_date.isoformat()}, {release.schools} schools, {release.pupils} pupils.",
        file=sys.stderr,
    )


def _status(args: argparse.Namespace) -> None:
    from data.releases import current_release

    release = current_release(database_url())
    if release is None:
        raise CommandFailed("No release has been published yet.")
    if args.quiet:
        return
    print(
        f"Release {release.id}: {release.academic_year} to "
        f"{release.to_date.isoformat()}, {release.schools} schools, "
        f"{release.pupils} pupils.",
        file=sys.stderr,
    )
    if get_settings().is_sqlite:
        from dashboard.users import demo_accounts

        _print_accounts(demo_accounts(database_url()))


def _audit(args: argparse.Namespace) -> None:
    from datetime import datetime

    from data.audit import entries_csv

    since = (
        None
        if args.since is None
        else datetime.combine(args.since, datetime.min.time())
    )
    written = entries_csv(database_url(), since=since)
    if args.output is None:
        sys.stdout.buffer.write(written)
        sys.stdout.flush()
    else:
        args.output.write_bytes(written)
        _progress(f"Wrote the audit log to {args.output}")


def _demo(args: argparse.Namespace) -> None:
    from dashboard.users import create_demo_users
    from data.db import init_db
    from data.demo import build_demo

    init_db(database_url())
    try:
        summary = build_demo(
            database_url(), as_of=args.as_of, schools=args.schools, progress=_progress
        )
    except ValueError as problem:
        raise CommandFailed(str(problem)) from None
    print(
        f"Demo built: {summary.schools} schools, {summary.pupils} pupils, "
        f"{summary.marks} marks, {len(summary.releases)} releases "
        f"in {summary.seconds:.0f} s.",
        file=sys.stderr,
    )
    if get_settings().is_sqlite:
        _print_accounts(create_demo_users(database_url()))


def _print_accounts(accounts: list[tuple[str, str, str]]) -> None:
    print("Demo sign-ins (email / password / who):", file=sys.stderr)
    for email, password, description in accounts:
        print(f"  {email} / {password} / {description}", file=sys.stderr)
