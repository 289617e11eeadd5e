"""A pupil's session-by-session register for the weeks of a term, as imported.

The register is read from the stored marks, so it shows each AM and PM code with its
meaning. Marks imported after the release was published can differ from the counts
the release holds; such weeks are named in a note rather than silently disagreeing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import pandas as pd
from sqlalchemy import select

from dashboard.i18n import _, current_language, format_day
from data.codes import (
    NO_ENTRY,
    REFERENCE_DIR,
    SESSIONS_PER_WEEK,
    SUBCATEGORIES,
    Code,
    codes_on,
)
from data.db import session_scope
from data.schema import WeekMarks
from data.tables import Cell, Table, week_cell, week_label

A_MONDAY = date(2024, 1, 1)  # any Monday: the register's days are named from it


@dataclass(frozen=True)
class Register:
    """A term's register: the table, the codes used with their meanings, and notes."""

    table: Table
    legend: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]


def pupil_register(
    url: str,
    school_id: str,
    pupil_id: int,
    weeks: list[date],
    to_date: date,
    published: pd.DataFrame,
) -> Register:
    """Return the pupil's marks for the given weeks, up to the release's last date.

    `published` holds the pupil's release rows (week_start and every sub-category),
    against which each week's marks are checked.
    """
    stored = _stored_marks(url, school_id, pupil_id, weeks)
    rows, used, changed = [], {}, []
    for week in weeks:
        codes = _shown_codes(
            stored.get(week, NO_ENTRY * SESSIONS_PER_WEEK), week, to_date
        )
        meanings = codes_on(week)
        cells = [week_cell(week)]
        for code in codes:
            if code == NO_ENTRY:
                cells.append(Cell(""))
                continue
            meaning = (
                code_meaning(meanings[code])
                if code in meanings
                else _("No mark entered")
            )
            used[code] = meaning
            cells.append(Cell(code, tooltip=meaning))
        rows.append(tuple(cells))
        if _counts(codes, week) != _published_counts(published, week):
            changed.append(week_label(week))
    notes: tuple[str, ...] = ()
    if changed:
        notes = (
            _(
                "Marks for w/c %(weeks)s have changed since this release; the figures "
                "show the release and the register shows the marks as stored now.",
                weeks=", ".join(changed),
            ),
        )
    legend = tuple(sorted(used.items(), key=lambda item: _code_order(item[0])))
    return Register(
        Table(_("Register"), register_columns(), tuple(rows)), legend, notes
    )


def register_columns() -> tuple[str, ...]:
    """Return the register's headers in the current language: "w/c", then "Mon AM"
    to "Fri PM" ("w/d", "Llun yb" to "Gwen yh")."""
    days = [format_day(A_MONDAY + timedelta(days=n), "EEE") for n in range(5)]
    halves = (_("AM"), _("PM"))
    return (_("w/c"), *(f"{day} {half}" for day in days for half in halves))


def code_meaning(code: Code) -> str:
    """Return a code's meaning in the current language, e.g. "Illness" ("Salwch")."""
    if current_language() != "cy":
        return code.meaning
    return _welsh_meanings().get((code.valid_from, code.code), code.meaning)


@cache
def _welsh_meanings() -> dict[tuple[date, str], str]:
    """Return each code's Welsh meaning by (valid_from, code), from codes.csv."""
    with open(REFERENCE_DIR / "codes.csv", encoding="utf-8", newline="") as handle:
        return {
            (date.fromisoformat(row["valid_from"]), row["code"]): row["meaning_cy"]
            for row in csv.DictReader(handle)
        }


def _stored_marks(
    url: str, school_id: str, pupil_id: int, weeks: list[date]
) -> dict[date, str]:
    if not weeks:
        return {}
    query = select(WeekMarks.week_start, WeekMarks.codes).where(
        WeekMarks.school_id == school_id,
        WeekMarks.pupil_id == pupil_id,
        WeekMarks.week_start.in_(weeks),
    )
    with session_scope(url) as session:
        return {row.week_start: row.codes for row in session.execute(query)}


def _shown_codes(codes: str, week: date, to_date: date) -> str:
    """Return a week's codes with sessions after the release's last date left blank."""
    last = (to_date - week).days
    if last >= 4:
        return codes
    kept = max(0, (last + 1) * 2)
    return codes[:kept] + NO_ENTRY * (SESSIONS_PER_WEEK - kept)


def _counts(codes: str, week: date) -> dict[str, int]:
    meanings = codes_on(week)
    counts = dict.fromkeys(SUBCATEGORIES, 0)
    for code in codes:
        if code in meanings:
            counts[meanings[code].subcategory] += 1
    return counts


def _published_counts(published: pd.DataFrame, week: date) -> dict[str, int]:
    row = published[published["week_start"] == week]
    if row.empty:
        return dict.fromkeys(SUBCATEGORIES, 0)
    first = row.iloc[0]
    return {name: int(first[name]) for name in SUBCATEGORIES}


def _code_order(code: str) -> tuple[int, str]:
    order = "/\\LBJPVWIMHFRSTECGUONXDYZ#-"
    return (order.index(code) if code in order else len(order), code)
