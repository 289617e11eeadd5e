"""Re-extracts: a school's marks file for a whole academic year replaces every mark held.

A re-extract brings in changes the daily collection missed. It is checked exactly as a
marks import is, and every date must fall in the chosen year. The preview names what
will change, session by session against the marks held; applying it re-checks the same
file and refuses if the marks held changed since the preview. One transaction clears
the school's year, stores the file and logs the import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.i18n import N_, _, format_day
from data import audit
from data.calendar import academic_year_bounds, monday_of
from data.codes import NO_ENTRY, SESSIONS_PER_WEEK
from data.csv_input import factorize, parse_dates, read_source, read_table
from data.db import session_scope
from data.desk import PUPILS, WEEKS, check_size, plural, record_rejection
from data.import_marks import MARK_COLUMNS, REPEATED, CheckedMarks, check_marks
from data.import_report import (
    ImportRejected,
    ImportSummary,
    ProblemCollector,
    record_import,
    wording,
)
from data.import_roll import SIXTH_FORM, require_school
from data.mark_store import BLANK, store_marks
from data.schema import WeekMarks
from data.tables import Table, count_cell, week_cell

KIND = "re-extract"
OUTSIDE_YEAR = wording(N_("%(day)s is outside %(year)s; a re-extract is one year."))


# Days as previews write them: "5 Sep 2023" ("5 Medi 2023").
DAY = "d MMM yyyy"


class StalePreview(ValueError):
    """The marks held changed between a re-extract's preview and its confirmation."""


@dataclass(frozen=True)
class ReExtractPreview:
    """What a re-extract will change, in sessions, against the marks held.

    `weeks` holds (Monday, added, changed, removed) for each week with a change;
    `digest` identifies the marks held and the file's marks, to confirm the same change.
    """

    school_id: str
    academic_year: str
    file_name: str
    first_date: date | None
    last_date: date | None
    sessions: int
    added: int
    changed: int
    removed: int
    pupils: int
    weeks: tuple[tuple[date, int, int, int], ...]
    digest: str
    skipped: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        """Return the confirmation sentence naming what will change, in the current
        language."""
        dates = ""
        if self.first_date and self.last_date:
            dates = _(
                " (%(first)s to %(last)s)",
                first=format_day(self.first_date, DAY),
                last=format_day(self.last_date, DAY),
            )
        head = _(
            "Replace every mark of %(year)s held for school %(school)s with the "
            "%(sessions)s marks in %(file)s%(dates)s.",
            year=self.academic_year,
            school=self.school_id,
            sessions=f"{self.sessions:,}",
            file=self.file_name,
            dates=dates,
        )
        return f"{head} {self.changes()}"

    def changes(self) -> str:
        """Return the sentence counting the sessions, pupils and weeks that change."""
        if not (self.added or self.changed or self.removed):
            return _("The file matches the marks held: nothing will change.")
        return _(
            "Sessions: %(changed)s change code, %(added)s added, %(removed)s removed; "
            "%(pupils)s in %(weeks)s.",
            changed=f"{self.changed:,}",
            added=f"{self.added:,}",
            removed=f"{self.removed:,}",
            pupils=plural(self.pupils, PUPILS),
            weeks=plural(len(self.weeks), WEEKS),
        )

    def table(self) -> Table:
        """Return the weeks that change and the sessions added, changed and removed."""
        rows = tuple(
            (week_cell(week), count_cell(added), count_cell(changed), count_cell(gone))
            for week, added, changed, gone in self.weeks
        )
        columns = (_("Week commencing"), _("Added"), _("Changed"), _("Removed"))
        return Table(_("Sessions that change"), columns, rows)


def preview_re_extract(
    url: str,
    source: Path | bytes,
    school_id: str,
    academic_year: str,
    user_id: int,
    file_name: str | None = None,
) -> ReExtractPreview:
    """Check a year's marks file and return what replacing the year with it changes.

    Raises `ImportRejected` (after logging it) for a bad file, ValueError for an
    unknown school or a badly written year.
    """
    data, name = read_source(source, file_name)
    check_size(len(data))
    try:
        with session_scope(url) as session:
            preview, _ = _compare(session, data, name, school_id, academic_year)
    except ImportRejected as error:
        record_rejection(url, KIND, school_id, user_id, data, error)
        raise
    return preview


def re_extract(
    url: str,
    source: Path | bytes,
    school_id: str,
    academic_year: str,
    digest: str,
    user_id: int,
    file_name: str | None = None,
) -> ReExtractPreview:
    """Replace the school's marks for the year with the file's; return what changed.

    `digest` is the confirmed preview's. Raises `StalePreview` when the marks held or
    the file differ from the preview's, and what `preview_re_extract` raises.
    """
    data, name = read_source(source, file_name)
    check_size(len(data))
    first, last = academic_year_bounds(academic_year)
    with session_scope(url) as session:
        preview, marks = _compare(session, data, name, school_id, academic_year)
        if preview.digest != digest:
            raise StalePreview(
                _(
                    "The marks held or the file changed since the preview; check the "
                    "preview again before confirming."
                )
            )
        _replace_year(session, school_id, first, last, marks)
        summary = ImportSummary(
            KIND,
            name,
            school_id,
            rows_accepted=preview.sessions,
            rows_skipped=sum(preview.skipped.values()),
            skipped=preview.skipped,
            first_date=preview.first_date,
            last_date=preview.last_date,
        )
        record_import(session, summary, user_id)
    detail = (
        f"{academic_year}: {preview.changed} changed, {preview.added} added, "
        f"{preview.removed} removed"
    )
    audit.record(url, "re_extract", user_id, school_id, detail)
    return preview


def _compare(
    session: Session, data: bytes, name: str, school_id: str, academic_year: str
) -> tuple[ReExtractPreview, CheckedMarks]:
    """Check the file inside a session and compare it with the marks held."""
    first, last = academic_year_bounds(academic_year)
    table, lines = read_table(data, MARK_COLUMNS, KIND, name, school_id)
    require_school(session, school_id)
    checks = ProblemCollector()
    date_rows, date_texts = factorize(table["date"])
    days = parse_dates(date_texts)[date_rows]
    outside = ~np.isnat(days) & (
        (days < np.datetime64(first, "D")) | (days > np.datetime64(last, "D"))
    )
    checks.add_rows(
        lines,
        outside,
        lambda i: OUTSIDE_YEAR % {"day": days[i], "year": academic_year},
    )
    marks = check_marks(session, school_id, table, lines, checks)
    checks.raise_if_any(KIND, name, school_id)

    held = _held_marks(session, school_id, first, last)
    new_keys = _keys(marks.pupil_ids, marks.days, marks.sessions)
    new_codes = np.asarray(marks.codes, dtype=np.uint8)
    order = np.argsort(new_keys)
    new_keys, new_codes = new_keys[order], new_codes[order]
    preview = _preview(
        (school_id, academic_year, name), held, (new_keys, new_codes), marks
    )
    return preview, marks


def _preview(
    names: tuple[str, str, str],
    held: tuple[np.ndarray, np.ndarray],
    new: tuple[np.ndarray, np.ndarray],
    marks: CheckedMarks,
) -> ReExtractPreview:
    """Count the sessions added, changed and removed, in total and by week."""
    (old_keys, old_codes), (new_keys, new_codes) = held, new
    _, in_old, in_new = np.intersect1d(
        old_keys, new_keys, assume_unique=True, return_indices=True
    )
    changed = in_old[old_codes[in_old] != new_codes[in_new]]
    removed = np.setdiff1d(np.arange(len(old_keys)), in_old, assume_unique=True)
    added = np.setdiff1d(np.arange(len(new_keys)), in_new, assume_unique=True)
    kinds = (new_keys[added], old_keys[changed], old_keys[removed])

    digest = hashlib.sha256()
    for array in (old_keys, old_codes, new_keys, new_codes):
        digest.update(np.ascontiguousarray(array).tobytes())
    touched = np.concatenate(kinds)
    days = marks.days
    skipped = {SIXTH_FORM: marks.sixth_form, REPEATED: marks.repeated}
    return ReExtractPreview(
        school_id=names[0],
        academic_year=names[1],
        file_name=names[2],
        first_date=days.min().item() if len(days) else None,
        last_date=days.max().item() if len(days) else None,
        sessions=len(new_keys),
        added=len(added),
        changed=len(changed),
        removed=len(removed),
        pupils=len(np.unique(touched >> 22)),
        weeks=_weekly(kinds),
        digest=digest.hexdigest(),
        skipped={reason: n for reason, n in skipped.items() if n},
    )


def _weekly(
    kinds: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> tuple[tuple[date, int, int, int], ...]:
    """Return (Monday, added, changed, removed) for every week with a change."""
    mondays = [_mondays(keys) for keys in kinds]
    weeks = np.unique(np.concatenate(mondays))
    counts = [
        np.searchsorted(np.sort(found), weeks, side="right")
        - np.searchsorted(np.sort(found), weeks, side="left")
        for found in mondays
    ]
    return tuple(
        (week.item(), int(a), int(c), int(r))
        for week, a, c, r in zip(weeks.astype("datetime64[D]"), *counts, strict=True)
    )


def _mondays(keys: np.ndarray) -> np.ndarray:
    """Return the Monday (as a day number) of each session key's day."""
    days = (keys >> 1) & ((1 << 21) - 1)
    return days - (days + 3) % 7


def _keys(pupils: np.ndarray, days: np.ndarray, sessions: np.ndarray) -> np.ndarray:
    """Return one sortable key per pupil session: pupil, day number and AM/PM."""
    numbers = np.asarray(days, dtype="datetime64[D]").astype(np.int64)
    return (np.asarray(pupils, dtype=np.int64) << 22) + (numbers << 1) + sessions


def _held_marks(
    session: Session, school_id: str, first: date, last: date
) -> tuple[np.ndarray, np.ndarray]:
    """Return the keys and codes of every mark held for the school in the year, sorted."""
    query = select(WeekMarks.pupil_id, WeekMarks.week_start, WeekMarks.codes).where(
        WeekMarks.school_id == school_id,
        WeekMarks.week_start >= monday_of(first),
        WeekMarks.week_start <= last,
    )
    rows = session.execute(query).all()
    text = "".join(row[2] for row in rows).encode("ascii")
    codes = np.frombuffer(text, dtype=np.uint8).reshape(len(rows), SESSIONS_PER_WEEK)
    pupils = np.repeat(
        np.array([row[0] for row in rows], dtype=np.int64), SESSIONS_PER_WEEK
    )
    weeks = np.array([row[1] for row in rows], dtype="datetime64[D]")
    slots = np.tile(np.arange(SESSIONS_PER_WEEK), len(rows))
    days = np.repeat(weeks, SESSIONS_PER_WEEK) + slots // 2
    keep = (codes.ravel() != BLANK) & (days >= np.datetime64(first, "D"))
    keep &= days <= np.datetime64(last, "D")
    keys = _keys(pupils[keep], days[keep], slots[keep] % 2)
    order = np.argsort(keys)
    return keys[order], codes.ravel()[keep][order]


def _replace_year(
    session: Session, school_id: str, first: date, last: date, marks: CheckedMarks
) -> None:
    """Clear every session of the school's year and store the file's marks."""
    weekdays = [
        first + timedelta(days=offset)
        for offset in range((last - first).days + 1)
        if (first + timedelta(days=offset)).weekday() < 5
    ]
    clearing = np.repeat(np.array(weekdays, dtype="datetime64[D]"), 2)
    halves = np.tile(np.array([0, 1]), len(weekdays))
    store_marks(
        session,
        school_id,
        np.concatenate([marks.pupil_ids, np.zeros(len(clearing), dtype=np.int64)]),
        np.concatenate([marks.days, clearing]),
        np.concatenate([marks.sessions, halves]),
        np.concatenate(
            [
                np.asarray(marks.codes, dtype=np.uint8),
                np.full(len(clearing), ord(NO_ENTRY), dtype=np.uint8),
            ]
        ),
    )
