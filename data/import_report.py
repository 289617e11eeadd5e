"""The outcome of an import: problems found, the rejection they cause, and the summary.

Problem messages name a line and a value such as a date or a code, never a pupil's name,
UPN or date of birth.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple, NoReturn

import numpy as np
from sqlalchemy.orm import Session

from data.schema import ImportLog

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 50


class Problem(NamedTuple):
    """One thing wrong with an uploaded file, at a line (the header is line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


class ImportRejected(Exception):
    """A file was rejected and nothing from it was written.

    `problems` holds the first `MAX_PROBLEMS` problems sorted by line; `total` counts all.
    """

    def __init__(
        self, file_name: str, problems: list[Problem], total: int | None = None
    ):
        ordered = sorted(problems, key=lambda problem: problem.line)
        self.file_name = file_name
        self.problems = ordered[:MAX_PROBLEMS]
        self.total = max(total or 0, len(ordered))
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [f"{self.file_name}: rejected, {self.total} problem(s)"]
        lines += [str(problem) for problem in self.problems]
        if self.total > len(self.problems):
            lines.append(f"... and {self.total - len(self.problems)} more problems")
        return "\n".join(lines)


@dataclass
class ImportSummary:
    """What an accepted import stored, and what it skipped and why."""

    kind: str
    file_name: str
    school_id: str | None
    rows_accepted: int
    rows_skipped: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    first_date: date | None = None
    last_date: date | None = None

    def describe(self) -> str:
        """Return one plain line for the command line and the import log."""
        where = f" for school {self.school_id}" if self.school_id else ""
        text = f"{self.kind} import of {self.file_name}{where}: "
        text += f"{self.rows_accepted:,} rows accepted, {self.rows_skipped:,} skipped"
        if self.skipped:
            reasons = ", ".join(
                f"{reason}: {n:,}" for reason, n in self.skipped.items()
            )
            text += f" ({reasons})"
        if self.first_date and self.last_date:
            text += (
                f"; dates {self.first_date.isoformat()} to {self.last_date.isoformat()}"
            )
        return text + "."


class ProblemCollector:
    """Gathers problems from vectorised checks, building messages only for those shown."""

    def __init__(self) -> None:
        self._singles: list[Problem] = []
        self._groups: list[tuple[np.ndarray, np.ndarray, Callable[[int], str]]] = []

    def add(self, line: int, message: str) -> None:
        """Record one problem."""
        self._singles.append(Problem(line, message))

    def add_rows(
        self, lines: np.ndarray, failed: np.ndarray, message: Callable[[int], str]
    ) -> None:
        """Record a problem for every row where `failed` is true.

        `message` is called with a row's position only for the problems that are shown.
        """
        rows = np.flatnonzero(failed)
        if len(rows):
            self._groups.append((lines[rows], rows, message))

    def __len__(self) -> int:
        return len(self._singles) + sum(len(rows) for _, rows, _ in self._groups)

    def first(self) -> list[Problem]:
        """Return the first `MAX_PROBLEMS` problems in line order."""
        candidates = sorted(self._singles, key=lambda problem: problem.line)
        candidates = candidates[:MAX_PROBLEMS]
        for lines, rows, message in self._groups:
            shown = np.argsort(lines, kind="stable")[:MAX_PROBLEMS]
            candidates += [Problem(int(lines[i]), message(int(rows[i]))) for i in shown]
        return sorted(candidates, key=lambda problem: problem.line)[:MAX_PROBLEMS]

    def raise_if_any(self, kind: str, file_name: str, school_id: str | None) -> None:
        """Log and raise `ImportRejected` if anything was recorded."""
        if len(self):
            reject(kind, file_name, school_id, self.first(), len(self))


def reject(
    kind: str,
    file_name: str,
    school_id: str | None,
    problems: list[Problem],
    total: int | None = None,
) -> NoReturn:
    """Log a rejected file (without personal data) and raise `ImportRejected`."""
    error = ImportRejected(file_name, problems, total)
    logger.warning(
        "Rejected %s import of %s for school %s: %d problem(s), first on line %d",
        kind,
        file_name,
        school_id or "-",
        error.total,
        error.problems[0].line,
    )
    raise error


def record_import(
    session: Session, summary: ImportSummary, user_id: int | None
) -> None:
    """Add the import log row of an accepted import to the import's transaction."""
    session.add(
        ImportLog(
            kind=summary.kind,
            school_id=summary.school_id,
            user_id=user_id,
            file_name=summary.file_name[:255],
            imported_at=datetime.now(UTC).replace(tzinfo=None),
            rows_accepted=summary.rows_accepted,
            rows_skipped=summary.rows_skipped,
            first_date=summary.first_date,
            last_date=summary.last_date,
            summary=summary.describe(),
        )
    )
    session.flush()
    logger.info("Accepted %s", summary.describe())


def academic_year_starts(days: np.ndarray) -> np.ndarray:
    """Return the first calendar year of each date's academic year (datetime64[D] in)."""
    months = days.astype("datetime64[M]")
    years = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month_numbers = months.astype(np.int64) % 12 + 1
    return years - (month_numbers < 9)
