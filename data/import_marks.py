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

from dashboard.i18n import N_
from data.codes import code_sets, statutory_code
from data.csv_input import (
    NOT_A_DATE,
    Coded,
    CodedTable,
    coded_columns,
    date_shown,
    parse_dates,
    read_coded_table,
    read_source,
)
from data.db import session_scope
from data.import_report import (
    ImportSummary,
    ProblemCollector,
    academic_year_starts,
    record_import,
    word,
    wording,
)
from data.import_roll import SIXTH_FORM, require_school
from data.mark_store import store_marks
from data.schema import Pupil, PupilYear

logger = logging.getLogger(__name__)

MARK_COLUMNS = ("upn", "date", "session", "code")
REPEATED = word(N_("repeated lines"))
WEEKDAY_NAMES = tuple(
    map(
        word,
        (
            N_("Monday"),
            N_("Tuesday"),
            N_("Wednesday"),
            N_("Thursday"),
            N_("Friday"),
            N_("Saturday"),
            N_("Sunday"),
        ),
    )
)
WEEKEND = wording(
    N_("%(day)s is a %(weekday)s; marks are only recorded on weekdays."),
    words=("weekday",),
)
BAD_SESSION = wording(N_("the session must be AM or PM."))
BEFORE_ENTRY = wording(N_("%(day)s is before this pupil's entry date (%(entry)s)."))
AFTER_LEAVING = wording(N_("%(day)s is after this pupil's leaving date (%(leaving)s)."))
BEFORE_CODES = wording(N_("%(day)s is before any attendance code set."))
UNKNOWN_CODE = wording(N_("unknown attendance code '%(code)s'."))
UNKNOWN_LONG_CODE = wording(N_("the attendance code is not a known code."))
NOT_ON_ROLL = wording(N_("the pupil on this line is not on the school's roll."))
NO_CONTEXT = wording(
    N_(
        "the pupil on this line has no context for %(year)s; import the pupil file "
        "for that year first."
    )
)
CONFLICT = wording(
    N_("a different code for the same pupil and session is on line %(line)s.")
)
LAST_DAY = np.datetime64("9999-12-31", "D")
MAX_COUNTED_KEY = 1 << 23  # 64 MB of counts; a school's year is about 1 million keys


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
    table, lines = read_coded_table(data, MARK_COLUMNS, "marks", name, school_id)
    report(f"Read {len(lines):,} rows from {name}.")

    with session_scope(url) as session:
        require_school(session, school_id)
        checks = ProblemCollector()
        marks = check_marks(session, school_id, table, lines, checks)
        checks.raise_if_any("marks", name, school_id)
        report(f"Checked {len(lines):,} rows; storing {len(marks.days):,} marks.")
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
    table: pd.DataFrame | CodedTable,
    lines: np.ndarray,
    checks: ProblemCollector,
) -> CheckedMarks:
    """Check every row of a marks file in bulk, recording problems by line.

    `table` is as `read_coded_table` or `read_table` returns it. Each check is worked
    out once per distinct value of a column and then spread to its rows.
    """
    upn, date_column, session_column, code = coded_columns(table, MARK_COLUMNS).values()
    day_of = parse_dates(date_column.values)
    weekday_of = (day_of.astype(np.int64) + 3) % 7
    good_day_of = ~np.isnat(day_of) & (weekday_of < 5)
    days, weekdays = day_of[date_column.rows], weekday_of[date_column.rows]
    good_day = good_day_of[date_column.rows]
    checks.add_rows(
        lines,
        np.isnat(days),
        lambda i: (
            NOT_A_DATE % {"value": date_shown(date_column.values[date_column.rows[i]])}
        ),
    )
    checks.add_rows(
        lines,
        ~np.isnat(days) & ~good_day,
        lambda i: WEEKEND % {"day": days[i], "weekday": WEEKDAY_NAMES[weekdays[i]]},
    )

    slot_of = [{"AM": 0, "PM": 1}.get(s.upper(), -1) for s in session_column.values]
    sessions = np.array(slot_of, dtype=np.int64)[session_column.rows]
    checks.add_rows(lines, sessions < 0, lambda _: BAD_SESSION)

    codes = _mapped_codes(code, date_column, day_of, good_day_of, lines, checks)
    pupil_ids, pupil_rows, context = _roll_context(
        session, school_id, upn, date_column, (day_of, good_day_of), lines, checks
    )
    year_group, entry, leaving = context
    sixth_form = year_group >= 12
    counted = good_day & (year_group > 0) & ~sixth_form
    before = counted & (days < entry)
    checks.add_rows(
        lines,
        before,
        lambda i: BEFORE_ENTRY % {"day": days[i], "entry": entry[i]},
    )
    after = counted & (days > leaving)
    checks.add_rows(
        lines,
        after,
        lambda i: AFTER_LEAVING % {"day": days[i], "leaving": leaving[i]},
    )

    valid = good_day & (sessions >= 0) & (codes > 0) & (pupil_ids > 0)
    keys = _session_keys(pupil_rows, days, sessions, valid)
    repeated = _repeated_rows(keys, codes, valid, lines, checks)
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
    code: Coded,
    date_column: Coded,
    day_of: np.ndarray,
    good_day_of: np.ndarray,
    lines: np.ndarray,
    checks: ProblemCollector,
) -> np.ndarray:
    """Map raw marks to statutory code bytes per code set in force; 0 where unknown."""
    starts = np.array(list(code_sets()), dtype="datetime64[D]")
    known_day = np.where(good_day_of, day_of, starts[-1])
    code_set = (np.searchsorted(starts, known_day, side="right") - 1)[date_column.rows]
    mapped = np.zeros((len(code.values), len(starts) + 1), dtype=np.uint8)
    for which, start in enumerate(starts.tolist(), start=1):
        for position, raw in enumerate(code.values):
            statutory = statutory_code(raw, start)
            mapped[position, which] = ord(statutory) if statutory else 0
    codes = mapped[code.rows, code_set + 1]

    too_early = good_day_of[date_column.rows] & (code_set < 0)
    checks.add_rows(
        lines,
        too_early,
        lambda i: BEFORE_CODES % {"day": day_of[date_column.rows[i]]},
    )
    checks.add_rows(
        lines,
        (codes == 0) & ~too_early,
        lambda i: _unknown_code(code.values[code.rows[i]]),
    )
    return codes


def _unknown_code(raw: str) -> str:
    if len(raw) <= 5:
        return UNKNOWN_CODE % {"code": raw}
    return UNKNOWN_LONG_CODE


def _roll_context(
    session: Session,
    school_id: str,
    upn: Coded,
    date_column: Coded,
    dates: tuple[np.ndarray, np.ndarray],
    lines: np.ndarray,
    checks: ProblemCollector,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Return each row's pupil id (0 if unknown), its index among the file's pupils,
    and its year group, entry and leaving dates.

    `dates` holds each distinct date's day and whether it is a good weekday. Year group
    is 0 where the pupil has no context for the academic year of the mark.
    """
    roll = dict(
        session.execute(
            select(Pupil.upn, Pupil.id).where(Pupil.school_id == school_id)
        ).all()
    )
    pupil_of = np.array([roll.get(text.upper(), 0) for text in upn.values], np.int64)
    pupils, pupil_index_of = np.unique(pupil_of, return_inverse=True)
    pupil_ids, pupil_rows = pupil_of[upn.rows], pupil_index_of[upn.rows]
    checks.add_rows(
        lines,
        pupil_ids == 0,
        lambda _: NOT_ON_ROLL,
    )

    day_of, good_day_of = dates
    some_day = (
        day_of[good_day_of][0] if good_day_of.any() else np.datetime64("2000-01-01")
    )
    starts = academic_year_starts(np.where(good_day_of, day_of, some_day))
    years, year_of = np.unique(starts, return_inverse=True)
    names = [f"{year}/{(year + 1) % 100:02d}" for year in years.tolist()]
    year_group, entry, leaving = _year_context(session, school_id, names, pupils)

    year_rows = year_of[date_column.rows]
    cells = year_rows * len(pupils) + pupil_rows
    groups = year_group[cells]
    missing = good_day_of[date_column.rows] & (pupil_ids > 0) & (groups == 0)
    checks.add_rows(
        lines,
        missing,
        lambda i: NO_CONTEXT % {"year": names[year_rows[i]]},
    )
    return pupil_ids, pupil_rows, (groups, entry[cells], leaving[cells])


def _year_context(
    session: Session, school_id: str, names: list[str], pupils: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the year group (0 if none), entry and leaving dates of each academic
    year named and each pupil id in `pupils` (sorted), as flat arrays indexed by the
    year's position times len(pupils) plus the pupil's."""
    size = len(names) * len(pupils)
    year_group = np.zeros(size, dtype=np.int64)
    entry = np.full(size, LAST_DAY)
    leaving = np.full(size, LAST_DAY)
    query = select(
        PupilYear.pupil_id,
        PupilYear.academic_year,
        PupilYear.year_group,
        PupilYear.entry_date,
        PupilYear.leaving_date,
    ).where(PupilYear.school_id == school_id, PupilYear.academic_year.in_(names))
    found = session.execute(query).all()
    if not found or not len(pupils):
        return year_group, entry, leaving

    ids, years, groups, joined, left = (
        list(values) for values in zip(*found, strict=True)
    )
    column = np.minimum(np.searchsorted(pupils, ids), len(pupils) - 1)
    on_file = pupils[column] == ids
    year_index = {name: i for i, name in enumerate(names)}
    row = np.array([year_index[year] for year in years], dtype=np.int64)
    cells = (row * len(pupils) + column)[on_file]
    year_group[cells] = np.array(groups, dtype=np.int64)[on_file]
    entry[cells] = np.array(joined, dtype="datetime64[D]")[on_file]
    left_days = np.array(left, dtype="datetime64[D]")  # None becomes NaT
    leaving[cells] = np.where(np.isnat(left_days), LAST_DAY, left_days)[on_file]
    return year_group, entry, leaving


def _session_keys(
    pupil_rows: np.ndarray, days: np.ndarray, sessions: np.ndarray, valid: np.ndarray
) -> np.ndarray:
    """Return one number per pupil and session, counting from 0, for valid rows (-1
    elsewhere): the pupil's index in the file, then the day, then AM or PM."""
    if not valid.any():
        return np.full(len(valid), -1, dtype=np.int64)
    numbers = days.astype(np.int64)
    first, last = numbers[valid].min(), numbers[valid].max()
    keys = (pupil_rows * (last - first + 1) + numbers - first) * 2 + sessions
    return np.where(valid, keys, -1)


def _repeated_rows(
    keys: np.ndarray,
    codes: np.ndarray,
    valid: np.ndarray,
    lines: np.ndarray,
    checks: ProblemCollector,
) -> np.ndarray:
    """Record rows that give a pupil's session a second, different code; return repeats.

    A repeat is a later row with the same pupil, session and code as an earlier one.
    """
    rows = np.flatnonzero(valid)
    if not _may_repeat(keys[rows]):
        return np.zeros(len(valid), dtype=bool)
    sorting = np.lexsort((lines[rows], keys[rows]))
    order, sorted_keys = rows[sorting], keys[rows][sorting]
    starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    firsts = order[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]

    first_of = np.full(len(valid), -1)
    first_of[order] = firsts
    later = (first_of >= 0) & (first_of != np.arange(len(valid)))
    differs = later & (codes != codes[np.maximum(first_of, 0)])
    checks.add_rows(
        lines,
        differs,
        lambda i: CONFLICT % {"line": lines[first_of[i]]},
    )
    return later & ~differs


def _may_repeat(keys: np.ndarray) -> bool:
    """Tell whether any key might appear twice: counted exactly when the keys span a
    modest range (the usual file), assumed otherwise."""
    if len(keys) < 2:
        return False
    if keys.max() > MAX_COUNTED_KEY:
        return True
    return bool(np.bincount(keys).max() > 1)


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
