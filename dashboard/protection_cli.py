"""The data protection commands: `purge`, `remove-school` and `subject-access`.

Each is one transaction in `data.protection` or `data.subject_access`; what they
print names tables, schools and pupil ids, never a pupil's name, UPN or date of birth.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard.cli import CommandFailed, database_url
from dashboard.config import get_settings
from data.protection import Removal, purge, remove_school
from data.subject_access import subject_access, subject_access_json

PURGE_HELP = (
    "delete pupil-level data older than PUPIL_DATA_YEARS academic years (counted back "
    "from the current release's year): marks, pupil context, pupils left with neither, "
    "and the per-school, per-pupil payloads of those years' releases. Kept: every "
    "release with its national, authority and region comparators (counts per week "
    "and pupil cell, naming no pupil), the import log and the audit log. Restart the "
    "app afterwards: its workers cache release payloads in memory"
)
REMOVE_HELP = (
    "delete one school and everything held for it: pupils, marks, context, import "
    "log rows, its payloads in releases, its calendar and pupil grants to it; its "
    "users are disabled and detached. Published comparators keep its counts until the "
    "next publish, which excludes it"
)
ACCESS_HELP = (
    "export everything held about one UPN as JSON headed 'For internal school use "
    "only': records, context, marks, published figures, import log and audit entries"
)


def add_protection_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `purge`, `remove-school` and `subject-access` to the command line."""
    command = subparsers.add_parser(
        "purge",
        help="delete pupil-level data past its retention",
        description=PURGE_HELP,
    )
    _add_dry_run(command)
    command.set_defaults(run=_purge)

    command = subparsers.add_parser(
        "remove-school",
        help="delete one school's data entirely",
        description=REMOVE_HELP,
    )
    command.add_argument("school", metavar="ID")
    command.add_argument(
        "--confirm", metavar="ID", required=True, help="the same school id again"
    )
    _add_dry_run(command)
    command.set_defaults(run=_remove_school)

    command = subparsers.add_parser(
        "subject-access",
        help="export everything held about one UPN",
        description=ACCESS_HELP,
    )
    command.add_argument("upn", metavar="UPN")
    command.add_argument(
        "--output", type=Path, help="file to write (readable by its owner only)"
    )
    command.set_defaults(run=_subject_access)


def _add_dry_run(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--dry-run", action="store_true", help="count what would go; change nothing"
    )


def _purge(args: argparse.Namespace) -> None:
    years = get_settings().pupil_data_years
    try:
        removal = purge(database_url(), years, dry_run=args.dry_run)
    except ValueError as problem:
        raise CommandFailed(str(problem)) from None
    what = f"pupil-level data before {removal.kept_from} (keeping {years} academic year(s))"
    _print_removal(removal, what)


def _remove_school(args: argparse.Namespace) -> None:
    if args.confirm != args.school:
        raise CommandFailed(
            f"Refusing to remove school {args.school}: --confirm must repeat its id."
        )
    try:
        removal = remove_school(database_url(), args.school, dry_run=args.dry_run)
    except LookupError as missing:
        raise CommandFailed(str(missing)) from None
    _print_removal(removal, f"school {args.school}")
    print(
        "  Comparators already published include its counts until the next publish.",
        file=sys.stderr,
    )


def _subject_access(args: argparse.Namespace) -> None:
    try:
        record = subject_access(database_url(), args.upn)
    except LookupError as missing:
        raise CommandFailed(str(missing)) from None
    document = subject_access_json(record)
    if args.output is None:
        sys.stdout.buffer.write(document)
        sys.stdout.flush()
        return
    try:
        _write_private(args.output, document)
    except OSError as problem:
        raise CommandFailed(
            f"Cannot write the output file: {problem.strerror}."
        ) from None
    # The file's name is not echoed: people name such files after the pupil.
    print(
        f"Subject access export of {len(record['pupils'])} pupil record(s) written.",
        file=sys.stderr,
    )


def _print_removal(removal: Removal, what: str) -> None:
    if removal.dry_run:
        print(f"Dry run, nothing changed. Would remove {what}:", file=sys.stderr)
    else:
        print(f"Removed {what}:", file=sys.stderr)
    print(f"  {removal.describe()}.", file=sys.stderr)


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner may read, replacing any file of that name."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
