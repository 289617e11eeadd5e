"""The data desk's uploads and import history: one school's files, checked and logged.

An upload goes through the same importers as the command line, so it is checked as a
whole and stored in one transaction or not at all. The desk adds three things: a size
limit, a check that a CTF holds only the chosen school's attendance years, and a row in
the import log for every rejected upload (kind "<kind>-rejected", no rows accepted,
`rows_skipped` the data rows of the file, `summary` the problems one per line), so the
history shows rejections beside accepted imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from dashboard.i18n import N_, _, format_moment
from data import audit
from data.csv_input import BOM
from data.ctf_xml import Element, parse_ctf
from data.db import session_scope
from data.import_report import (
    ImportRejected,
    ImportSummary,
    Problem,
    shown_problem,
    shown_word,
    wording,
)
from data.imports import import_ctf, import_marks, import_pupils
from data.schema import ImportLog, User
from data.tables import Cell, Table, count_cell

UPLOAD_LIMIT = 40 * 1024 * 1024
KINDS = {"pupils": N_("Pupils"), "marks": N_("Marks"), "ctf": N_("CTF")}
# How the history names each kind of import, uploads and others alike.
KIND_NAMES = KINDS | {
    "schools": N_("Schools"),
    "re-extract": N_("Re-extract"),
    "calendar": N_("Calendar"),
}
REJECTED = "-rejected"
HISTORY_LIMIT = 200
HISTORY_COLUMNS = (
    N_("When (UTC)"),
    N_("Who"),
    N_("Kind"),
    N_("File"),
    N_("Dates"),
    N_("Rows accepted"),
    N_("Rows rejected"),
    N_("Outcome"),
)
# Times as the history shows them, e.g. "05 Mar 2024 14:07" ("05 Maw 2024 14:07").
STAMP = "dd MMM yyyy HH:mm"
OTHER_SCHOOL = wording(
    N_(
        "this attendance year is for school %(found)s; upload a CTF holding school "
        "%(school)s only."
    )
)
_PROBLEM_LINE = re.compile(r"Line (\d+): (.*)")
_CTF_PUPIL = re.compile(rb"<Pupil[\s>]")
_SKIPPED = re.compile(r"\d skipped \(([^)]*)\)")


class UploadTooLarge(ValueError):
    """An upload is over the size limit; the message says by how much."""


@dataclass(frozen=True)
class ImportHistory:
    """A school's import history as the desk shows it, newest first.

    `rejected` lists (import log id, label) of the rejected uploads whose problems can
    be downloaded.
    """

    table: Table
    rejected: tuple[tuple[int, str], ...]


# A count with its noun, one and many; Welsh keeps the noun singular after a number.
PUPILS = (N_("%(count)s pupil"), N_("%(count)s pupils"))
WEEKS = (N_("%(count)s week"), N_("%(count)s weeks"))


def plural(number: int, forms: tuple[str, str]) -> str:
    """Return a count with its noun in the current language, `forms` being messages
    for one and many such as `PUPILS`: "1 pupil", "1,204 pupils" ("1,204 disgybl")."""
    one, many = forms
    return _(one if number == 1 else many, count=f"{number:,}")


def size_text(size: int) -> str:
    """Return a byte count as people read it: "812 KB", "31.2 MB"."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def check_size(size: int) -> None:
    """Raise `UploadTooLarge` when an upload of `size` bytes is over the limit."""
    if size > UPLOAD_LIMIT:
        raise UploadTooLarge(
            _(
                "The file is %(size)s; the limit is %(limit)s. Split it into smaller "
                "files, for example one per half-term.",
                size=size_text(size),
                limit=size_text(UPLOAD_LIMIT),
            )
        )


def upload(
    url: str,
    kind: str,
    data: bytes,
    file_name: str,
    school_id: str,
    user_id: int,
    year: str | None = None,
) -> ImportSummary:
    """Import one school's pupils, marks or CTF as the command line would.

    `year` ("2023/24") applies to pupil files only. Raises `UploadTooLarge`,
    `ImportRejected` (after logging the rejection) or ValueError. Every outcome is
    audited.
    """
    check_size(len(data))
    if kind not in KINDS:
        raise ValueError(_("Unknown kind of upload %(kind)r.", kind=kind))
    try:
        if kind == "pupils":
            summary = import_pupils(url, data, school_id, year, file_name, user_id)
        elif kind == "marks":
            summary = import_marks(url, data, school_id, file_name, user_id)
        else:
            _require_one_school(data, file_name, school_id)
            summary = import_ctf(url, data, file_name, user_id)
    except ImportRejected as error:
        record_rejection(url, kind, school_id, user_id, data, error)
        raise
    audit.record(url, "import_uploaded", user_id, school_id, summary.describe())
    return summary


def record_rejection(
    url: str,
    kind: str,
    school_id: str,
    user_id: int,
    data: bytes,
    error: ImportRejected,
) -> None:
    """Log a rejected upload in the import log and the audit log."""
    rows = _ctf_pupils(data) if kind == "ctf" else _data_rows(data)
    with session_scope(url) as session:
        session.add(
            ImportLog(
                kind=f"{kind}{REJECTED}",
                school_id=school_id,
                user_id=user_id,
                file_name=error.file_name[:255],
                imported_at=datetime.now(UTC).replace(tzinfo=None),
                rows_accepted=0,
                rows_skipped=rows,
                summary=str(error),
            )
        )
    detail = f"{kind} {error.file_name[:200]}: {error.total} problem(s)"
    audit.record(url, "import_rejected", user_id, school_id, detail)


def import_history(url: str, school_id: str) -> ImportHistory:
    """Return the school's latest imports and rejected uploads, newest first."""
    query = (
        select(ImportLog, User.name)
        .outerjoin(User, User.id == ImportLog.user_id)
        .where(ImportLog.school_id == school_id)
        .order_by(ImportLog.imported_at.desc(), ImportLog.id.desc())
        .limit(HISTORY_LIMIT)
    )
    with session_scope(url) as session:
        found = session.execute(query).all()
        rows = tuple(_history_row(log, name) for log, name in found)
        rejected = tuple(
            (log.id, f"{format_moment(log.imported_at, STAMP)} {log.file_name}")
            for log, _ in found
            if log.kind.endswith(REJECTED)
        )
    notes = (_("Times are in UTC. A CTF counts sessions; other files count lines."),)
    columns = tuple(_(column) for column in HISTORY_COLUMNS)
    table = Table(_("Import history"), columns, rows, notes)
    return ImportHistory(table, rejected)


def rejection_problems(url: str, school_id: str, log_id: int) -> Table:
    """Return the problems of one of the school's rejected uploads as line and text.

    Raises LookupError when the school has no rejected upload with that id.
    """
    with session_scope(url) as session:
        log = session.get(ImportLog, log_id)
        if log is None or log.school_id != school_id or not log.kind.endswith(REJECTED):
            raise LookupError(f"School {school_id} has no rejected upload {log_id}.")
        name, text = log.file_name, log.summary
    rows = []
    for line in text.splitlines()[1:]:
        found = _PROBLEM_LINE.fullmatch(line)
        number, message = found.groups() if found else ("", line)
        rows.append((Cell(number), Cell(shown_problem(message))))
    title = _("Problems in %(file)s", file=name)
    return Table(title, (_("Line"), _("Problem")), tuple(rows))


def _require_one_school(data: bytes, file_name: str, school_id: str) -> None:
    """Reject a CTF holding attendance years of another school than the chosen one.

    A file that does not parse is left for `import_ctf` to reject in its own words.
    """
    root = parse_ctf(data)
    if not isinstance(root, Element):
        return
    problems = []
    for year_data in root.all("CTFpupilData", "Pupil", "Attendance", "YearData"):
        lea, estab = year_data.text_at("LEA"), year_data.text_at("Estab")
        if not (lea.isdigit() and estab.isdigit()):
            continue
        found = f"{int(lea):03d}{int(estab):04d}"
        if found != school_id:
            message = OTHER_SCHOOL % {"found": found, "school": school_id}
            problems.append(Problem(year_data.line, message))
    if problems:
        raise ImportRejected(file_name, problems)


def _history_row(log: ImportLog, who: str | None) -> tuple[Cell, ...]:
    rejected = log.kind.endswith(REJECTED)
    kind = log.kind.removesuffix(REJECTED)
    dates = ""
    if log.first_date and log.last_date:
        dates = _(
            "%(first)s to %(last)s",
            first=log.first_date.isoformat(),
            last=log.last_date.isoformat(),
        )
    if rejected:
        first_line = log.summary.splitlines()[0] if log.summary else ""
        total = first_line.rpartition("rejected, ")[2].removesuffix(" problem(s)")
        outcome = _("Rejected: %(total)s problem(s)", total=total)
        accepted, refused = 0, log.rows_skipped
    else:
        reasons = _SKIPPED.search(log.summary)
        outcome = _("Accepted")
        if reasons:
            outcome = _("Accepted; skipped %(reasons)s", reasons=_reasons(reasons[1]))
        accepted, refused = log.rows_accepted, log.rows_skipped
    if who is None:
        who = (
            _("command line")
            if log.user_id is None
            else _("user %(id)s", id=log.user_id)
        )
    return (
        Cell(
            format_moment(log.imported_at, STAMP),
            export=log.imported_at.isoformat(sep=" "),
        ),
        Cell(who),
        Cell(_(KIND_NAMES[kind]) if kind in KIND_NAMES else kind.capitalize()),
        Cell(log.file_name),
        Cell(dates),
        count_cell(accepted),
        count_cell(refused),
        Cell(outcome),
    )


def _reasons(text: str) -> str:
    """Return a summary's skip reasons ("years 12 and 13: 4, repeated lines: 2") in
    the current language."""
    reasons = (reason.rpartition(": ") for reason in text.split(", "))
    return ", ".join(f"{shown_word(word)}: {count}" for word, _sep, count in reasons)


def _data_rows(data: bytes) -> int:
    """Return the non-blank lines after the header of a text file."""
    lines = data.removeprefix(BOM).splitlines()
    return max(0, sum(1 for line in lines if line.strip()) - 1)


def _ctf_pupils(data: bytes) -> int:
    """Return how many pupils a CTF's text holds (it may not parse)."""
    return len(_CTF_PUPIL.findall(data))
