"""`python -m dashboard export REPORT`: a report's table as CSV (standard output or a
file), Excel or, for reports that have one, PDF.

Every report's exporter is listed in `EXPORTERS` with the same builder the page uses, so
an export holds exactly the figures on screen. School reports are here; pupil reports
add theirs from `dashboard.export_pupils`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from data.groups import PupilFilter
from data.reports import ReportScope
from data.tables import Table

# An exporter turns the scope and the parsed options into the table the page shows.
Exporter = Callable[[ReportScope, argparse.Namespace], Table]
# A PDF exporter returns the finished document.
PdfExporter = Callable[[ReportScope, argparse.Namespace], bytes]
FORMATS = ("csv", "xlsx", "pdf")


def school_filter(args: argparse.Namespace) -> PupilFilter:
    """Return the pupil filter the school-report options describe."""
    return PupilFilter(
        year_group=args.year_group,
        gender=args.gender,
        efsm=None if args.efsm is None else args.efsm == "Y",
        sen=None if args.sen is None else args.sen == "Y",
    )


def _weekly(report: Callable[..., Table]) -> Exporter:
    """Return an exporter for a weekly school report taking (scope, term, filter)."""

    def export(scope: ReportScope, args: argparse.Namespace) -> Table:
        term = args.term or scope.default_term()
        return scope.cached(report, term, school_filter(args))

    return export


def exporters() -> tuple[dict[str, Exporter], dict[str, PdfExporter]]:
    """Return every report's table exporter and the PDF exporters, by report name."""
    from dashboard.export_pupils import PDF_EXPORTERS, PUPIL_EXPORTERS
    from data.reports.data_check import data_check
    from data.reports.school_reports import absence, pupil_groups, year_groups
    from data.reports.summary import attendance_summary

    tables: dict[str, Exporter] = {
        "attendance-summary": _weekly(attendance_summary),
        "year-groups": _weekly(year_groups),
        "pupil-groups": _weekly(pupil_groups),
        "absence": _weekly(absence),
        "data-check": _weekly(data_check),
        **PUPIL_EXPORTERS,
    }
    return tables, dict(PDF_EXPORTERS)


REPORT_NAMES = (
    "attendance-summary",
    "year-groups",
    "pupil-groups",
    "absence",
    "data-check",
    "pupil-list",
    "individual-pupil",
)


def add_export_command(commands: argparse._SubParsersAction) -> None:
    """Add the `export` command and its options to the command line."""
    command = commands.add_parser("export", help="write a report's table")
    command.add_argument("report", choices=REPORT_NAMES)
    command.add_argument("--school", required=True)
    command.add_argument("--term")
    command.add_argument("--year-group", type=int, choices=range(7, 12))
    command.add_argument("--gender", choices=("F", "M"))
    command.add_argument("--efsm", choices=("Y", "N"))
    command.add_argument("--sen", choices=("Y", "N"))
    command.add_argument("--reg-group", help="pupil reports: registration group")
    command.add_argument("--eal", choices=("Y", "N"), help="pupil reports: EAL")
    command.add_argument("--ethnic-group", help="pupil reports: main ethnic group")
    command.add_argument(
        "--include-leavers", action="store_true", help="pupil list: add leavers"
    )
    command.add_argument("--upn", help="individual pupil: the pupil's UPN")
    command.add_argument("--format", choices=FORMATS, default="csv")
    command.add_argument("--output", type=Path)
    command.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> None:
    """Write the report named by the options; CSV goes to standard output by default."""
    from dashboard.cli import CommandFailed, database_url
    from data.exports import csv_bytes, write_csv, xlsx_bytes
    from data.reports import ReportUnavailable, open_scope

    tables, pdfs = exporters()
    if args.format != "csv" and args.output is None:
        raise CommandFailed(f"{args.format.upper()} output needs --output FILE.")
    if args.format == "pdf" and args.report not in pdfs:
        raise CommandFailed(f"{args.report} has no PDF; use csv or xlsx.")
    if args.report not in tables:
        raise CommandFailed(f"{args.report} cannot be exported yet.")
    try:
        scope = open_scope(database_url(), args.school)
        if args.format == "pdf":
            payload = pdfs[args.report](scope, args)
        else:
            table = tables[args.report](scope, args)
            if args.output is None:
                write_csv(table, sys.stdout)
                return
            payload = xlsx_bytes(table) if args.format == "xlsx" else csv_bytes(table)
    except (ReportUnavailable, LookupError) as problem:
        raise CommandFailed(str(problem)) from None
    args.output.write_bytes(payload)
    print(f"Wrote {args.output}", file=sys.stderr)
