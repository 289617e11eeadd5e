"""The pupil reports' exporters for `python -m dashboard export` (see export_cli).

`pupil-list` writes the list the page shows (UPN, name, year group, registration
group, YTD, band, then the term's weeks); `individual-pupil --upn UPN` writes the
pupil's tables, or with `--format pdf` the same PDF as the page. Every pupil-level
export is written to the audit log with user none and, in the detail, the command line
and the operating-system user who ran it, naming pupils by id only.
"""

from __future__ import annotations

import argparse
import getpass
from dataclasses import replace

from dashboard.export_cli import Exporter, PdfExporter, school_filter
from data import audit
from data.groups import PupilFilter
from data.pupil_names import pupil_by_upn, school_name
from data.pupil_pdf import PdfHeading, pupil_pdf
from data.reports import ReportScope
from data.reports.individual_pupil import PupilReport, export_table, individual_pupil
from data.reports.pupil_list import pupil_list
from data.tables import Table


def pupil_filter(args: argparse.Namespace) -> PupilFilter:
    """Return the pupil filter the pupil-report options describe."""
    return replace(
        school_filter(args),
        reg_group=args.reg_group,
        eal=None if args.eal is None else args.eal == "Y",
        ethnic_group=args.ethnic_group,
    )


def export_pupil_list(scope: ReportScope, args: argparse.Namespace) -> Table:
    """Return the Pupil List as the page shows it for these options."""
    term = args.term or scope.default_term()
    chosen = pupil_filter(args)
    listed = scope.cached(pupil_list, term, chosen, bool(args.include_leavers))
    audit.record(
        scope.url,
        "pupil_export",
        None,
        scope.school_id,
        describe_list(scope, term, chosen, bool(args.include_leavers), None)
        + f", {len(listed.pupil_ids)} pupils, {_command_line()}",
        pupils=listed.pupil_ids,
    )
    return listed.table


def export_individual_pupil(scope: ReportScope, args: argparse.Namespace) -> Table:
    """Return the pupil's tables (who, marks, authorised and unauthorised absence)."""
    return export_table(_pupil_report(scope, args, "csv"))


def export_pupil_pdf(scope: ReportScope, args: argparse.Namespace) -> bytes:
    """Return the pupil's PDF, the same as the page's download."""
    report = _pupil_report(scope, args, "pdf")
    return pupil_pdf(report, pdf_heading(scope))


def pdf_heading(scope: ReportScope) -> PdfHeading:
    """Return what the PDF names besides the pupil: the school and the release."""
    release = scope.release
    return PdfHeading(
        school_name(scope.url, scope.school_id), release.to_date, release.academic_year
    )


def describe_list(
    scope: ReportScope,
    term: str,
    chosen: PupilFilter,
    include_leavers: bool,
    band: str | None,
) -> str:
    """Return an audit detail naming a list by release, term and filters (no names)."""
    filters = ", ".join(
        f"{name}={value}" for name, value in vars(chosen).items() if value is not None
    )
    parts = [
        f"pupil-list release {scope.release.id} term {term}",
        f"filters {filters or 'none'}",
        f"leavers {'yes' if include_leavers else 'no'}",
    ]
    if band:
        parts.append(f"band {band}")
    return ", ".join(parts)


def _pupil_report(
    scope: ReportScope, args: argparse.Namespace, kind: str
) -> PupilReport:
    if not args.upn:
        raise LookupError("individual-pupil needs --upn UPN.")
    pupil_id = pupil_by_upn(scope.url, scope.school_id, args.upn)
    if pupil_id is None or pupil_id not in scope.data.pupils.index:
        raise LookupError(
            f"No pupil with that UPN in school {scope.school_id}'s latest release."
        )
    term = args.term or scope.default_term()
    report = scope.cached(individual_pupil, term, pupil_id)
    audit.record(
        scope.url,
        "pupil_export",
        None,
        scope.school_id,
        f"individual-pupil {kind} pupil {pupil_id} release {scope.release.id} "
        f"term {term}, {_command_line()}",
    )
    return report


def _command_line() -> str:
    """Return who ran an export, for its audit entry: "command line, os user NAME"."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment or passwd file
        user = "unknown"
    return f"command line, os user {user}"


PUPIL_EXPORTERS: dict[str, Exporter] = {
    "pupil-list": export_pupil_list,
    "individual-pupil": export_individual_pupil,
}
PDF_EXPORTERS: dict[str, PdfExporter] = {"individual-pupil": export_pupil_pdf}
