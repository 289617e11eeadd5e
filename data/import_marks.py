"""Importing session marks: the long CSV file checked in bulk, and storing weekly strings.

A marks file replaces exactly the dates it covers for its school, so sending the last
five days again is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.codes import code_sets, statutory_code
from data.csv_input import date_shown, factorize, parse_dates, read_source, read_table
from data.db import session_scope
from data.import_report import (
    ImportSummary,
    ProblemCollector,
    academic_year_starts,
    record_import,
)
from data.import_roll import SIXTH_FORM, require_school
from data.mark_store import store_marks
from data.schema import Pupil, PupilYear

logger = logging.getLogger(__name__)

MARK_COLUMNS = ("upn", "date", "session", "code")
REPEATED = "repeated lines"
WEEKDAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
LAST_DAY = np.datetime64("9999-12-31", "D")


@dataclass
class CheckedMarks:
    """The marks of a file that passed every check, as parallel arrays, and what was skipped."""

    pupil_ids: np.ndarray
    days: np.ndarray
    sessions: np.ndarray
    codes: np.ndarray
    sixth_form: int
    repeated: int


def import_marks(
    url: str,
    source: Path | bytes,
    school_id: str,
    file_name: str | None = None,
    user_id: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Check a `upn,date,session,code` file and store its marks, replacing those dates."""
    report = progress or (lambda _: None)
    data, name = read_source(source, file_name)
    table, lines = read_table(data, MARK_COLUMNS, "marks", name, school_id)
    report(f"Read {len(table):,} rows from {name}.")

    with session_scope(url) as session:
        require_school(session, school_id)
        checks = ProblemCollector()
        marks = check_marks(session, school_id, table, lines, checks)
        checks.raise_if_any("marks", name, school_id)
        report(f"Checked {len(table):,} rows; storing {len(marks.days):,} marks.")
        store_marks(
            session, school_id, marks.pupil_ids, marks.days, marks.sessions, marks.codes
        )
        summary = _summary(name, school_id, marks)
        record_import(session, summary, user_id)
    report(f"Stored {summary.rows_accepted:,} marks.")
    return summary


def check_marks(
    session: Session,
    school_id: str,
    table: pd.DataFrame,
    lines: np.ndarray,
    checks: ProblemCollector,
) -> CheckedMarks:
    """Check every row of a marks file in bulk, recording problems by line."""
    date_rows, date_texts = factorize(table["date"])
    days = parse_dates(date_texts)[date_rows]
    good_day = ~np.isnat(days)
    checks.add_rows(
        lines,
        ~good_day,
        lambda i: f"{date_shown(date_texts[date_rows[i]])} is not a date.",
    )
    weekdays = (days.astype(np.int64) + 3) % 7
    weekend = good_day & (weekdays >= 5)
    checks.add_rows(
        lines,
        weekend,
        lambda i: (
            f"{days[i]} is a {WEEKDAY_NAMES[weekdays[i]]}; "
            "marks are only recorded on weekdays."
        ),
    )
    good_day &= ~weekend

    session_rows, session_texts = factorize(table["session"])
    slots = np.array([{"AM": 0, "PM": 1}.get(s.upper(), -1) for s in session_texts])
    sessions = slots[session_rows]
    checks.add_rows(lines, sessions < 0, lambda _: "the session must be AM or PM.")

    codes = _mapped_codes(table["code"], days, good_day, lines, checks)
    pupil_ids, context = _roll_context(
        session, school_id, table["upn"], days, good_day, lines, checks
    )
    year_group, entry, leaving = context
    sixth_form = year_group >= 12
    counted = good_day & (year_group > 0) & ~sixth_form
    before = counted & (days < entry)
    checks.add_rows(
        lines,
        before,
        lambda i: f"{days[i]} is before this pupil's entry date ({entry[i]}).",
    )
    after = counted & (days > leaving)
    checks.add_rows(
        lines,
        after,
        lambda i: f"{days[i]} is after this pupil's leaving date ({leaving[i]}).",
    )

    valid = good_day & (sessions >= 0) & (codes > 0) & (pupil_ids > 0)
    repeated = _repeated_rows(pupil_ids, days, sessions, codes, valid, lines, checks)
    keep = valid & ~repeated & ~sixth_form
    return CheckedMarks(
        pupil_ids[keep],
        days[keep],
        sessions[keep],
        codes[keep],
        sixth_form=int((valid & ~repeated & sixth_form).sum()),
        repeated=int(repeated.sum()),
    )


def _mapped_codes(
    column: pd.Series,
    days: np.ndarray,
    good_day: np.ndarray,
    lines: np.ndarray,
    checks: ProblemCollector,
) -> np.ndarray:
    """Map raw marks to statutory code bytes per code set in force; 0 where unknown."""
    code_rows, code_texts = factorize(column)
    starts = np.array(list(code_sets()), dtype="datetime64[D]")
    known_day = np.where(good_day, days, starts[-1])
    code_set = np.searchsorted(starts, known_day, side="right") - 1
    width = len(starts) + 1
    pairs, pair_rows = np.unique(code_rows * width + code_set + 1, return_inverse=True)
    mapped = np.zeros(len(pairs), dtype=np.uint8)
    for position, pair in enumerate(pairs.tolist()):
        raw, which = code_texts[pair // width], pair % width - 1
        if which >= 0:
            code = statutory_code(raw, starts[which].item())
            mapped[position] = ord(code) if code else 0
    codes = mapped[pair_rows]

    too_early = good_day & (code_set < 0)
    checks.add_rows(
        lines, too_early, lambda i: f"{days[i]} is before any attendance code set."
    )
    checks.add_rows(
        lines,
        (codes == 0) & ~too_early,
        lambda i: _unknown_code(code_texts[code_rows[i]]),
    )
    return codes


def _unknown_code(raw: str) -> str:
    if len(raw) <= 5:
        return f"unknown attendance code '{raw}'."
    return "the attendance code is not a known code."


def _roll_context(
    session: Session,
    school_id: str,
    column: pd.Series,
    days: np.ndarray,
    good_day: np.ndarray,
    lines: np.ndarray,
    checks: ProblemCollector,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Return each row's pupil id (0 if unknown) and year group, entry and leaving dates.

    Year group is 0 where the pupil has no context for the academic year of the mark.
    """
    upn_rows, upns = factorize(column)
    roll = dict(
        session.execute(
            select(Pupil.upn, Pupil.id).where(Pupil.school_id == school_id)
        ).all()
    )
    pupil_of = np.array([roll.get(upn.upper(), 0) for upn in upns], dtype=np.int64)
    pupil_ids = pupil_of[upn_rows]
    checks.add_rows(
        lines,
        pupil_ids == 0,
        lambda _: "the pupil on this line is not on the school's roll.",
    )

    some_day = days[good_day][0] if good_day.any() else np.datetime64("2000-01-01")
    starts = academic_year_starts(np.where(good_day, days, some_day))
    years, year_rows = np.unique(starts, return_inverse=True)
    names = [f"{year}/{(year + 1) % 100:02d}" for year in years.tolist()]
    pupils, pupil_rows = np.unique(pupil_ids, return_inverse=True)
    position = {pupil: i for i, pupil in enumerate(pupils.tolist())}
    year_group = np.zeros((len(years), len(pupils)), dtype=np.int64)
    entry = np.full((len(years), len(pupils)), LAST_DAY)
    leaving = np.full((len(years), len(pupils)), LAST_DAY)
    query = select(
        PupilYear.pupil_id,
        PupilYear.academic_year,
        PupilYear.year_group,
        PupilYear.entry_date,
        PupilYear.leaving_date,
    ).where(PupilYear.school_id == school_id, PupilYear.academic_year.in_(names))
    for pupil, year, group, joined, left in session.execute(query):
        if pupil in position:
            cell = (names.index(year), position[pupil])
            year_group[cell] = group
            entry[cell] = np.datetime64(joined, "D")
            leaving[cell] = np.datetime64(left, "D") if left else LAST_DAY

    cells = (year_rows, pupil_rows)
    groups = year_group[cells]
    missing = good_day & (pupil_ids > 0) & (groups == 0)
    checks.add_rows(
        lines,
        missing,
        lambda i: (
            f"the pupil on this line has no context for {names[year_rows[i]]}; "
            "import the pupil file for that year first."
        ),
    )
    return pupil_ids, (groups, entry[cells], leaving[cells])


def _repeated_rows(
    pupil_ids: np.ndarray,
    days: np.ndarray,
    sessions: np.ndarray,
    codes: np.ndarray,
    valid: np.ndarray,
    lines: np.ndarray,
    checks: ProblemCollector,
) -> np.ndarray:
    """Record rows that give a pupil's session a second, different code; return repeats.

    A repeat is a later row with the same pupil, session and code as an earlier one.
    """
    rows = np.flatnonzero(valid)
    keys = (pupil_ids[rows] << 22) + (days[rows].astype(np.int64) << 1) + sessions[rows]
    sorting = np.lexsort((lines[rows], keys))
    order, sorted_keys = rows[sorting], keys[sorting]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    firsts = order[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]

    first_of = np.full(len(valid), -1)
    first_of[order] = firsts
    later = (first_of >= 0) & (first_of != np.arange(len(valid)))
    differs = later & (codes != codes[np.maximum(first_of, 0)])
    checks.add_rows(
        lines,
        differs,
        lambda i: (
            "a different code for the same pupil and session is on line "
            f"{lines[first_of[i]]}."
        ),
    )
    return later & ~differs


def _summary(name: str, school_id: str, marks: CheckedMarks) -> ImportSummary:
    skipped = {SIXTH_FORM: marks.sixth_form, REPEATED: marks.repeated}
    first = marks.days.min().item() if len(marks.days) else None
    last = marks.days.max().item() if len(marks.days) else None
    return ImportSummary(
        "marks",
        name,
        school_id,
        rows_accepted=len(marks.days),
        rows_skipped=marks.sixth_form + marks.repeated,
        skipped={reason: n for reason, n in skipped.items() if n},
        first_date=first,
        last_date=last,
    )
