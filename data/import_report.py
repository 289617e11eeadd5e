"""The outcome of an import: problems found, the rejection they cause, and the summary.

Problem messages name a line and a value such as a date or a code, never a pupil's name,
UPN or date of birth.

Problems are written in English: the command line prints them and a rejected upload's
are kept in the import log. Each kind of problem is worded once, at module level, by
`wording()`; `shown_problem()` finds the wording a message was made from and gives it
in the reader's language with the same values, so a problem read back from the import
log months later is shown in Welsh as well as one just found.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple, NoReturn

import numpy as np
from sqlalchemy.orm import Session

from dashboard.i18n import DEFAULT_LANGUAGE, N_, _, current_language, language
from data.schema import ImportLog

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 50
# Each wording and the names of its values that are registered words.
_WORDINGS: dict[str, tuple[str, ...]] = {}
_WORDS: set[str] = set()
_PATTERNS: dict[str, re.Pattern[str]] = {}
_PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)s")


def wording(template: str, words: tuple[str, ...] = ()) -> str:
    """Register a problem's English wording, with `%(name)s` values, and return it.

    Call it at module level with the template marked by `N_()`, so that every wording
    is known before a stored problem is shown. `words` names the values that are
    always registered words ("the %(what)s is empty.": "what"), which lets a stored
    message be read back without doubt where the word has spaces in it.
    """
    _WORDINGS[template] = words
    _PATTERNS.clear()
    return template


def word(text: str) -> str:
    """Register a word that goes into problems as a value ("date of birth", "Saturday")
    and is shown in the reader's language; return it unchanged."""
    _WORDS.add(text)
    _PATTERNS.clear()
    return text


def shown_word(text: str) -> str:
    """Return a registered word in the current language; any other text as it is."""
    return _(text) if text in _WORDS else text


def shown_problem(message: str) -> str:
    """Return a problem message (English, as made or stored) in the current language.

    A message no wording matches, such as one stored by an older version, is shown as
    it is.
    """
    if current_language() == DEFAULT_LANGUAGE:
        return message
    # The wording with the most fixed text is tried first, so that "the %(what)s
    # %(value)s is not a date." wins over "%(value)s is not a date.".
    for template in sorted(_WORDINGS, key=_fixed_length):
        found = _pattern(template).fullmatch(message)
        if found:
            values = {
                name: shown_word(value) for name, value in found.groupdict().items()
            }
            return _(template, **values)
    return message


def _pattern(template: str) -> re.Pattern[str]:
    """Return the expression matching a wording's English messages (compiled once)."""
    if template not in _PATTERNS:
        known = "|".join(map(re.escape, sorted(_WORDS, key=len, reverse=True)))
        # split() alternates fixed text and placeholder names: "a %(b)s c" -> a, b, c.
        pieces = _PLACEHOLDER.split(template)
        pattern = "".join(
            f"(?P<{piece}>{known if piece in _WORDINGS[template] else '.+?'})"
            if position % 2
            else re.escape(piece)
            for position, piece in enumerate(pieces)
        )
        _PATTERNS[template] = re.compile(pattern, re.DOTALL)
    return _PATTERNS[template]


LINE = N_("Line %(line)s: %(problem)s")
REJECTED = wording(N_("%(file)s: rejected, %(total)s problem(s)"))
MORE = wording(N_("... and %(more)s more problems"))


class Problem(NamedTuple):
    """One thing wrong with an uploaded file, at a line (the header is line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return LINE % {"line": self.line, "problem": self.message}

    def shown(self) -> str:
        """Return the problem with its line in the current language."""
        return _(LINE, line=str(self.line), problem=shown_problem(self.message))


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
        lines = [REJECTED % {"file": self.file_name, "total": self.total}]
        lines += [str(problem) for problem in self.problems]
        if self.total > len(self.problems):
            lines.append(MORE % {"more": self.total - len(self.problems)})
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
        """Return one plain line for the command line and the import log (English)."""
        with language(DEFAULT_LANGUAGE):
            return self.shown()

    def shown(self) -> str:
        """Return the same line in the current language, as the data desk shows it."""
        kind = shown_word(self.kind)
        text = _("%(kind)s import of %(file)s", kind=kind, file=self.file_name)
        if self.school_id:
            text += _(" for school %(school)s", school=self.school_id)
        text += _(
            ": %(accepted)s rows accepted, %(skipped)s skipped",
            accepted=f"{self.rows_accepted:,}",
            skipped=f"{self.rows_skipped:,}",
        )
        if self.skipped:
            reasons = ", ".join(
                f"{shown_word(reason)}: {n:,}" for reason, n in self.skipped.items()
            )
            text += f" ({reasons})"
        if self.first_date and self.last_date:
            text += _(
                "; dates %(first)s to %(last)s",
                first=self.first_date.isoformat(),
                last=self.last_date.isoformat(),
            )
        return text + "."


# The kinds of import, as summaries and the import log name them.
IMPORT_KINDS = tuple(
    map(
        word,
        (
            N_("schools"),
            N_("pupils"),
            N_("marks"),
            N_("ctf"),
            N_("re-extract"),
            N_("calendar"),
        ),
    )
)


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


def _fixed_length(template: str) -> int:
    return -len(_PLACEHOLDER.sub("", template))


def academic_year_starts(days: np.ndarray) -> np.ndarray:
    """Return the first calendar year of each date's academic year (datetime64[D] in)."""
    months = days.astype("datetime64[M]")
    years = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month_numbers = months.astype(np.int64) % 12 + 1
    return years - (month_numbers < 9)
